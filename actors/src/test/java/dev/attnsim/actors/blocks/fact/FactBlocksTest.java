package dev.attnsim.actors.blocks.fact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.blocks.common.Accumulator;
import dev.attnsim.actors.blocks.common.AttentionJob;
import dev.attnsim.actors.blocks.common.AttentionUnit;
import dev.attnsim.actors.blocks.common.EchoMemory;
import dev.attnsim.actors.blocks.common.LaneConfig;
import dev.attnsim.actors.blocks.common.LaneController;
import dev.attnsim.actors.blocks.common.PeArray;
import dev.attnsim.actors.blocks.common.PredictHead;
import dev.attnsim.actors.blocks.common.Probe;
import dev.attnsim.actors.blocks.common.TileSource;
import dev.attnsim.actors.blocks.common.Rmmu;
import dev.attnsim.actors.blocks.common.TestMemory;
import dev.attnsim.actors.compute.FactHead;
import dev.attnsim.actors.compute.FactPredictor;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.compute.MaskBlock;
import dev.attnsim.actors.kernel.ActorEngine;
import dev.attnsim.actors.kernel.Engine;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.SequentialEngine;
import dev.attnsim.actors.kernel.TraceSink;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** FACT's blocks, with times worked by hand, and one lane following the eager prediction. */
class FactBlocksTest {

  private static RunResult run(Netlist net) {
    RunResult r = new SequentialEngine(RunLimits.DEFAULT, false)
        .run(net.freeze(), TraceSink.NONE, ProgressListener.NONE);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    return r;
  }

  /**
   * Seeded Q^ and K^ of {@code l x d_head}; keys from {@code 3l/4} on are 100 times smaller, so
   * every query's top 10 % lies below them and their K/V rows are never needed.
   */
  static EagerPredictions predictions(LayerShape shape, double keep, double gap) {
    return new EagerPredictions(shape, 1, new FactPredictor(8, keep), keep, gap, 1.0,
        Precision.INT8, true, (layer, head) -> {
          var rnd = new Random(31L * head + 7);
          int l = shape.seqLen();
          int dh = shape.headDim();
          var q = new double[l][dh];
          var k = new double[l][dh];
          for (int i = 0; i < l; i++) {
            for (int c = 0; c < dh; c++) {
              q[i][c] = rnd.nextGaussian();
              k[i][c] = rnd.nextGaussian() * (i >= 3 * l / 4 ? 0.01 : 1);
            }
          }
          return new double[][][] {q, k};
        });
  }

  /**
   * 16-bit array of 16 MACs/cycle, d_head 8, softmax 4 scores/cycle + 3 cycles. A block of 10
   * pairs of undecided queries and 2 decided ones: QK ceil(10 x 8 / 16) = 5, softmax ceil(10 /
   * 4) + 3 = 6, AV with the 2 copies ceil(12 x 8 / 16) = 6: 17 cycles; MACs (2 x 10 + 2) x 8 =
   * 176, 10 softmax elements. Only decided queries (3): no QK, no softmax, AV ceil(3 x 8 / 16) =
   * 2.
   */
  @Test
  void attentionArrayByHand() {
    var timing = new FactAttentionTiming(8, 16, 4, 3);
    assertEquals(17, timing.cycles(10, 2));
    assertEquals(2, timing.cycles(0, 3));
    // queries 0 and 1 keep 5 keys each, query 2 (decided) key 7 alone, query 3 (decided) key 0
    var m = new boolean[4][16];
    for (int j = 0; j < 5; j++) {
      m[0][j] = true;
      m[1][j + 3] = true;
    }
    m[2][7] = true;
    m[3][0] = true;
    var block = new FactBlock(new AttentionJob(0, 0, 0, 4, 0, 0), MaskBlock.of(0, 0, 0, m, 64),
        new boolean[] {false, false, true, true});
    assertEquals(10, block.scoredPairs());
    assertEquals(17, timing.cycles(block));
    assertEquals(176, timing.macs(block, 8));
    assertEquals(10, timing.softmaxElements(block));
    var counters = new HashMap<String, Long>();
    timing.count(block, counters);
    assertEquals(2L, counters.get("decided_queries"));
    assertEquals(10L, counters.get("scored_pairs"));
  }

  /** l 128, d 32, 2 heads: d_head 16. */
  private static final LayerShape TWO_HEADS = new LayerShape(128, 32, 2, 64, 4, false);

