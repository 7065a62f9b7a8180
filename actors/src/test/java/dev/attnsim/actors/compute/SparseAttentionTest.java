package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SparseAttentionTest {
  private static final double[][] V = {{1, 0}, {0, 1}, {10, 10}};

  /**
   * Scores (ln 3, 0, 100), keys 0 and 1 kept: p = (3, 1) / 4 and z = (0.75, 0.25). The dropped
   * key's score (100, which would take all the mass) and value are never read.
   */
  @Test
  void softmaxOverTheKeptKeysOnlyByHand() {
    double[] s = {Math.log(3), 0, 100};
    assertArrayEquals(new double[] {0.75, 0.25},
        SparseAttention.row(s, new boolean[] {true, true, false}, V), 1e-12);
    // everything kept: the dense row, key 2 holds all but e^-95 of the mass
    assertArrayEquals(new double[] {10, 10},
        SparseAttention.row(s, new boolean[] {true, true, true}, V), 1e-9);
    assertArrayEquals(new double[] {0, 1},
        SparseAttention.row(s, new boolean[] {false, true, false}, V), 1e-12);
  }

  @Test
  void aRowKeepingNothingIsZeroAndShapesAreChecked() {
    assertArrayEquals(new double[] {0, 0},
        SparseAttention.row(new double[] {1, 2, 3}, new boolean[3], V));
    assertThrows(IllegalArgumentException.class,
        () -> SparseAttention.row(new double[] {1, 2}, new boolean[2], V));
  }

  /**
   * A shared row gives {@link SparseAttention#row}'s bits under every mask: masks keeping the
   * candidates' largest score (exponentials shared), one that drops it (worked out afresh), one
   * keeping nothing, and a second row whose exponentials must not be the first's.
   */
  @Test
  void aSharedRowGivesTheBitsOfOneRowAtATime() {
    var rnd = new java.util.SplittableRandom(3);
    int keys = 12;
    double[][] v = new double[keys][5];
    for (double[] row : v) {
      for (int c = 0; c < row.length; c++) {
        row[c] = rnd.nextDouble(-2, 2);
      }
    }
    boolean[] allowed = new boolean[keys];
    java.util.Arrays.fill(allowed, 0, 9, true); // keys 9.. are not candidates (a causal row)
    var shared = new SparseAttention.SharedRow(keys);
    for (int r = 0; r < 2; r++) {
      double[] s = new double[keys];
      for (int j = 0; j < keys; j++) {
        s[j] = rnd.nextDouble(-4, 4);
      }
      s[10] = 50; // the row's largest score, not a candidate
      int best = 0;
      for (int j = 1; j < 9; j++) {
        best = s[j] > s[best] ? j : best;
      }
      shared.of(s, allowed);
      for (int m = 0; m < 6; m++) {
        boolean[] kept = new boolean[keys];
        for (int j = 0; j < 9; j++) {
          kept[j] = m != 5 && rnd.nextBoolean();
        }
        kept[best] = m % 2 == 0; // odd masks drop the largest candidate
        double[] expected = SparseAttention.row(s, kept, v);
        int[] keptKeys = new int[keys];
        double[] got = shared.row(keptKeys, SparseAttention.indices(kept, keptKeys), v);
        for (int c = 0; c < expected.length; c++) {
          org.junit.jupiter.api.Assertions.assertEquals(
              Double.doubleToRawLongBits(expected[c]), Double.doubleToRawLongBits(got[c]),
              "row " + r + " mask " + m + " column " + c);
        }
      }
    }
    // no candidates and nothing kept: zeros, not 0 / 0
    shared.of(new double[keys], new boolean[keys]);
    assertArrayEquals(new double[5], shared.row(new int[keys], 0, v));
    assertThrows(IllegalArgumentException.class, () -> shared.of(new double[keys + 1], null));
  }
}
