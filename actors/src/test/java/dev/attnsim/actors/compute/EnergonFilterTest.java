package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EnergonFilterTest {
  private static final double[][] Q = {{1}};
  private static final double[][] K = {{1}, {0.5}, {-0.25}, {0.75}, {0.1}};

  /**
   * Scores (2, 4, 6): mean 4. alpha 0.5: 4 + 0.5 (6 - 4) = 5. alpha -0.5: 4 - 0.5 (4 - 2) = 3.
   * alpha 1: 6 (the max), alpha -1: 2 (the min). Only alive entries count: with (2, 4) alive the
   * mean is 3 and alpha 0.5 gives 3.5.
   */
  @Test
  void thresholdByHand() {
    double[] s = {2, 4, 6};
    boolean[] all = {true, true, true};
    assertEquals(5, EnergonFilter.threshold(s, all, 0.5), 1e-12);
    assertEquals(3, EnergonFilter.threshold(s, all, -0.5), 1e-12);
    assertEquals(6, EnergonFilter.threshold(s, all, 1), 1e-12);
    assertEquals(2, EnergonFilter.threshold(s, all, -1), 1e-12);
    assertEquals(3.5, EnergonFilter.threshold(s, new boolean[] {true, true, false}, 0.5), 1e-12);
    assertTrue(Double.isNaN(EnergonFilter.threshold(s, new boolean[3], 0)));
  }

  /**
   * d = 1, INT4 per tensor, scale 7 for both. Q code 7. K codes 7, 3.5 -> 4, -1.75 -> -2, 5.25 ->
   * 5, 0.7 -> 1. Top 2 bits (code >> 2 << 2): 0111 -> 4, 0100 -> 4, 1110 -> -4, 0101 -> 4, 0001
   * -> 0. Round 1 (INT4 x INT2), in units of 1/49: 7 x (4, 4, -4, 4, 0) = (28, 28, -28, 28, 0),
   * mean 56/5 = 11.2; alpha 0 keeps keys 0, 1, 3. Round 2 (INT4 x INT4) on them: 7 x (7, 4, 5) =
   * (49, 28, 35), mean 112/3 = 37.33; alpha 0 keeps key 0 only; alpha -0.5 gives 37.33 - 0.5
   * (37.33 - 28) = 32.67 and keeps keys 0 and 3.
   */
  @Test
  void twoRoundsByHand() {
    var r = EnergonFilter.standard(0).filter(Q, K, 0, 1, null);
    assertArrayEquals(new boolean[] {true, false, false, false, false}, r.mask()[0]);
    assertArrayEquals(new long[] {5, 3}, r.scoredPairs());
    assertArrayEquals(new long[] {3, 1}, r.keptPairs());
    var loose = new EnergonFilter(4,
        List.of(new EnergonFilter.Round(4, 2, 0), new EnergonFilter.Round(4, 4, -0.5)))
        .filter(Q, K, 0, 1, null);
    assertArrayEquals(new boolean[] {true, false, false, true, false}, loose.mask()[0]);
    assertArrayEquals(new long[] {3, 2}, loose.keptPairs());
    // candidates {1, 2, 4} only: round 1 (28, -28, 0), mean 0 keeps 1 and 4; round 2 (28, 7),
    // mean 17.5 keeps key 1
    var causalLike = new boolean[][] {{false, true, true, false, true}};
    var c = EnergonFilter.standard(0).filter(Q, K, 0, 1, causalLike);
    assertArrayEquals(new boolean[] {false, true, false, false, false}, c.mask()[0]);
    assertArrayEquals(new long[] {3, 2}, c.scoredPairs());
  }

  /**
   * Random heads: survivors shrink round by round, each round scores exactly the previous
   * round's survivors, every row keeps at least one candidate, alpha -1 keeps everything, and in
   * one round a larger alpha keeps a subset.
   */
  @Test
  void survivorsShrinkAndAlphaOrdersOneRound() {
    var rnd = new SplittableRandom(8);
    var q = AttentionTest.gaussian(rnd, 32, 16);
    var k = AttentionTest.gaussian(rnd, 48, 16);
    var allowed = Attention.causalMask(16, 16, 48);
    var r = EnergonFilter.standard(0.2).filter(q, k, 16, 16, allowed);
    long candidates = 0; // rows 16..31 see 17..32 keys: 392
    for (boolean[] row : allowed) {
      for (boolean b : row) {
        candidates += b ? 1 : 0;
      }
    }
    assertEquals(392, candidates);
    assertEquals(candidates, r.scoredPairs()[0]);
    assertEquals(r.keptPairs()[0], r.scoredPairs()[1]);
    assertTrue(r.keptPairs()[1] <= r.keptPairs()[0] && r.keptPairs()[0] < candidates);
    for (int i = 0; i < 16; i++) {
      int kept = 0;
      for (int j = 0; j < 48; j++) {
        assertTrue(!r.mask()[i][j] || allowed[i][j]);
        kept += r.mask()[i][j] ? 1 : 0;
      }
      assertTrue(kept >= 1);
    }
    var all = EnergonFilter.standard(-1).filter(q, k, 16, 16, allowed);
    assertArrayEquals(new long[] {candidates, candidates}, all.keptPairs());
    boolean[][] previous = null;
    for (double alpha : new double[] {-0.6, -0.2, 0, 0.3, 0.7, 1}) {
      var m = new EnergonFilter(8, List.of(new EnergonFilter.Round(8, 8, alpha)))
          .filter(q, k, 16, 16, allowed).mask();
      if (previous != null) {
        for (int i = 0; i < 16; i++) {
          for (int j = 0; j < 48; j++) {
            assertTrue(!m[i][j] || previous[i][j], "alpha " + alpha + " row " + i + " key " + j);
          }
        }
      }
      previous = m;
    }
  }
}
