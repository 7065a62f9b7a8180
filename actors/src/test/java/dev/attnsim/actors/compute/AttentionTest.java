package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AttentionTest {
  private static final double EPS = 1e-12;

  /**
   * d_k = 4, so scores are dot products / 2. Q = (2,0,0,0), (0,2,0,0), (1,1,1,1); K = (1,0,0,0),
   * (0,1,0,0), (1,1,0,0). Q K^T = [2 0 2; 0 2 2; 1 1 2], halved: [1 0 1; 0 1 1; .5 .5 1]. Rows 1..2
   * alone are the last two rows.
   */
  @Test
  void scoresOfARowBlockByHand() {
    double[][] q = {{2, 0, 0, 0}, {0, 2, 0, 0}, {1, 1, 1, 1}};
    double[][] k = {{1, 0, 0, 0}, {0, 1, 0, 0}, {1, 1, 0, 0}};
    var all = Attention.scores(q, k, 0, 3);
    assertArrayEquals(new double[] {1, 0, 1}, all[0], EPS);
    var block = Attention.scores(q, k, 1, 2);
    assertEquals(2, block.length);
    assertArrayEquals(new double[] {0, 1, 1}, block[0], EPS);
    assertArrayEquals(new double[] {0.5, 0.5, 1}, block[1], EPS);
    assertThrows(IllegalArgumentException.class, () -> Attention.scores(q, k, 2, 2));
  }

  /**
   * Row 0 keeps (0, ln 3): e^0 / (1 + 3) = 1/4 and 3/4; the dropped 5 gets 0. Row 1 keeps nothing:
   * zeros. Row 2 keeps all of (7, 8, 9): 1, e, e^2 over 1 + e + e^2 = 11.107337927 -> 0.0900305732,
   * 0.2447284711, 0.6652409558.
   */
  @Test
  void maskedSoftmaxByHand() {
    double[][] s = {{0, Math.log(3), 5}, {1, 2, 3}, {7, 8, 9}};
    boolean[][] m = {{true, true, false}, {false, false, false}, {true, true, true}};
    var a = Attention.softmax(s, m);
    assertArrayEquals(new double[] {0.25, 0.75, 0}, a[0], EPS);
    assertArrayEquals(new double[] {0, 0, 0}, a[1]);
    assertArrayEquals(new double[] {0.0900305732, 0.2447284711, 0.6652409558}, a[2], 1e-10);
    assertArrayEquals(a[2], Attention.softmax(s)[2], EPS);
  }

  /**
   * Scores far beyond exp's range still normalise: the row's largest kept score is subtracted
   * first (e^1000 alone overflows to infinity, e^-1000 underflows to 0). The dropped 5000 is
   * not the maximum of its row: only kept scores are.
   */
  @Test
  void softmaxOfLargeScoresSubtractsTheLargestKeptScore() {
    double[][] s = {{1000, 1000 + Math.log(3)}, {-1000, -1000}, {1000, 5000, 1000}};
    var a = Attention.softmax(new double[][] {s[0], s[1]});
    assertArrayEquals(new double[] {0.25, 0.75}, a[0], EPS);
    assertArrayEquals(new double[] {0.5, 0.5}, a[1], EPS);
    var masked = Attention.softmax(new double[][] {s[2]},
        new boolean[][] {{true, false, true}});
    assertArrayEquals(new double[] {0.5, 0, 0.5}, masked[0], EPS);
  }

  /** (1/4, 3/4, 0) V with V rows (4, 0), (0, 8), (100, 100): (1, 6); the empty row gives (0, 0). */
  @Test
  void outputByHand() {
    double[][] a = {{0.25, 0.75, 0}, {0, 0, 0}};
    double[][] v = {{4, 0}, {0, 8}, {100, 100}};
    var z = Attention.output(a, v);
    assertArrayEquals(new double[] {1, 6}, z[0], EPS);
    assertArrayEquals(new double[] {0, 0}, z[1], EPS);
  }

  @Test
  void causalMaskOfARowBlock() {
    var m = Attention.causalMask(1, 2, 4);
    assertArrayEquals(new boolean[] {true, true, false, false}, m[0]);
    assertArrayEquals(new boolean[] {true, true, true, false}, m[1]);
  }

  /**
   * Random heads: row blocks give exactly the rows of the whole, kept probabilities sum to 1 and
   * dropped ones are 0, and adding a constant to a row changes nothing.
   */
  @Test
  void rowBlocksAgreeWithTheWholeAndRowsAreDistributions() {
    var rnd = new SplittableRandom(11);
    int l = 13;
    var q = gaussian(rnd, l, 8);
    var k = gaussian(rnd, l, 8);
    var v = gaussian(rnd, l, 5);
    var whole = Attention.scores(q, k, 0, l);
    for (int row0 = 0; row0 < l; row0 += 4) {
      int rows = Math.min(4, l - row0);
      var s = Attention.scores(q, k, row0, rows);
      var mask = Attention.causalMask(row0, rows, l);
      var a = Attention.softmax(s, mask);
      var z = Attention.output(a, v);
      var wholeZ = Attention.output(Attention.softmax(whole, Attention.causalMask(0, l, l)), v);
      for (int i = 0; i < rows; i++) {
        assertArrayEquals(whole[row0 + i], s[i]);
        assertArrayEquals(wholeZ[row0 + i], z[i], EPS);
        double sum = 0;
        for (int j = 0; j < l; j++) {
          if (!mask[i][j]) {
            assertEquals(0.0, a[i][j]);
          }
          sum += a[i][j];
        }
        assertEquals(1.0, sum, EPS);
        var shifted = s[i].clone();
        for (int j = 0; j < l; j++) {
          shifted[j] += 3.25;
        }
        assertArrayEquals(a[i], Attention.softmax(new double[][] {shifted},
            new boolean[][] {mask[i]})[0], 1e-12);
      }
    }
  }

  static double[][] gaussian(SplittableRandom rnd, int rows, int cols) {
    var x = new double[rows][cols];
    for (double[] row : x) {
      for (int j = 0; j < cols; j++) {
        row[j] = rnd.nextGaussian();
      }
    }
    return x;
  }

  /**
   * Scores from K transposed, a tile of keys at a time, the output and a product four rows at a
   * time are the plain loops to the bit: over three tiles of keys (two whole, one cut) and seven
   * rows (four at a time, then three), with zero probabilities among the rest.
   */
  @Test
  void tiledScoresBlockedOutputAndProductAreThePlainLoopsToTheBit() {
    var random = new SplittableRandom(5);
    int l = 1100;
    int d = 24;
    var q = new double[9][d];
    var k = new double[l][d];
    for (double[][] m : new double[][][] {q, k}) {
      for (double[] row : m) {
        for (int c = 0; c < d; c++) {
          row[c] = random.nextDouble(-2, 2);
        }
      }
    }
    double[][] tiled = Attention.scoresTransposed(q, Attention.transpose(k), 1, 7);
    double[][] plain = Attention.scores(q, k, 1, 7);
    var p = new double[7][l];
    for (int i = 0; i < 7; i++) {
      for (int j = 0; j < l; j++) {
        assertEquals(Double.doubleToRawLongBits(plain[i][j]),
            Double.doubleToRawLongBits(tiled[i][j]), "score " + i + ", " + j);
        p[i][j] = random.nextInt(3) == 0 ? 0 : random.nextDouble();
      }
    }
    // the output, and the same product by multiply: both the plain triple loop's bits
    double[][] z = Attention.output(p, k);
    double[][] product = Attention.multiply(p, k);
    for (int i = 0; i < 7; i++) {
      var expected = new double[d];
      for (int j = 0; j < l; j++) {
        for (int c = 0; c < d; c++) {
          expected[c] += p[i][j] * k[j][c];
        }
      }
      for (int c = 0; c < d; c++) {
        assertEquals(Double.doubleToRawLongBits(expected[c]), Double.doubleToRawLongBits(z[i][c]),
            "output " + i + ", " + c);
        assertEquals(Double.doubleToRawLongBits(expected[c]),
            Double.doubleToRawLongBits(product[i][c]), "product " + i + ", " + c);
      }
    }
  }
}
