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
import dev.attnsim.actors.kernel.TraceSink;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sanger's blocks on the sequential engine, with times worked by hand. */
class SangerBlocksTest {
  /** l 128, d 32, one head: d_head 32. */
  private static final LayerShape SHAPE = new LayerShape(128, 32, 1, 64, 1, false);

  private static RunResult run(Netlist net) {
    RunResult r = new SequentialEngine(RunLimits.DEFAULT, false)
        .run(net.freeze(), TraceSink.NONE, ProgressListener.NONE);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    return r;
  }

  /** Queries 0 and 1 of 128 keys keeping {@code row0} and {@code row1}. */
  private static MaskBlock mask(int[] row0, int[] row1) {
    var m = new boolean[2][128];
    for (int k : row0) {
      m[0][k] = true;
    }
    for (int k : row1) {
      m[1][k] = true;
    }
    return MaskBlock.of(0, 0, 0, m, 256);
  }

  private static final MaskBlock HAND = mask(new int[] {0, 1, 2, 5, 6, 70}, new int[] {127});

  /**
   * Pieces 64 wide, 4 PEs per row. Query 0 keeps 0, 1, 2, 5, 6, 70: piece 0 holds 0-6, five keys:
   * segments {0, 1, 2, 5} (4 keys over columns 0-5: 2 bubbles) and {6}; piece 1 holds {70}.
   * Query 1 keeps 127: piece 0 empty (skipped), piece 1 {127}. Pieces 2 + 2 = 4, 3 non-empty;
   * segments of 4, 1, 1, 1 keys with 2, 0, 0, 0 bubbles. Without pack and split, one segment per
   * non-empty aligned 4-wide window: keys 0-2 and 5-6 and 70 (windows 0, 1, 17) and 127 (31):
   * 4. At 3 pieces a cycle: ceil(4 / 3) = 2 cycles.
   */
  @Test
  void packAndSplitByHand() {
    var unit = new PackSplit(SHAPE, 64, 4, 3);
    var p = unit.pack(HAND);
    assertArrayEquals(new int[] {4, 1, 1, 1}, p.segmentKeys());
    assertArrayEquals(new int[] {2, 0, 0, 0}, p.segmentBubbles());
    assertEquals(4, p.pieces());
    assertEquals(3, p.piecesKept());
    assertEquals(4, p.unpacked());
    assertEquals(2, unit.cycles(p.pieces()));
  }

  /**
   * A 2 x 4 array, d_head 8, exponentials 3 cycles, on the block above. Pass 1 runs segments 0
   * and 1: 2 rows, widest 4 keys, 2 bubbles: a sweep is 8 + (2 - 1) + (4 - 1) + 2 = 14 cycles,
   * the pass 2 x 14 + 3 = 31. Pass 2 runs segments 2 and 3: 8 + 1 + 0 + 0 = 9, 2 x 9 + 3 = 21.
   * 52 cycles, 2 passes of 8 PE slots.
   */
  @Test
  void scoreStationaryArrayByHand() {
    var p = new PackSplit(SHAPE, 64, 4, 3).pack(HAND);
    var block = new PackedBlock(new AttentionJob(0, 0, 0, 2, 0, 0), HAND, p.segmentKeys(),
        p.segmentBubbles());
    var timing = new ArrayTiming(2, 4, 8, 3);
    assertEquals(52, timing.cycles(block));
    var counters = new HashMap<String, Long>();
    timing.count(block, counters);
    assertEquals(2L, counters.get("passes"));
    assertEquals(16L, counters.get("pe_slots"));
    var wide = new PackedBlock(block.job(), HAND, new int[] {5}, new int[] {0});
    assertThrows(IllegalArgumentException.class, () -> timing.cycles(wide));
  }

  /**
   * The prediction unit on one job of 2 queries x 128 keys (256 candidates), d_head 32, 4-bit,
   * 128 MACs/cycle, 16 scores/cycle per pass. Scores ceil(256 x 32 / 128) = 64 cycles, softmax
   * and threshold ceil(2 x 256 / 16) = 32: 96 cycles. Job at the unit at 1; K (128 x 32 x 4 bits
   * = 2,048 bytes) requested at 1, in at 3; predicting 3 to 99; mask at pack and split's probe
   * at 100. A second block of the same head finds K on chip.
   */
  @Test
  void predictionUnitTakesTheCyclesWorkedByHand() {
    var cfg = new PredictionConfig(SHAPE, 4, 128, 16, 1 << 20, 2);
    var unit = new PredictionUnit(cfg, (l, h, q0, rows) -> HAND, 1, null);
    assertEquals(96, unit.cycles(256));
    var memory = new EchoMemory();
    var probe = new Probe();
    var net = new Netlist()
        .add("src", new TileSource(new AttentionJob(0, 0, 0, 2, 0, 0)))
        .add("pred", unit)
        .add("mem", memory)
        .add("probe", probe)
        .connect("src.out", "pred.jobs0", 1, 2, 1)
        .connect("pred.kreq", "mem.req", 1, 2, 1)
        .connect("mem.resp", "pred.k", 1, 2, 1)
        .connect("pred.mask", "probe.in", 1, 2, 1);
    RunResult r = run(net);
    assertEquals(List.of(100L), probe.arrivals);
    assertEquals(List.of(2048L), memory.bytes);
    var c = r.block("pred").counters();
    assertEquals(256L, c.get("pairs_scored"));
    assertEquals(7L, c.get("pairs_kept"));
    assertEquals(256L * 32, c.get("macs.int4"));
    assertEquals(2048L, c.get("dram_bytes.k_int4"));
  }

  @Test
  void configurationsThatCannotWorkAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new PackSplit(SHAPE, 0, 4, 1));
    assertThrows(IllegalArgumentException.class, () -> new ArrayTiming(0, 16, 64, 4));
    assertThrows(IllegalArgumentException.class,
        () -> new PredictionConfig(SHAPE, 1, 128, 16, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new PredictionUnit(
        new PredictionConfig(SHAPE, 4, 128, 16, 0, 1), (l, h, q0, n) -> HAND, 0, null));
  }
}
