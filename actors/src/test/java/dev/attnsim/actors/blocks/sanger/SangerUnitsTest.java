package dev.attnsim.actors.blocks.sanger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnsim.actors.blocks.common.AttentionJob;
import dev.attnsim.actors.blocks.common.EchoMemory;
import dev.attnsim.actors.blocks.common.Probe;
import dev.attnsim.actors.blocks.common.TileSource;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.compute.MaskBlock;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.SequentialEngine;
import dev.attnsim.actors.kernel.TileKind;
import dev.attnsim.actors.kernel.TraceRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Sanger's units beyond {@link SangerBlocksTest}'s single blocks: causal rows, partial passes,
 * blocks in sequence through pack and split and the prediction unit (its K buffer, window and
 * INT8 mode), and every refused configuration by its message.
 */
class SangerUnitsTest {
  /** l 128, d 32, one head, causal: query q has q + 1 candidate keys. */
  private static final LayerShape CAUSAL = new LayerShape(128, 32, 1, 64, 1, true);
  /** l 128, d 32, one head: d_head 32. */
  private static final LayerShape SHAPE = new LayerShape(128, 32, 1, 64, 1, false);

  private static void assertMessage(String expected, Executable e) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, e).getMessage());
  }

  private static RunResult run(Netlist net, List<TraceRecord> trace) {
    RunResult r = new SequentialEngine(RunLimits.DEFAULT, true)
        .run(net.freeze(), trace::add, ProgressListener.NONE);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    return r;
  }

  private static MaskBlock mask(int q0, int[]... rows) {
    var m = new boolean[rows.length][128];
    for (int i = 0; i < rows.length; i++) {
      for (int k : rows[i]) {
        m[i][k] = true;
      }
    }
    return MaskBlock.of(0, 0, q0, m, 128L * rows.length);
  }

  /**
   * Causal queries 64 and 65 have 65 and 66 candidate keys: two 64-wide pieces each, 4 in all.
   * Query 64 keeps 0, 1 (piece 0) and 64 (piece 1); query 65 keeps 3, 7, 8, 9, 10, 11 (piece 0),
   * which splits at 4 PEs into {3, 7, 8, 9} (columns 3-9: 3 bubbles) and {10, 11}. Segments of
   * 2, 1, 4, 2 keys, 0, 0, 3, 0 bubbles; 3 pieces kept; without pack and split one segment per
   * non-empty 4-wide window: {0, 1}, {64}, {3}, {7}, {8..11}: 5.
   */
  @Test
  void packAndSplitCountsTheCandidatePiecesOfCausalRows() {
    var unit = new PackSplit(CAUSAL, 64, 4, 3);
    var p = unit.pack(mask(64, new int[] {0, 1, 64}, new int[] {3, 7, 8, 9, 10, 11}));
    assertArrayEquals(new int[] {2, 1, 4, 2}, p.segmentKeys());
    assertArrayEquals(new int[] {0, 0, 3, 0}, p.segmentBubbles());
    assertEquals(List.of(4L, 3L, 5L), List.of(p.pieces(), p.piecesKept(), p.unpacked()));
    assertEquals(List.of(1L, 1L, 2L, 2L, 3L), List.of(unit.cycles(0), unit.cycles(3),
        unit.cycles(4), unit.cycles(6), unit.cycles(7)));
    // a piece of exactly 4 keys is one full segment, nothing after it
    var full = unit.pack(mask(64, new int[] {0, 1, 2, 3, 70}));
    assertArrayEquals(new int[] {4, 1}, full.segmentKeys());
    assertArrayEquals(new int[] {0, 0}, full.segmentBubbles());
    var timingOnly = new MaskBlock(0, 0, 0, new int[] {1}, 128, 1, null);
    assertMessage("pack and split needs the mask's keys", () -> unit.pack(timingOnly));
  }

  /**
   * Segments of 2, 1, 4, 2, 1 keys (bubbles 0, 0, 3, 0, 0) on a 2 x 4 array, d_head 8, exp 3:
   * passes {0, 1}: sweep 8 + 1 + 1 + 0 = 10, 23 cycles; {2, 3}: 8 + 1 + 3 + 3 = 15, 33; {4}
   * alone: 8 + 0 + 0 + 0 = 8, 19. 75 cycles, 3 passes of 8 PE slots. On 3 rows: {0, 1, 2}: 8 +
   * 2 + 3 + 3 = 16, 35; {3, 4}: 8 + 1 + 1 + 0 = 10, 23: 58 cycles, 2 passes of 12.
   */
  @Test
  void theArrayRunsPartialPassesToo() {
    var block = new PackedBlock(new AttentionJob(0, 0, 0, 2, 0, 0), mask(0, new int[] {0}),
        new int[] {2, 1, 4, 2, 1}, new int[] {0, 0, 3, 0, 0});
    var two = new ArrayTiming(2, 4, 8, 3);
    assertEquals(75, two.cycles(block));
    var counters = new HashMap<String, Long>();
    two.count(block, counters);
    assertEquals(3L, counters.get("passes"));
    assertEquals(24L, counters.get("pe_slots"));
    two.count(block, counters);
    assertEquals(6L, counters.get("passes"));

    var three = new ArrayTiming(3, 4, 8, 3);
    assertEquals(58, three.cycles(block));
    var c3 = new HashMap<String, Long>();
    three.count(block, c3);
    assertEquals(List.of(2L, 24L), List.of(c3.get("passes"), c3.get("pe_slots")));
    assertEquals("sddmm-exp-spmm", three.label());

    var wide = new PackedBlock(block.job(), block.attended(), new int[] {4, 5}, new int[] {0, 0});
    assertMessage("a segment of 5 keys does not fit a row of 4 PEs", () -> two.cycles(wide));
    assertEquals(new ArrayTiming(1, 1, 1, 0).rows(), 1);
  }

  /**
   * Two blocks through pack and split at 3 pieces a cycle (4 pieces each: 2 cycles): the first
   * arrives at 1 and is packed 1 to 3, the second 3 to 5; the array's probe gets them at 4 and
   * 6, each a tile of its 7 kept pairs' 16-bit key indices (14 bytes) carrying the segments.
   */
  @Test
  void packAndSplitTakesBlocksOneAfterAnother() {
    var hand = mask(0, new int[] {0, 1, 2, 5, 6, 70}, new int[] {127});
    var job = new AttentionJob(0, 0, 0, 2, 0, 0);
    var probe = new Probe();
    var net = new Netlist()
        .add("src", TileSource.script(new PredictedBlock(job, hand), new PredictedBlock(job, hand)))
        .add("pack", new PackSplit(SHAPE, 64, 4, 3))
        .add("probe", probe)
        .connect("src.out", "pack.mask", 1, 2)
        .connect("pack.packed", "probe.in", 1, 2);
    var trace = new ArrayList<TraceRecord>();
    RunResult r = run(net, trace);
    assertEquals(List.of(4L, 6L), probe.arrivals);
    assertEquals(14L, probe.tiles.get(0).bytes());
    assertEquals(TileKind.MASK, probe.tiles.get(0).kind());
    var packed = (PackedBlock) probe.tiles.get(1).payload();
    assertArrayEquals(new int[] {4, 1, 1, 1}, packed.segmentKeys());
    assertEquals(4, packed.segments());
    var c = r.block("pack").counters();
    assertEquals(List.of(2L, 8L, 6L, 8L, 14L, 8L), List.of(c.get("blocks"), c.get("pieces"),
        c.get("pieces_kept"), c.get("segments"), c.get("slots_filled"),
        c.get("segments_unpacked")));
    assertEquals(List.of(List.of(1L, 3L), List.of(3L, 5L)), trace.stream()
        .filter(x -> x instanceof TraceRecord.Busy).map(x -> (TraceRecord.Busy) x)
        .map(b -> List.of(b.start(), b.end())).toList());
  }

  private static Netlist predictionNet(PredictionUnit unit, EchoMemory memory, Probe probe,
      Object... jobs) {
    return new Netlist()
        .add("src", TileSource.script(jobs))
        .add("pred", unit)
        .add("mem", memory)
        .add("probe", probe)
        .connect("src.out", "pred.jobs0", 1, 4, 1)
        .connect("pred.kreq", "mem.req", 1, 4, 1)
        .connect("mem.resp", "pred.k", 1, 4, 1)
        .connect("pred.mask", "probe.in", 1, 4, 1);
  }

  /**
   * Two blocks of one head (96 cycles each, as in {@link SangerBlocksTest}), a window of one
   * block: with a K buffer that holds the head's 2,048 bytes, K is read once (in at 3), the
   * first block is scored 3 to 99 and the second, taken then, finds K on chip: 99 to 195; masks
   * at the probe at 100 and 196, a bit per candidate (32 bytes). With no buffer and a window of
   * two, K is read for each block (4,096 bytes), both reads in flight at once: the same cycles.
   */
  @Test
  void predictionReadsKOncePerHeadWhenItFits() {
    var a = new AttentionJob(0, 0, 0, 2, 0, 0);
    var b = new AttentionJob(0, 0, 2, 2, 0, 0);
    var hand = mask(0, new int[] {0, 1, 2, 5, 6, 70}, new int[] {127});

    var memory = new EchoMemory();
    var probe = new Probe();
    var fits = new PredictionUnit(new PredictionConfig(SHAPE, 4, 128, 16, 2048, 1),
        (l, h, q0, rows) -> hand, 1, null);
    var trace = new ArrayList<TraceRecord>();
    RunResult r = run(predictionNet(fits, memory, probe, a, b), trace);
    assertEquals(List.of(100L, 196L), probe.arrivals);
    assertEquals(List.of(List.of(3L, 99L), List.of(99L, 195L)), trace.stream()
        .filter(x -> x instanceof TraceRecord.Busy).map(x -> (TraceRecord.Busy) x)
        .filter(x -> x.op().equals("predict")).map(x -> List.of(x.start(), x.end())).toList());
    assertEquals(List.of(2048L), memory.bytes);
    assertEquals(32L, probe.tiles.get(0).bytes());
    var c = r.block("pred").counters();
    assertEquals(List.of(2L, 512L, 14L, 512L, 512L, 2048L), List.of(c.get("blocks"),
        c.get("pairs_scored"), c.get("pairs_kept"), c.get("softmax_elements"),
        c.get("comparisons"), c.get("dram_bytes.k_int4")));

    var noBuffer = new EchoMemory();
    var probe2 = new Probe();
    var refetch = new PredictionUnit(new PredictionConfig(SHAPE, 4, 128, 16, 0, 2),
        (l, h, q0, rows) -> hand, 1, null);
    RunResult r2 = run(predictionNet(refetch, noBuffer, probe2, a, b), new ArrayList<>());
    assertEquals(List.of(2048L, 2048L), noBuffer.bytes);
    assertEquals(List.of(100L, 196L), probe2.arrivals);
    assertEquals(4096L, r2.block("pred").counters().get("dram_bytes.k_int4"));

    // A buffer that fits and a window of two: the second block, taken while K is in flight,
    // finds K marked resident but waits for the read (FetchWindow): same cycles as a window of
    // one, one read. Scoring it before K arrived would predict from data not yet on chip.
    var early = new EchoMemory();
    var probe3 = new Probe();
    var windowed = new PredictionUnit(new PredictionConfig(SHAPE, 4, 128, 16, 2048, 2),
        (l, h, q0, rows) -> hand, 1, null);
    var trace3 = new ArrayList<TraceRecord>();
    run(predictionNet(windowed, early, probe3, a, b), trace3);
    assertEquals(List.of(2048L), early.bytes);
    assertEquals(List.of(List.of(3L, 99L), List.of(99L, 195L)), trace3.stream()
        .filter(x -> x instanceof TraceRecord.Busy).map(x -> (TraceRecord.Busy) x)
        .filter(x -> x.op().equals("predict")).map(x -> List.of(x.start(), x.end())).toList());
    assertEquals(List.of(100L, 196L), probe3.arrivals);
  }

  /**
   * INT8 prediction: K is 128 x 32 bytes, the MACs and K bytes are counted as INT8; the scores
   * take ceil(256 x 32 / 128) = 64 cycles and the softmax passes ceil(512 / 16) = 32.
   */
  @Test
  void eightBitPredictionCountsInt8() {
    var memory = new EchoMemory();
    var probe = new Probe();
    var hand = mask(0, new int[] {3}, new int[] {4});
    var unit = new PredictionUnit(new PredictionConfig(SHAPE, 8, 128, 16, 1 << 20, 2),
        (l, h, q0, rows) -> hand, 1, null);
    assertEquals(1, unit.cycles(0));
    RunResult r = run(predictionNet(unit, memory, probe, new AttentionJob(0, 0, 0, 2, 0, 0)),
        new ArrayList<>());
    assertEquals(List.of(4096L), memory.bytes);
    assertEquals(List.of(100L), probe.arrivals);
    var c = r.block("pred").counters();
    assertEquals(256L * 32, c.get("macs.int8"));
    assertEquals(4096L, c.get("dram_bytes.k_int8"));
    assertEquals(2L, c.get("pairs_kept"));
  }

  @Test
  void refusedConfigurationsSayWhy() {
    assertMessage("pack and split: piece width, PEs per row and pieces per cycle must be >= 1, "
        + "got 64, 0, 1", () -> new PackSplit(SHAPE, 64, 0, 1));
    assertMessage("pack and split: piece width, PEs per row and pieces per cycle must be >= 1, "
        + "got 64, 4, 0", () -> new PackSplit(SHAPE, 64, 4, 0));
    assertMessage("score-stationary array: rows, columns and head size must be >= 1 and exp "
        + "cycles >= 0, got 2, 4, 8, -1", () -> new ArrayTiming(2, 4, 8, -1));
    assertMessage("score-stationary array: rows, columns and head size must be >= 1 and exp "
        + "cycles >= 0, got 2, 0, 8, 0", () -> new ArrayTiming(2, 0, 8, 0));
    assertMessage("score-stationary array: rows, columns and head size must be >= 1 and exp "
        + "cycles >= 0, got 2, 4, 0, 0", () -> new ArrayTiming(2, 4, 0, 0));
    assertMessage("prediction unit: bits 2..8, MACs and elements per cycle and window >= 1, "
        + "buffer >= 0; got 9, 128, 16, 1, 0",
        () -> new PredictionConfig(SHAPE, 9, 128, 16, 0, 1));
    assertMessage("prediction unit: bits 2..8, MACs and elements per cycle and window >= 1, "
        + "buffer >= 0; got 4, 0, 16, 1, 0", () -> new PredictionConfig(SHAPE, 4, 0, 16, 0, 1));
    assertMessage("prediction unit: bits 2..8, MACs and elements per cycle and window >= 1, "
        + "buffer >= 0; got 4, 1, 0, 1, 0", () -> new PredictionConfig(SHAPE, 4, 1, 0, 0, 1));
    assertMessage("prediction unit: bits 2..8, MACs and elements per cycle and window >= 1, "
        + "buffer >= 0; got 4, 1, 1, 1, -1", () -> new PredictionConfig(SHAPE, 4, 1, 1, -1, 1));
    assertMessage("prediction unit: bits 2..8, MACs and elements per cycle and window >= 1, "
        + "buffer >= 0; got 4, 1, 1, 0, 0", () -> new PredictionConfig(SHAPE, 4, 1, 1, 0, 0));
    assertMessage("prediction unit: lanes must be >= 1, got 0", () -> new PredictionUnit(
        new PredictionConfig(SHAPE, 4, 1, 1, 0, 1), (l, h, q0, n) -> null, 0, null));
    // the smallest legal values; K of 3 keys x 1 dim x 3 bits rounds up to 2 bytes
    var least = new PredictionConfig(new LayerShape(3, 1, 1, 1, 1, false), 2, 1, 1, 0, 1);
    assertEquals(1L, least.headKBytes());
    assertEquals(2L, new PredictionConfig(new LayerShape(3, 1, 1, 1, 1, false), 3, 1, 1, 0, 1)
        .headKBytes());
    assertEquals(8, new PredictionConfig(SHAPE, 8, 1, 1, 0, 1).bits());
    assertEquals(1, new PackSplit(SHAPE, 1, 1, 1).cycles(1));
  }
}
