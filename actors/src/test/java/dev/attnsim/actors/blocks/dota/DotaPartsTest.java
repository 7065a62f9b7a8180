package dev.attnsim.actors.blocks.dota;

import dev.attnsim.actors.blocks.common.AttentionJob;
import dev.attnsim.actors.blocks.common.PeArray;
import dev.attnsim.actors.blocks.common.SramBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.compute.MaskBlock;
import org.junit.jupiter.api.Test;

/** The scheduler's token-parallel arithmetic and the SRAM residency model. */
class DotaPartsTest {
  private static final PeArray ARRAY = new PeArray(4, 4, PeArray.defaultMacsPerPe());
  /** Kept 16/4/4/4 over 20 distinct keys, 0..19 (a null union means "all keys below 20"). */
  private static final MaskBlock MASK =
      new MaskBlock(0, 0, 0, new int[] {16, 4, 4, 4}, 4 * 64, 20, null);
  private static final AttentionJob FETCHED = new AttentionJob(0, 0, 0, 4, 0, 0);

  /**
   * 4 x 4 array, head size 8, kept 16/4/4/4. SDDMM groups of 4 keys take 8 cycles: in order the
   * busiest row has 4 groups (32 cycles), balanced the 7 groups spread to 2 per row (16); SpMM
   * steps of 2 cycles per key: 32 in order, ceil(56 / 4) = 14 balanced; plus fill 3 + 3.
   */
  @Test
  void tokenParallelCycles() {
    var inOrder = new Scheduler(ARRAY, 8, Scheduler.Policy.IN_ORDER, 1).cost(FETCHED, MASK);
    assertEquals(32 + 6, inOrder.sddmmCycles());
    assertEquals(32 + 6, inOrder.spmmCycles());
    var balanced = new Scheduler(ARRAY, 8, Scheduler.Policy.BALANCED, 1).cost(FETCHED, MASK);
    assertEquals(16 + 6, balanced.sddmmCycles());
    assertEquals(14 + 6, balanced.spmmCycles());
    assertEquals(28L * 8, balanced.macs());
    assertEquals(2L * 20 * 8 * 2, balanced.kvBytes()); // K and V rows of 20 distinct keys
    var resident = new AttentionJob(0, 0, 0, 4, 64, 0);
    assertEquals(0, new Scheduler(ARRAY, 8, Scheduler.Policy.BALANCED, 1)
        .cost(resident, MASK).kvBytes());
    var partly = new AttentionJob(0, 0, 0, 4, 15, 0); // keys 15..19 are not on chip
    assertEquals(2L * 5 * 8 * 2, new Scheduler(ARRAY, 8, Scheduler.Policy.BALANCED, 1)
        .cost(partly, MASK).kvBytes());
  }

  @Test
  void sramKeepsWhatFitsAndEvictsTheLeastRecentlyUsed() {
    var sram = new SramBuffer(100);
    assertEquals(60, sram.read("a", 60)); // miss: fetched, now resident
    assertEquals(0, sram.read("a", 60)); // hit
    assertEquals(30, sram.read("b", 30));
    assertEquals(0, sram.read("a", 60)); // a is now most recent
    assertEquals(20, sram.read("c", 20)); // 60 + 30 + 20 > 100: evicts b, the least recent
    assertFalse(sram.holds("b"));
    assertTrue(sram.holds("a") && sram.holds("c"));
    assertEquals(500, sram.read("huge", 500)); // larger than the buffer: never cached
    assertFalse(sram.holds("huge"));
    assertEquals(0, sram.write("d", 40)); // 60 + 20 + 40 > 100: evicts a, d stays on chip
    assertFalse(sram.holds("a"));
    assertEquals(0, sram.write("e", 10));
    assertEquals(200, sram.write("big", 200)); // cannot stay on chip: goes to DRAM
    assertEquals(2, sram.hits()); // the second and third reads of a
    assertEquals(4, sram.misses());
  }

  /**
   * Regions that fill the buffer exactly all stay on chip (60 + 40 = 100 evicts nothing), a
   * region exactly as large as the buffer is cached, and rewriting a region replaces its old
   * size instead of adding to it.
   */
  @Test
  void sramFilledExactlyEvictsNothing() {
    var sram = new SramBuffer(100);
    assertEquals(60, sram.read("a", 60));
    assertEquals(40, sram.read("b", 40));
    assertTrue(sram.holds("a") && sram.holds("b"));
    assertEquals(0, sram.read("a", 60));
    assertEquals(0, sram.read("b", 40));

    var whole = new SramBuffer(100);
    assertEquals(0, whole.write("w", 100));
    assertTrue(whole.holds("w"));
    assertEquals(0, whole.write("w", 50)); // w now takes 50 of 100
    assertEquals(0, whole.write("x", 50)); // and x the other 50: both stay
    assertTrue(whole.holds("w") && whole.holds("x"));
    assertEquals(0, whole.read("w", 50));
    assertEquals(1, whole.hits());
    assertEquals(0, whole.misses());
    assertEquals(100 + 50 + 50 + 50, whole.bytesAccessed());
    assertEquals(60 + 40 + 60 + 40, sram.bytesAccessed());
  }

  @Test
  void sramOfNoBytesCachesNothingAndANegativeOneIsRefused() {
    var none = new SramBuffer(0);
    assertEquals(8, none.read("a", 8));
    assertEquals(8, none.read("a", 8));
    assertFalse(none.holds("a"));
    assertEquals(2, none.misses());
    var e = assertThrows(IllegalArgumentException.class, () -> new SramBuffer(-1));
    assertEquals("SRAM capacity must be >= 0, got -1", e.getMessage());
  }
}
