package dev.attnsim.sim.accelerators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attnsim.actors.kernel.BlockStats;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.sim.config.ConfigLoader;
import dev.attnsim.sim.config.SimSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What each accelerator adds to the reports, from counters chosen by hand (a run's result
 * built directly): the banner phrase, the terminal lines and the summary's sections, to the
 * character. Lanes 3 of 8 x 4 PEs throughout.
 */
class AcceleratorReportsTest {

  private static SimSettings settings(String accelerator, String... more) {
    var sets = new ArrayList<>(List.of("hardware.accelerator=" + accelerator, "hardware.lanes=3",
        "hardware.rmmu.rows=8", "hardware.rmmu.cols=4"));
    sets.addAll(List.of(more));
    return ConfigLoader.load(null, List.of(), sets);
  }

  /** A run whose blocks have these counters ({@code block -> name -> value}) and busy cycles. */
  private static RunResult result(Map<String, Map<String, Long>> counters) {
    var blocks = new ArrayList<BlockStats>();
    for (var e : counters.entrySet()) {
      blocks.add(new BlockStats(e.getKey(), 77, 0, 0, 0, 0, 0, 0, new TreeMap<>(e.getValue()),
          new TreeMap<>()));
    }
    return new RunResult(RunStatus.OK, 1000, 0, blocks, List.of());
  }

  private static ObjectNode sections(Accelerator a, RunResult r, SimSettings s) {
    var root = new ObjectMapper().createObjectNode();
    a.addSections(root, r, s);
    return root;
  }

  /**
   * Sanger: 10,000 pairs scored, 1,234 kept (12.3 %), 4,096 bytes of K; 1,600 kept pairs in 200
   * segments of 16 PEs (fill 0.50), 400 without pack and split (0.25), 3,200 PE slots (0.50).
   */
  @Test
  void sangerReportsPredictionAndPacking() {
    var a = Accelerators.of("sanger");
    var s = settings("sanger");
    assertEquals("Sanger, INT4 prediction at T 0.002, pack and split into 64-wide pieces, 64 x 16"
        + " score-stationary array, 3 lanes of 8 x 4 PEs for linear and FFN", a.describe(s));
    var r = result(Map.of(
        "pred", Map.of("pairs_scored", 10_000L, "pairs_kept", 1234L, "dram_bytes.k_int4", 4096L),
        "pack", Map.of("segments", 200L, "segments_unpacked", 400L, "slots_filled", 1600L,
            "pieces", 300L, "pieces_kept", 250L),
        "array", Map.of("pe_slots", 3200L, "passes", 5L)));
    assertEquals(String.format("prediction INT4 x INT4, T 0.002: 10,000 pairs in, 1,234 kept "
        + "(12.3%%), 4,096 bytes of K%npack       200 segments, PE slot fill 0.50 (0.25 without "
        + "pack and split), array utilisation 0.50%n"), a.terminalLines(r, s));
    var j = sections(a, r, s);
    assertEquals("{\"prediction\":{\"precision\":\"int4\",\"threshold\":0.002,\"pairs_scored\":"
        + "10000,\"pairs_kept\":1234,\"dram_bytes\":4096},\"pack_split\":{\"pieces\":300,"
        + "\"pieces_kept\":250,\"segments\":200,\"segments_unpacked\":400,\"slot_fill\":0.5,"
        + "\"slot_fill_unpacked\":0.25,\"array_passes\":5,\"array_utilisation\":0.5}}",
        j.toString());

    var empty = result(Map.of("pred", Map.of(), "pack", Map.of(), "array", Map.of()));
    assertEquals(String.format("prediction INT4 x INT4, T 0.002: 0 pairs in, 0 kept (0.0%%), 0 "
        + "bytes of K%npack       0 segments, PE slot fill 0.00 (0.00 without pack and split), "
        + "array utilisation 0.00%n"), a.terminalLines(empty, s));
    assertEquals(List.of("linear", "prediction", "attention", "ffn"), a.stages());
    assertEquals("array", a.keptPairsBlocks());
  }

