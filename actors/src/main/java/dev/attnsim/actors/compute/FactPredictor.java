package dev.attnsim.actors.compute;

/**
 * FACT's eager prediction in the log domain (Qin et al., FACT, ISCA 2023): every operand keeps
 * only its
 * leading one, {@code a ~ sign(a) 2^floor(log2 |a|)}, so a product is a sign XOR and an exponent
 * add. {@code Q^ = X W_Q} and {@code K^ = X W_K} are predicted from X and the weights this way,
 * before Q and K exist, then {@code A^ = Q^ K^^T} with the same approximation, and each row keeps
 * its top {@code ratio} of the candidates.
 *
 * <p>[choice] The fixed-point codes are symmetric INT-{@code bits} per tensor ({@link
 * Quantizer#perTensor}, 8 bits by default) of X, of each weight matrix and of {@code Q^, K^}; a
 * product of codes {@code a b} becomes {@code highestOneBit(|a|) highestOneBit(|b|)} with the sign
 * of {@code a b}, sums are exact, and the result is scaled back by the two tensors' scales.
 * [choice] A row keeps {@code max(1, round(ratio x candidates))} keys, ratio 0.25 by default, ties
 * to the lower key. What FACT decides from {@code A^} besides the mask (K/V rows no query needs,
 * early-decided queries, each token's FFN precision) is in {@link FactDecisions}.
 */
public final class FactPredictor {
  public static final int DEFAULT_BITS = 8;
  public static final double DEFAULT_RATIO = 0.25;

  private final int bits;
  private final double ratio;

  /** INT8 codes, top 25 %. */
  public FactPredictor() {
    this(DEFAULT_BITS, DEFAULT_RATIO);
  }

  /**
   * @param bits width of the fixed-point codes, 2..16
   * @param ratio share of each row's candidates kept, in (0, 1]
   */
  public FactPredictor(int bits, double ratio) {
    Quantizer.maxLevel(bits); // validates
    if (!(ratio > 0 && ratio <= 1)) {
      throw new IllegalArgumentException("ratio must be in (0, 1], got " + ratio);
    }
    this.bits = bits;
    this.ratio = ratio;
  }

  /** {@code sign(code) 2^floor(log2 |code|)}: the code with only its leading one; 0 stays 0. */
  public static int leadingOne(int code) {
    return code < 0 ? -Integer.highestOneBit(-code) : Integer.highestOneBit(code);
  }

  /**
   * {@code A B} with every product of codes replaced by the product of their leading ones: both
   * operands quantised per tensor to {@code bits}, the result back in real units.
   */
  public double[][] logProduct(double[][] a, double[][] b) {
    var qa = Quantizer.perTensor(a, bits);
    var qb = Quantizer.perTensor(b, bits);
    double scale = 1 / (qa.scales()[0] * qb.scales()[0]);
    var la = leadingOnes(qa.values());
    var lb = leadingOnes(qb.values());
    int inner = b.length;
    int n = b[0].length;
    if (a[0].length != inner) {
      throw new IllegalArgumentException("cannot multiply " + a.length + "x" + a[0].length + " by "
          + inner + "x" + n);
    }
    return IntDot.multiply(la, lb, IntDot.fitsInt(bits, inner), scale);
  }

  /** {@code Q^} or {@code K^}: {@code X W} in the log domain, {@code l x d_head}. */
  public double[][] project(double[][] x, double[][] w) {
    return logProduct(x, w);
  }

  /**
   * A head's {@code Q^} and {@code K^} quantised per tensor over all their rows and reduced to
   * their leading ones, once (a head's query blocks share them), with the scale back to real
   * units including {@code 1 / sqrt(d_head)}.
   */
  public record Operands(int[][] q, int[][] k, int[][] kT, double scale) {}

  /** The operands of {@link #scores(Operands, int, int)} for {@code Q^, K^}. */
  public Operands operands(double[][] qHat, double[][] kHat) {
    var qq = Quantizer.perTensor(qHat, bits);
    var kq = Quantizer.perTensor(kHat, bits);
    double scale = 1 / (qq.scales()[0] * kq.scales()[0] * Math.sqrt(qHat[0].length));
    int[][] k = leadingOnes(kq.values());
    return new Operands(leadingOnes(qq.values()), k, IntDot.transpose(k), scale);
  }

  /**
   * {@code A^} of query rows {@code [row0, row0 + rows)}: {@code Q^ K^^T / sqrt(d_head)} in the log
   * domain, Q^ and K^ quantised per tensor over all their rows.
   */
  public double[][] scores(double[][] qHat, double[][] kHat, int row0, int rows) {
    if (row0 < 0 || rows < 0 || row0 + rows > qHat.length) {
      throw new IllegalArgumentException("rows outside Q^");
    }
    return scores(operands(qHat, kHat), row0, rows);
  }

  /** {@link #scores(double[][], double[][], int, int)} on operands prepared once. */
  public double[][] scores(Operands o, int row0, int rows) {
    int[][] lq = o.q();
    int[][] lk = o.k();
    if (row0 < 0 || rows < 0 || row0 + rows > lq.length) {
      throw new IllegalArgumentException("rows outside Q^");
    }
    var s = new double[rows][lk.length];
    boolean narrow = rows > 0 && IntDot.fitsInt(bits, lq[row0].length);
    var sums = narrow ? new int[lk.length] : null;
    for (int i = 0; i < rows; i++) {
      if (narrow) {
        IntDot.dotsTransposed(lq[row0 + i], o.kT(), lk.length, o.scale(), s[i], sums);
      } else {
        IntDot.dots(lq[row0 + i], lk, null, lk.length, false, o.scale(), s[i]);
      }
    }
    return s;
  }

  /** Each row's top {@code max(1, round(ratio x candidates))} of {@code A^} among the candidates. */
  public boolean[][] select(double[][] predicted, boolean[][] allowed) {
    Attention.checkMask(predicted, allowed);
    var sizes = new int[predicted.length];
    for (int i = 0; i < predicted.length; i++) {
      int candidates = 0;
      for (int j = 0; j < predicted[i].length; j++) {
        candidates += allowed == null || allowed[i][j] ? 1 : 0;
      }
      sizes[i] = OracleTopK.keepCount(ratio, candidates);
    }
    return OracleTopK.mask(predicted, sizes, allowed);
  }

  /** The predicted mask of query rows {@code [row0, row0 + rows)} from X and the head's weights. */
  public boolean[][] mask(double[][] x, double[][] wQ, double[][] wK, int row0, int rows,
      boolean[][] allowed) {
    return select(scores(project(x, wQ), project(x, wK), row0, rows), allowed);
  }

  /**
   * Keys no row of the mask selects: FACT never generates their K and V rows. (For a whole head
   * built block by block, {@link FactDecisions#countSelections} and {@link
   * FactDecisions#unneededKeys}.)
   */
  public static int unselectedKeys(boolean[][] mask) {
    int keys = mask.length == 0 ? 0 : mask[0].length;
    int none = 0;
    for (int j = 0; j < keys; j++) {
      boolean any = false;
      for (boolean[] row : mask) {
        any |= row[j];
      }
      none += any ? 0 : 1;
    }
    return none;
  }

  private static int[][] leadingOnes(int[][] codes) {
    var l = new int[codes.length][];
    for (int i = 0; i < codes.length; i++) {
      l[i] = new int[codes[i].length];
      for (int c = 0; c < codes[i].length; c++) {
        l[i][c] = leadingOne(codes[i][c]);
      }
    }
    return l;
  }
}
