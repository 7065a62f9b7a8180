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

  /** {@code a . b} over {@code a.length}; {@code narrow}: from {@link #fitsInt}. */
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
