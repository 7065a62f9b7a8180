package dev.attnsim.sim.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Whole FACT runs: the golden trace on every engine, the accounting from the eager prediction
 * to the lanes and the array, the FFN's precision split, functional mode with decided queries,
 * and bad settings.
 */
class FactModelTest {

  @TempDir
  Path tmp;

  private static SimSettings fact(int seqLen, String... more) {
    return CoprocessorRuns.small("fact", seqLen, more);
  }

  private static long sum(RunResult r, String prefix, String counter) {
    long s = 0;
    for (var b : r.blocks()) {
      if (b.name().startsWith(prefix)) {
        s += b.counters().getOrDefault(counter, 0L);
      }
    }
    return s;
  }

  @Test
  void everyEngineGivesTheGoldenTrace() throws IOException {
    TestConfigs.assertGoldenOnEveryEngine("fact-small", tmp, 1000);
  }

  /**
   * l 256, 4 heads of 32, top 25 % (64 keys a query), gap 0.3 so that some queries are decided:
   * the eager unit scores every candidate of every head, the array keeps 64 pairs per undecided
   * query and one per decided query, the lanes generate a Q row per undecided query and K/V rows
   * for every key some query selects, and each lane's FFN covers every token once, at one
   * precision or the other; the summary sections say the same.
   */
  @Test
  void predictionGenerationAttentionAndFfnAccountForTheSameTokens() {
    var s = fact(256, "hardware.fact.prediction.decide-gap=0.3");
    RunResult r = CoprocessorRuns.run(s);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    var eager = r.block("eager").counters();
    var attn = r.block("attn").counters();
    long queries = 4L * 256;
    long decided = eager.get("decided_queries");
    assertTrue(decided > 0 && decided < queries / 4, "decided " + decided);
    assertEquals(4L, eager.get("heads"));
    assertEquals(queries, eager.get("queries"));
    assertEquals(queries * 256, eager.get("pairs_scored"));
    assertEquals(queries * 64, eager.get("pairs_selected"));
    assertEquals((queries - decided) * 64 + decided, attn.get("kept_pairs"));
    assertEquals(decided, attn.get("decided_queries"));
    assertEquals(queries - decided, sum(r, "ctl", "qkv.q_rows"));
    assertEquals(queries - eager.get("kv_rows_unneeded"), sum(r, "ctl", "qkv.kv_rows"));
    for (int i = 0; i < 4; i++) {
      var ctl = r.block("ctl" + i).counters();
      assertEquals(256L, ctl.get("ffn.tokens.fx16") + ctl.get("ffn.tokens.int8"));
    }
    assertTrue(r.block("ctl0").counters().get("ffn.tokens.int8") > 0);
    var report = new TransformerReport(r, s);
    assertEquals(List.of("prediction", "linear", "attention", "ffn", StageAccounting.NONE),
        new ArrayList<>(report.stages().keySet()));
    assertTrue(report.stages().get("prediction").busyCycles() > 0);
    assertEquals(attn.get("kept_pairs"), report.pairsKept());

    ObjectNode root = JsonNodeFactory.instance.objectNode();
    s.accelerator().addSections(root, r, s);
    assertEquals(decided, root.get("eager_prediction").get("decided_queries").asLong());
    var qkv = root.get("qkv_generation");
    assertEquals(queries, qkv.get("rows").asLong());
    assertEquals(decided, qkv.get("q_rows_skipped").asLong());
    assertEquals(eager.get("kv_rows_unneeded"), qkv.get("kv_rows_skipped").asLong());
    var ffn = root.get("ffn_precision");
    assertEquals("int8", ffn.get("low_precision").asText());
    assertEquals(256, ffn.get("tokens_full").asLong() + ffn.get("tokens_low").asLong());
    assertEquals(sum(r, "ctl", "ffn.cycles.int8"), ffn.get("rmmu_cycles_low").asLong());
    assertTrue(s.accelerator().terminalLines(r, s).contains(decided + " of 1,024 queries "
        + "decided"), s.accelerator().terminalLines(r, s));
  }

