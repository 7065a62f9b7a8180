package dev.attnsim.actors.blocks.dota;

import dev.attnsim.actors.blocks.common.Accumulator;
import dev.attnsim.actors.blocks.common.LaneConfig;
import dev.attnsim.actors.blocks.common.LaneController;
import dev.attnsim.actors.blocks.common.PeArray;
import dev.attnsim.actors.blocks.common.Rmmu;
import dev.attnsim.actors.blocks.common.SoftmaxUnit;
import dev.attnsim.actors.blocks.common.TestMemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.compute.MaskSource;
import dev.attnsim.actors.compute.SyntheticMasks;
import dev.attnsim.actors.kernel.ActorEngine;
import dev.attnsim.actors.kernel.Engine;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.SequentialEngine;
import dev.attnsim.actors.kernel.TraceRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One DOTA lane, one layer (l 64, d 32, 1 head, FFN 64, k 8) on an 8 x 8 RMMU, end to end:
 * controller, RMMU, selector, scheduler, softmax, accumulator, memory. The MACs each precision
 * executes must be exactly the layer's arithmetic, with the attention part following the mask.
 */
class DotaLaneTest {
  static final LayerShape SHAPE = new LayerShape(64, 32, 1, 64, 8, false);

  static List<Engine> engines() {
    return List.of(new SequentialEngine(RunLimits.DEFAULT, true),
        new ActorEngine(2, RunLimits.DEFAULT, true));
  }

  static Netlist lane(MaskSource masks, boolean detection, long sramBytes) {
    return lane(masks, detection, sramBytes, 64);
  }

  static Netlist lane(MaskSource masks, boolean detection, long sramBytes, long memBandwidth) {
    return lane(SHAPE, masks, detection, sramBytes, memBandwidth);
  }

  static Netlist lane(LayerShape shape, MaskSource masks, boolean detection, long sramBytes,
      long memBandwidth) {
    var array = new PeArray(8, 8, PeArray.defaultMacsPerPe());
    var cfg = new LaneConfig(0, 1, 1, shape, array, detection, Precision.INT4, 16, sramBytes, 2);
    return new Netlist()
        .add("ctl", new LaneController(cfg))
        .add("rmmu", new Rmmu())
        .add("sel", new Selector(masks, 64))
        .add("sched", new Scheduler(array, shape.headDim(), Scheduler.Policy.BALANCED, 2))
        .add("smx", new SoftmaxUnit(16, 4, shape.headDim()))
        .add("acc", new Accumulator(List.of("lane0"), List.of("lane0"), 64, 1))
        .add("mem", new TestMemory(2, memBandwidth, 20))
        .connect("ctl.ops", "rmmu.ops", 1, 2)
        .connect("ctl.jobs", "sel.jobs", 1, 2)
        .connect("ctl.dram", "mem.req0", 1, 8)
        .connect("mem.resp0", "ctl.dramresp", 1, 8)
        .connect("rmmu.controller", "ctl.done", 1, 4)
        .connect("acc.lane0", "ctl.ready", 1, 2)
        .connect("rmmu.selector", "sel.scores", 1, 2)
        .connect("sel.mask", "sched.mask", 1, 2)
        .connect("sched.sddmm", "rmmu.sddmm", 1, 2)
        .connect("sched.kvreq", "mem.req1", 1, 4)
        .connect("mem.resp1", "sched.kv", 1, 4)
        .connect("rmmu.softmax", "smx.scores", 1, 2)
        .connect("smx.spmm", "rmmu.spmm", 1, 2)
        .connect("rmmu.acc", "acc.lane0", 1, 4);
  }

  private static long keptPairs(MaskSource masks) {
    long kept = 0;
    for (int q0 = 0; q0 < 64; q0 += 8) {
      kept += masks.block(0, 0, q0, 8).keptPairs();
    }
    return kept;
  }