  /**
   * The eager unit at 1,024 log-MACs and 64 top-k scores per cycle, l 128, d 32, d_head 16: Q^
   * and K^ 2 x 128 x 32 x 16 / 1024 = 128 cycles, A^ 128 x 128 x 16 / 1024 = 256, top-k 16,384 /
   * 64 = 256: 640 a head. Lane 0 asks for heads 0 and 1 and sends a query block of 2 rows, all
   * at 0, in at 1. Head 0 reads X (128 x 32 FX16 = 8,192 bytes) and its W_Q, W_K leading ones
   * (2 x 32 x 16 x 4 bits = 512): one request of 8,704 bytes; head 1 finds X on chip: 512. Both
   * answers at 3: head 0 runs 3 to 643, head 1 643 to 1,283; answers at the lane's probe at 644
   * and 1,284. The query block is taken at 3 when head 0 leaves the window: its bitmap rows (256
   * candidates, 32 bytes) are in at 5, the block at the array's probe at 6, while head 1 waits.
   * Each head's bitmap (16,384 bits, 2,048 bytes) is written when it is done.
   */
  @Test
  void eagerUnitTakesTheCyclesWorkedByHand() {
    var cfg = new EagerConfig(TWO_HEADS, 8, 1024, 64, 1 << 20, 2);
    var p = predictions(TWO_HEADS, 0.25, 0.75);
    var unit = new EagerUnit(cfg, p, 1, null);
    assertEquals(640, unit.cycles(128L * 128));
    var memory = new EchoMemory();
    var lane = new Probe();
    var array = new Probe();
    var net = new Netlist()
        .add("src", TileSource.script(new PredictHead(0, 0), new PredictHead(0, 1),
            new AttentionJob(0, 0, 0, 2, 0, 0)))
        .add("eager", unit)
        .add("mem", memory)
        .add("lane", lane)
        .add("array", array)
        .connect("src.out", "eager.jobs0", 1, 4, 1)
        .connect("eager.memreq", "mem.req", 1, 4, 1)
        .connect("mem.resp", "eager.mem", 1, 4, 1)
        .connect("eager.lane0", "lane.in", 1, 2, 1)
        .connect("eager.survivors", "array.in", 1, 2, 1);
    RunResult r = run(net);
    assertEquals(List.of(644L, 1284L), lane.arrivals);
    assertEquals(List.of(6L), array.arrivals);
    assertEquals(List.of(8704L, 512L, 32L, 2048L, 2048L), memory.bytes);
    var c = r.block("eager").counters();
    assertEquals(2L, c.get("heads"));
    assertEquals(2L * 128 * 128, c.get("pairs_scored"));
    assertEquals(2L * 128 * 32, c.get("pairs_selected"));
    assertEquals((long) p.head(0, 0).decidedQueries() + p.head(0, 1).decidedQueries(),
        c.get("decided_queries"));
    assertEquals(2L * (2L * 128 * 32 * 16 + 128L * 128 * 16), c.get("log_macs"));
    assertEquals(1L, c.get("blocks"));
    assertEquals(8192L, c.get("dram_bytes.x"));
    assertEquals(32L + 2 * 2048, c.get("dram_bytes.mask"));
  }

  static List<Engine> engines() {
    return List.of(new SequentialEngine(RunLimits.DEFAULT, false),
        new ActorEngine(2, RunLimits.DEFAULT, false));
  }

  /** l 64, d 32, 1 head, FFN 64. */
  private static final LayerShape ONE_HEAD = new LayerShape(64, 32, 1, 64, 8, false);

