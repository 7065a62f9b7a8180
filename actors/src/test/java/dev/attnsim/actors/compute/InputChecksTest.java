package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Every computation refuses operands of the wrong shape, naming them, instead of computing on
 * what it happens to be given; and accumulators merge exactly.
 */
class InputChecksTest {
  private static final double[][] SCORES = {{1, 2, 3}, {4, 5, 6}};
  private static final boolean[][] SHORT_ROW = {{true, true}, {true, true, true}};
  private static final boolean[][] ONE_ROW = {{true, true, true}};

  private static String refusal(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void masksOfTheWrongShapeAreRefusedEverywhere() {
    assertEquals("mask row 0 has 2 entries, score row 3",
        refusal(() -> Attention.softmax(SCORES, SHORT_ROW)));
    assertEquals("mask has 1 rows, scores 2", refusal(() -> Attention.softmax(SCORES, ONE_ROW)));
    assertEquals("mask row 0 has 2 entries, score row 3",
        refusal(() -> OracleTopK.mask(SCORES, 1, SHORT_ROW)));
    assertEquals("mask row 0 has 2 entries, score row 3",
        refusal(() -> PredictionMetrics.of(SCORES, SHORT_ROW, null)));
    assertEquals("mask has 1 rows, scores 2",
        refusal(() -> PredictionMetrics.of(SCORES, new boolean[2][3], ONE_ROW)));
    assertEquals("mask row 0 has 2 entries, score row 3",
        refusal(() -> DsaPredictor.selectThreshold(SCORES, 0, SHORT_ROW)));
  }

  /** Rows [row0, row0 + rows) must lie in the queries: ending at the last row is fine. */
  @Test
  void scoreRowsOutsideTheQueriesAreRefused() {
    double[][] q = {{1, 0}, {0, 1}, {1, 1}};
    double[][] k = {{1, 0}};
    assertEquals(2, Attention.scores(q, k, 1, 2).length);
    assertEquals("rows [2, 4) outside [0, 3)", refusal(() -> Attention.scores(q, k, 2, 2)));
    assertEquals("rows [-1, 0) outside [0, 3)", refusal(() -> Attention.scores(q, k, -1, 1)));
    assertEquals("rows [0, -1) outside [0, 3)", refusal(() -> Attention.scores(q, k, 0, -1)));
  }

  @Test
  void bitPlaneSplitsNameTheirRange() {
    assertEquals("low bits must be in [1, 7] for INT8, got 8",
        refusal(() -> Quantizer.split(0, 8, 8)));
    assertEquals("low bits must be in [1, 3] for INT4, got 0",
        refusal(() -> Quantizer.split(0, 4, 0)));
    assertEquals("INT width must be in [2, 16], got 17", refusal(() -> Quantizer.split(0, 17, 1)));
  }

  /** Two accumulators merged give what one accumulating both rows gives. */
  @Test
  void outputQualityMergesExactly() {
    var one = new OutputQuality();
    one.add(new double[] {3, 4}, new double[] {3, 0});
    one.add(new double[] {0, 1}, new double[] {1, 1});
    var a = new OutputQuality();
    a.add(new double[] {3, 4}, new double[] {3, 0});
    var b = new OutputQuality();
    b.add(new double[] {0, 1}, new double[] {1, 1});
    a.add(b);
    // error^2 = 16 + 1, reference^2 = 25 + 1: sqrt(17 / 26)
    assertEquals(Math.sqrt(17.0 / 26), a.relativeError(), 1e-15);
    assertEquals(one.relativeError(), a.relativeError(), 0);
    // dot = 9 + 1, |a| = sqrt(9 + 2), |r| = sqrt(26)
    assertEquals(10 / Math.sqrt(11 * 26.0), a.cosine(), 1e-15);
  }

  /** DSA's settings at their limits: k from 1 to d, one calibration row, sigma just above 0. */
  @Test
  void dsaSettingsAtTheirLimits() {
    double[][] w = {{1, 0}, {0, 1}, {1, 1}}; // d 3, head size 2
    DsaPredictor.fit(w, w, 1, DsaPredictor.FULL_PRECISION, 1);
    DsaPredictor.fit(w, w, 3, DsaPredictor.FULL_PRECISION, 1);
    assertEquals("k must be in [1, d = 3], got 4",
        refusal(() -> DsaPredictor.fit(w, w, 4, DsaPredictor.FULL_PRECISION, 1)));
    assertEquals("k must be in [1, d = 3], got 0",
        refusal(() -> DsaPredictor.fit(w, w, 0, DsaPredictor.FULL_PRECISION, 1)));
    double[][] x = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {1, 0, 0}};
    DsaPredictor.fitCalibrated(x, w, w, 3, DsaPredictor.FULL_PRECISION, 1);
    assertEquals("k must be in [1, d = 3], got 4", refusal(
        () -> DsaPredictor.fitCalibrated(x, w, w, 4, DsaPredictor.FULL_PRECISION, 1)));
    // rows floor(i l / n): n 2 of 4 are rows 0 and 2; n 4 or more is every row
    var two = DsaPredictor.calibrationRows(x, 2);
    assertEquals(2, two.length);
    assertEquals(x[0], two[0]);
    assertEquals(x[2], two[1]);
    assertEquals(4, DsaPredictor.calibrationRows(x, 4).length);
    assertEquals(x[3], DsaPredictor.calibrationRows(x, 4)[3]);
    assertEquals(1, DsaPredictor.calibrationRows(x, 1).length);
    assertEquals("need at least one calibration row, got 0",
        refusal(() -> DsaPredictor.calibrationRows(x, 0)));
    assertEquals(1, DsaPredictor.projectedDim(1e-9, 1));
    assertEquals(3, DsaPredictor.projectedDim(0.25, 12));
    refusal(() -> DsaPredictor.projectedDim(0, 12));
    refusal(() -> DsaPredictor.projectedDim(0.25, 0));
    assertEquals(1, DsaPredictor.randomProjection(1, 1, 5).length);
    refusal(() -> DsaPredictor.randomProjection(0, 1, 5));
    refusal(() -> DsaPredictor.randomProjection(1, 0, 5));
  }

  /** A predicted score equal to the threshold is not above it; only candidates are kept. */
  @Test
  void dsaThresholdKeepsScoresAboveItOnly() {
    var m = DsaPredictor.selectThreshold(new double[][] {{1, 2, 3}}, 2,
        new boolean[][] {{true, true, true}});
    assertEquals("[false, false, true]", java.util.Arrays.toString(m[0]));
    var n = DsaPredictor.selectThreshold(new double[][] {{5, 5}}, 0,
        new boolean[][] {{true, false}});
    assertEquals("[true, false]", java.util.Arrays.toString(n[0]));
  }
}
