package dev.attnsim.sim.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.compute.DsaPredictor;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.golden.AccuracyEval.Predictor;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class DsaFitsTest {

  private static SimSettings small(String... more) {
    var sets = new java.util.ArrayList<>(List.of("workload.transformer.layers=2",
        "workload.transformer.d-model=32", "workload.transformer.heads=2",
        "workload.transformer.seq-len=40", "hardware.detection.sigma=0.5"));
    sets.addAll(List.of(more));
    return TestConfigs.defaults(sets.toArray(String[]::new));
  }

  /** fit = weights is the pinv fit of the head's seeded projection: X is not needed. */
  @Test
  void weightsFitIsThePinvFitOfTheHeadsProjection() {
    var s = small("hardware.detection.fit=weights");
    var t = TensorSource.of(s).layer(1);
    var wQ = TensorSource.headColumns(t.wQ(), 1, 16);
    var wK = TensorSource.headColumns(t.wK(), 1, 16);
    var got = DsaFits.fit(s, 1, 1, null, wQ, wK);
    var expected = DsaPredictor.fit(wQ, wK, 8, 4, DsaFits.seed(1, 1, 1));
    assertArrayEquals(expected.projection(), got.projection());
    assertArrayEquals(expected.approxWq(), got.approxWq());
    assertArrayEquals(expected.approxWk(), got.approxWk());
  }

  /**
   * fit = calibration (the default) with 8 rows: rows 0, 5, ..., 35 of the layer's 40, the same
   * projection as the weights fit; asking for more rows than the sequence has uses them all.
   */
  @Test
  void calibrationFitUsesEvenlySpacedRowsOfTheLayersInput() {
    var s = small("hardware.detection.calibration-rows=8");
    var t = TensorSource.of(s).layer(0);
    var wQ = TensorSource.headColumns(t.wQ(), 0, 16);
    var wK = TensorSource.headColumns(t.wK(), 0, 16);
    var got = DsaFits.fit(s, 0, 0, t.x(), wQ, wK);
    var rows = new double[8][];
    for (int i = 0; i < 8; i++) {
      rows[i] = t.x()[5 * i];
    }
    var expected = DsaPredictor.fitCalibrated(rows, wQ, wK, 8, 4, DsaFits.seed(1, 0, 0));
    assertArrayEquals(expected.approxWq(), got.approxWq());
    assertArrayEquals(DsaPredictor.fit(wQ, wK, 8, 4, DsaFits.seed(1, 0, 0)).projection(),
        got.projection());
    var all = DsaFits.fit(small("hardware.detection.calibration-rows=1000"), 0, 0, t.x(), wQ, wK);
    assertArrayEquals(DsaPredictor.fitCalibrated(t.x(), wQ, wK, 8, 4, DsaFits.seed(1, 0, 0))
        .approxWq(), all.approxWq());
    assertEquals("W~ by calibration on 40 rows of X, k 8, INT4 operands",
        DsaFits.describe(small("hardware.detection.calibration-rows=1000")));
  }

  /**
   * On the synthetic tensors (d 128, 2 heads of 64, l 512, sigma 0.5 so k 32, keep 10 %)
   * calibration predicts better than the weights alone: measured accuracy 0.359 against 0.320,
   * mass kept 0.491 against 0.465. The margin is small because the synthetic X is close to
   * isotropic apart from its shared component, and for isotropic inputs the least-squares fit
   * tends to pinv(P) W; at the LRA-text default (d 256, k 16) the two tie (0.172 and 0.174 at l
   * 2048). The unit test on anisotropic inputs (DsaPredictorTest) shows the large gap.
   */
  @Test
  void calibrationBeatsWeightsOnlyOnTheSyntheticTensors() {
    String[] shape = {"workload.transformer.layers=2", "workload.transformer.d-model=128",
        "workload.transformer.heads=2", "workload.transformer.seq-len=512",
        "hardware.detection.sigma=0.5"};
    var options = new AccuracyEval.Options(List.of(0.1), EnumSet.of(Predictor.DSA), 0.002, 0.1);
    var cal = AccuracyEval.run(TestConfigs.defaults(with(shape, "hardware.detection.fit="
        + "calibration")), options).rows().get(0);
    var weights = AccuracyEval.run(TestConfigs.defaults(with(shape, "hardware.detection.fit="
        + "weights")), options).rows().get(0);
    assertTrue(cal.accuracy() > weights.accuracy() + 0.02 && cal.massKept() > weights.massKept(),
        "calibration " + cal + "\nweights " + weights);
  }

  @Test
  void badFitSettingsAreOneLineErrorsNamingTheKey() {
    var fit = assertThrows(ConfigError.class, () -> small("hardware.detection.fit=trained"));
    assertTrue(fit.getMessage().startsWith("attnsim.hardware.detection.fit = \"trained\" (")
        && fit.getMessage().endsWith("must be one of: weights, calibration"), fit.getMessage());
    var rows = assertThrows(ConfigError.class,
        () -> small("hardware.detection.calibration-rows=0"));
    assertTrue(rows.getMessage().startsWith("attnsim.hardware.detection.calibration-rows = 0"),
        rows.getMessage());
    assertEquals(1, rows.getMessage().lines().count());
  }

  private static String[] with(String[] base, String more) {
    var all = java.util.Arrays.copyOf(base, base.length + 1);
    all[base.length] = more;
    return all;
  }
}
