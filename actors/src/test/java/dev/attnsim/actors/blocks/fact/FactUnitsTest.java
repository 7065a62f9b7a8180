package dev.attnsim.actors.blocks.fact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnsim.actors.blocks.common.PredictHead;
import dev.attnsim.actors.blocks.common.Probe;
import dev.attnsim.actors.blocks.common.TileSource;
import dev.attnsim.actors.compute.FactPredictor;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.SequentialEngine;
import dev.attnsim.actors.kernel.TraceSink;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * FACT's units beyond {@link FactBlocksTest}: the eager unit's sizes and its X buffer, two
 * lanes, the predictions' layer mapping and caching, and every refused configuration by its
 * message.
 */
class FactUnitsTest {
  /** l 128, d 32, 2 heads: d_head 16. */
  private static final LayerShape TWO_HEADS = new LayerShape(128, 32, 2, 64, 4, false);

  /**
   * Records each request (cycle, address, write, bytes) and answers it at once, or with {@code
   * sized} after a cycle per 64 bytes, so that a small read overtakes a large one.
   */
  private static final class RecordingMemory implements dev.attnsim.actors.kernel.Block {
    final List<List<Long>> requests = new java.util.ArrayList<>();
    private final boolean sized;
    private final java.util.TreeMap<Long, java.util.ArrayDeque<dev.attnsim.actors.kernel.Tile>>
        due = new java.util.TreeMap<>(); // answer cycle -> reads, in arrival order

    RecordingMemory() {
      this(false);
    }

    RecordingMemory(boolean sized) {
      this.sized = sized;
    }

    @Override
    public List<dev.attnsim.actors.kernel.InPort> inputs() {
      return List.of(new dev.attnsim.actors.kernel.InPort(0, "req"));
    }

    @Override
    public List<dev.attnsim.actors.kernel.OutPort> outputs() {
      return List.of(new dev.attnsim.actors.kernel.OutPort(0, "resp"));
    }

    @Override
    public void onEvent(dev.attnsim.actors.kernel.Event e,
        dev.attnsim.actors.kernel.BlockContext ctx) {
      if (e instanceof dev.attnsim.actors.kernel.Event.TileArrived a) {
        var t = ctx.poll(a.port());
        var d = (dev.attnsim.actors.blocks.common.dram.DramRequest) t.payload();
        requests.add(List.of(ctx.now(), d.address(), d.write() ? 1L : 0L, t.bytes()));
        long at = ctx.now() + (sized ? t.bytes() / 64 : 0);
        due.computeIfAbsent(at, k -> new java.util.ArrayDeque<>()).addLast(t);
        if (at > ctx.now()) {
          ctx.wakeAt(at);
        }
      }
      while (!due.isEmpty() && due.firstKey() <= ctx.now()) {
        for (var t : due.pollFirstEntry().getValue()) {
          ctx.send(outputs().get(0), t);
        }
      }
    }
  }

  private static final long MASK_BASE = 3L << 44;
  private static final long X_BASE = 5L << 44;

