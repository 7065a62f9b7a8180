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
import dev.attnsim.sim.golden.TensorSource;
import dev.attnsim.sim.report.StageAccounting;
import dev.attnsim.sim.report.TransformerReport;
import dev.attnsim.sim.tensors.NpyArchive;
import dev.attnsim.sim.tensors.NpyDtype;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole Energon runs: the golden trace on every engine, the filter's accounting from round to
 * round, and Energon's claims as they come out of the model.
 */
class EnergonModelTest {

  @TempDir
  Path tmp;

  private static SimSettings energon(int seqLen, String... more) {
    return CoprocessorRuns.small("energon", seqLen, more);
  }

  @Test
  void everyEngineGivesTheGoldenTrace() throws IOException {
    TestConfigs.assertGoldenOnEveryEngine("energon-small", tmp, 1000);
  }

  /**
   * Each round scores exactly the previous round's survivors; the attention unit computes
   * exactly the last round's; every pair is a candidate of round 0 (l x l per head); the lanes
   * compute only linear, output projection and FFN.
   */
  @Test
  void roundsHandOnExactlyTheirSurvivors() {
    var s = energon(256);
    RunResult r = CoprocessorRuns.run(s);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    var f = r.block("filter").counters();
    var sel = r.block("esel").counters();
    assertEquals(4L * 256 * 256, f.get("round0.pairs_scored"));
    assertEquals(sel.get("round0.survivors"), f.get("round1.pairs_scored"));
    assertEquals(sel.get("round1.survivors"), r.block("attn").counters().get("kept_pairs"));
    assertTrue(sel.get("round1.survivors") < sel.get("round0.survivors"));
    var report = new TransformerReport(r, s);
    assertEquals(sel.get("round1.survivors"), report.pairsKept());
    // round 0's planes: 2 bit planes of 256 keys x 32 dims per head, once per head (they fit)
    assertEquals(4L * 2 * 256 * 32 / 8, f.get("round0.dram_bytes"));
    // INT2 round: 32 MACs per pair
    assertEquals(4L * 256 * 256 * 32, f.get("macs.int2"));
    assertEquals(2L * 32 * report.pairsKept(), r.block("attn").counters().get("macs.fx16"));
    long shares = 0;
    for (var e : report.stages().values()) {
      shares += Math.round(e.criticalCycles());
    }
    assertTrue(Math.abs(shares - r.cycles()) <= report.stages().size(), shares + " vs "
        + r.cycles());
    assertTrue(report.stages().get("filter").busyCycles() > 0);
    assertEquals(0L, report.stageCycles().getOrDefault("detection", 0L));
  }

  /** Energon's central claim: a higher alpha keeps fewer keys and so fetches fewer K planes. */
  @Test
  void higherAlphaKeepsFewerPairsAndFetchesLess() {
    RunResult low = CoprocessorRuns.run(energon(512));
    RunResult high = CoprocessorRuns.run(energon(512, "hardware.energon.alpha=0.3"));
    long keptLow = low.block("attn").counters().get("kept_pairs");
    long keptHigh = high.block("attn").counters().get("kept_pairs");
    assertTrue(keptHigh < keptLow, keptHigh + " vs " + keptLow);
    long planesLow = low.block("filter").counters().get("round1.dram_bytes");
    long planesHigh = high.block("filter").counters().get("round1.dram_bytes");
    // at l 512 both end up reading every burst of the heads' later planes once
    assertTrue(planesHigh <= planesLow, planesHigh + " vs " + planesLow);
    long kvLow = low.block("attn").counters().get("dram_bytes.kv");
    long kvHigh = high.block("attn").counters().get("dram_bytes.kv");
    assertTrue(kvHigh < kvLow, kvHigh + " vs " + kvLow);
  }

  private static CoprocessorRuns.Functional functional(SimSettings s, GoldenModel golden) {
    return CoprocessorRuns.functional(s, golden, (x, g) -> EnergonAssembly.build(x, g, null));
  }

