package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
   * Three tied scores of 0.1: their double sum is 0.30000000000000004, the mean 0.10000000000000002,
   * one ulp above every score. The threshold is clamped to the row's range, so alpha 0 (and any
   * alpha) keeps the whole row rather than nothing.
   */
  @Test
  void tiedScoresNeverEmptyARow() {
    double[] s = {0.1, 0.1, 0.1};
    boolean[] all = {true, true, true};
    assertTrue((s[0] + s[1] + s[2]) / 3 > 0.1, "the premise: the rounded mean is above the max");
    for (double alpha : new double[] {-1, -0.5, 0, 0.5, 1}) {
      assertEquals(0.1, EnergonFilter.threshold(s, all, alpha), 0.0, "alpha " + alpha);
    }
    var tied = new double[][] {{0.1}, {0.1}, {0.1}};
    var r = EnergonFilter.standard(0).filter(new double[][] {{1}}, tied, 0, 1, null);
    assertArrayEquals(new long[] {3, 3}, r.keptPairs());
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

  /**
   * Energon's final stage on Q = (1), K = (1, 0.5, -0.25), V = (2, 4, 8), d 1, survivors {0, 1}.
   * INT16 per tensor, scale 32767 / max: Q code 32767 (1 exactly); K codes 32767, 16383.5 ->
   * 16384, -8192, so k_1 = 16384 / 32767; V scale 32767 / 8: codes 8191.75 -> 8192, 16383.5 ->
   * 16384, 32767, so v_0 = 65536 / 32767, v_1 = 131072 / 32767. Scores s_0 = 1, s_1 = 16384 /
   * 32767; z = (e^s_0 v_0 + e^s_1 v_1) / (e^s_0 + e^s_1). Key 2 (V = 8) is not a survivor and does
   * not count. Against the double survivors' attention (s_1 = 0.5, v = 2, 4) the INT16 error is
   * small but not zero.
   */
  @Test
  void finalAttentionOfTheSurvivorsInInt16ByHand() {
    double[][] v = {{2}, {4}, {8}};
    var ops = EnergonFilter.FinalOperands.of(Q, new double[][] {{1}, {0.5}, {-0.25}}, v,
        EnergonFilter.FINAL_BITS);
    boolean[][] survivors = {{true, true, false}};
    double s1 = 16384.0 / 32767;
    double v0 = 65536.0 / 32767;
    double v1 = 131072.0 / 32767;
    double expected = (Math.E * v0 + Math.exp(s1) * v1) / (Math.E + Math.exp(s1));
    var z = EnergonFilter.finalAttention(ops, 0, 1, survivors);
    assertEquals(expected, z[0][0], 1e-12);
    double exact = (Math.E * 2 + Math.exp(0.5) * 4) / (Math.E + Math.exp(0.5));
    assertNotEquals(exact, z[0][0]);
    assertEquals(exact, z[0][0], 1e-3);
  }

  /**
   * On a random head the INT16 final attention is the double attention of the same survivors
   * to within 1e-3 relative (measured 4.8e-5), and with every key surviving it is the
   * dense output.
   */
  @Test
  void finalAttentionIsCloseToDoubleAttentionOfTheSameKeys() {
    var rnd = new SplittableRandom(8);
    int l = 48;
    var q = AttentionTest.gaussian(rnd, l, 16);
    var k = AttentionTest.gaussian(rnd, l, 16);
    var v = AttentionTest.gaussian(rnd, l, 16);
    var ops = EnergonFilter.FinalOperands.of(q, k, v, EnergonFilter.FINAL_BITS);
    var survivors = EnergonFilter.standard(0).filter(q, k, 0, l, null).mask();
    var all = new boolean[l][l];
    for (boolean[] row : all) {
      java.util.Arrays.fill(row, true);
    }
    var exact = Attention.scores(q, k, 0, l);
    var dense = Attention.output(Attention.softmax(exact), v);
    var filtered = new OutputQuality();
    var full = new OutputQuality();
    var z = EnergonFilter.finalAttention(ops, 0, l, survivors);
    var zAll = EnergonFilter.finalAttention(ops, 0, l, all);
    for (int i = 0; i < l; i++) {
      filtered.add(SparseAttention.row(exact[i], survivors[i], v), z[i]);
      full.add(dense[i], zAll[i]);
    }
    assertTrue(filtered.relativeError() < 1e-3 && filtered.relativeError() > 0,
        "INT16 against double on the survivors: " + filtered.relativeError());
    assertTrue(full.relativeError() < 1e-3, "all keys: " + full.relativeError());
  }
}
