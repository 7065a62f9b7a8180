package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DsaPredictorTest {
  private static final double[][] P = {{1}, {1}};
  private static final double[][] WQ = {{2}, {4}};
  private static final double[][] WK = {{1}, {3}};
  private static final double[][] X = {{1, 0}, {1, 1}, {0, 1}};

  /**
   * d = 2, k = 1, d_head = 1. P = (1, 1)^T, pinv(P) = P^T / (P^T P) = (0.5, 0.5). W~_Q = 0.5 * 2 +
   * 0.5 * 4 = 3, W~_K = 0.5 * 1 + 0.5 * 3 = 2. X P = (1, 2, 1), so Q~ = (3, 6, 3) (exact Q = X W_Q
   * = (2, 6, 4)) and K~ = (2, 4, 2). S~ row 0 = 3 * (2, 4, 2) = (6, 12, 6) (sqrt(d_head) = 1).
   */
  @Test
  void leastSquaresFitByHand() {
    var dsa = DsaPredictor.fit(P, WQ, WK, DsaPredictor.FULL_PRECISION,
        DsaPredictor.FULL_PRECISION);
    assertArrayEquals(new double[] {3}, dsa.approxWq()[0], 1e-12);
    assertArrayEquals(new double[] {2}, dsa.approxWk()[0], 1e-12);
    var q = dsa.queries(X);
    var k = dsa.keys(X);
    assertArrayEquals(new double[] {3, 6, 3}, column(q), 1e-12);
    assertArrayEquals(new double[] {2, 4, 2}, column(k), 1e-12);
    var s = DsaPredictor.scores(q, k, 0, 1);
    assertArrayEquals(new double[] {6, 12, 6}, s[0], 1e-12);
  }

  /**
   * The calibration fit by hand, d = 2, k = 1, P = (1, 1)^T. Calibration rows X_c = ((1, 0), (2,
   * 1)): X_c P = (1, 3), X_c W_Q = (2, 8), X_c W_K = (1, 5), and W~ = (X_c P . X_c W) / |X_c P|^2:
   * W~_Q = (2 + 24) / 10 = 2.6, W~_K = (1 + 15) / 10 = 1.6 (weights only: 3 and 2). On those rows
   * Q~ = (2.6, 7.8) against Q = (2, 8), squared residual 0.36 + 0.04 = 0.4; the weights-only Q~ =
   * (3, 9) leaves 1 + 1 = 2.
   */
  @Test
  void calibrationFitByHand() {
    double[][] xc = {{1, 0}, {2, 1}};
    var cal = DsaPredictor.fitCalibrated(P, xc, WQ, WK, DsaPredictor.FULL_PRECISION,
        DsaPredictor.FULL_PRECISION);
    assertArrayEquals(new double[] {2.6}, cal.approxWq()[0], 1e-12);
    assertArrayEquals(new double[] {1.6}, cal.approxWk()[0], 1e-12);
    assertArrayEquals(new double[] {2.6, 7.8}, column(cal.queries(xc)), 1e-12);
    assertEquals(0.4, squaredResidual(cal.queries(xc), new double[] {2, 8}), 1e-12);
    var weightsOnly = DsaPredictor.fit(P, WQ, WK, DsaPredictor.FULL_PRECISION,
        DsaPredictor.FULL_PRECISION);
    assertEquals(2, squaredResidual(weightsOnly.queries(xc), new double[] {2, 8}), 1e-12);
  }

  /**
   * Inputs on one axis, X_c = ((1, 0), (2, 0)), P = (1, 1)^T: X_c P = (1, 2), X_c W_Q = (2, 4),
   * X_c W_K = (1, 2), so W~_Q = 10 / 5 = 2 and W~_K = 5 / 5 = 1, and the one feature x_1 + x_2 =
   * x_1 predicts Q = 2 x_1 and K = x_1 exactly on that axis: (3, 0) gives Q~ = 6, K~ = 3. The
   * weights-only fit gives 9 and 6.
   */
  @Test
  void calibrationOnInputsInASubspaceIsExactThere() {
    var cal = DsaPredictor.fitCalibrated(P, new double[][] {{1, 0}, {2, 0}}, WQ, WK,
        DsaPredictor.FULL_PRECISION, DsaPredictor.FULL_PRECISION);
    double[][] x = {{3, 0}};
    assertEquals(6, cal.queries(x)[0][0], 1e-12);
    assertEquals(3, cal.keys(x)[0][0], 1e-12);
    var weightsOnly = DsaPredictor.fit(P, WQ, WK, DsaPredictor.FULL_PRECISION,
        DsaPredictor.FULL_PRECISION);
    assertEquals(9, weightsOnly.queries(x)[0][0], 1e-12);
    assertEquals(6, weightsOnly.keys(x)[0][0], 1e-12);
  }

  /**
   * Fewer calibration rows than k: one row (1, 1), k = d = 2, P = I. Any W~ with w_1 + w_2 = 6
   * fits Q; the pseudo-inverse takes the minimum-norm one, W~_Q = (3, 3), and W~_K = (2, 2) for
   * w_1 + w_2 = 4. The calibration row is predicted exactly (6 and 4); (1, 0), a direction never
   * seen, gets 3 where Q is 2.
   */
  @Test
  void tooFewCalibrationRowsGiveTheMinimumNormFit() {
    double[][] identity = {{1, 0}, {0, 1}};
    var cal = DsaPredictor.fitCalibrated(identity, new double[][] {{1, 1}}, WQ, WK,
        DsaPredictor.FULL_PRECISION, DsaPredictor.FULL_PRECISION);
    assertArrayEquals(new double[] {3, 3}, column(cal.approxWq()), 1e-12);
    assertArrayEquals(new double[] {2, 2}, column(cal.approxWk()), 1e-12);
    assertEquals(6, cal.queries(new double[][] {{1, 1}})[0][0], 1e-12);
    assertEquals(3, cal.queries(new double[][] {{1, 0}})[0][0], 1e-12);
  }

  /**
   * k = d and calibration rows of full column rank: {@code pinv(X_c P) X_c W = P^-1 W}, so the
   * prediction is exact on any input, not only the calibration rows, whatever the seed.
   */
  @Test
  void fullRankCalibrationWithFullProjectionIsExactEverywhere() {
    for (long seed = 1; seed <= 5; seed++) {
      var rnd = new SplittableRandom(200 + seed);
      int d = 16;
      int dh = 8;
      var calibration = AttentionTest.gaussian(rnd, 24, d);
      var x = AttentionTest.gaussian(rnd, 10, d);
      var wq = AttentionTest.gaussian(rnd, d, dh);
      var wk = AttentionTest.gaussian(rnd, d, dh);
      var dsa = DsaPredictor.fitCalibrated(calibration, wq, wk, d, DsaPredictor.FULL_PRECISION,
          seed);
      var q = Attention.multiply(x, wq);
      var k = Attention.multiply(x, wk);
      for (int i = 0; i < x.length; i++) {
        assertArrayEquals(q[i], dsa.queries(x)[i], 1e-9, "seed " + seed + " row " + i);
        assertArrayEquals(k[i], dsa.keys(x)[i], 1e-9, "seed " + seed + " row " + i);
      }
    }
  }

  /**
   * Where calibration pays: inputs far from isotropic. X has 4 strong latent directions plus
   * small noise (d 64, d_head 16, l 256); k = 8 random features of X see all 4 directions, so
   * the calibration fit predicts Q and K almost exactly, while the weights-only fit keeps only the
   * part of W inside 8 random directions of 64. INT4 operands, top-16 of 256 (chance 0.0625), 64
   * evenly spaced calibration rows. Measured: calibration 0.608 (INT4 operands are what is left
   * of its error), weights only 0.146.
   */
  @Test
  void calibrationBeatsWeightsOnAnisotropicInputs() {
    var rnd = new SplittableRandom(5);
    int l = 256;
    int d = 64;
    int dh = 16;
    var latent = AttentionTest.gaussian(rnd, l, 4);
    var mixing = AttentionTest.gaussian(rnd, 4, d);
    var x = Attention.multiply(latent, mixing);
    var noise = AttentionTest.gaussian(rnd, l, d);
    for (int i = 0; i < l; i++) {
      for (int c = 0; c < d; c++) {
        x[i][c] += 0.05 * noise[i][c];
      }
    }
    var wq = AttentionTest.gaussian(rnd, d, dh);
    var wk = AttentionTest.gaussian(rnd, d, dh);
    var exact = Attention.scores(Attention.multiply(x, wq), Attention.multiply(x, wk), 0, l);
    var calibration = DsaPredictor.calibrationRows(x, 64);
    double cal = accuracy(x, DsaPredictor.fitCalibrated(calibration, wq, wk, 8, 4, 3), exact, 16);
    double weights = accuracy(x, DsaPredictor.fit(wq, wk, 8, 4, 3), exact, 16);
    assertTrue(cal > 0.5 && cal > 3 * weights, "calibration " + cal + ", weights " + weights);
  }

  /** 10 rows, 4 wanted: rows floor(i 10 / 4) = 0, 2, 5, 7 (the same row objects); 10 or more: all. */
  @Test
  void calibrationRowsAreEvenlySpaced() {
    var x = new double[10][];
    for (int i = 0; i < 10; i++) {
      x[i] = new double[] {i};
    }
    var rows = DsaPredictor.calibrationRows(x, 4);
    assertEquals(4, rows.length);
    assertSame(x[0], rows[0]);
    assertSame(x[2], rows[1]);
    assertSame(x[5], rows[2]);
    assertSame(x[7], rows[3]);
    assertEquals(10, DsaPredictor.calibrationRows(x, 10).length);
    assertEquals(10, DsaPredictor.calibrationRows(x, 50).length);
    assertThrows(IllegalArgumentException.class, () -> DsaPredictor.calibrationRows(x, 0));
  }

  /**
   * INT4 weights and operands: W~ = 3 and 2 are their own maxima (code 7, exact). Q~ = (3, 6, 3): scale 7/6, 3 * 7/6 =
   * 3.5 -> 4, so (4, 7, 4) * 6/7 = (3.428571, 6, 3.428571). K~ = (2, 4, 2): scale 7/4, 3.5 -> 4,
   * (16/7, 4, 16/7) = (2.285714, 4, 2.285714). S~ row 0 = 24/7 * (16/7, 4, 16/7) = (7.836735,
   * 13.714286, 7.836735): top-1 keeps key 1, threshold 8 too, threshold 7 keeps all three.
   */
  @Test
  void int4PredictionByHand() {
    var dsa = DsaPredictor.fit(P, WQ, WK, 4, 4);
    var q = dsa.queries(X);
    var k = dsa.keys(X);
    assertArrayEquals(new double[] {24.0 / 7, 6, 24.0 / 7}, column(q), 1e-12);
    assertArrayEquals(new double[] {16.0 / 7, 4, 16.0 / 7}, column(k), 1e-12);
    var s = DsaPredictor.scores(q, k, 0, 1);
    assertArrayEquals(new double[] {7.836735, 13.714286, 7.836735}, s[0], 1e-6);
    assertArrayEquals(new boolean[] {false, true, false}, OracleTopK.mask(s, 1, null)[0]);
    assertArrayEquals(new boolean[] {false, true, false},
        DsaPredictor.selectThreshold(s, 8, null)[0]);
    assertArrayEquals(new boolean[] {true, true, true},
        DsaPredictor.selectThreshold(s, 7, null)[0]);
    assertArrayEquals(new boolean[] {true, false, false},
        DsaPredictor.selectThreshold(s, 7, Attention.causalMask(0, 1, 3))[0]);
  }

  /**
   * sigma 0.25 of d_head 64 is k = 16; 0.1 of 64 rounds 6.4 to 6. A 256 x 32 projection holds only
   * -s, 0, s with s = sqrt(2/32) = 0.25, about half zeros and a quarter of each sign, and the same
   * seed gives the same matrix.
   */
  @Test
  void projectionIsSeededSparseAndScaled() {
    assertEquals(16, DsaPredictor.projectedDim(0.25, 64));
    assertEquals(6, DsaPredictor.projectedDim(0.1, 64));
    assertEquals(1, DsaPredictor.projectedDim(0.001, 64));
    var p = DsaPredictor.randomProjection(256, 32, 9);
    int zeros = 0;
    int plus = 0;
    for (double[] row : p) {
      for (double v : row) {
        assertTrue(v == 0 || v == 0.25 || v == -0.25, "entry " + v);
        zeros += v == 0 ? 1 : 0;
        plus += v > 0 ? 1 : 0;
      }
    }
    double n = 256 * 32;
    assertEquals(0.5, zeros / n, 0.02);
    assertEquals(0.25, plus / n, 0.02);
    assertArrayEquals(p[17], DsaPredictor.randomProjection(256, 32, 9)[17]);
    assertTrue(!java.util.Arrays.deepEquals(p, DsaPredictor.randomProjection(256, 32, 10)));
  }

  /**
   * k = d without quantisation: P (full rank) is inverted, Q~ = Q and K~ = K, and the top-k of the
   * predicted scores is the oracle top-k of the exact ones, for several seeds and sizes.
   */
  @Test
  void fullProjectionWithoutQuantisationIsTheOracle() {
    for (long seed = 1; seed <= 5; seed++) {
      var rnd = new SplittableRandom(100 + seed);
      int d = 16;
      int dh = 8;
      int l = 24;
      var x = AttentionTest.gaussian(rnd, l, d);
      var wq = AttentionTest.gaussian(rnd, d, dh);
      var wk = AttentionTest.gaussian(rnd, d, dh);
      var dsa = DsaPredictor.fit(wq, wk, d, DsaPredictor.FULL_PRECISION, seed);
      var q = Attention.multiply(x, wq);
      var k = Attention.multiply(x, wk);
      var qt = dsa.queries(x);
      for (int i = 0; i < l; i++) {
        assertArrayEquals(q[i], qt[i], 1e-9, "seed " + seed + " row " + i);
      }
      for (int row0 = 0; row0 < l; row0 += 8) {
        var exact = Attention.scores(q, k, row0, 8);
        var predicted = DsaPredictor.scores(qt, dsa.keys(x), row0, 8);
        for (int top : new int[] {1, 5, 12}) {
          assertTrue(java.util.Arrays.deepEquals(OracleTopK.mask(exact, top),
              OracleTopK.mask(predicted, top, null)), "seed " + seed + " top " + top);
        }
      }
    }
  }

  /**
   * The approximations degrade in the expected order on a random head (d 64, d_head 16, top-8 of
   * 64 keys, isotropic X; measured 0.861, 0.383, 0.113): k = d with INT4 operands is good, k =
   * d/2 at INT4 still beats chance (8 / 64 = 0.125), INT2 falls to about chance. Quantising the
   * pinv-fitted weights to INT4 as well costs a lot at k = d (measured 0.219), the reason the
   * weights stay in full precision by default.
   */
  @Test
  void accuracyFallsWithFewerDimensionsAndBits() {
    var rnd = new SplittableRandom(77);
    int d = 64;
    int dh = 16;
    int l = 64;
    var x = AttentionTest.gaussian(rnd, l, d);
    var wq = AttentionTest.gaussian(rnd, d, dh);
    var wk = AttentionTest.gaussian(rnd, d, dh);
    var exact = Attention.scores(Attention.multiply(x, wq), Attention.multiply(x, wk), 0, l);
    double full = accuracy(x, DsaPredictor.fit(wq, wk, d, 4, 3), exact);
    double half = accuracy(x, DsaPredictor.fit(wq, wk, d / 2, 4, 3), exact);
    double int2 = accuracy(x, DsaPredictor.fit(wq, wk, d / 2, 2, 3), exact);
    var p = DsaPredictor.randomProjection(d, d, 3);
    double int4Weights = accuracy(x, DsaPredictor.fit(p, wq, wk, 4, 4), exact);
    assertTrue(full > 0.8 && full > half && half > 0.125 && half > int2,
        "INT4 k=d " + full + ", INT4 k=d/2 " + half + ", INT2 k=d/2 " + int2);
    assertTrue(int4Weights < 0.5 * full, "INT4 weights too: " + int4Weights);
  }

  private static double accuracy(double[][] x, DsaPredictor dsa, double[][] exact) {
    return accuracy(x, dsa, exact, 8);
  }

  private static double accuracy(double[][] x, DsaPredictor dsa, double[][] exact, int top) {
    var s = DsaPredictor.scores(dsa.queries(x), dsa.keys(x), 0, x.length);
    return PredictionMetrics.of(exact, OracleTopK.mask(s, top, null)).accuracy();
  }

  private static double squaredResidual(double[][] predicted, double[] exact) {
    double r = 0;
    for (int i = 0; i < exact.length; i++) {
      r += (predicted[i][0] - exact[i]) * (predicted[i][0] - exact[i]);
    }
    return r;
  }

  private static double[] column(double[][] m) {
    var c = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i][0];
    }
    return c;
  }

  /**
   * The detector's k-wide operands, {@code X P M} with {@code M = W~_Q W~_K^T} and {@code X P},
   * give the scores of the d_head-wide {@code Q~ K~^T} when nothing is quantised; by hand with
   * P = I (k = d = 2), W~_Q = [[1, 0], [0, 2]], W~_K = [[1, 1], [0, 1]] (W_Q, W_K themselves, k =
   * d), x = (1, 1): M = [[1, 0], [2, 2]], X P M = (3, 2), X P = (1, 1), score (3 + 2) / sqrt(2);
   * Q~ = (1, 2), K~ = (1, 2), Q~ . K~ = 5 too.
   */
  @Test
  void detectorOperandsAreKWideAndScoreAsTheHeadWideForm() {
    double[][] p = {{1, 0}, {0, 1}};
    double[][] wq = {{1, 0}, {0, 2}};
    double[][] wk = {{1, 1}, {0, 1}};
    var dsa = DsaPredictor.fit(p, wq, wk, DsaPredictor.FULL_PRECISION,
        DsaPredictor.FULL_PRECISION);
    double[][] x = {{1, 1}, {2, -1}};
    var operands = dsa.detectorOperandsRaw(x);
    assertArrayEquals(new double[] {3, 2}, operands[0][0], 1e-12);
    assertArrayEquals(new double[] {1, 1}, operands[1][0], 1e-12);
    var s = dsa.detectorScores(dsa.quantiseOperand(operands[0]), dsa.quantiseOperand(operands[1]),
        0, 2);
    assertEquals(5 / Math.sqrt(2), s[0][0], 1e-12);
    var wide = DsaPredictor.scores(dsa.queries(x), dsa.keys(x), 0, 2);
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(wide[i], s[i], 1e-12);
    }
    // a row block of the raw operands is those rows of the whole
    assertArrayEquals(operands[0][1], dsa.detectorOperandsRaw(new double[][] {x[1]})[0][0]);
  }
}
