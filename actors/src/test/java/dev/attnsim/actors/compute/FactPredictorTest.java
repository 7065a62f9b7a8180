package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FactPredictorTest {

  /** 13 = 1101 -> 1000 = 8; -5 -> -4; 127 -> 64; 1 -> 1; 0 -> 0. */
  @Test
  void leadingOneByHand() {
    assertEquals(8, FactPredictor.leadingOne(13));
    assertEquals(-4, FactPredictor.leadingOne(-5));
    assertEquals(64, FactPredictor.leadingOne(127));
    assertEquals(1, FactPredictor.leadingOne(1));
    assertEquals(0, FactPredictor.leadingOne(0));
  }

  /**
   * INT4, scale 7 for both. X = (1, 0.5): codes 7, 3.5 -> 4, leading ones 4, 4. W = (1, 1)^T:
   * codes 7, 7 -> 4, 4. X W ~ (16 + 16) / 49 = 0.6530612 (exact 1.5). W = (1, -0.25)^T: codes 7,
   * -1.75 -> -2, leading ones 4, -2: (16 - 8) / 49 = 0.1632653 (exact 0.875).
   */
  @Test
  void logProductByHand() {
    var fact = new FactPredictor(4, 0.5);
    assertEquals(32.0 / 49,
        fact.logProduct(new double[][] {{1, 0.5}}, new double[][] {{1}, {1}})[0][0], 1e-12);
    assertEquals(8.0 / 49,
        fact.logProduct(new double[][] {{1, 0.5}}, new double[][] {{1}, {-0.25}})[0][0], 1e-12);
  }

  /**
   * INT4, d_head 2. Q^ = (1, 0): codes (7, 0), leading ones (4, 0). K^ rows (1, 0), (0.5, 0.5),
   * (-1, 0), (0.25, 1): codes (7, 0), (4, 4), (-7, 0), (2, 7), leading ones (4, 0), (4, 4), (-4,
   * 0), (2, 4). Dots with (4, 0): 16, 16, -16, 8, over 49 sqrt 2: 0.2308952, 0.2308952,
   * -0.2308952, 0.1154476. Half of 4 candidates keeps keys 0 and 1; a quarter keeps key 0 (the
   * tie goes to the lower key); keys 2 and 3 are then never generated.
   */
  @Test
  void scoresAndSelectionByHand() {
    double[][] q = {{1, 0}};
    double[][] k = {{1, 0}, {0.5, 0.5}, {-1, 0}, {0.25, 1}};
    var s = new FactPredictor(4, 0.5).scores(q, k, 0, 1);
    double u = 16 / (49 * Math.sqrt(2));
    assertArrayEquals(new double[] {u, u, -u, u / 2}, s[0], 1e-12);
    var half = new FactPredictor(4, 0.5).select(s, null);
    assertArrayEquals(new boolean[] {true, true, false, false}, half[0]);
    assertEquals(2, FactPredictor.unselectedKeys(half));
    assertArrayEquals(new boolean[] {true, false, false, false},
        new FactPredictor(4, 0.25).select(s, null)[0]);
  }

  /**
   * INT2 codes are -1, 0, 1, their own leading ones: the log product is then exactly the product
   * of the quantised operands. On a random head (d 64, d_head 16, l 64) at INT8 the top-25 %
   * prediction keeps exactly a quarter and clearly beats chance (0.25): measured 0.744.
   */
  @Test
  void exactOnPowersOfTwoAndBetterThanChance() {
    var rnd = new SplittableRandom(21);
    var a = AttentionTest.gaussian(rnd, 6, 9);
    var b = AttentionTest.gaussian(rnd, 9, 4);
    var exact = Attention.multiply(Quantizer.roundTrip(a, 2), Quantizer.roundTrip(b, 2));
    var log = new FactPredictor(2, 0.25).logProduct(a, b);
    for (int i = 0; i < 6; i++) {
      assertArrayEquals(exact[i], log[i], 1e-12);
    }
    int l = 64;
    var x = AttentionTest.gaussian(rnd, l, 64);
    var wq = AttentionTest.gaussian(rnd, 64, 16);
    var wk = AttentionTest.gaussian(rnd, 64, 16);
    var scores = Attention.scores(Attention.multiply(x, wq), Attention.multiply(x, wk), 0, l);
    var mask = new FactPredictor().mask(x, wq, wk, 0, l, null);
    var m = PredictionMetrics.of(scores, mask);
    assertEquals(0.75, m.omittedFraction(), 1e-12);
    assertTrue(m.accuracy() > 0.5, "accuracy " + m.accuracy());
  }
}