  /**
   * r = 0 sends every token some query selects to the full-precision FFN; a huge r sends every
   * token to INT8, whose 4 MACs per PE make the FFN faster; INT4 faster still.
   */
  @Test
  void theFfnThresholdMovesTokensBetweenPrecisions() {
    RunResult full = CoprocessorRuns.run(fact(128, "hardware.fact.prediction.ffn-ratio=0"));
    RunResult low = CoprocessorRuns.run(fact(128, "hardware.fact.prediction.ffn-ratio=1e6"));
    RunResult int4 = CoprocessorRuns.run(fact(128, "hardware.fact.prediction.ffn-ratio=1e6",
        "hardware.fact.ffn.low-precision=INT4"));
    var f = full.block("ctl0").counters();
    var l = low.block("ctl0").counters();
    // on these tensors every key is some query's pick, so none stays below r = 0
    assertEquals(0L, full.block("eager").counters().get("kv_rows_unneeded"));
    assertEquals(128L, f.get("ffn.tokens.fx16"));
    assertEquals(0L, f.get("ffn.tokens.int8"));
    assertEquals(128L, l.get("ffn.tokens.int8"));
    assertEquals(0L, l.get("ffn.tokens.fx16"));
    assertEquals(128L, int4.block("ctl0").counters().get("ffn.tokens.int4"));
    long ffnFull = new TransformerReport(full, fact(128)).stageCycles().get("ffn");
    long ffnLow = new TransformerReport(low, fact(128)).stageCycles().get("ffn");
    long ffnInt4 = new TransformerReport(int4, fact(128)).stageCycles().get("ffn");
    assertTrue(ffnLow < ffnFull && ffnInt4 < ffnLow, ffnFull + ", " + ffnLow + ", " + ffnInt4);
  }

  private static CoprocessorRuns.Functional functional(SimSettings s, GoldenModel golden) {
    return CoprocessorRuns.functional(s, golden, (x, g) -> FactAssembly.build(x, g, null));
  }

  /**
   * Functional mode: each mask the eager unit hands on equals the golden model's FACT mask on
   * the same FX16 X and weights (4 heads x 8 blocks per layer), and every output tile is within
   * the tolerance, decided queries (gap 0.3) included: their Q rows are never generated, their
   * outputs are their top key's V row on both sides.
   */
  @Test
  void functionalRunChecksEveryMaskAndOutputTile() {
    for (boolean causal : new boolean[] {false, true}) {
      var f = CoprocessorRuns.assertFunctionalRunChecksEverything("fact", causal,
          (x, g) -> FactAssembly.build(x, g, null), "hardware.fact.prediction.decide-gap=0.3");
      assertTrue(f.result().block("eager").counters().get("decided_queries") > 0);
      assertTrue(sum(f.result(), "ctl", "qkv.q_rows") < 2L * 4 * 256);
    }
  }

  /** A golden model keeping 30 % against the hardware's 25 % fails the run at the first block. */
  @Test
  void masksOtherThanTheGoldenModelsFailTheRun() {
    var s = fact(128, "run.mode=functional");
    var other = fact(128, "run.mode=functional", "hardware.fact.prediction.keep-ratio=0.3");
    var f = functional(s, new GoldenModel(other));
    assertEquals(RunStatus.ABORTED, f.result().status());
    String problems = String.join("; ", f.result().problems());
    assertTrue(problems.contains("functional mismatch: mask of layer 0 head ")
        && problems.contains("differs from the golden model at query "), problems);
  }

  @Test
  void badFactSettingsNameTheirKey() {
    for (String[] bad : new String[][] {{"prediction.keep-ratio=0", "prediction.keep-ratio"},
        {"prediction.keep-ratio=1.5", "prediction.keep-ratio"},
        {"prediction.bits=1", "prediction.bits"},
        {"prediction.decide-gap=-1", "prediction.decide-gap"},
        {"prediction.ffn-ratio=-0.5", "prediction.ffn-ratio"},
        {"prediction.log-macs-per-cycle=0", "prediction.log-macs-per-cycle"},
        {"ffn.low-precision=INT2", "ffn.low-precision"},
        {"attention.macs-per-cycle=0", "attention.macs-per-cycle"},
        {"window-blocks=0", "window-blocks"}}) {
      var e = assertThrows(ConfigError.class, () -> fact(64, "hardware.fact." + bad[0]));
      assertTrue(e.getMessage().startsWith("attnsim.hardware.fact." + bad[1]), e.getMessage());
    }
    var e = assertThrows(ConfigError.class, () -> fact(64, "workload.masks.source=dsa"));
    assertTrue(e.getMessage().startsWith("attnsim.workload.masks.source = ")
        && e.getMessage().contains("its own predictor"), e.getMessage());
  }
}