  /**
   * FACT: 8,000 pairs scored, 2,000 selected (25.0 %), 30 of 120 queries decided (25.0 %); over
   * two lanes 500 tokens, 400 K/V rows (20.0 % skipped) and 450 Q rows (10.0 % skipped); lane 0
   * runs 90 tokens' FFN in FX16 and 30 in INT8 (25.0 %); RMMU cycles 1,000 + 500 FX16 and 70 +
   * 30 INT8.
   */
  @Test
  void factReportsEagerPredictionGenerationAndFfnPrecision() {
    var a = Accelerators.of("fact");
    var s = settings("fact", "hardware.fact.prediction.keep-ratio=0.125");
    assertEquals("FACT, INT8 leading-one eager prediction keeping 12.5%, gap 0.75, FFN INT8 below"
        + " 1 x the average selection, attention array 1,024 FX16 MACs/cycle, 3 lanes of 8 x 4 "
        + "PEs for QKV and FFN", a.describe(s));
    var r = result(Map.of(
        "eager", Map.of("pairs_scored", 8000L, "pairs_selected", 2000L, "queries", 120L,
            "decided_queries", 30L, "heads", 4L, "kv_rows_unneeded", 11L, "log_macs", 99L,
            "dram_bytes.x", 1L, "dram_bytes.weights_lo", 2L, "dram_bytes.mask", 4L),
        "ctl0", Map.of("qkv.tokens", 250L, "qkv.q_rows", 225L, "qkv.kv_rows", 200L,
            "ffn.tokens.fx16", 90L, "ffn.tokens.int8", 30L, "ffn.cycles.fx16", 1000L,
            "ffn.cycles.int8", 70L),
        "ctl1", Map.of("qkv.tokens", 250L, "qkv.q_rows", 225L, "qkv.kv_rows", 200L,
            "ffn.cycles.fx16", 500L, "ffn.cycles.int8", 30L),
        "attn", Map.of()));
    assertEquals(String.format("eager      INT8 leading-one, top 12.5%%: 8,000 pairs scored, "
        + "2,000 selected (25.0%%), 30 of 120 queries decided (25.0%%)%nqkv        K/V rows "
        + "generated 400 of 500 (20.0%% skipped), Q rows 450 (10.0%% skipped)%nffn        90 "
        + "tokens FX16, 30 INT8 (25.0%%); RMMU cycles FX16 1,500, INT8 100%n"),
        a.terminalLines(r, s));
    var j = sections(a, r, s);
    assertEquals("{\"precision\":\"int8 leading-one\",\"keep_ratio\":0.125,\"decide_gap\":0.75,"
        + "\"heads\":4,\"queries\":120,\"pairs_scored\":8000,\"pairs_selected\":2000,"
        + "\"decided_queries\":30,\"decided_share\":0.25,\"kv_rows_unneeded\":11,\"log_macs\":99,"
        + "\"busy_cycles\":77,\"dram_bytes\":7}", j.get("eager_prediction").toString());
    assertEquals("{\"rows\":500,\"q_rows_generated\":450,\"q_rows_skipped\":50,"
        + "\"kv_rows_generated\":400,\"kv_rows_skipped\":100,\"kv_skipped_share\":0.2}",
        j.get("qkv_generation").toString());
    assertEquals("{\"low_precision\":\"int8\",\"tokens_full\":90,\"tokens_low\":30,"
        + "\"low_share\":0.25,\"rmmu_cycles_full\":1500,\"rmmu_cycles_low\":100}",
        j.get("ffn_precision").toString());
    assertEquals(List.of("prediction", "linear", "attention", "ffn"), a.stages());
    assertEquals("attn", a.keptPairsBlocks());

    var empty = result(Map.of("eager", Map.of(), "ctl0", Map.of()));
    assertEquals(String.format("eager      INT8 leading-one, top 12.5%%: 0 pairs scored, 0 "
        + "selected (0.0%%), 0 of 0 queries decided (0.0%%)%nqkv        K/V rows generated 0 of "
        + "0 (0.0%% skipped), Q rows 0 (0.0%% skipped)%nffn        0 tokens FX16, 0 INT8 "
        + "(0.0%%); RMMU cycles FX16 0, INT8 0%n"), a.terminalLines(empty, s));
    var four = settings("fact", "hardware.fact.ffn.low-precision=int4",
        "hardware.fact.prediction.decide-gap=0.5", "hardware.fact.prediction.ffn-ratio=1.5");
    assertEquals("FACT, INT8 leading-one eager prediction keeping 25%, gap 0.5, FFN INT4 below "
        + "1.5 x the average selection, attention array 1,024 FX16 MACs/cycle, 3 lanes of 8 x 4 "
        + "PEs for QKV and FFN", a.describe(four));
  }

