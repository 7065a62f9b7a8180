package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantizerTest {
  private static final double[][] X = {{0.5, -1.75}, {3.5, 0.25}};

  /**
   * Per tensor, INT4: max|x| = 3.5, scale = 7 / 3.5 = 2. x * 2 = 1, -3.5, 7, 0.5, rounded half
   * away from zero: 1, -4, 7, 1. Dequantised (/2): 0.5, -2, 3.5, 0.5.
   */
  @Test
  void perTensorInt4ByHand() {
    var q = Quantizer.perTensor(X, 4);
    assertArrayEquals(new int[] {1, -4}, q.values()[0]);
    assertArrayEquals(new int[] {7, 1}, q.values()[1]);
    assertArrayEquals(new double[] {2, 2}, q.scales());
    var d = q.dequantize();
    assertArrayEquals(new double[] {0.5, -2.0}, d[0]);
    assertArrayEquals(new double[] {3.5, 0.5}, d[1]);
  }

  /** Per row, INT4: row 0 max 1.75, scale 4: 2, -7. Row 1 max 3.5, scale 2: 7, 1 (0.5 up). */
  @Test
  void perRowInt4ByHand() {
    var q = Quantizer.perRow(X, 4);
    assertArrayEquals(new int[] {2, -7}, q.values()[0]);
    assertArrayEquals(new int[] {7, 1}, q.values()[1]);
    assertArrayEquals(new double[] {4, 2}, q.scales());
    assertArrayEquals(new double[] {0.5, -1.75}, q.dequantize()[0]);
  }

  /**
   * INT2 holds {-1, 0, 1}, scale 1 / max|x| = 1: 0.4 -> 0, -0.6 -> -1, 1 -> 1, 0.5 -> 1, -0.5 ->
   * -1 (halves away from zero). INT8 of (1, -0.5, 0.25): scale 127: 127, -63.5 -> -64, 31.75 -> 32.
   */
  @Test
  void int2AndInt8ByHand() {
    var q2 = Quantizer.perTensor(new double[][] {{0.4, -0.6, 1.0, 0.5, -0.5}}, 2);
    assertArrayEquals(new int[] {0, -1, 1, 1, -1}, q2.values()[0]);
    var q8 = Quantizer.perTensor(new double[][] {{1.0, -0.5, 0.25}}, 8);
    assertArrayEquals(new int[] {127, -64, 32}, q8.values()[0]);
    assertEquals(127, q8.scales()[0]);
    assertEquals(1, Quantizer.maxLevel(2));
    assertEquals(7, Quantizer.maxLevel(4));
    assertEquals(127, Quantizer.maxLevel(8));
  }

  @Test
  void zerosGetScaleOneAndCodesClamp() {
    var z = Quantizer.perRow(new double[][] {{0, 0}, {0, 1}}, 4);
    assertArrayEquals(new double[] {1, 7}, z.scales());
    assertArrayEquals(new int[] {0, 0}, z.values()[0]);
    assertArrayEquals(new int[] {0, 7}, z.values()[1]);
    assertEquals(7, Quantizer.quantize(10, 1, 4));
    assertEquals(-7, Quantizer.quantize(-10, 1, 4));
    assertEquals(3, Quantizer.roundHalfAway(2.5));
    assertEquals(-3, Quantizer.roundHalfAway(-2.5));
    assertEquals(-2, Quantizer.roundHalfAway(-2.4999));
    assertThrows(IllegalArgumentException.class, () -> Quantizer.maxLevel(1));
    assertThrows(IllegalArgumentException.class,
        () -> Quantizer.perTensor(new double[][] {{Double.NaN}}, 4));
  }

  /**
   * INT4 split 2 + 2: 5 = 0101 -> msb 01 = 1, lsb 01 = 1 (1*4 + 1). -7 = 1001 -> msb 10 = -2, lsb
   * 01 = 1 (-8 + 1). -1 = 1111 -> msb -1, lsb 3 (-4 + 3). -8 = 1000 -> msb -2, lsb 0.
   */
  @Test
  void bitPlanesByHand() {
    assertEquals(new Quantizer.BitPlanes(1, 1, 2), Quantizer.split(5, 4, 2));
    assertEquals(new Quantizer.BitPlanes(-2, 1, 2), Quantizer.split(-7, 4, 2));
    assertEquals(new Quantizer.BitPlanes(-1, 3, 2), Quantizer.split(-1, 4, 2));
    assertEquals(new Quantizer.BitPlanes(-2, 0, 2), Quantizer.split(-8, 4, 2));
    assertEquals(new Quantizer.BitPlanes(1, 3, 2), Quantizer.split(7, 4, 2));
    assertThrows(IllegalArgumentException.class, () -> Quantizer.split(8, 4, 2));
    assertThrows(IllegalArgumentException.class, () -> Quantizer.split(1, 4, 4));
  }

  /** Every INT4/INT8 value and every split point: exact reconstruction, planes in range. */
  @Test
  void bitPlanesReconstructEveryValue() {
    for (int bits : new int[] {4, 8}) {
      for (int low = 1; low < bits; low++) {
        int hiBits = bits - low;
        for (int v = -(1 << (bits - 1)); v < (1 << (bits - 1)); v++) {
          var p = Quantizer.split(v, bits, low);
          assertEquals(v, p.value());
          assertTrue(p.lsb() >= 0 && p.lsb() < (1 << low));
          assertTrue(p.msb() >= -(1 << (hiBits - 1)) && p.msb() < (1 << (hiBits - 1)));
          assertTrue(p.msb() * (1 << low) <= v); // the high plane truncates downwards
        }
      }
    }
  }

  /** Random matrices: codes in range, error at most half a step, the extreme hits the top code. */
  @Test
  void roundTripErrorIsAtMostHalfAStep() {
    var rnd = new SplittableRandom(7);
    for (int trial = 0; trial < 50; trial++) {
      var x = new double[5][6];
      for (double[] row : x) {
        for (int j = 0; j < row.length; j++) {
          row[j] = rnd.nextGaussian() * 3;
        }
      }
      for (int bits : new int[] {2, 4, 8}) {
        int max = Quantizer.maxLevel(bits);
        var perRow = Quantizer.perRow(x, bits);
        var perTensor = Quantizer.perTensor(x, bits);
        int tensorTop = 0;
        for (int i = 0; i < x.length; i++) {
          assertEquals(max, maxAbs(perRow.values()[i])); // every row reaches its top code
          tensorTop = Math.max(tensorTop, maxAbs(perTensor.values()[i]));
        }
        assertEquals(max, tensorTop); // the tensor's extreme does
        for (var q : new Quantizer.Quantized[] {perRow, perTensor}) {
          var d = q.dequantize();
          for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
              assertTrue(Math.abs(q.values()[i][j]) <= max);
              assertTrue(Math.abs(d[i][j] - x[i][j]) <= 0.5 / q.scales()[i] + 1e-12);
            }
          }
        }
      }
    }
  }

  private static int maxAbs(int[] row) {
    int m = 0;
    for (int v : row) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
