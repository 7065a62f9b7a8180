package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OutputQualityTest {

  /**
   * Reference rows (3, 4) and (0, 0), approximations (3, 0) and (0, 1). sum r^2 = 25, sum a^2 =
   * 10, sum (a - r)^2 = 16 + 1 = 17, sum a r = 9: relative error sqrt(17 / 25) = 0.8246, cosine 9
   * / sqrt(10 x 25) = 0.5692. Split over two accumulators merged, the same figures.
   */
  @Test
  void errorAndCosineByHand() {
    var q = new OutputQuality();
    q.add(new double[] {3, 4}, new double[] {3, 0});
    q.add(new double[] {0, 0}, new double[] {0, 1});
    assertEquals(Math.sqrt(17.0 / 25), q.relativeError(), 1e-12);
    assertEquals(9 / Math.sqrt(250), q.cosine(), 1e-12);

    var first = new OutputQuality();
    first.add(new double[] {3, 4}, new double[] {3, 0});
    var second = new OutputQuality();
    second.add(new double[] {0, 0}, new double[] {0, 1});
    first.add(second);
    assertEquals(q.relativeError(), first.relativeError(), 0);
    assertEquals(q.cosine(), first.cosine(), 0);
  }

  /** An exact copy: error 0, cosine 1; a scaled copy (x2): error 1, cosine 1; nothing: NaN. */
  @Test
  void exactScaledAndEmpty() {
    var exact = new OutputQuality();
    exact.add(new double[] {1, -2}, new double[] {1, -2});
    assertEquals(0, exact.relativeError(), 0);
    assertEquals(1, exact.cosine(), 1e-15);
    var scaled = new OutputQuality();
    scaled.add(new double[] {1, -2}, new double[] {2, -4});
    assertEquals(1, scaled.relativeError(), 1e-15);
    assertEquals(1, scaled.cosine(), 1e-15);
    assertTrue(Double.isNaN(new OutputQuality().relativeError()));
    assertTrue(Double.isNaN(new OutputQuality().cosine()));
  }
}