  /**
   * Functional mode: the filter unit filters the Q and K the lanes computed, the selector's
   * final survivors equal the golden model's Energon masks block by block (4 heads x 8 blocks
   * per layer), and each output tile (8 per layer) is within the tolerance; causal rows too.
   */
  @Test
  void functionalRunChecksEverySurvivorMaskAndOutputTile() {
    for (boolean causal : new boolean[] {false, true}) {
      var f = CoprocessorRuns.assertFunctionalRunChecksEverything("energon", causal,
          (x, g) -> EnergonAssembly.build(x, g, null));
      // the attention unit attended to exactly the pairs the filter kept in its last round
      assertEquals(f.result().block("esel").counters().get("round1.survivors"),
          f.result().block("attn").counters().get("kept_pairs"));
    }
  }

  /**
   * A filter that decides other survivors than the golden model's (here: the hardware filters
   * at alpha 0.1, the golden model at 0.3) fails the run at the first block, naming it.
   */
  @Test
  void survivorsOtherThanTheGoldenModelsFailTheRun() {
    var s = energon(128, "run.mode=functional");
    var other = energon(128, "run.mode=functional", "hardware.energon.alpha=0.3");
    var f = functional(s, new GoldenModel(other));
    assertEquals(RunStatus.ABORTED, f.result().status());
    String problems = String.join("; ", f.result().problems());
    assertTrue(problems.contains("functional mismatch: survivors of layer 0 head 0 queries "
        + "0..31 differs from the golden model"), problems);
  }

  /** The same tensors from an .npz file give the same run, checked as completely. */
  @Test
  void functionalRunOnATensorFileMatchesTheSameTensorsSynthesised() throws IOException {
    var synthetic = energon(128, "run.mode=functional");
    var source = TensorSource.of(synthetic);
    var t = source.layer(0);
    var arrays = new LinkedHashMap<String, double[][]>();
    arrays.put("x.0", t.x());
    arrays.put("wq.0", t.wQ());
    arrays.put("wk.0", t.wK());
    arrays.put("wv.0", t.wV());
    arrays.put("wo.0", t.wO());
    Path file = tmp.resolve("energon.npz");
    NpyArchive.writeNpz(file, arrays, NpyDtype.FLOAT64, true);
    var fromFile = energon(128, "run.mode=functional",
        "workload.tensors.file=\"" + file + "\"");
    var a = functional(synthetic, new GoldenModel(synthetic));
    var b = functional(fromFile, new GoldenModel(fromFile));
    assertEquals(RunStatus.OK, b.result().status(), String.join("; ", b.result().problems()));
    assertTrue(b.checks().complete());
    assertEquals(a.result().cycles(), b.result().cycles());
    assertEquals(a.checks().maxOutputError(), b.checks().maxOutputError(), 0.0);
  }

  @Test
  void badEnergonSettingsNameTheirKey() {
    var e = assertThrows(ConfigError.class,
        () -> energon(64, "hardware.energon.key-bits=[4, 2]"));
    assertTrue(e.getMessage().contains("attnsim.hardware.energon.key-bits"), e.getMessage());
    e = assertThrows(ConfigError.class,
        () -> energon(64, "hardware.energon.key-bits=[1, 2, 3, 4]"));
    assertTrue(e.getMessage().contains("1 to 3 rounds"), e.getMessage());
    e = assertThrows(ConfigError.class, () -> energon(64, "hardware.energon.alpha=1.5"));
    assertTrue(e.getMessage().contains("attnsim.hardware.energon.alpha"), e.getMessage());
    e = assertThrows(ConfigError.class, () -> energon(64, "hardware.accelerator=elsa"));
    assertTrue(e.getMessage().contains("known: dota, energon, sanger, fact"), e.getMessage());
    e = assertThrows(ConfigError.class, () -> energon(64, "workload.masks.source=dsa"));
    assertTrue(e.getMessage().startsWith("attnsim.workload.masks.source = ")
        && e.getMessage().contains("its own predictor"), e.getMessage());
  }

  /** A stage the accelerator does not have is not reported; shares add up with "none". */
  @Test
  void stageAccountingSplitsOverlappingCyclesEqually() {
    var s = energon(128);
    var report = new TransformerReport(CoprocessorRuns.run(s), s);
    assertEquals(List.of("linear", "filter", "attention", "ffn", StageAccounting.NONE),
        new ArrayList<>(report.stages().keySet()));
    double total = 0;
    for (var f : report.stages().values()) {
      total += f.share();
    }
    assertEquals(1.0, total, 1e-9);
  }
}
