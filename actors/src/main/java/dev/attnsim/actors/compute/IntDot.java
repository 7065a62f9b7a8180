package dev.attnsim.actors.compute;

/**
 * Dot products of integer codes, the inner loop of the predictors' scoring. When every partial
 * sum is known to fit an {@code int} (codes of at most {@code bits} bits, so each product is at
 * most {@code 2^(2 bits - 2)} in magnitude, times the length), the sum is accumulated in an
 * {@code int}, which the JIT vectorises; the result is the same integer either way (issue 13).
 */
final class IntDot {
  private IntDot() {}

  /** Whether sums of {@code length} products of {@code bits}-bit codes fit an {@code int}. */
  static boolean fitsInt(int bits, int length) {
    return bits <= 16 && (1L << (2 * bits - 2)) * length < Integer.MAX_VALUE;
  }

  /**
   * {@code out[j] = (a . k[j]) * scale} for the keys {@code j = keys[0 .. count)} ({@code keys}
   * null: {@code 0 .. count)}), four keys at a time: four independent sums keep the multiplier
   * and adder busy where one sum waits on itself. Integer sums are exact in any order, so each
   * is the value {@link #dot} gives.
   */
  static void dots(int[] a, int[][] k, int[] keys, int count, boolean narrow, double scale,
      double[] out) {
    int n = a.length;
    int t = 0;
    if (narrow) {
      for (; t + 3 < count; t += 4) {
        int j0 = keys == null ? t : keys[t];
        int j1 = keys == null ? t + 1 : keys[t + 1];
        int j2 = keys == null ? t + 2 : keys[t + 2];
        int j3 = keys == null ? t + 3 : keys[t + 3];
        int[] k0 = k[j0];
        int[] k1 = k[j1];
        int[] k2 = k[j2];
        int[] k3 = k[j3];
        int s0 = 0;
        int s1 = 0;
        int s2 = 0;
        int s3 = 0;
        for (int c = 0; c < n; c++) {
          int x = a[c];
          s0 += x * k0[c];
          s1 += x * k1[c];
          s2 += x * k2[c];
          s3 += x * k3[c];
        }
        out[j0] = (long) s0 * scale;
        out[j1] = (long) s1 * scale;
        out[j2] = (long) s2 * scale;
        out[j3] = (long) s3 * scale;
      }
    }
    for (; t < count; t++) {
      int j = keys == null ? t : keys[t];
      out[j] = dot(a, k[j], narrow) * scale;
    }
  }

  /** {@code a . b} over {@code a.length}; {@code narrow}: from {@link #fitsInt}. */
  /**
   * {@code out[j] = (a . k[j]) * scale} for the keys {@code 0 .. count)}, from K transposed
   * ({@code kT[c][j] = k[j][c]}) and sums that fit an {@code int} ({@link #fitsInt}): a column
   * of {@code a} times a row of {@code K^T} added to every key's sum at once, a loop the JIT
   * vectorises without a reduction (issue 13: several times the four-keys loop). {@code acc}
   * holds the sums, at least {@code count} long.
   */
  static void dotsTransposed(int[] a, int[][] kT, int count, double scale, double[] out,
      int[] acc) {
    java.util.Arrays.fill(acc, 0, count, 0);
    for (int c = 0; c < a.length; c++) {
      int x = a[c];
      int[] column = kT[c];
      for (int j = 0; j < count; j++) {
        acc[j] += x * column[j];
      }
    }
    for (int j = 0; j < count; j++) {
      out[j] = (long) acc[j] * scale;
    }
  }

  /**
   * {@code (a b) * scale}: each row of {@code a} times {@code b} as the rows of {@code b} added
   * up, a loop the JIT vectorises (integer sums are exact in any order), in {@code int} when
   * {@code narrow} says every sum fits one ({@link #fitsInt}), else in {@code long} (issue 13:
   * the dot-product order, reading {@code b} down its columns, was FACT's projections' cost).
   */
  static double[][] multiply(int[][] a, int[][] b, boolean narrow, double scale) {
    int inner = b.length;
    int n = inner == 0 ? 0 : b[0].length;
    var c = new double[a.length][n];
    var sums = new long[n];
    var narrowSums = new int[n];
    for (int i = 0; i < a.length; i++) {
      int[] ai = a[i];
      if (narrow) {
        java.util.Arrays.fill(narrowSums, 0);
        for (int t = 0; t < inner; t++) {
          int x = ai[t];
          int[] bt = b[t];
          for (int j = 0; j < n; j++) {
            narrowSums[j] += x * bt[j];
          }
        }
        for (int j = 0; j < n; j++) {
          c[i][j] = (long) narrowSums[j] * scale;
        }
      } else {
        java.util.Arrays.fill(sums, 0);
        for (int t = 0; t < inner; t++) {
          long x = ai[t];
          int[] bt = b[t];
          for (int j = 0; j < n; j++) {
            sums[j] += x * bt[j];
          }
        }
        for (int j = 0; j < n; j++) {
          c[i][j] = sums[j] * scale;
        }
      }
    }
    return c;
  }

  /** {@code m} transposed: row {@code c} holds column {@code c} of {@code m}. */
  static int[][] transpose(int[][] m) {
    var t = new int[m.length == 0 ? 0 : m[0].length][m.length];
    for (int j = 0; j < m.length; j++) {
      int[] row = m[j];
      for (int c = 0; c < row.length; c++) {
        t[c][j] = row[c];
      }
    }
    return t;
  }

  static long dot(int[] a, int[] b, boolean narrow) {
    if (narrow) {
      int s = 0;
      for (int c = 0; c < a.length; c++) {
        s += a[c] * b[c];
      }
      return s;
    }
    long s = 0;
    for (int c = 0; c < a.length; c++) {
      s += (long) a[c] * b[c];
    }
    return s;
  }
}
