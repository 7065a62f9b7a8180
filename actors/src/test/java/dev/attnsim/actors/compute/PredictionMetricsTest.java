package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PredictionMetricsTest {
  private static final double EPS = 1e-12;
  private static final double[][] SCORES = {
      {Math.log(1), Math.log(2), Math.log(3), Math.log(4)}, // softmax .1 .2 .3 .4
      {0, 0, Math.log(2), Math.log(4)}}; // softmax .125 .125 .25 .5

  /**
   * Row 0 keeps keys {0, 3}: the oracle top-2 is {3, 2}, so 1 of 2 is right (0.5); mass .1 + .4 =
   * .5. Row 1 keeps {3}: oracle top-1 {3}, accuracy 1; mass .5. Kept 3 of 8 pairs: omitted 5/8 =
   * .625; accuracy (0.5 + 1) / 2 = .75; mass (.5 + .5) / 2 = .5.
   */
  @Test
  void figuresByHand() {
    boolean[][] p = {{true, false, false, true}, {false, false, false, true}};
    var m = PredictionMetrics.of(SCORES, p);
    assertEquals(8, m.candidates());
    assertEquals(3, m.kept());
    assertEquals(0.625, m.omittedFraction(), EPS);
    assertEquals(0.75, m.accuracy(), EPS);
    assertEquals(0.5, m.massKept(), EPS);
  }

  /**
   * Candidates {0, 1, 2} in row 0 (softmax 1/6, 2/6, 3/6) and all of row 1. Row 0 keeps {1}:
   * oracle top-1 among candidates is {2}, accuracy 0, mass 1/3. Row 1 keeps nothing: left out of
   * the accuracy, mass 0. Omitted 1 - 1/7; accuracy 0; mass (1/3 + 0) / 2 = 1/6.
   */
  @Test
  void candidatesAndEmptyRowsByHand() {
    boolean[][] allowed = {{true, true, true, false}, {true, true, true, true}};
    boolean[][] p = {{false, true, false, false}, {false, false, false, false}};
    var m = PredictionMetrics.of(SCORES, p, allowed);
    assertEquals(7, m.candidates());
    assertEquals(1 - 1.0 / 7, m.omittedFraction(), EPS);
    assertEquals(0.0, m.accuracy(), EPS);
    assertEquals(1.0 / 6, m.massKept(), EPS);
    assertTrue(Double.isNaN(PredictionMetrics.of(SCORES, new boolean[2][4]).accuracy()));
    boolean[][] outside = {{false, false, false, true}, {false, false, false, false}};
    assertThrows(IllegalArgumentException.class,
        () -> PredictionMetrics.of(SCORES, outside, allowed));
  }

  /**
   * Random scores and per-row budgets: the oracle has accuracy 1 and at least the mass of any
   * other mask with the same per-row sizes; the dense mask keeps mass 1.
   */
  @Test
  void oracleIsExactAndKeepsTheMostMass() {
    var rnd = new SplittableRandom(2024);
    for (int trial = 0; trial < 100; trial++) {
      int rows = 1 + rnd.nextInt(6);
      int l = 2 + rnd.nextInt(30);
      var s = AttentionTest.gaussian(rnd, rows, l);
      var sizes = new int[rows];
      for (int i = 0; i < rows; i++) {
        sizes[i] = 1 + rnd.nextInt(l);
      }
      var oracle = PredictionMetrics.of(s, OracleTopK.mask(s, sizes, null));
      assertEquals(1.0, oracle.accuracy(), EPS);
      for (int other = 0; other < 5; other++) {
        var random = new boolean[rows][l];
        for (int i = 0; i < rows; i++) {
          var scores = new double[l];
          for (int j = 0; j < l; j++) {
            scores[j] = rnd.nextDouble();
          }
          random[i] = OracleTopK.row(scores, sizes[i], null); // a random subset of the same size
        }
        var m = PredictionMetrics.of(s, random);
        assertEquals(oracle.kept(), m.kept());
        assertTrue(m.massKept() <= oracle.massKept() + EPS);
        assertTrue(m.accuracy() <= 1.0 + EPS);
      }
      var dense = new boolean[rows][l];
      for (boolean[] row : dense) {
        java.util.Arrays.fill(row, true);
      }
      var d = PredictionMetrics.of(s, dense);
      assertEquals(1.0, d.massKept(), EPS);
      assertEquals(0.0, d.omittedFraction(), EPS);
    }
  }
}