  /**
   * One lane of 8 x 8 PEs following the eager prediction (top 10 %, 6 keys a query), with the
   * eager unit, a FACT attention array and the accumulator: the RMMU's FX16 MACs are exactly the
   * planned generation ({@code d x (q x d_head + kv x 2 d_head)}), the output projection and the
   * full-precision tokens' FFN, its INT8 MACs the low-precision tokens' FFN; the array scores the
   * undecided queries' 6 keys and copies one V row per decided query.
   */
  @ParameterizedTest
  @MethodSource("engines")
  void laneGeneratesOnlyThePlannedRowsAndRunsTheFfnAtTwoPrecisions(Engine engine) {
    var p = predictions(ONE_HEAD, 0.1, 0.5);
    FactHead head = p.head(0, 0);
    int q = p.queryRows(0, 0).cardinality();
    int kv = p.keyRows(0, 0).cardinality();
    int low = p.lowPrecisionFfn(0).cardinality();
    int decided = head.decidedQueries();
    assertTrue(kv <= 48 && decided > 0 && decided < 64 && low > 16 && low < 64,
        "the case exercises skipping: kv " + kv + ", decided " + decided + ", low " + low);
    assertEquals(64 - decided, q);

    var array = new PeArray(8, 8, PeArray.defaultMacsPerPe(),
        new PeArray.Timing(PeArray.Dataflow.OS, true, true, 64));
    var cfg = new LaneConfig(0, 1, 1, ONE_HEAD, array, false, Precision.INT4, 16, 1 << 20, 2);
    var net = new Netlist()
        .add("ctl", LaneController.withEagerPrediction(cfg, null, p))
        .add("rmmu", Rmmu.linearOnly())
        .add("eager", new EagerUnit(new EagerConfig(ONE_HEAD, 8, 256, 16, 1 << 20, 2), p, 1,
            null))
        .add("attn", new AttentionUnit(1, 32, new FactAttentionTiming(32, 64, 8, 2), 1 << 20,
            2))
        .add("acc", new Accumulator(List.of("lane0"), List.of("lane0"), 64, 1))
        .add("mem", new TestMemory(3, 64, 20))
        .connect("ctl.ops", "rmmu.ops", 1, 2)
        .connect("rmmu.controller", "ctl.done", 1, 4)
        .connect("rmmu.acc", "acc.lane0", 1, 4)
        .connect("acc.lane0", "ctl.ready", 1, 2)
        .connect("ctl.dram", "mem.req0", 1, 8)
        .connect("mem.resp0", "ctl.dramresp", 1, 8)
        .connect("ctl.jobs", "eager.jobs0", 1, 2)
        .connect("eager.lane0", "ctl.pred", 1, 2)
        .connect("eager.survivors", "attn.survivors", 1, 2)
        .connect("eager.memreq", "mem.req1", 1, 4)
        .connect("mem.resp1", "eager.mem", 1, 4)
        .connect("attn.kvreq", "mem.req2", 1, 4)
        .connect("mem.resp2", "attn.kv", 1, 4)
        .connect("attn.lane0", "ctl.attn", 1, 2);
    RunResult r = engine.run(net.freeze(), TraceSink.NONE, ProgressListener.NONE);

    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    var rmmu = r.block("rmmu").counters();
    assertEquals(32L * (q * 32L + kv * 64L) // the generated Q and K|V rows
        + 64L * 32 * 32 // output projection
        + (64L - low) * 2 * 32 * 64, rmmu.get("macs.fx16")); // FC1, FC2 of full tokens
    assertEquals(low * 2L * 32 * 64, rmmu.get("macs.int8"));
    long scored = (64L - decided) * 6;
    var attn = r.block("attn").counters();
    assertEquals(scored + decided, attn.get("kept_pairs"));
    assertEquals((2 * scored + decided) * 32, attn.get("macs.fx16"));
    assertEquals(scored, attn.get("softmax_elements"));
    assertEquals((long) decided, attn.get("decided_queries"));
    var ctl = r.block("ctl").counters();
    assertEquals(64L, ctl.get("qkv.tokens"));
    assertEquals((long) q, ctl.get("qkv.q_rows"));
    assertEquals((long) kv, ctl.get("qkv.kv_rows"));
    assertEquals(64L - low, ctl.get("ffn.tokens.fx16"));
    assertEquals((long) low, ctl.get("ffn.tokens.int8"));
    // 8 query blocks, then the FFN's row blocks of 16: full tokens first, then low ones
    assertEquals(8L + (64 - low + 15) / 16 + (low + 15) / 16,
        r.block("acc").counters().get("outputs"));
    assertTrue(ctl.get("stage.prediction") > 0 && ctl.get("stage.linear") > 0,
        ctl.toString());
  }

  @Test
  void configurationsThatCannotWorkAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new FactAttentionTiming(0, 16, 4, 3));
    assertThrows(IllegalArgumentException.class, () -> new FactAttentionTiming(8, 16, 4, -1));
    assertThrows(IllegalArgumentException.class,
        () -> new EagerConfig(TWO_HEADS, 1, 1024, 64, 0, 2));
    assertThrows(IllegalArgumentException.class,
        () -> new EagerConfig(TWO_HEADS, 8, 0, 64, 0, 2));
    assertThrows(IllegalArgumentException.class, () -> new EagerUnit(
        new EagerConfig(TWO_HEADS, 8, 1024, 64, 0, 2), predictions(TWO_HEADS, 0.25, 0.75), 0,
        null));
    assertThrows(IllegalArgumentException.class, () -> predictions(TWO_HEADS, 0.25, -1));
  }
}
