package dev.attnsim.actors.compute;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * DSA's prediction path for one head (actors/docs/dota.md): {@code Q~ = X P W~_Q}, {@code K~ = X P
 * W~_K}, {@code S~ = Q~ K~^T / sqrt(d_head)}, then a threshold or a per-row top-k on {@code S~}.
 *
 * <p><b>Shapes</b> [choice]. X is {@code l x d}, the head's exact weights {@code W_Q, W_K} are
 * {@code d x d_head}, the projection P is {@code d x k}, and the approximate weights {@code W~} are
 * {@code k x d_head}, so that {@code Q~} has the shape of the exact {@code Q = X W_Q} and
 * approximates it. (The paper's {@code W~} is {@code k x k}, trained by MSE against S; that gives a
 * {@code k}-wide {@code Q~} which cannot be compared entry by entry with Q.)
 *
 * <p><b>Fit</b> [choice]. attnsim cannot train, so {@code W~} is fitted in closed form, in one of
 * two ways ({@link Fit}):
 *
 * <ul>
 *   <li>{@link Fit#WEIGHTS}: from the weights alone, {@code W~ = argmin ||P W~ - W||_F = pinv(P)
 *       W}. Then {@code X P W~ = X Pi W}, with {@code Pi = P pinv(P)} the orthogonal projection
 *       onto the span of P's columns: the input is seen only through {@code k} random directions,
 *       whatever its statistics. With {@code k = d} and P of full rank, {@code Pi = I} and the
 *       prediction is exact.
 *   <li>{@link Fit#CALIBRATION}: from calibration rows {@code X_c} ({@code n x d}) of real inputs,
 *       {@code W~ = argmin ||X_c P W~ - X_c W||_F = pinv(X_c P) X_c W}: the best linear
 *       prediction of {@code Q = X W} from the {@code k} features {@code X P}, on those rows. It
 *       uses what the weights-only fit ignores: inputs that are far from isotropic (a shared mean,
 *       a few dominant directions) are predicted well from few features. It is the
 *       least-squares stand-in for the paper's training, which also sees inputs.
 * </ul>
 *
 * [choice] Both solve with EJML's SVD pseudo-inverse rather than normal equations or QR: it is
 * the minimum-norm least-squares solution, exact when {@code X_c P} has full column rank, and
 * still defined when it does not (fewer calibration rows than {@code k}, or rows confined to a
 * subspace), with no ridge parameter to tune; singular values below EJML's relative tolerance
 * count as zero. Normal equations would square the condition number of {@code X_c P}, which the
 * large shared component of real activations makes poor.
 *
 * <p><b>Projection</b> [choice: per head, probabilities and scale]. {@code k = round(sigma x
 * d_head)} per head ({@link #projectedDim}), at least 1 and at most d; entries {@code -1, 0, +1}
 * with probabilities 1/4, 1/2, 1/4, scaled by {@code sqrt(2/k)}, drawn from a {@code
 * SplittableRandom(seed)} in row-major order. The scale makes {@code E[P P^T] = (2/k) (k/2) I = I};
 * the predictions do not depend on it, because the fit absorbs it and per-tensor quantisation is
 * scale invariant.
 *
 * <p><b>Quantisation</b> [choice]. {@code Q~} and {@code K~}, the operands of the {@code S~}
 * product, are quantised symmetrically per tensor (over all their rows) to {@code operandBits}
 * (INT4 by default). The fitted weights {@code W~} can be quantised per tensor too ({@code
 * weightBits}), but are not by default: unlike the paper's trained {@code W~}, {@code pinv(P) W}
 * inherits the conditioning of P, and a square sparse random P is badly conditioned, so a few
 * large entries set the scale and INT4 zeroes the rest. Measured on a random head (d 64, d_head
 * 16, k = d, top-8 of 64, {@code DsaPredictorTest}): accuracy 0.86 with INT4 operands alone,
 * 0.22 with INT4 weights as well. {@code X P} stays in full precision (P is additions and
 * subtractions only). {@link #FULL_PRECISION} (0) switches a quantisation off. {@code S~} is
 * scaled by {@code 1 / sqrt(d_head)} so that a threshold means the same as on the exact S; top-k
 * does not care.
 *
 * <p>The weights-only fit ignores the statistics of X: on isotropic random inputs a projection to
 * {@code k = d / 2} keeps only about 0.4 of the top-8 (of 64), and on isotropic inputs a
 * calibration fit cannot do better (for isotropic inputs the least-squares fit tends to {@code
 * pinv(P) W}). Where a few directions of X dominate, as in real activations, it does: 0.61
 * against 0.15 on such inputs ({@code DsaPredictorTest}). On the synthetic LRA-text tensors,
 * close to isotropic, the two tie ({@code attnsim accuracy}).
 */
public final class DsaPredictor {
  /** No quantisation of the prediction path. */
  public static final int FULL_PRECISION = 0;
  public static final int DEFAULT_BITS = 4;
  public static final double DEFAULT_SIGMA = 0.25;

  /** How {@code W~} is fitted; see the class comment. */
  public enum Fit {
    /** {@code pinv(P) W}: from the weights alone. */
    WEIGHTS,
    /** {@code pinv(X_c P) X_c W}: least squares on calibration rows of the input. */
    CALIBRATION
  }

  private final double[][] projection;
  private final double[][] approxWq;
  private final double[][] approxWk;
  private final int operandBits;
  private final double[][] folded; // W~_Q W~_K^T, k x k

  private DsaPredictor(double[][] projection, double[][] approxWq, double[][] approxWk,
      int operandBits) {
    this.projection = projection;
    this.approxWq = approxWq;
    this.approxWk = approxWk;
    this.operandBits = operandBits;
    var wkT = new double[approxWk[0].length][approxWk.length];
    for (int r = 0; r < approxWk.length; r++) {
      for (int c = 0; c < approxWk[0].length; c++) {
        wkT[c][r] = approxWk[r][c];
      }
    }
    this.folded = Attention.multiply(approxWq, wkT);
  }

  /**
   * Fits a head's prediction path with a fresh random projection, from the weights alone
   * ({@link Fit#WEIGHTS}).
   *
   * @param wQ the head's query weights, {@code d x d_head}
   * @param wK the head's key weights, {@code d x d_head}
   * @param k projected size, 1..d (see {@link #projectedDim})
   * @param operandBits width of {@code Q~} and {@code K~}, 2..16, or {@link #FULL_PRECISION}
   * @param seed seeds the projection
   */
  public static DsaPredictor fit(double[][] wQ, double[][] wK, int k, int operandBits,
      long seed) {
    if (k < 1 || k > wQ.length) {
      throw new IllegalArgumentException("k must be in [1, d = " + wQ.length + "], got " + k);
    }
    return fit(randomProjection(wQ.length, k, seed), wQ, wK, FULL_PRECISION, operandBits);
  }

  /**
   * Fits a head's prediction path for a given projection {@code P} ({@code d x k}) from the
   * weights alone ({@link Fit#WEIGHTS}), with {@code W~} quantised to {@code weightBits} and
   * {@code Q~, K~} to {@code operandBits} (each 2..16 or {@link #FULL_PRECISION}).
   */
  public static DsaPredictor fit(double[][] p, double[][] wQ, double[][] wK, int weightBits,
      int operandBits) {
    checkShapes(p, wQ, wK, weightBits, operandBits);
    var pinvP = pinv(p);
    return build(p, Attention.multiply(pinvP, wQ), Attention.multiply(pinvP, wK), weightBits,
        operandBits);
  }

  /**
   * Fits a head's prediction path with a fresh random projection by least squares on
   * calibration rows ({@link Fit#CALIBRATION}).
   *
   * @param calibration the calibration rows {@code X_c}, {@code n x d}, n at least 1
   * @param k projected size, 1..d
   * @param operandBits width of {@code Q~} and {@code K~}, 2..16, or {@link #FULL_PRECISION}
   * @param seed seeds the projection (the same projection as {@link #fit(double[][],
   *     double[][], int, int, long)} with this seed)
   */
  public static DsaPredictor fitCalibrated(double[][] calibration, double[][] wQ, double[][] wK,
      int k, int operandBits, long seed) {
    if (k < 1 || k > wQ.length) {
      throw new IllegalArgumentException("k must be in [1, d = " + wQ.length + "], got " + k);
    }
    return fitCalibrated(randomProjection(wQ.length, k, seed), calibration, wQ, wK,
        FULL_PRECISION, operandBits);
  }

  /**
   * Fits a head's prediction path for a given projection {@code P} ({@code d x k}) by least
   * squares on calibration rows {@code X_c} ({@code n x d}): {@code W~ = pinv(X_c P) X_c W}.
   */
  public static DsaPredictor fitCalibrated(double[][] p, double[][] calibration, double[][] wQ,
      double[][] wK, int weightBits, int operandBits) {
    checkShapes(p, wQ, wK, weightBits, operandBits);
    if (calibration.length == 0 || calibration[0].length != p.length) {
      throw new IllegalArgumentException("calibration rows must be n x " + p.length
          + " with n >= 1");
    }
    var pinvXp = pinv(Attention.multiply(calibration, p)); // k x n
    return build(p, Attention.multiply(pinvXp, Attention.multiply(calibration, wQ)),
        Attention.multiply(pinvXp, Attention.multiply(calibration, wK)), weightBits,
        operandBits);
  }

  /**
   * {@code n} rows of {@code x} evenly spaced over the sequence: rows {@code floor(i l / n)} for
   * {@code i < n}, or every row when {@code n >= l}. [choice] Evenly spaced rather than the first
   * {@code n}: the first rows of a sequence share its start (position, a leading CLS token),
   * spread rows see all of it. The rows are shared, not copied.
   */
  public static double[][] calibrationRows(double[][] x, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("need at least one calibration row, got " + n);
    }
    int l = x.length;
    if (n >= l) {
      return x.clone();
    }
    var rows = new double[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = x[(int) ((long) i * l / n)];
    }
    return rows;
  }

  /** {@code max(1, round(sigma x headDim))}: DSA's k for one head. */
  public static int projectedDim(double sigma, int headDim) {
    if (!(sigma > 0) || headDim < 1) {
      throw new IllegalArgumentException("need sigma > 0 and head size >= 1");
    }
    return (int) Math.max(1, Math.round(sigma * headDim));
  }

  /** A {@code d x k} sparse random projection: {-1, 0, +1} w.p. 1/4, 1/2, 1/4, times sqrt(2/k). */
  public static double[][] randomProjection(int d, int k, long seed) {
    if (d < 1 || k < 1) {
      throw new IllegalArgumentException("projection must be at least 1 x 1");
    }
    double s = Math.sqrt(2.0 / k);
    var rnd = new SplittableRandom(seed);
    var p = new double[d][k];
    for (double[] row : p) {
      for (int j = 0; j < k; j++) {
        int r = rnd.nextInt(4);
        row[j] = r == 0 ? -s : r == 1 ? s : 0;
      }
    }
    return p;
  }

  /** P, {@code d x k}. */
  public double[][] projection() {
    return deepCopy(projection);
  }

  /** {@code W~_Q}, {@code k x d_head}, as the arithmetic sees it (dequantised). */
  public double[][] approxWq() {
    return deepCopy(approxWq);
  }

  /** {@code W~_K}, {@code k x d_head}, as the arithmetic sees it (dequantised). */
  public double[][] approxWk() {
    return deepCopy(approxWk);
  }

  /** {@code Q~ = X P W~_Q} for all rows of X ({@code l x d}), quantised per tensor. */
  public double[][] queries(double[][] x) {
    return path(x, approxWq);
  }

  /** {@code K~ = X P W~_K} for all rows of X, quantised per tensor. */
  public double[][] keys(double[][] x) {
    return path(x, approxWk);
  }

  /** {@code S~} of query rows {@code [row0, row0 + rows)}: {@code Q~ K~^T / sqrt(d_head)}. */
  public static double[][] scores(double[][] approxQ, double[][] approxK, int row0, int rows) {
    return Attention.scores(approxQ, approxK, row0, rows);
  }

  /** Keeps the candidates whose predicted score exceeds {@code threshold}. */
  public static boolean[][] selectThreshold(double[][] predicted, double threshold,
      boolean[][] allowed) {
    Attention.checkMask(predicted, allowed);
    var m = new boolean[predicted.length][];
    for (int i = 0; i < predicted.length; i++) {
      m[i] = new boolean[predicted[i].length];
      for (int j = 0; j < predicted[i].length; j++) {
        m[i][j] = (allowed == null || allowed[i][j]) && predicted[i][j] > threshold;
      }
    }
    return m;
  }

  private static void checkShapes(double[][] p, double[][] wQ, double[][] wK, int weightBits,
      int operandBits) {
    for (int bits : new int[] {weightBits, operandBits}) {
      if (bits != FULL_PRECISION) {
        Quantizer.maxLevel(bits); // validates
      }
    }
    if (wQ.length != p.length || wK.length != p.length || wQ[0].length != wK[0].length) {
      throw new IllegalArgumentException("P is " + p.length + " x k, W_Q " + wQ.length + " x "
          + wQ[0].length + ", W_K " + wK.length + " x " + wK[0].length
          + ": need d x k, d x dh, d x dh");
    }
  }

  /** The predictor from fitted (full-precision) weights, quantised to {@code weightBits}. */
  private static DsaPredictor build(double[][] p, double[][] wq, double[][] wk, int weightBits,
      int operandBits) {
    if (weightBits != FULL_PRECISION) {
      wq = Quantizer.roundTrip(wq, weightBits);
      wk = Quantizer.roundTrip(wk, weightBits);
    }
    return new DsaPredictor(deepCopy(p), wq, wk, operandBits);
  }

  /** The SVD pseudo-inverse (EJML, its default tolerance). */
  private static double[][] pinv(double[][] m) {
    var inv = new DMatrixRMaj(m[0].length, m.length);
    CommonOps_DDRM.pinv(new DMatrixRMaj(m), inv);
    return toArray(inv);
  }

  // ---- the detector's operands, k wide, as DOTA computes them ----

  /**
   * The detector's operands for rows of X, before quantisation: {@code {X P M, X P}} with {@code
   * M = W~_Q W~_K^T} ({@code k x k}). They give {@code S~ = X P W~_Q W~_K^T P^T X^T}, the scores
   * of the {@code d_head}-wide {@code Q~ K~^T}, but computed {@code k} wide, as DOTA's detector
   * does with the paper's {@code k x k} weights [choice: {@code W~_K} folded into {@code W~_Q}].
   * The INT4 rounding then falls on these {@code k}-wide operands. Rows are independent: a row
   * block gives those rows of the whole.
   */
  public double[][][] detectorOperandsRaw(double[][] x) {
    if (x.length == 0 || x[0].length != projection.length) {
      throw new IllegalArgumentException("X must be l x " + projection.length);
    }
    double[][] xp = Attention.multiply(x, projection);
    return new double[][][] {Attention.multiply(xp, folded), xp};
  }

  /** A whole operand tensor quantised per tensor to the operand width (or left as it is). */
  public double[][] quantiseOperand(double[][] raw) {
    return operandBits == FULL_PRECISION ? raw : Quantizer.roundTrip(raw, operandBits);
  }

  /**
   * The detector's {@code S~} of query rows {@code [row0, row0 + rows)} from its operands,
   * scaled by {@code 1 / sqrt(d_head)} as exact scores are, summed in index order.
   */
  public double[][] detectorScores(double[][] queries, double[][] keys, int row0, int rows) {
    return Attention.scores(queries, keys, row0, rows, 1 / Math.sqrt(approxWq[0].length));
  }

  private double[][] path(double[][] x, double[][] approxW) {
    if (x.length == 0 || x[0].length != projection.length) {
      throw new IllegalArgumentException("X must be l x " + projection.length);
    }
    var y = Attention.multiply(Attention.multiply(x, projection), approxW);
    return operandBits == FULL_PRECISION ? y : Quantizer.roundTrip(y, operandBits);
  }

  private static double[][] toArray(DMatrixRMaj m) {
    var a = new double[m.numRows][m.numCols];
    for (int i = 0; i < m.numRows; i++) {
      for (int j = 0; j < m.numCols; j++) {
        a[i][j] = m.get(i, j);
      }
    }
    return a;
  }

  private static double[][] deepCopy(double[][] m) {
    var c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }
}
