package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OracleTopKTest {

  /**
   * Row (0.3, 0.9, 0.3, 0.1, 0.9), k = 3: both 0.9s (keys 1, 4), then the 0.3 tie goes to key 0
   * over key 2. Candidates {0, 2, 3} only, k = 2: keys 0 and 2. k = 0 keeps nothing, k = 10
   * everything.
   */
  @Test
  void topKWithTiesByHand() {
    double[] s = {0.3, 0.9, 0.3, 0.1, 0.9};
    assertArrayEquals(new boolean[] {true, true, false, false, true}, OracleTopK.row(s, 3, null));
    assertArrayEquals(new boolean[] {true, false, true, false, false},
        OracleTopK.row(s, 2, new boolean[] {true, false, true, true, false}));
    assertArrayEquals(new boolean[5], OracleTopK.row(s, 0, null));
    assertArrayEquals(new boolean[] {true, true, true, true, true}, OracleTopK.row(s, 10, null));
    assertArrayEquals(new boolean[] {true, false}, OracleTopK.row(new double[] {0.0, -0.0}, 1, null));
  }

  /**
   * A short row after a long one on the same thread: the long row's values left in the thread's
   * buffer past the short row's candidates take no part (the top 2 of (5, 1, 4) are keys 0 and
   * 2, whatever larger values the buffer held).
   */
  @Test
  void aShortRowAfterALongOneSelectsOnlyItsOwnValues() {
    double[] longRow = new double[300];
    java.util.Arrays.fill(longRow, 100.0);
    OracleTopK.row(longRow, 5, null);
    assertArrayEquals(new boolean[] {true, false, true},
        OracleTopK.row(new double[] {5, 1, 4}, 2, null));
    assertArrayEquals(new boolean[] {false, true, false, true},
        OracleTopK.row(new double[] {9, 1, 9, 4}, 2, new boolean[] {false, true, false, true}));
  }

  @Test
  void perRowSizes() {
    double[][] s = {{1, 2, 3}, {3, 2, 1}};
    var m = OracleTopK.mask(s, new int[] {1, 2}, null);
    assertArrayEquals(new boolean[] {false, false, true}, m[0]);
    assertArrayEquals(new boolean[] {true, true, false}, m[1]);
  }

  /** Random rows with many ties: min(k, candidates) kept, each kept score >= each dropped one. */
  @Test
  void keptScoresDominateDroppedOnes() {
    var rnd = new SplittableRandom(3);
    for (int trial = 0; trial < 200; trial++) {
      int l = 1 + rnd.nextInt(20);
      var s = new double[l];
      var allowed = new boolean[l];
      int candidates = 0;
      for (int j = 0; j < l; j++) {
        s[j] = rnd.nextInt(5); // ties on purpose
        allowed[j] = rnd.nextInt(4) != 0;
        candidates += allowed[j] ? 1 : 0;
      }
      int k = rnd.nextInt(l + 2);
      var keep = OracleTopK.row(s, k, allowed);
      int kept = 0;
      for (int j = 0; j < l; j++) {
        if (keep[j]) {
          kept++;
          assertTrue(allowed[j]);
          for (int o = 0; o < l; o++) {
            if (allowed[o] && !keep[o]) {
              assertTrue(s[j] > s[o] || (s[j] == s[o] && j < o), "tie to the lower index");
            }
          }
        }
      }
      assertEquals(Math.min(k, candidates), kept);
    }
  }
}
