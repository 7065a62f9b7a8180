package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Dot products four keys at a time, or from keys transposed, give the bits one at a time gives:
 * the double ones sum each key in index order as {@link Attention#dot} does, the integer ones
 * are exact in any order.
 */
class BlockedDotsTest {

  @Test
  void doubleScoresFourKeysAtATimeAreTheSameBits() {
    var rnd = new SplittableRandom(7);
    for (int keys : new int[] {1, 3, 4, 5, 8, 13}) {
      double[] q = new double[37];
      double[][] k = new double[keys][37];
      for (int c = 0; c < q.length; c++) {
        q[c] = rnd.nextDouble(-3, 3);
        for (int j = 0; j < keys; j++) {
          k[j][c] = rnd.nextDouble(-3, 3);
        }
      }
      double[] out = new double[keys];
      Attention.dotsScaled(q, k, 0.125, out);
      for (int j = 0; j < keys; j++) {
        assertEquals(Double.doubleToRawLongBits(Attention.dot(q, k[j]) * 0.125),
            Double.doubleToRawLongBits(out[j]), "key " + j + " of " + keys);
      }
    }
  }

  /**
   * Scores from K transposed are the bits of one dot product at a time, for blocks of rows below
   * and above the size from which {@link Attention#scores} transposes K itself; negative zero
   * products included (a sum starting at +0 makes them +0 both ways).
   */
  @Test
  void doubleScoresFromTransposedKeysAreTheSameBits() {
    var rnd = new SplittableRandom(11);
    int keys = 23;
    int dk = 19;
    double[][] q = new double[40][dk];
    double[][] k = new double[keys][dk];
    for (double[] row : q) {
      for (int c = 0; c < dk; c++) {
        row[c] = rnd.nextInt(5) == 0 ? -0.0 : rnd.nextDouble(-3, 3);
      }
    }
    for (double[] row : k) {
      for (int c = 0; c < dk; c++) {
        row[c] = rnd.nextDouble(-3, 3);
      }
    }
    double inv = 1 / Math.sqrt(dk);
    double[][] kT = Attention.transpose(k);
    assertEquals(dk, kT.length);
    assertEquals(keys, kT[0].length);
    for (int rows : new int[] {1, Attention.TRANSPOSE_ROWS - 1, Attention.TRANSPOSE_ROWS, 33}) {
      double[][] viaScores = Attention.scores(q, k, 3, rows);
      double[][] viaT = Attention.scoresTransposed(q, kT, 3, rows);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < keys; j++) {
          long one = Double.doubleToRawLongBits(Attention.dot(q[3 + i], k[j]) * inv);
          assertEquals(one, Double.doubleToRawLongBits(viaScores[i][j]), rows + " rows");
          assertEquals(one, Double.doubleToRawLongBits(viaT[i][j]), rows + " rows");
        }
      }
    }
    var e = assertThrows(IllegalArgumentException.class,
        () -> Attention.scoresTransposed(q, Attention.transpose(new double[5][7]), 0, 1));
    assertEquals("Q rows have 19 columns, K 7", e.getMessage());
  }

  @Test
  void integerScoresFromTransposedKeysAreExactForTheFirstKeys() {
    var rnd = new SplittableRandom(13);
    int[] a = new int[64];
    int[][] k = new int[9][64];
    for (int c = 0; c < a.length; c++) {
      a[c] = rnd.nextInt(-128, 128);
      for (int j = 0; j < k.length; j++) {
        k[j][c] = rnd.nextInt(-128, 128);
      }
    }
    int[][] kT = IntDot.transpose(k);
    double[] out = new double[k.length];
    out[7] = -1; // keys past count are left alone
    int[] sums = {5, 5, 5, 5, 5, 5, 5}; // stale sums are cleared
    IntDot.dotsTransposed(a, kT, 7, 0.25, out, sums);
    for (int j = 0; j < k.length; j++) {
      assertEquals(j < 7 ? IntDot.dot(a, k[j], false) * 0.25 : j == 7 ? -1 : 0, out[j],
          "key " + j);
    }
  }

  /** Integer products row by row are the dot products, in int and in long (past an int). */
  @Test
  void integerProductsMatchDotProductsNarrowAndWide() {
    var rnd = new SplittableRandom(17);
    int[][] a = new int[5][7];
    int[][] b = new int[7][3];
    for (int[] row : a) {
      for (int c = 0; c < row.length; c++) {
        row[c] = rnd.nextInt(-(1 << 15), 1 << 15);
      }
    }
    for (int[] row : b) {
      for (int c = 0; c < row.length; c++) {
        row[c] = rnd.nextInt(-(1 << 15), 1 << 15);
      }
    }
    double[][] wide = IntDot.multiply(a, b, false, 0.5);
    int[][] small = new int[a.length][];
    for (int i = 0; i < a.length; i++) {
      small[i] = new int[a[i].length];
      for (int t = 0; t < a[i].length; t++) {
        small[i][t] = a[i][t] >> 9; // 7-bit codes: sums fit an int
      }
    }
    double[][] narrow = IntDot.multiply(small, b, true, 0.5);
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b[0].length; j++) {
        long exact = 0;
        long exactSmall = 0;
        for (int t = 0; t < b.length; t++) {
          exact += (long) a[i][t] * b[t][j];
          exactSmall += (long) small[i][t] * b[t][j];
        }
        assertEquals(exact * 0.5, wide[i][j], "wide " + i + "," + j);
        assertEquals(exactSmall * 0.5, narrow[i][j], "narrow " + i + "," + j);
      }
    }
  }

  @Test
  void integerScoresOfChosenKeysMatchOneAtATimeNarrowAndWide() {
    var rnd = new SplittableRandom(9);
    int[] a = new int[64];
    int[][] k = new int[11][64];
    for (int c = 0; c < a.length; c++) {
      a[c] = rnd.nextInt(-8, 8);
      for (int j = 0; j < k.length; j++) {
        k[j][c] = rnd.nextInt(-8, 8);
      }
    }
    int[] chosen = {0, 2, 3, 5, 7, 8, 10};
    for (boolean narrow : new boolean[] {true, false}) {
      double[] all = new double[k.length];
      IntDot.dots(a, k, null, k.length, narrow, 0.5, all);
      double[] some = new double[k.length];
      some[1] = -1; // keys not chosen are left alone
      IntDot.dots(a, k, chosen, chosen.length, narrow, 0.5, some);
      for (int j = 0; j < k.length; j++) {
        long exact = 0;
        for (int c = 0; c < a.length; c++) {
          exact += (long) a[c] * k[j][c];
        }
        assertEquals(exact, IntDot.dot(a, k[j], narrow), "key " + j);
        double one = exact * 0.5;
        assertEquals(one, all[j], "key " + j);
        boolean isChosen = List.of(0, 2, 3, 5, 7, 8, 10).contains(j);
        assertEquals(isChosen ? one : j == 1 ? -1 : 0, some[j], "key " + j);
      }
    }
  }

  /** Sums of {@code length} products of {@code bits}-bit codes fit an int up to 2^31 - 1. */
  @Test
  void intSumsAreUsedExactlyWhenTheyFit() {
    assertEquals(true, IntDot.fitsInt(8, 64)); // 2^14 x 64
    assertEquals(true, IntDot.fitsInt(16, 1)); // 2^30
    assertEquals(false, IntDot.fitsInt(16, 2)); // 2^31
    assertEquals(false, IntDot.fitsInt(17, 1));
    assertEquals(true, IntDot.fitsInt(4, (1 << 25) - 1)); // 2^6 x (2^25 - 1) = 2^31 - 64
    assertEquals(false, IntDot.fitsInt(4, 1 << 25)); // 2^31
  }

  @Test
  void energonOperandsPreparedForOtherRoundsAreRefused() {
    var q = new double[][] {{1, 2}, {3, 4}};
    var one = new EnergonFilter(4, List.of(new EnergonFilter.Round(4, 2, 0.1)));
    var ops = one.prepare(q, q);
    var e = assertThrows(IllegalArgumentException.class,
        () -> EnergonFilter.standard(0.1).filter(ops, 0, 2, null));
    assertEquals("operands prepared for 1 rounds, the filter has 2", e.getMessage());
  }
}
