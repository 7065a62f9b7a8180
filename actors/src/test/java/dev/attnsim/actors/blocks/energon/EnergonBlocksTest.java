package dev.attnsim.actors.blocks.energon;

import dev.attnsim.actors.blocks.common.AttentionUnit;
import dev.attnsim.actors.blocks.common.KeyRowCache;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnsim.actors.blocks.common.AttentionJob;
import dev.attnsim.actors.blocks.common.EchoMemory;
import dev.attnsim.actors.blocks.common.Probe;
import dev.attnsim.actors.blocks.common.TileSource;
import dev.attnsim.actors.blocks.common.PromiseLog;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.compute.MaskBlock;
import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.SequentialEngine;
import dev.attnsim.actors.kernel.Tile;
import dev.attnsim.actors.kernel.TileKind;
import dev.attnsim.actors.kernel.TraceSink;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Energon's blocks on the sequential engine, with times worked by hand. */
class EnergonBlocksTest {

  private static RunResult run(Netlist net) {
    RunResult r = new SequentialEngine(RunLimits.DEFAULT, false)
        .run(net.freeze(), TraceSink.NONE, ProgressListener.NONE);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    return r;
  }

  private static MaskBlock mask(int q0, int keys, int... kept) {
    var m = new boolean[2][keys];
    for (int i = 0; i < 2; i++) {
      for (int k : kept) {
        m[i][k] = true;
      }
    }
    return MaskBlock.of(0, 0, q0, m, 2L * keys);
  }

  /**
   * Two queries over 8 keys, d_head 16, rounds INT4 x INT2 then INT4 x INT4. Round 0 keeps keys
   * {0, 1, 5} of both queries, round 1 key {0}. Link latency 1 everywhere.
   *
   * <pre>
   *   0  job leaves the source              1  filter: planes 0-1 requested (no buffer)
   *   3  planes in; round 0 scores 16 pairs x 16 = 256 MACs at 64/cycle: 4 cycles, to 7
   *   8  selector: 2 x 16 / 4 = 8 cycles, to 16     17 back at the filter: planes 2-3 of keys
   *      0, 1, 5 (2 bytes a row, all in burst 0): one 32-byte burst x 2 planes requested
   *  19  planes in; round 1 scores 6 pairs x 16 = 96 MACs at 32/cycle: 3 cycles, to 22
   *  23  selector: 2 x 6 / 4 = 3 cycles, to 26       27 survivors at the probe
   * </pre>
   */
  @Test
  void aBlockGoesThroughBothRoundsInTheCyclesWorkedByHand() {
    var shape = new LayerShape(8, 32, 2, 64, 1, false);
    var cfg = new FilterConfig(shape, new int[] {2, 4}, new long[] {64, 32}, 0, 32, 2);
    var rounds = List.of(mask(0, 8, 0, 1, 5), mask(0, 8, 0));
    var net = new Netlist();
    var memory = new EchoMemory();
    var probe = new Probe();
    var esel = new PromiseLog(new Selector(2, 4));
    net.add("src", new TileSource(new AttentionJob(0, 0, 0, 2, 0, 0)))
        .add("filter", new FilterUnit(cfg, (l, h, q0, n) -> rounds, 1, 2))
        .add("esel", esel)
        .add("mem", memory)
        .add("probe", probe)
        .connect("src.out", "filter.jobs0", 1, 2, 1)
        .connect("filter.scores", "esel.scores", 1, 2, 1)
        .connect("esel.again", "filter.again", 1, 2, 1)
        .connect("esel.survivors", "probe.in", 1, 2, 1)
        .connect("filter.planereq", "mem.req", 1, 2, 1)
        .connect("mem.resp", "filter.planes", 1, 2, 1);
    RunResult r = run(net);
    assertEquals(List.of(27L), probe.arrivals);
    var f = r.block("filter").counters();
    assertEquals(16L, f.get("round0.pairs_scored"));
    assertEquals(6L, f.get("round1.pairs_scored"));
    // round 0: planes 0-1 of 8 keys x 16 bits = 2 x 16 bytes; round 1: one burst x 2 planes
    assertEquals(List.of(32L, 64L), memory.bytes);
    assertEquals(32L, f.get("round0.dram_bytes"));
    assertEquals(64L, f.get("round1.dram_bytes"));
    assertEquals(256L, f.get("macs.int2"));
    assertEquals(96L, f.get("macs.int4"));
    var s = r.block("esel").counters();
    assertEquals(6L, s.get("round0.survivors"));
    assertEquals(2L, s.get("round1.survivors"));
    assertEquals(2L * (16 + 6), s.get("comparisons"));
    assertEquals(8L + 3L, r.block("esel").busyCycles());
    assertEquals(4L + 3L, r.block("filter").busyCycles());
    // thresholding [8, 16) and [23, 26), the selector promises nothing leaves before the end;
    // credits come back at 18 (from the filter) and 28 (from the probe)
    assertEquals(List.of("0:-", "8:16", "16:-", "18:-", "23:26", "26:-", "28:-"), esel.log);
  }

