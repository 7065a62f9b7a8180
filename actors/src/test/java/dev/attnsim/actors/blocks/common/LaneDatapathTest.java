package dev.attnsim.actors.blocks.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The lane's softmax arithmetic, by hand. */
class LaneDatapathTest {

  @Test
  void softmaxNormalisesEachRowOverItsKeptScoresOnly() {
    // exp(0) : exp(ln 3) = 1 : 3, so 0.25 and 0.75, exact in FX16 (15 fraction bits)
    var p = LaneDatapath.softmax(new double[][] {{0, Math.log(3)}, {2.0}});
    assertEquals(0.25, p[0][0], 1e-12);
    assertEquals(0.75, p[0][1], 1e-12);
    // a query that keeps one key puts all its mass there (1.0 needs 14 fraction bits)
    assertArrayEquals(new double[] {1.0}, p[1]);
  }

  @Test
  void probabilitiesAreRoundedToTheRowsGrid() {
    // three equal scores: 1/3 < 2^-1, so 16 fraction bits: 65536 / 3 = 21845.33 -> 21845
    var p = LaneDatapath.softmax(new double[][] {{1, 1, 1}});
    for (double v : p[0]) {
      assertEquals(21845 / 65536.0, v);
    }
  }
}