  /** Energon: per round, pairs in and kept (0.0 % when none came in) and K-plane bytes. */
  @Test
  void energonReportsEachFilterRound() {
    var a = Accelerators.of("energon");
    var s = settings("energon", "hardware.energon.query-bits=8",
        "hardware.energon.key-bits=[2, 4]");
    assertEquals("Energon, INT8 x INT2 then INT8 x INT4 filtering at alpha "
        + s.energon().alpha() + ", attention unit " + String.format("%,d",
        s.energon().attentionMacsPerCycle()) + " INT16 MACs/cycle, 3 lanes of 8 x 4 PEs for "
        + "linear and FFN", a.describe(s));
    var r = result(Map.of(
        "filter", Map.of("round0.pairs_scored", 4000L, "round0.dram_bytes", 512L,
            "round1.dram_bytes", 64L),
        "esel", Map.of("round0.survivors", 1000L, "round1.survivors", 0L)));
    assertEquals(String.format("filter     round 0 (INT8 x INT2): 4,000 pairs in, 1,000 kept "
        + "(25.0%%), 512 bytes of K planes%n           round 1 (INT8 x INT4): 0 pairs in, 0 kept "
        + "(0.0%%), 64 bytes of K planes%n"), a.terminalLines(r, s));
    assertEquals("{\"filter\":{\"rounds\":[{\"round\":0,\"precision\":\"int8 x int2\","
        + "\"pairs_scored\":4000,\"survivors\":1000,\"dram_bytes\":512},{\"round\":1,"
        + "\"precision\":\"int8 x int4\",\"pairs_scored\":0,\"survivors\":0,\"dram_bytes\":64}]}}",
        sections(a, r, s).toString());
  }

  @Test
  void dotaDescribesItsDetection() {
    var a = Accelerators.of("dota");
    assertEquals("DOTA, INT4 detection keeping " + String.format(java.util.Locale.ROOT, "%.1f",
        100 * settings("dota").dota().keepRatio()) + "%, 3 lanes of 8 x 4 PEs",
        a.describe(settings("dota")));
    assertEquals("DOTA-F (detection off), 3 lanes of 8 x 4 PEs",
        a.describe(settings("dota", "hardware.detection.enabled=false")));
    assertEquals("sched", a.keptPairsBlocks());
    assertEquals(List.of("linear", "detection", "attention", "ffn"), a.stages());
  }

  @Test
  void theRegistryNamesEveryAccelerator() {
    assertEquals(List.of("dota", "energon", "sanger", "fact"), Accelerators.names());
    var e = assertThrows(IllegalArgumentException.class, () -> Accelerators.of("eyeriss"));
    assertEquals("no accelerator 'eyeriss'; known: dota, energon, sanger, fact", e.getMessage());
  }

  /**
   * Where each accelerator's masks come from, and the mask sources it refuses: Energon, Sanger
   * and FACT only their own; DOTA's functional runs only DSA's (with detection on).
   */
  @Test
  void maskSourcesAndTheirChecks() {
    assertEquals("ENERGON", Accelerators.of("energon").maskSource(settings("energon")).name());
    assertEquals("SANGER", Accelerators.of("sanger").maskSource(settings("sanger")).name());
    assertEquals("FACT", Accelerators.of("fact").maskSource(settings("fact")).name());
    assertEquals("SYNTHETIC", Accelerators.of("dota").maskSource(settings("dota")).name());
    assertEquals(List.of("linear", "filter", "attention", "ffn"),
        Accelerators.of("energon").stages());
    assertEquals("attn", Accelerators.of("energon").keptPairsBlocks());
    for (String a : List.of("energon", "sanger", "fact")) {
      var e = assertThrows(dev.attnsim.sim.config.ConfigError.class,
          () -> settings(a, "workload.masks.source=synthetic"));
      assertEquals("attnsim.workload.masks.source = \"synthetic\" (--set) cannot be used with "
          + "attnsim.hardware.accelerator = " + a + ": its masks are its own predictor's (set "
          + "auto)", e.getMessage());
    }
    var e = assertThrows(dev.attnsim.sim.config.ConfigError.class,
        () -> settings("dota", "run.mode=functional", "workload.masks.source=synthetic"));
    assertEquals("attnsim.workload.masks.source = \"synthetic\" (--set) cannot be used with "
        + "attnsim.run.mode = functional: DOTA's detector computes dsa masks (set auto or dsa)",
        e.getMessage());
    // allowed: DSA's masks, auto, or detection off (every key kept)
    settings("dota", "run.mode=functional", "workload.masks.source=dsa");
    settings("dota", "run.mode=functional");
    settings("dota", "run.mode=functional", "workload.masks.source=synthetic",
        "hardware.detection.enabled=false");
    settings("dota", "workload.masks.source=synthetic");
  }
}