  /**
   * The attention unit on 2 queries keeping 50 keys each (100 pairs, 50 distinct keys), d_head
   * 64, 2048 MACs/cycle, softmax 32/cycle after 8: QK ceil(6400 / 2048) = 4, softmax ceil(100 /
   * 32) + 8 = 12, AV 4: 20 cycles. Survivors arrive at 1, K/V requested (50 keys x 2 x 128 B),
   * in at 3, computed 3 to 23, at the lane at 24. A second block of the same head needing only
   * keys already held fetches nothing.
   */
  @Test
  void attentionUnitFetchesOnlyMissingRowsAndTakesTheCyclesWorkedByHand() {
    int[] keys = new int[50];
    for (int i = 0; i < 50; i++) {
      keys[i] = i;
    }
    var rounds = List.of(mask(0, 64, keys));
    var work = new FilterWork(new AttentionJob(0, 0, 0, 2, 0, 0), rounds, 0, 128, 128);
    var net = new Netlist();
    var memory = new EchoMemory();
    var probe = new Probe();
    var timing = new AttentionTiming(64, 2048, 32, 8);
    assertEquals(20, timing.cycles(100));
    var unit = new AttentionUnit(1, 64, timing, 1 << 20, 2);
    net.add("src", new TileSource(work))
        .add("attn", unit)
        .add("mem", memory)
        .add("probe", probe)
        .connect("src.out", "attn.survivors", 1, 2, 1)
        .connect("attn.kvreq", "mem.req", 1, 2, 1)
        .connect("mem.resp", "attn.kv", 1, 2, 1)
        .connect("attn.lane0", "probe.in", 1, 2, 1);
    RunResult r = run(net);
    assertEquals(List.of(24L), probe.arrivals);
    assertEquals(List.of(50L * 2 * 128), memory.bytes);
    assertEquals(100L, r.block("attn").counters().get("kept_pairs"));
    assertEquals(2L * 100 * 64, r.block("attn").counters().get("macs.fx16"));
  }

  @Test
  void keyRowCacheFetchesOnlyWhatItLacksAndEvictsWholeHeads() {
    var cache = new KeyRowCache(10 * 4, 4); // 10 rows
    BitSet first = new BitSet();
    first.set(0, 6);
    assertEquals(6, cache.missing(0, 0, first).cardinality());
    BitSet overlap = new BitSet();
    overlap.set(4, 8);
    assertEquals(2, cache.missing(0, 0, overlap).cardinality()); // 4, 5 held
    BitSet other = new BitSet();
    other.set(0, 5);
    assertEquals(5, cache.missing(0, 1, other).cardinality()); // evicts head 0 (8 rows)
    assertEquals(6, cache.missing(0, 0, first).cardinality()); // head 0 is gone
  }

  @Test
  void burstsAreCountedOncePerTouchedBurst() {
    var shape = new LayerShape(64, 64, 1, 64, 1, false);
    var cfg = new FilterConfig(shape, new int[] {2, 4}, new long[] {1, 1}, 0, 32, 1);
    var unit = new FilterUnit(cfg, (l, h, q0, n) -> List.of(), 1, 1);
    BitSet keys = new BitSet(); // 8-byte rows: keys 0-3 share burst 0, key 4 opens burst 1
    keys.set(0);
    keys.set(3);
    assertEquals(1, unit.burstsTouched(keys));
    keys.set(4);
    keys.set(63);
    assertEquals(3, unit.burstsTouched(keys));
    var whole = unit.wholeBursts(keys); // bursts 0, 1 and 15: keys 0-7 and 60-63
    assertEquals(12, whole.cardinality());
    assertEquals(3, unit.burstsTouched(whole));
  }

  @Test
  void configurationsThatCannotWorkAreRefused() {
    var shape = new LayerShape(8, 32, 2, 64, 1, false);
    assertThrows(IllegalArgumentException.class, () -> new FilterConfig(shape,
        new int[] {4, 2}, new long[] {1, 1},
        0, 32, 1));
    assertThrows(IllegalArgumentException.class, () -> new Selector(0, 4));
    assertThrows(IllegalArgumentException.class,
        () -> new AttentionTiming(64, 0, 32, 8));
    assertThrows(IllegalArgumentException.class,
        () -> new AttentionUnit(1, 64, new AttentionTiming(64, 1, 1, 0), 0, 0));
  }
}
