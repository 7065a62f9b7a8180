package dev.attnsim.actors.compute;

import java.util.Objects;

/**
 * Sanger's mask prediction and its pack-and-split load balancing (Lu et al., Sanger, MICRO 2021).
 *
 * <p><b>Prediction.</b> Q and K are quantised symmetrically to {@code bits} (4) per tensor ({@link
 * Quantizer#perTensor}), {@code S^ = softmax(deq(Q_q K_q^T) / sqrt(d))} is computed for a block
 * of query rows (over the candidates, when a candidate mask is given), and the mask keeps {@code
 * S^ > T} (T = 2e-3 by default; the paper also uses 2e-2 for BERT and 1e-2 for BART).
 * [choice] The public code normalises Q and K by their norms before quantising; attnsim does not.
 * A per-tensor symmetric quantiser is invariant to a tensor-wide scale (the codes of {@code c x}
 * are those of {@code x}), so normalising by a tensor norm and dequantising back changes nothing,
 * while a per-row normalisation would turn the scores into cosines and change which keys clear
 * the threshold. Here {@code S^} is an approximation of the exact probabilities, which is what T
 * is compared with.
 *
 * <p><b>Pack and split.</b> Each mask row is cut into pieces {@code pieceWidth} (64) keys wide
 * (the last may be narrower); all-zero pieces are skipped; a remaining piece with {@code n} kept
 * keys becomes {@code ceil(n / peN)} segments of at most {@code peN} (16) keys, each one pass of a
 * PE row. PE utilisation = filled slots / (segments x peN).
 */
public final class SangerPredictor {
  public static final int DEFAULT_BITS = 4;
  public static final double DEFAULT_THRESHOLD = 2e-3;
  public static final int PIECE_WIDTH = 64;
  public static final int PE_N = 16;

  private final int bits;
  private final double threshold;

  /** 4 bits, T = 2e-3. */
  public SangerPredictor() {
    this(DEFAULT_BITS, DEFAULT_THRESHOLD);
  }

  /**
   * @param bits width of the symmetric quantisation of Q and K, 2..16
   * @param threshold T in [0, 1): keys with predicted probability above it are kept
   */
  public SangerPredictor(int bits, double threshold) {
    Quantizer.maxLevel(bits); // validates
    if (!(threshold >= 0 && threshold < 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1), got " + threshold);
    }
    this.bits = bits;
    this.threshold = threshold;
  }

  public int bits() {
    return bits;
  }

  public double threshold() {
    return threshold;
  }

  /**
   * {@code S^} for query rows {@code [row0, row0 + rows)}: softmax over the candidates ({@code
   * allowed}, null for all) of the scores of the quantised Q and K, each quantised per tensor
   * over all its rows.
   */
  public double[][] predictedProbs(double[][] q, double[][] k, int row0, int rows,
      boolean[][] allowed) {
    return predictedProbs(operands(q, k), row0, rows, allowed);
  }

  /** A head's Q and K^T quantised per tensor over all their rows, once for all its blocks. */
  public record Operands(double[][] q, double[][] kT) {}

  /** The operands of {@link #mask(Operands, int, int, boolean[][])} for Q and K. */
  public Operands operands(double[][] q, double[][] k) {
    return new Operands(Quantizer.roundTrip(q, bits),
        Attention.transpose(Quantizer.roundTrip(k, bits)));
  }

  /** {@link #predictedProbs(double[][], double[][], int, int, boolean[][])} on prepared operands. */
  public double[][] predictedProbs(Operands o, int row0, int rows, boolean[][] allowed) {
    return Attention.softmax(Attention.scoresTransposed(o.q(), o.kT(), row0, rows), allowed);
  }

  /**
   * The predicted mask of query rows {@code [row0, row0 + rows)}: {@code S^ > T}. [choice] A row
   * where no candidate clears T keeps its most probable candidate (the lowest key on a tie), so
   * that no query's output silently becomes zero.
   */
  public boolean[][] mask(double[][] q, double[][] k, int row0, int rows, boolean[][] allowed) {
    return mask(operands(q, k), row0, rows, allowed);
  }

  /** {@link #mask(double[][], double[][], int, int, boolean[][])} on prepared operands. */
  public boolean[][] mask(Operands o, int row0, int rows, boolean[][] allowed) {
    var p = predictedProbs(o, row0, rows, allowed);
    var m = new boolean[p.length][];
    for (int i = 0; i < p.length; i++) {
      m[i] = new boolean[p[i].length];
      int best = -1;
      boolean any = false;
      for (int j = 0; j < p[i].length; j++) {
        m[i][j] = p[i][j] > threshold;
        any |= m[i][j];
        boolean candidate = allowed == null || allowed[i][j];
        if (candidate && (best < 0 || p[i][j] > p[i][best])) {
          best = j;
        }
      }
      if (!any && best >= 0) {
        m[i][best] = true;
      }
    }
    return m;
  }

  /**
   * What pack-and-split makes of a mask.
   *
   * @param pieces pieces the rows are cut into, empty ones included
   * @param nonEmptyPieces pieces with at least one kept key
   * @param segments PE-row passes
   * @param filledSlots kept keys (each fills one slot of one pass)
   * @param peN slots per pass
   */
  public record PackStats(long pieces, long nonEmptyPieces, long segments, long filledSlots,
      int peN) {
    /** filled slots / (segments x peN); 0 when there is no segment. */
    public double utilisation() {
      return segments == 0 ? 0 : (double) filledSlots / ((double) segments * peN);
    }
  }

  /** Pack and split with Sanger's 64-wide pieces and 16 PEs per row. */
  public static PackStats packAndSplit(boolean[][] mask) {
    return packAndSplit(mask, PIECE_WIDTH, PE_N);
  }

  /** Pack and split with the given piece width and segment size. */
  public static PackStats packAndSplit(boolean[][] mask, int pieceWidth, int peN) {
    Objects.requireNonNull(mask, "mask");
    if (pieceWidth < 1 || peN < 1) {
      throw new IllegalArgumentException(
          "piece width and peN must be >= 1, got " + pieceWidth + " and " + peN);
    }
    long pieces = 0;
    long nonEmpty = 0;
    long segments = 0;
    long filled = 0;
    for (boolean[] row : mask) {
      for (int start = 0; start < row.length; start += pieceWidth) {
        pieces++;
        int n = 0;
        for (int j = start; j < Math.min(row.length, start + pieceWidth); j++) {
          n += row[j] ? 1 : 0;
        }
        if (n > 0) {
          nonEmpty++;
          segments += (n + peN - 1) / peN;
          filled += n;
        }
      }
    }
    return new PackStats(pieces, nonEmpty, segments, filled, peN);
  }
}
