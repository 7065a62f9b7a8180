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
}
