package dev.attnsim.sim.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.golden.GoldenModel;
import dev.attnsim.sim.report.StageAccounting;
import dev.attnsim.sim.report.TransformerReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole Sanger runs: the golden trace on every engine, the hand-over from prediction to pack and
 * split to the array, functional mode, and the threshold's trend.
 */
class SangerModelTest {

  @TempDir
  Path tmp;

  private static SimSettings sanger(int seqLen, String... more) {
    return CoprocessorRuns.small("sanger", seqLen, more);
  }

  @Test
  void everyEngineGivesTheGoldenTrace() throws IOException {
    TestConfigs.assertGoldenOnEveryEngine("sanger-small", tmp, 1000);
  }

  /**
   * The prediction unit scores every candidate (l x l per head), pack and split packs exactly
   * the pairs it kept, the array attends to exactly those; its passes are the segments in rows
   * of 64; the stages are Sanger's.
   */
  @Test
  void predictionPackingAndTheArrayHandOnTheSamePairs() {
    var s = sanger(256);
    RunResult r = CoprocessorRuns.run(s);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    var pred = r.block("pred").counters();
    var pack = r.block("pack").counters();
    var array = r.block("array").counters();
    assertEquals(4L * 256 * 256, pred.get("pairs_scored"));
    assertEquals(pred.get("pairs_kept"), pack.get("slots_filled"));
    assertEquals(pred.get("pairs_kept"), array.get("kept_pairs"));
    assertEquals(4L * 256 * 256 / 64, pack.get("pieces")); // 4 pieces a row
    assertTrue(pack.get("segments") < pack.get("segments_unpacked"));
    // each of the 4 x 8 blocks runs ceil(its segments / 64) passes
    assertTrue(array.get("passes") >= (pack.get("segments") + 63) / 64);
    assertEquals(array.get("passes") * 64 * 16, array.get("pe_slots"));
    // K in INT4 once per head: 256 keys x 32 dims x 4 bits
    assertEquals(4L * 256 * 32 / 2, pred.get("dram_bytes.k_int4"));
    var report = new TransformerReport(r, s);
    assertEquals(pred.get("pairs_kept"), report.pairsKept());
    assertEquals(List.of("linear", "prediction", "attention", "ffn", StageAccounting.NONE),
        new ArrayList<>(report.stages().keySet()));
    assertTrue(report.stages().get("prediction").busyCycles() > 0);
  }

  /** A higher T keeps fewer pairs, so the array runs fewer passes and fetches fewer K/V rows. */
  @Test
  void higherThresholdKeepsFewerPairs() {
    RunResult low = CoprocessorRuns.run(sanger(256));
    RunResult high = CoprocessorRuns.run(sanger(256, "hardware.sanger.prediction.threshold=0.02"));
    long keptLow = low.block("array").counters().get("kept_pairs");
    long keptHigh = high.block("array").counters().get("kept_pairs");
    assertTrue(keptHigh < keptLow, keptHigh + " vs " + keptLow);
    assertTrue(high.block("array").counters().get("passes")
        < low.block("array").counters().get("passes"));
    assertTrue(high.cycles() < low.cycles(), high.cycles() + " vs " + low.cycles());
  }

  private static CoprocessorRuns.Functional functional(SimSettings s, GoldenModel golden) {
    return CoprocessorRuns.functional(s, golden, (x, g) -> SangerAssembly.build(x, g, null));
  }

  /**
   * Functional mode: every mask the prediction unit makes from the lanes' Q and K equals the
   * golden model's Sanger mask (4 heads x 8 blocks per layer), every output tile is within the
   * tolerance; causal rows too.
   */
  @Test
  void functionalRunChecksEveryMaskAndOutputTile() {
    for (boolean causal : new boolean[] {false, true}) {
      CoprocessorRuns.assertFunctionalRunChecksEverything("sanger", causal,
          (x, g) -> SangerAssembly.build(x, g, null));
    }
  }

  /**
   * A predictor other than the golden model's (T 2e-3 against 2e-2) fails the run at the first
   * block where they differ, naming it: head 0's first block, at its first query (blocks are
   * scored in order once the head's K is in).
   */
  @Test
  void masksOtherThanTheGoldenModelsFailTheRun() {
    var s = sanger(128, "run.mode=functional");
    var other = sanger(128, "run.mode=functional", "hardware.sanger.prediction.threshold=0.02");
    var f = functional(s, new GoldenModel(other));
    assertEquals(RunStatus.ABORTED, f.result().status());
    String problems = String.join("; ", f.result().problems());
    assertTrue(problems.contains("functional mismatch: mask of layer 0 head 0 queries 0..31 "
        + "differs from the golden model at query 0"), problems);
  }

  @Test
  void badSangerSettingsNameTheirKey() {
    var e = assertThrows(ConfigError.class,
        () -> sanger(64, "hardware.sanger.prediction.threshold=1"));
    assertTrue(e.getMessage().startsWith("attnsim.hardware.sanger.prediction.threshold"),
        e.getMessage());
    e = assertThrows(ConfigError.class, () -> sanger(64, "hardware.sanger.array.rows=0"));
    assertTrue(e.getMessage().startsWith("attnsim.hardware.sanger.array.rows"), e.getMessage());
    e = assertThrows(ConfigError.class, () -> sanger(64, "hardware.sanger.prediction.bits=1"));
    assertTrue(e.getMessage().startsWith("attnsim.hardware.sanger.prediction.bits"),
        e.getMessage());
    e = assertThrows(ConfigError.class, () -> sanger(64, "hardware.energon.alpha=0.3"));
    assertEquals("attnsim.hardware.energon.alpha = 0.3 (--set) is set but "
        + "attnsim.hardware.accelerator = sanger: energon's settings do nothing there (remove "
        + "it, or set attnsim.hardware.accelerator = energon)", e.getMessage());
    e = assertThrows(ConfigError.class, () -> sanger(64, "workload.masks.source=dsa"));
    assertTrue(e.getMessage().startsWith("attnsim.workload.masks.source = ")
        && e.getMessage().contains("its own predictor"), e.getMessage());
  }
}
