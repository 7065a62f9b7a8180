package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