  private static void assertMessage(String expected, Executable e) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, e).getMessage());
  }

  /**
   * A leading-one code is a sign and the leading one's position among bits - 1 magnitude bits:
   * 1 + ceil(log2(bits)) bits (INT2 2, INT8 4, INT9 and INT16 5). A head's W_Q and W_K slices
   * (2 d d_head codes) round up to whole bytes: d 3, d_head 3 at 4 bits 72 bits = 9 bytes, at 5
   * bits 90 = 12 bytes. A layer's X is 2 l d bytes.
   */
  @Test
  void eagerSizesAreLeadingOneCodes() {
    var tiny = new LayerShape(5, 3, 1, 1, 1, false);
    assertEquals(2, new EagerConfig(tiny, 2, 1, 1, 0, 1).codeBits());
    assertEquals(4, new EagerConfig(tiny, 8, 1, 1, 0, 1).codeBits());
    assertEquals(5, new EagerConfig(tiny, 9, 1, 1, 0, 1).codeBits());
    assertEquals(5, new EagerConfig(tiny, 16, 1, 1, 0, 1).codeBits());
    assertEquals(9, new EagerConfig(tiny, 8, 1, 1, 0, 1).headWeightBytes());
    assertEquals(12, new EagerConfig(tiny, 16, 1, 1, 0, 1).headWeightBytes());
    assertEquals(30, new EagerConfig(tiny, 8, 1, 1, 0, 1).layerXBytes());
  }

  /**
   * The unit at 1,024 log-MACs and 64 top-k scores a cycle, no X buffer, two lanes asking for
   * one head each: each head reads X again (8,192 bytes) with its 512 bytes of weight codes.
   * Both requests are taken at 1 and answered at 3; head 0 (lane 0) predicts 3 to 643, head 1
   * (lane 1) 643 to 1,283: the lanes' probes get the answers at 644 and 1,284. Each head's
   * bitmap (2,048 bytes) is written when it is done. Cycles of a head with no candidates: the
   * projections alone, ceil(2 x 128 x 32 x 16 / 1024) = 128; never below 1.
   */
  @Test
  void withoutAnXBufferEveryHeadReadsX() {
    var cfg = new EagerConfig(TWO_HEADS, 8, 1024, 64, 0, 2);
    var p = FactBlocksTest.predictions(TWO_HEADS, 0.25, 0.75);
    var unit = new EagerUnit(cfg, p, 2, null);
    assertEquals(128, unit.cycles(0));
    assertEquals(2L * 128 * 32 * 16, unit.logMacs(0));
    var tiny = new LayerShape(1, 1, 1, 1, 1, false);
    assertEquals(1, new EagerUnit(new EagerConfig(tiny, 8, 1 << 20, 1 << 20, 0, 1),
        FactBlocksTest.predictions(tiny, 1.0, 0.5), 1, null).cycles(0));
    assertEquals("lane3", EagerUnit.lanePortName(3));
    var memory = new RecordingMemory();
    var lane0 = new Probe();
    var lane1 = new Probe();
    var trace = new java.util.ArrayList<dev.attnsim.actors.kernel.TraceRecord>();
    RunResult r = runTwoHeads(unit, memory, lane0, lane1, trace);
    assertEquals(List.of(644L), lane0.arrivals);
    assertEquals(List.of(1284L), lane1.arrivals);
    // both reads of layer 0's X at 1 (X at X_BASE + layer << 32), the bitmaps' writes when done
    assertEquals(List.of(List.of(2L, X_BASE, 0L, 8704L), List.of(2L, X_BASE, 0L, 8704L),
        List.of(644L, MASK_BASE, 1L, 2048L), List.of(1284L, MASK_BASE, 1L, 2048L)),
        memory.requests);
    assertEquals(List.of(List.of(3L, 643L), List.of(643L, 1283L)), trace.stream()
        .filter(x -> x instanceof dev.attnsim.actors.kernel.TraceRecord.Busy)
        .map(x -> (dev.attnsim.actors.kernel.TraceRecord.Busy) x)
        .filter(x -> x.op().equals("eager-predict")).map(x -> List.of(x.start(), x.end()))
        .toList());
    var c = r.block("eager").counters();
    assertEquals(List.of(16384L, 1024L, 4096L), List.of(c.get("dram_bytes.x"),
        c.get("dram_bytes.weights_lo"), c.get("dram_bytes.mask")));
    long macs = 2 * (2L * 128 * 32 * 16 + 128L * 128 * 16);
    assertEquals(List.of(macs, macs, 2L * 128 * 128, 256L, 0L), List.of(c.get("log_macs"),
        c.get("elements_added"), c.get("comparisons"), c.get("queries"), c.get("blocks")));
    assertEquals((long) p.head(0, 0).unneededKeys() + p.head(0, 1).unneededKeys(),
        c.get("kv_rows_unneeded"));
  }

  /**
   * Two lanes each asking the unit for one head of layer 0 ({@code PredictHead(0, 0)} and {@code
   * (0, 1)}), the unit's reads served by {@code memory}; on the sequential engine, traced.
   */
  private static RunResult runTwoHeads(EagerUnit unit, dev.attnsim.actors.kernel.Block memory,
      Probe lane0, Probe lane1, List<dev.attnsim.actors.kernel.TraceRecord> trace) {
    var net = new Netlist()
        .add("src0", TileSource.script(new PredictHead(0, 0)))
        .add("src1", TileSource.script(new PredictHead(0, 1)))
        .add("eager", unit)
        .add("mem", memory)
        .add("lane0", lane0)
        .add("lane1", lane1)
        .add("array", new Probe())
        .connect("src0.out", "eager.jobs0", 1, 4, 1)
        .connect("src1.out", "eager.jobs1", 1, 4, 1)
        .connect("eager.memreq", "mem.req", 1, 4, 1)
        .connect("mem.resp", "eager.mem", 1, 4, 1)
        .connect("eager.lane0", "lane0.in", 1, 2, 1)
        .connect("eager.lane1", "lane1.in", 1, 2, 1)
        .connect("eager.survivors", "array.in", 1, 2, 1);
    RunResult r = new SequentialEngine(RunLimits.DEFAULT, true)
        .run(net.freeze(), trace::add, ProgressListener.NONE);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    return r;
  }

  /**
   * With an X buffer that holds the layer's X and a window of two, head 1 finds X marked on
   * chip while head 0's read of it (8,704 bytes: answered at 2 + 136 = 138, in at 139) is in
   * flight; its own read (512 bytes of weights) is in at 2 + 8 + 1 = 11. It waits for head 0's
   * read, as a cache merges a secondary miss: head 0 predicts 139 to 779, head 1 779 to 1,419,
   * never from an X not yet on chip.
   */
  @Test
  void aHeadWhoseXIsStillBeingReadWaitsForIt() {
    var cfg = new EagerConfig(TWO_HEADS, 8, 1024, 64, 1 << 20, 2);
    var unit = new EagerUnit(cfg, FactBlocksTest.predictions(TWO_HEADS, 0.25, 0.75), 2, null);
    var trace = new java.util.ArrayList<dev.attnsim.actors.kernel.TraceRecord>();
    RunResult r = runTwoHeads(unit, new RecordingMemory(true), new Probe(), new Probe(), trace);
    assertEquals(List.of(List.of(139L, 779L), List.of(779L, 1419L)), trace.stream()
        .filter(x -> x instanceof dev.attnsim.actors.kernel.TraceRecord.Busy)
        .map(x -> (dev.attnsim.actors.kernel.TraceRecord.Busy) x)
        .filter(x -> x.op().equals("eager-predict")).map(x -> List.of(x.start(), x.end()))
        .toList());
    assertEquals(8192L, r.block("eager").counters().get("dram_bytes.x")); // X read once
  }

  /**
   * Layer 1's head (X at X_BASE + 1 << 32), then a query block of 4 rows from query 126 of 128:
   * only 2 rows exist, so its bitmap rows are 2 x 128 bits (32 bytes), read from MASK_BASE, and
   * the block the array gets has 2 queries and a 32-byte mask.
   */
  @Test
  void aBlockPastTheLastQueryIsCutAtIt() {
    var cfg = new EagerConfig(TWO_HEADS, 8, 1024, 64, 1 << 20, 2);
    var p = new EagerPredictions(TWO_HEADS, 2, new FactPredictor(8, 0.25), 0.25, 0.75, 1.0,
        Precision.INT8, true, (layer, head) -> new double[][][] {project(TWO_HEADS, layer, 0),
            project(TWO_HEADS, layer, 1)});
    var memory = new RecordingMemory();
    var array = new Probe();
    var net = new Netlist()
        .add("src", TileSource.script(new PredictHead(1, 0),
            new dev.attnsim.actors.blocks.common.AttentionJob(1, 0, 126, 4, 0, 0)))
        .add("eager", new EagerUnit(cfg, p, 1, null))
        .add("mem", memory)
        .add("lane", new Probe())
        .add("array", array)
        .connect("src.out", "eager.jobs0", 1, 4, 1)
        .connect("eager.memreq", "mem.req", 1, 4, 1)
        .connect("mem.resp", "eager.mem", 1, 4, 1)
        .connect("eager.lane0", "lane.in", 1, 2, 1)
        .connect("eager.survivors", "array.in", 1, 2, 1);
    RunResult r = new SequentialEngine(RunLimits.DEFAULT, false)
        .run(net.freeze(), TraceSink.NONE, ProgressListener.NONE);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    assertEquals(List.of(X_BASE + (1L << 32), 0L, 8704L), memory.requests.get(0).subList(1, 4));
    assertEquals(List.of(MASK_BASE, 0L, 32L), memory.requests.get(1).subList(1, 4));
    var tile = array.tiles.get(0);
    assertEquals(List.of(126, 2, 32L), List.of(tile.row0(), tile.rows(), tile.bytes()));
    assertEquals(2, ((FactBlock) tile.payload()).attended().queries());
  }

  /**
   * Run layers repeat the workload's layers: with 2 layers, run layer 3 is layer 1, computed
   * once and cached; the FFN precisions come back as a copy the caller may change.
   */
  @Test
  void predictionsMapRunLayersOntoTheWorkloadsAndCacheHeads() {
    var shape = new LayerShape(64, 32, 1, 64, 8, false);
    int[] computed = new int[2];
    var p = new EagerPredictions(shape, 2, new FactPredictor(8, 0.1), 0.1, 0.5, 1.0,
        Precision.INT4, true, (layer, head) -> {
          computed[layer]++;
          return new double[][][] {project(shape, layer, 0), project(shape, layer, 1)};
        });
    assertSame(p.head(1, 0), p.head(3, 0));
    assertEquals(List.of(0, 1), List.of(computed[0], computed[1]));
    assertNotSame(p.head(0, 0), p.head(1, 0));
    assertEquals(List.of(1, 1), List.of(computed[0], computed[1]));
    assertEquals(p.queryRows(1, 0), p.queryRows(3, 0));
    assertEquals(p.keyRows(3, 0), p.head(1, 0).keyRows());
    // the tokens selected no more than r L h k% times over layer 1's heads (one head here)
    boolean[] full = dev.attnsim.actors.compute.FactDecisions.fullPrecisionFfn(
        p.head(1, 0).selections(), 64, 1, 0.1, 1.0);
    var expected = new java.util.BitSet();
    for (int j = 0; j < full.length; j++) {
      expected.set(j, !full[j]);
    }
    assertEquals(expected, p.lowPrecisionFfn(1));
    assertNotEquals(p.lowPrecisionFfn(0), p.lowPrecisionFfn(1));
    var low = p.lowPrecisionFfn(3);
    assertEquals(low, p.lowPrecisionFfn(1));
    low.clear();
    assertEquals(false, p.lowPrecisionFfn(1).isEmpty());
    assertSame(Precision.INT4, p.lowPrecision());
    assertSame(shape, p.shape());
  }

  private static double[][] project(LayerShape shape, int layer, int which) {
    var rnd = new java.util.Random(17L * layer + which);
    var m = new double[shape.seqLen()][shape.headDim()];
    for (double[] row : m) {
      for (int c = 0; c < row.length; c++) {
        row[c] = rnd.nextGaussian();
      }
    }
    return m;
  }

  /**
   * The attention array: a block of decided queries only runs no softmax; an empty block still
   * takes a cycle.
   */
  @Test
  void attentionArrayEdges() {
    var t = new FactAttentionTiming(8, 16, 4, 3);
    assertEquals(1, t.cycles(0, 0));
    assertEquals(1, t.cycles(0, 2)); // AV ceil(2 x 8 / 16) = 1, no QK, no softmax
    assertEquals(1 + 1 + 3 + 1, t.cycles(1, 0)); // QK 1, softmax 1 + 3, AV 1
    assertEquals("qk-softmax-av", t.label());
  }

  @Test
  void refusedConfigurationsSayWhy() {
    var s = TWO_HEADS;
    assertMessage("eager prediction unit: rates and window must be >= 1 and the X buffer >= 0, "
        + "got 0, 64, 2, 0", () -> new EagerConfig(s, 8, 0, 64, 0, 2));
    assertMessage("eager prediction unit: rates and window must be >= 1 and the X buffer >= 0, "
        + "got 1, 0, 2, 0", () -> new EagerConfig(s, 8, 1, 0, 0, 2));
    assertMessage("eager prediction unit: rates and window must be >= 1 and the X buffer >= 0, "
        + "got 1, 1, 2, -1", () -> new EagerConfig(s, 8, 1, 1, -1, 2));
    assertMessage("eager prediction unit: rates and window must be >= 1 and the X buffer >= 0, "
        + "got 1, 1, 0, 0", () -> new EagerConfig(s, 8, 1, 1, 0, 0));
    assertMessage("eager prediction unit: lanes must be >= 1, got 0", () -> new EagerUnit(
        new EagerConfig(s, 8, 1, 1, 0, 1), FactBlocksTest.predictions(s, 0.25, 0.75), 0, null));
    assertMessage("eager predictions: layers >= 1, gap and r >= 0, got 0, 0.5, 1.0",
        () -> new EagerPredictions(s, 0, new FactPredictor(8, 0.1), 0.1, 0.5, 1.0,
            Precision.INT8, true, (l, h) -> null));
    assertMessage("eager predictions: layers >= 1, gap and r >= 0, got 1, NaN, 1.0",
        () -> new EagerPredictions(s, 1, new FactPredictor(8, 0.1), 0.1, Double.NaN, 1.0,
            Precision.INT8, true, (l, h) -> null));
    assertMessage("eager predictions: layers >= 1, gap and r >= 0, got 1, 0.5, -1.0",
        () -> new EagerPredictions(s, 1, new FactPredictor(8, 0.1), 0.1, 0.5, -1.0,
            Precision.INT8, true, (l, h) -> null));
    assertMessage("FACT attention array: head size, MACs and softmax elements per cycle must be "
        + ">= 1 and the softmax latency >= 0, got 8, 0, 4, 3",
        () -> new FactAttentionTiming(8, 0, 4, 3));
    assertMessage("FACT attention array: head size, MACs and softmax elements per cycle must be "
        + ">= 1 and the softmax latency >= 0, got 8, 16, 0, 3",
        () -> new FactAttentionTiming(8, 16, 0, 3));
    // the smallest legal values
    new EagerConfig(s, 8, 1, 1, 0, 1);
    new EagerPredictions(s, 1, new FactPredictor(8, 0.1), 0.1, 0, 0, Precision.INT8, true,
        (l, h) -> null);
    new FactAttentionTiming(1, 1, 1, 0);
  }
}