  @ParameterizedTest
  @MethodSource("engines")
  void sparseLayerExecutesExactlyItsArithmetic(Engine engine) {
    var masks = new SyntheticMasks(SHAPE, 7, 0.25, 2, 4, 0.5, 0.0);
    var trace = new ArrayList<TraceRecord>();
    RunResult r = engine.run(lane(masks, true, 1 << 20), trace::add, ProgressListener.NONE);

    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    long kept = keptPairs(masks);
    var rmmu = r.block("rmmu").counters();
    long fx16 = 64L * 96 * 32 // Q, K, V
        + 2 * kept * 32 // SDDMM and SpMM of the kept pairs
        + 64L * 32 * 32 // output projection
        + 2 * 64L * 64 * 32; // FC1 and FC2
    assertEquals(fx16, rmmu.get("macs.fx16"));
    assertEquals(64L * 16 * 32 + 64L * 64 * 8, rmmu.get("macs.int4")); // predict + detect
    assertEquals(kept, r.block("sched").counters().get("kept_pairs"));
    assertEquals(64L * 64, r.block("sel").counters().get("comparisons"));
    assertEquals(8L + 4, r.block("acc").counters().get("outputs")); // 8 query + 4 FFN row blocks
    assertTrue(kept > 64 * 64 / 8 && kept < 64 * 64 / 2, "kept " + kept);
    var ctl = r.block("ctl").counters();
    assertTrue(ctl.get("stage.linear") > 0 && ctl.get("stage.attention") > 0
        && ctl.get("stage.ffn") > 0, ctl.toString());
    assertEquals(0L, r.block("sched").counters().get("dram_bytes.kv")); // K, V fit on chip
  }

  /**
   * A causal layer of 20 tokens: query blocks of 8, 8 and 4 rows, whose detection sees 8, 16 and
   * 20 keys; linear and FFN row blocks of 16 and 4. Dense masks keep key 0..q for query q: 210
   * pairs. Every MAC is accounted for exactly, so a block cut to the wrong rows or keys shows.
   */
  @ParameterizedTest
  @MethodSource("engines")
  void raggedCausalLayerExecutesExactlyItsArithmetic(Engine engine) {
    var shape = new LayerShape(20, 32, 1, 64, 8, true);
    RunResult r = engine.run(lane(shape, MaskSource.dense(shape), true, 1 << 20, 64), rec -> {},
        ProgressListener.NONE);

    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    var rmmu = r.block("rmmu").counters();
    assertEquals(20L * 96 * 32 // Q, K, V
        + 2 * 210L * 32 // SDDMM and SpMM of the kept pairs
        + 20L * 32 * 32 // output projection
        + 2 * 20L * 64 * 32, rmmu.get("macs.fx16")); // FC1 and FC2
    assertEquals(20L * 16 * 32 // predict: Q~ and K~ of k 8 each
        + (8L * 8 + 8 * 16 + 4 * 20) * 8, rmmu.get("macs.int4")); // detection, causal keys
    assertEquals(210L, r.block("sched").counters().get("kept_pairs"));
    assertEquals(210L, r.block("sel").counters().get("comparisons"));
    assertEquals(3L + 2, r.block("acc").counters().get("outputs"));
  }

  /**
   * With no SRAM at all every operand comes from DRAM each time a step reads it and every result
   * goes back, so the lane's traffic is the program's, byte for byte. Per row block of 16 (4):
   * QKV reads W_QKV 6144 B and X 1024, writes 3072; predict reads W~ 256 (INT4) and X 1024,
   * writes 128. Per query block of 8 (8): detection reads Q 512 and K~ 256; the output
   * projection W_O 2048. Per row block (4): FC1 reads W1 4096 and X' 1024, writes H 2048; FC2
   * reads W2 4096 and H 2048. Dense masks: every block fetches K and V of all 64 keys, 8192 B.
   */
  @ParameterizedTest
  @MethodSource("engines")
  void withoutSramEveryAccessIsDramTraffic(Engine engine) {
    RunResult r = engine.run(lane(MaskSource.dense(SHAPE), true, 0), rec -> {},
        ProgressListener.NONE);

    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    var ctl = r.block("ctl").counters();
    assertEquals(4L * (6144 + 1024 + 256 + 1024) + 8L * (512 + 256 + 2048)
        + 4L * (4096 + 1024 + 4096 + 2048), ctl.get("dram_read_bytes"));
    assertEquals(4L * (3072 + 128) + 4L * 2048, ctl.get("dram_write_bytes"));
    assertEquals(4L * (6144 + 256 + 4096 + 4096) + 8L * 2048, ctl.get("dram_bytes.weights"));
    assertEquals(4L * (1024 + 1024 + 1024) + 4L * 2 * 2048, ctl.get("dram_bytes.activations"));
    assertEquals(8L * (512 + 256) + 4L * (3072 + 128), ctl.get("dram_bytes.qkv"));
    assertEquals(0L, ctl.get("sram_hits"));
    assertEquals(4L * 4 + 8L * 3 + 4L * 4, ctl.get("sram_misses"));
    assertEquals(0L, ctl.get("kv_resident_rows"));
    assertEquals(4L * 2 + 8L * 2 + 4L * 2, ctl.get("ops"));
    assertEquals(8L * 2 * 64 * 32 * 2, r.block("sched").counters().get("dram_bytes.kv"));
  }

