package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** FACT's whole-head prediction against its row-block function. */
class FactHeadTest {

  private static double[][] gaussian(Random rnd, int rows, int cols) {
    var m = new double[rows][cols];
    for (double[] r : m) {
      for (int c = 0; c < cols; c++) {
        r[c] = rnd.nextGaussian();
      }
    }
    return m;
  }

  /**
   * The head predicted 64 rows at a time gives, for blocks of 7 rows (the golden model's
   * partition need not be the unit's), exactly the masks {@link FactHead#attendedMask} gives on
   * the block alone, causal or not; a decided query keeps its top key only.
   */
  @Test
  void blocksOfAnySizeGiveTheWholeHeadsMasks() {
    var rnd = new Random(5);
    var p = new FactPredictor(8, 0.25);
    double[][] q = gaussian(rnd, 100, 16);
    double[][] k = gaussian(rnd, 100, 16);
    for (boolean causal : new boolean[] {false, true}) {
      var head = FactHead.predict(p, q, k, causal, 0.3, 64, true);
      int decided = 0;
      for (int q0 = 0; q0 < 100; q0 += 7) {
        int rows = Math.min(7, 100 - q0);
        boolean[][] allowed = causal ? Attention.causalMask(q0, rows, 100) : null;
        boolean[][] block = FactHead.attendedMask(p, q, k, q0, rows, allowed, 0.3);
        var mask = head.attended(0, 0, q0, rows, 0);
        boolean[] d = head.decided(q0, rows);
        for (int i = 0; i < rows; i++) {
          var expected = MaskBlock.of(0, 0, q0, new boolean[][] {block[i]}, 0).keys()[0];
          assertArrayEquals(expected, mask.keys()[i], "query " + (q0 + i));
          if (d[i]) {
            decided++;
            assertEquals(1, mask.keys()[i].length);
          }
        }
      }
      assertEquals(head.decidedQueries(), decided);
      assertTrue(decided > 0 && decided < 100, "decided " + decided);
      assertEquals(100 - decided, head.queryRows().cardinality());
      // non-causal: 25 of 100 keys per query; causal: max(1, round(0.25 x (i + 1)))
      long selected = 0;
      for (int i = 0; i < 100; i++) {
        selected += causal ? OracleTopK.keepCount(0.25, i + 1) : 25;
      }
      assertEquals(selected, head.pairsSelected());
      assertEquals(causal ? 100L * 101 / 2 : 100L * 100, head.pairsScored());
      long sum = 0;
      for (long c : head.selections()) {
        sum += c;
      }
      assertEquals(selected, sum);
      assertEquals(100 - head.unneededKeys(), head.keyRows().cardinality());
    }
  }
}
