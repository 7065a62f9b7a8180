package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyntheticMasksTest {
  private static final LayerShape SHAPE = new LayerShape(1024, 256, 4, 1024, 16, false);

  @Test
  void sameArgumentsGiveTheSameBlockInAnyOrder() {
    var a = new SyntheticMasks(SHAPE, 42, 0.1, 4, 16, 0.5, 0.0);
    var b = new SyntheticMasks(SHAPE, 42, 0.1, 4, 16, 0.5, 0.0);
    var late = a.block(1, 2, 512, 32);
    b.block(0, 0, 0, 32); // other blocks first
    assertArrayEquals(late.kept(), b.block(1, 2, 512, 32).kept());
    assertEquals(late.unionKeys(), b.block(1, 2, 512, 32).unionKeys());
    var other = new SyntheticMasks(SHAPE, 43, 0.1, 4, 16, 0.5, 0.0).block(1, 2, 512, 32);
    assertTrue(other.unionKeys() != late.unionKeys() || other.keptPairs() != late.keptPairs());
  }

  @Test
  void keepRatioIsRespectedOnAverageAndVariesPerQuery() {
    var masks = new SyntheticMasks(SHAPE, 1, 0.1, 4, 16, 0.5, 0.0);
    long kept = 0;
    long candidates = 0;
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int q0 = 0; q0 < 1024; q0 += 32) {
      var b = masks.block(0, 0, q0, 32);
      kept += b.keptPairs();
      candidates += b.candidates();
      for (int k : b.kept()) {
        min = Math.min(min, k);
        max = Math.max(max, k);
      }
      assertTrue(b.unionKeys() >= 17 && b.unionKeys() <= 1024); // at least the window
    }
    assertEquals(1024L * 1024, candidates);
    double ratio = (double) kept / candidates;
    assertTrue(ratio > 0.09 && ratio < 0.12, "keep ratio " + ratio);
    assertTrue(max > 2 * min, "per-query spread: " + min + ".." + max);
  }

  /** Affinity shares keys between a block's queries: fewer distinct K/V rows, same budget. */
  @Test
  void affinityShrinksTheBlocksKeyUnionButKeepsTheBudget() {
    var uniform = new SyntheticMasks(SHAPE, 5, 0.1, 4, 16, 0.0, 0.0).block(0, 1, 256, 32);
    var shared = new SyntheticMasks(SHAPE, 5, 0.1, 4, 16, 0.0, 0.8).block(0, 1, 256, 32);
    assertEquals(uniform.keptPairs(), shared.keptPairs()); // spread 0: every query keeps 102
    assertEquals(32L * 102, shared.keptPairs());
    assertTrue(shared.unionKeys() < 0.7 * uniform.unionKeys(), // pool 204 + uniform ~400
        shared.unionKeys() + " vs " + uniform.unionKeys());
  }

  @Test
  void causalQueriesOnlySeeEarlierKeys() {
    var causal = new LayerShape(256, 64, 1, 256, 8, true);
    var b = new SyntheticMasks(causal, 3, 0.5, 2, 8, 0.0, 0.0).block(0, 0, 0, 32);
    for (int i = 0; i < 32; i++) {
      assertTrue(b.kept()[i] <= i + 1, "query " + i + " keeps " + b.kept()[i]);
    }
    assertEquals(32L * 33 / 2, b.candidates());
    var dense = MaskSource.dense(causal).block(0, 0, 224, 32);
    assertEquals(256, dense.unionKeys());
    assertEquals(225, dense.kept()[0]);
  }

  /**
   * A keep ratio too small to add anything leaves each query its local window, 2 keys on each
   * side cut at the sequence's ends (encoder) or at the query itself (causal), and no more.
   */
  @Test
  void aQueryKeepsItsWindowCutAtTheEnds() {
    var encoder = new LayerShape(16, 16, 1, 16, 4, false);
    var causal = new LayerShape(16, 16, 1, 16, 4, true);
    var e = new SyntheticMasks(encoder, 7, 0.01, 0, 4, 0, 0).block(0, 0, 0, 16);
    assertArrayEquals(new int[] {3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 3}, e.kept());
    assertEquals(16, e.unionKeys());
    assertEquals(16 * 16, e.candidates());
    var c = new SyntheticMasks(causal, 7, 0.01, 0, 4, 0, 0).block(0, 0, 0, 16);
    assertArrayEquals(new int[] {1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, c.kept());
    assertEquals(16, c.unionKeys());
    var last = new SyntheticMasks(encoder, 7, 0.01, 0, 0, 0, 0).block(0, 0, 12, 8);
    assertArrayEquals(new int[] {1, 1, 1, 1}, last.kept()); // window 0: the query alone
    assertEquals(4, last.unionKeys());
  }

  /**
   * With no spread every query keeps exactly round(ratio x candidates) keys, whichever way they
   * are drawn: sparse (random picks), dense (random keys left out), everything, or from the
   * block's shared pool.
   */
  @Test
  void withoutSpreadEveryQueryKeepsExactlyItsBudget() {
    var encoder = new LayerShape(64, 16, 1, 16, 4, false);
    var causal = new LayerShape(64, 16, 1, 16, 4, true);
    for (double affinity : new double[] {0, 0.5, 1}) {
      for (double ratio : new double[] {0.25, 0.9, 1}) {
        var e = new SyntheticMasks(encoder, 3, ratio, 2, 4, 0, affinity).block(0, 0, 32, 8);
        for (int k : e.kept()) {
          assertEquals(Math.round(ratio * 64), k, "ratio " + ratio + " affinity " + affinity);
        }
        var c = new SyntheticMasks(causal, 3, ratio, 2, 4, 0, affinity).block(0, 0, 40, 8);
        for (int i = 0; i < 8; i++) {
          long budget = Math.round(ratio * (41 + i));
          assertEquals(Math.max(budget, 3), c.kept()[i], "causal query " + (40 + i));
        }
      }
    }
  }

  @Test
  void settingsAtTheirLimitsAreAcceptedAndBeyondRefused() {
    new SyntheticMasks(SHAPE, 1, 1.0, 0, 0, 0, 0);
    new SyntheticMasks(SHAPE, 1, 1e-9, 0, 0, 0, 1);
    for (var bad : new Runnable[] {
        () -> new SyntheticMasks(SHAPE, 1, 0, 0, 0, 0, 0),
        () -> new SyntheticMasks(SHAPE, 1, 1.01, 0, 0, 0, 0),
        () -> new SyntheticMasks(SHAPE, 1, 0.5, -1, 0, 0, 0),
        () -> new SyntheticMasks(SHAPE, 1, 0.5, 0, -1, 0, 0),
        () -> new SyntheticMasks(SHAPE, 1, 0.5, 0, 0, -0.1, 0),
        () -> new SyntheticMasks(SHAPE, 1, 0.5, 0, 0, 0, -0.1),
        () -> new SyntheticMasks(SHAPE, 1, 0.5, 0, 0, 0, 1.1)}) {
      assertThrows(IllegalArgumentException.class, bad::run);
    }
  }
}
