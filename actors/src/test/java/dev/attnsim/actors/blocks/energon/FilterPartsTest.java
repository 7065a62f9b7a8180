package dev.attnsim.actors.blocks.energon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnsim.actors.blocks.common.AttentionUnit;
import dev.attnsim.actors.blocks.common.KeyRowCache;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.kernel.Precision;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The filter unit's settings and its key-row buffer, by hand. */
class FilterPartsTest {
  private static final LayerShape SHAPE = new LayerShape(10, 18, 2, 64, 4, false); // d_head 9

  private static BitSet rows(int... r) {
    var b = new BitSet();
    for (int x : r) {
      b.set(x);
    }
    return b;
  }

  /**
   * A buffer of 10 rows. Head (0, 0) takes 6 rows, then 3 more; head (0, 1) one, which fills the
   * buffer exactly and is kept. Head (1, 0) needs 2: the least recently used head, (0, 0), is
   * evicted whole (9 rows), so (1, 0)'s rows are kept and (0, 0)'s must be fetched again.
   */
  @Test
  void keyRowCacheFetchesOnlyMissingRowsAndEvictsWholeHeads() {
    var cache = new KeyRowCache(100, 10);
    assertEquals(rows(0, 1, 2, 3, 4, 5), cache.missing(0, 0, rows(0, 1, 2, 3, 4, 5)));
    assertEquals(rows(6, 7, 8), cache.missing(0, 0, rows(3, 4, 5, 6, 7, 8)));
    assertEquals(rows(0), cache.missing(0, 1, rows(0)));
    assertEquals(rows(), cache.missing(0, 1, rows(0)));
    assertEquals(rows(0, 1), cache.missing(1, 0, rows(0, 1)));
    assertEquals(rows(), cache.missing(1, 0, rows(0, 1)));
    assertEquals(rows(), cache.missing(0, 1, rows(0)));
    assertEquals(rows(2), cache.missing(0, 0, rows(2)));
  }

  @Test
  void keyRowCacheOfNoRowsKeepsNothing() {
    var none = new KeyRowCache(100, 0);
    assertEquals(rows(1), none.missing(0, 0, rows(1)));
    assertEquals(rows(1), none.missing(0, 0, rows(1)));
    var small = new KeyRowCache(15, 10); // one row
    assertEquals(rows(1, 2), small.missing(0, 0, rows(1, 2))); // does not fit: not kept
    assertEquals(rows(1, 2), small.missing(0, 0, rows(1, 2)));
  }

  /** One round of 1-bit keys at 1 MAC a cycle, no plane buffer, bursts of 1 B: the smallest. */
  @Test
  void filterConfigAcceptsTheSmallestAndRefusesTheRest() {
    var one = new FilterConfig(SHAPE, new int[] {1}, new long[] {1}, 0, 1, 1);
    assertEquals(1, one.rounds());
    assertEquals(1, one.newPlanes(0));
    var two = new FilterConfig(SHAPE, new int[] {2, 5}, new long[] {64, 32}, 0, 32, 2);
    assertEquals(2, two.newPlanes(0));
    assertEquals(3, two.newPlanes(1));
    assertEquals(Precision.INT2, two.precision(0));
    assertEquals(Precision.INT8, two.precision(1));
    assertEquals(2, two.planeRowBytes()); // ceil(9 / 8)
    assertEquals(12, two.planeBytes()); // ceil(10 x 9 / 8)
    assertEquals(Precision.INT4, FilterConfig.roundPrecision(3));
    assertEquals(Precision.INT4, FilterConfig.roundPrecision(4));
    for (var bad : new Runnable[] {
        () -> new FilterConfig(SHAPE, new int[] {}, new long[] {}, 0, 1, 1),
        () -> new FilterConfig(SHAPE, new int[] {2}, new long[] {1, 1}, 0, 1, 1),
        () -> new FilterConfig(SHAPE, new int[] {0}, new long[] {1}, 0, 1, 1),
        () -> new FilterConfig(SHAPE, new int[] {2, 2}, new long[] {1, 1}, 0, 1, 1),
        () -> new FilterConfig(SHAPE, new int[] {1}, new long[] {0}, 0, 1, 1),
        () -> new FilterConfig(SHAPE, new int[] {1}, new long[] {1}, -1, 1, 1),
        () -> new FilterConfig(SHAPE, new int[] {1}, new long[] {1}, 0, 0, 1),
        () -> new FilterConfig(SHAPE, new int[] {1}, new long[] {1}, 0, 1, 0)}) {
      assertThrows(IllegalArgumentException.class, bad::run);
    }
  }

  /**
   * One lane, head size 1, 1 MAC and 1 softmax element a cycle, no latency, window 1, no K/V
   * buffer: the smallest attention unit and timing; each zero (or negative latency) refused.
   */
  @Test
  void attentionUnitAcceptsTheSmallestSettingsAndRefusesZero() {
    var timing = new AttentionTiming(1, 1, 1, 0);
    var unit = new AttentionUnit(1, 1, timing, 0, 1);
    assertEquals(List.of("kvreq", "lane0"), unit.outputs().stream().map(p -> p.name()).toList());
    assertEquals(3, new AttentionUnit(3, 8, new AttentionTiming(8, 64, 32, 8), 0, 1).outputs()
        .size() - 1);
    for (var bad : new Runnable[] {
        () -> new AttentionUnit(0, 1, timing, 0, 1),
        () -> new AttentionUnit(1, 0, timing, 0, 1),
        () -> new AttentionUnit(1, 1, timing, -1, 1),
        () -> new AttentionUnit(1, 1, timing, 0, 0),
        () -> new AttentionTiming(0, 1, 1, 0),
        () -> new AttentionTiming(1, 0, 1, 0),
        () -> new AttentionTiming(1, 1, 0, 0),
        () -> new AttentionTiming(1, 1, 1, -1)}) {
      assertThrows(IllegalArgumentException.class, bad::run);
    }
  }
}
