package dev.attnsim.sim.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.TraceSink;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.config.ConfigLoader;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.report.StageAccounting;
import dev.attnsim.sim.report.TransformerReport;
import dev.attnsim.sim.run.Simulation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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

  private static RunResult run(SimSettings s) {
    return Simulation.engine(s).run(Simulation.assemble(s), TraceSink.NONE,
        ProgressListener.NONE);
  }

  private static SimSettings energon(int seqLen, String... more) {
    var sets = new ArrayList<>(List.of("workload.transformer.layers=1",
        "workload.transformer.d-model=128", "workload.transformer.heads=4",
        "workload.transformer.ffn-hidden=256", "workload.transformer.seq-len=" + seqLen,
        "run.engine=sequential"));
    sets.addAll(List.of(more));
    return ConfigLoader.load(null,
        List.of(TestConfigs.repo().resolve("config/accelerators/energon.conf")), sets);
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
    RunResult r = run(s);
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
    RunResult low = run(energon(512));
    RunResult high = run(energon(512, "hardware.energon.alpha=0.3"));
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
    e = assertThrows(ConfigError.class, () -> energon(64, "hardware.accelerator=sanger"));
    assertTrue(e.getMessage().contains("known: dota, energon"), e.getMessage());
    e = assertThrows(ConfigError.class, () -> energon(64, "run.mode=functional"));
    assertTrue(e.getMessage().startsWith("attnsim.run.mode = ")
        && e.getMessage().contains("not built for"), e.getMessage());
    e = assertThrows(ConfigError.class, () -> energon(64, "workload.masks.source=dsa"));
    assertTrue(e.getMessage().startsWith("attnsim.workload.masks.source = ")
        && e.getMessage().contains("its own filter"), e.getMessage());
  }

  /** A stage the accelerator does not have is not reported; shares add up with "none". */
  @Test
  void stageAccountingSplitsOverlappingCyclesEqually() {
    var s = energon(128);
    var report = new TransformerReport(run(s), s);
    assertEquals(List.of("linear", "filter", "attention", "ffn", StageAccounting.NONE),
        new ArrayList<>(report.stages().keySet()));
    double total = 0;
    for (var f : report.stages().values()) {
      total += f.share();
    }
    assertEquals(1.0, total, 1e-9);
  }
}
