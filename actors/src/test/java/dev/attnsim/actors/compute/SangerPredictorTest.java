package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SangerPredictorTest {

  /**
   * d = 4, so scores are halved. Q = (1,0,0,0): INT4 scale 7, exact. K rows (1,0,0,0),
   * (0.5,0,0,0), (0,0,0,1), (-1,0,0,0): scale 7, codes 7, 3.5 -> 4, 7, -7, dequantised 1, 4/7, 1,
   * -1. Scores (1, 4/7, 0, -1) / 2 = (0.5, 0.285714, 0, -0.5) (exact would give 0.25 for key 1).
   * exp: 1.6487213, 1.3307121, 1, 0.6065307, sum 4.5859641: S^ = 0.3595146, 0.2901707,
   * 0.2180567, 0.1322580. T = 0.2 keeps keys 0..2, T = 0.25 keys 0 and 1.
   */
  @Test
  void predictionByHand() {
    double[][] q = {{1, 0, 0, 0}};
    double[][] k = {{1, 0, 0, 0}, {0.5, 0, 0, 0}, {0, 0, 0, 1}, {-1, 0, 0, 0}};
    var p = new SangerPredictor().predictedProbs(q, k, 0, 1, null);
    assertArrayEquals(new double[] {0.3595146, 0.2901707, 0.2180567, 0.1322580}, p[0], 1e-7);
    assertArrayEquals(new boolean[] {true, true, true, false},
        new SangerPredictor(4, 0.2).mask(q, k, 0, 1, null)[0]);
    assertArrayEquals(new boolean[] {true, true, false, false},
        new SangerPredictor(4, 0.25).mask(q, k, 0, 1, null)[0]);
    var causal = new SangerPredictor(4, 0.2).mask(q, k, 0, 1, Attention.causalMask(0, 1, 4));
    assertArrayEquals(new boolean[] {true, false, false, false}, causal[0]); // only key 0 exists
  }

  /**
   * The same row at T = 0.4: no key clears it (the best is 0.3595), so the row keeps its most
   * probable key, key 0, instead of nothing; under the causal mask of query 0 only key 0 is a
   * candidate. Tied best keys keep the lowest.
   */
  @Test
  void aRowWithNothingAboveTKeepsItsBestKey() {
    double[][] q = {{1, 0, 0, 0}};
    double[][] k = {{1, 0, 0, 0}, {0.5, 0, 0, 0}, {0, 0, 0, 1}, {-1, 0, 0, 0}};
    assertArrayEquals(new boolean[] {true, false, false, false},
        new SangerPredictor(4, 0.4).mask(q, k, 0, 1, null)[0]);
    double[][] reversed = {{-1, 0, 0, 0}, {0, 0, 0, 1}, {0.5, 0, 0, 0}, {1, 0, 0, 0}};
    assertArrayEquals(new boolean[] {false, false, false, true},
        new SangerPredictor(4, 0.4).mask(q, reversed, 0, 1, null)[0]);
    double[][] tied = {{0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    assertArrayEquals(new boolean[] {true, false, false},
        new SangerPredictor(4, 0.5).mask(q, tied, 0, 1, null)[0]);
    var causal = new SangerPredictor(4, 0.99).mask(q, reversed, 0, 1,
        Attention.causalMask(0, 1, 4));
    assertArrayEquals(new boolean[] {true, false, false, false}, causal[0]);
  }

  /**
   * Piece width 4, peN 2. Row 0 = 1101 0000: piece 0 has 3 -> 2 segments, piece 1 skipped. Row 1
   * empty: both skipped. Row 2 = 1111 0100: 4 -> 2 segments, 1 -> 1 segment. Pieces 6, non-empty
   * 3, segments 5, filled 3 + 4 + 1 = 8, utilisation 8 / (5 x 2) = 0.8.
   */
  @Test
  void packAndSplitByHand() {
    boolean[][] m = {
        bits("11010000"), bits("00000000"), bits("11110100")};
    var s = SangerPredictor.packAndSplit(m, 4, 2);
    assertEquals(new SangerPredictor.PackStats(6, 3, 5, 8, 2), s);
    assertEquals(0.8, s.utilisation(), 1e-12);
    // a 6-wide row in pieces of 4: 1110 | 11 -> 2 + 1 segments of 2, 5 filled, 5/6
    var ragged = SangerPredictor.packAndSplit(new boolean[][] {bits("111011")}, 4, 2);
    assertEquals(new SangerPredictor.PackStats(2, 2, 3, 5, 2), ragged);
    // Sanger's 64 x 16: a row of 100 keys all kept: pieces 64 + 36 -> 4 + 3 segments, 100 / 112
    var full = new boolean[1][100];
    java.util.Arrays.fill(full[0], true);
    assertEquals(100.0 / 112, SangerPredictor.packAndSplit(full).utilisation(), 1e-12);
  }

  /**
   * Random Q, K: a higher threshold keeps a subset, 16-bit prediction is close to the exact
   * probabilities, and pack-and-split fills exactly the kept slots.
   */
  @Test
  void thresholdIsMonotoneAndPackingCountsEveryKeptKey() {
    var rnd = new SplittableRandom(5);
    var q = AttentionTest.gaussian(rnd, 40, 16);
    var k = AttentionTest.gaussian(rnd, 40, 16);
    var loose = new SangerPredictor(4, 1e-3).mask(q, k, 8, 16, null);
    var tight = new SangerPredictor(4, 2e-2).mask(q, k, 8, 16, null);
    long keptLoose = 0;
    for (int i = 0; i < 16; i++) {
      for (int j = 0; j < 40; j++) {
        assertTrue(!tight[i][j] || loose[i][j]);
        keptLoose += loose[i][j] ? 1 : 0;
      }
    }
    var stats = SangerPredictor.packAndSplit(loose, 8, 3);
    assertEquals(keptLoose, stats.filledSlots());
    assertTrue(stats.segments() * 3 >= keptLoose && stats.utilisation() <= 1);
    var exact = Attention.softmax(Attention.scores(q, k, 8, 16));
    var p16 = new SangerPredictor(16, 2e-3).predictedProbs(q, k, 8, 16, null);
    for (int i = 0; i < 16; i++) {
      assertArrayEquals(exact[i], p16[i], 1e-3);
    }
  }

  private static boolean[] bits(String s) {
    var b = new boolean[s.length()];
    for (int i = 0; i < s.length(); i++) {
      b[i] = s.charAt(i) == '1';
    }
    return b;
  }
}
