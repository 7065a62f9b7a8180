package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FactDecisionsTest {

  /**
   * Predicted (1, 4, 2.5, 0): key 1 leads key 2 by 1.5, so the query is decided at a gap of 1
   * (1.5 > 1) and not at 1.5 (not >). Without key 1 as a candidate, key 2 leads key 0 by 1.5.
   * (1, 3, 3, 0.5): two keys tie, gap 0, the lower key is the top one.
   */
  @Test
  void topKeyAndGapByHand() {
    double[] a = {1, 4, 2.5, 0};
    assertEquals(1, FactDecisions.topKey(a, null));
    assertEquals(1.5, FactDecisions.topGap(a, null), 1e-12);
    assertTrue(FactDecisions.decided(a, null, 1));
    assertFalse(FactDecisions.decided(a, null, 1.5));
    boolean[] without1 = {true, false, true, true};
    assertEquals(2, FactDecisions.topKey(a, without1));
    assertEquals(1.5, FactDecisions.topGap(a, without1), 1e-12);
    double[] tie = {1, 3, 3, 0.5};
    assertEquals(1, FactDecisions.topKey(tie, null));
    assertEquals(0, FactDecisions.topGap(tie, null));
    assertFalse(FactDecisions.decided(tie, null, 0));
  }

  /** One candidate (causal row 0): gap +infinity, decided; no candidate: NaN, key -1, not. */
  @Test
  void oneCandidateIsDecidedNoneIsNot() {
    double[] a = {2, 5};
    boolean[] one = {true, false};
    assertEquals(Double.POSITIVE_INFINITY, FactDecisions.topGap(a, one));
    assertTrue(FactDecisions.decided(a, one, 1e9));
    assertEquals(0, FactDecisions.topKey(a, one));
    boolean[] none = {false, false};
    assertTrue(Double.isNaN(FactDecisions.topGap(a, none)));
    assertFalse(FactDecisions.decided(a, none, 0));
    assertEquals(-1, FactDecisions.topKey(a, none));
  }

  /**
   * Two blocks of one head. Block 1 selects keys {0, 2} and {0}: counts (2, 0, 1, 0), keys 1 and
   * 3 unneeded. Block 2 selects {3}: counts (2, 0, 1, 1), key 1 alone is never generated.
   */
  @Test
  void selectionsAndUnneededKeysByHand() {
    var counts = new long[4];
    FactDecisions.countSelections(new boolean[][] {{true, false, true, false},
        {true, false, false, false}}, counts);
    assertArrayEquals(new long[] {2, 0, 1, 0}, counts);
    assertEquals(2, FactDecisions.unneededKeys(counts));
    FactDecisions.countSelections(new boolean[][] {{false, false, false, true}}, counts);
    assertArrayEquals(new long[] {2, 0, 1, 1}, counts);
    assertEquals(1, FactDecisions.unneededKeys(counts));
    assertThrows(IllegalArgumentException.class,
        () -> FactDecisions.countSelections(new boolean[][] {{true}}, counts));
  }

  /**
   * L 4 queries, h 2 heads, keep 25 %: the average count L h k% is 2. Counts (5, 2, 0, 1): r = 1
   * (threshold 2) gives key 0 alone the full-precision FFN (2 is not above 2); r = 0.5
   * (threshold 1) keys 0 and 1; r = 0 every token selected at least once.
   */
  @Test
  void ffnPrecisionByHand() {
    long[] counts = {5, 2, 0, 1};
    assertArrayEquals(new boolean[] {true, false, false, false},
        FactDecisions.fullPrecisionFfn(counts, 4, 2, 0.25, 1));
    assertArrayEquals(new boolean[] {true, true, false, false},
        FactDecisions.fullPrecisionFfn(counts, 4, 2, 0.25, 0.5));
    assertArrayEquals(new boolean[] {true, true, false, true},
        FactDecisions.fullPrecisionFfn(counts, 4, 2, 0.25, 0));
    assertThrows(IllegalArgumentException.class,
        () -> FactDecisions.fullPrecisionFfn(counts, 4, 2, 0, 1));
  }

  /**
   * Ties: the lower key is the top one, and a repeated maximum leaves a gap of 0 (the second
   * highest equals the highest). Only candidates count.
   */
  @Test
  void tiesAndCandidatesByHand() {
    double[] p = {5, 7, 7, 1};
    assertEquals(1, FactDecisions.topKey(p, null));
    assertEquals(0.0, FactDecisions.topGap(p, null));
    assertEquals(0, FactDecisions.topKey(new double[] {2, 2}, null));
    boolean[] allowed = {true, false, true, true};
    assertEquals(2, FactDecisions.topKey(p, allowed));
    assertEquals(2.0, FactDecisions.topGap(p, allowed)); // 7 - 5
    assertEquals(2.0, FactDecisions.topGap(new double[] {1, 5, 3}, null)); // 5 - 3, 3 after 5
    assertEquals(2.0, FactDecisions.topGap(new double[] {5, 1, 3}, null)); // second after first
    assertEquals(-1, FactDecisions.topKey(p, new boolean[4]));
  }

  /** Full precision above r L h keep exactly: a count equal to the threshold is not above it. */
  @Test
  void fullPrecisionFfnAboveTheThresholdOnlyAndItsLimits() {
    // threshold 1.0 x 4 x 2 x 0.5 = 4
    assertArrayEquals(new boolean[] {false, false, true},
        FactDecisions.fullPrecisionFfn(new long[] {3, 4, 5}, 4, 2, 0.5, 1.0));
    assertArrayEquals(new boolean[] {false, true},
        FactDecisions.fullPrecisionFfn(new long[] {0, 1}, 1, 1, 1.0, 0)); // L, h, keep at 1, r 0
    for (var bad : new Runnable[] {
        () -> FactDecisions.fullPrecisionFfn(new long[1], 0, 1, 0.5, 1),
        () -> FactDecisions.fullPrecisionFfn(new long[1], 1, 0, 0.5, 1),
        () -> FactDecisions.fullPrecisionFfn(new long[1], 1, 1, 0, 1),
        () -> FactDecisions.fullPrecisionFfn(new long[1], 1, 1, 1.5, 1),
        () -> FactDecisions.fullPrecisionFfn(new long[1], 1, 1, 0.5, -1)}) {
      assertThrows(IllegalArgumentException.class, bad::run);
    }
  }
}