  /** Detection off: every pair is computed, nothing is compared, no INT4 work at all. */
  @ParameterizedTest
  @MethodSource("engines")
  void denseLayerComputesEveryPair(Engine engine) {
    RunResult r = engine.run(lane(MaskSource.dense(SHAPE), false, 1 << 20), rec -> {},
        ProgressListener.NONE);

    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    var rmmu = r.block("rmmu").counters();
    assertEquals(64L * 96 * 32 + 2 * 64L * 64 * 32 + 64L * 32 * 32 + 2 * 64L * 64 * 32,
        rmmu.get("macs.fx16"));
    assertEquals(null, rmmu.get("macs.int4"));
    assertEquals(0L, r.block("sel").counters().get("comparisons"));
  }

  /**
   * The lane's GEMMs take the PE array's cycles ({@link PeArray#gemmCycles}, the model the gemm
   * pipeline's lanes use too), here the defaults: output stationary, serial padded folds of T + 7
   * + 7 cycles on the 8 x 8 array. Per 16-token row block: QKV 16 x 96 over d = 32, 2 x 12 folds
   * of 32 + 14 = 46, 1,104 cycles; the prediction 16 x 16 over 32 at INT4 (T = 2), 4 folds of 16,
   * 64; FC1 16 x 64 over 32, 16 folds of 46, 736; FC2 16 x 32 over 64, 8 folds of 78, 624. Per
   * 8-query block, detection 8 x 64 keys over k = 8 at INT4 (T = 1): 8 folds of 15, 120. Four
   * row blocks and eight query blocks.
   */
  @ParameterizedTest
  @MethodSource("engines")
  void laneGemmsTakeThePeArrayModelsCycles(Engine engine) {
    var masks = new SyntheticMasks(SHAPE, 7, 0.25, 2, 4, 0.5, 0.0);
    RunResult r = engine.run(lane(masks, true, 1 << 20), rec -> {}, ProgressListener.NONE);

    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    var rmmu = r.block("rmmu").counters();
    var array = new PeArray(8, 8, PeArray.defaultMacsPerPe());
    assertEquals(4 * 1104L, rmmu.get("busy.qkv"));
    assertEquals(4 * array.gemmCycles(16, 96, 32, Precision.FX16), rmmu.get("busy.qkv"));
    assertEquals(4 * 64L, rmmu.get("busy.predict"));
    assertEquals(4 * 736L, rmmu.get("busy.fc1"));
    assertEquals(4 * 624L, rmmu.get("busy.fc2"));
    assertEquals(4 * array.gemmCycles(16, 32, 64, Precision.FX16), rmmu.get("busy.fc2"));
    assertEquals(8 * 120L, rmmu.get("busy.detect"));
  }

  /**
   * A 4 KiB buffer holds neither K and V (8 KiB) nor every weight: DRAM traffic rises, and with a
   * slow memory (2 B/cycle) the refetches cost time. (At 64 B/cycle prefetching hides them.)
   */
  @ParameterizedTest
  @MethodSource("engines")
  void smallSramRefetchesFromDram(Engine engine) {
    var masks = new SyntheticMasks(SHAPE, 7, 0.25, 2, 4, 0.5, 0.0);
    RunResult big = engine.run(lane(masks, true, 1 << 20, 2), rec -> {}, ProgressListener.NONE);
    RunResult small = engine.run(lane(masks, true, 4096, 2), rec -> {}, ProgressListener.NONE);

    assertEquals(RunStatus.OK, small.status(), small.problems().toString());
    assertTrue(small.block("sched").counters().get("dram_bytes.kv") > 0);
    assertTrue(small.block("ctl").counters().get("dram_read_bytes")
        > big.block("ctl").counters().get("dram_read_bytes"));
    assertTrue(small.cycles() > big.cycles(), small.cycles() + " vs " + big.cycles());
  }
}
