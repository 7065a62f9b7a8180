package dev.attnsim.actors.compute;

import java.util.Arrays;

/**
 * The value at an ascending rank of an array, by quickselect with a three-way partition: linear
 * time, and still linear when many values are equal (quantised scores tie a lot). Top-k masks
 * need only the k-th largest score and how many score above it (ties then go to the lower key
 * index), not a sorted row (issue 13: sorting boxed indices per row was most of a functional
 * run's time). Values are compared with {@code <} and {@code >}, so 0.0 and -0.0 are equal, as in
 * the masks; NaN is the caller's to refuse.
 *
 * @param value the value at the rank
 * @param above how many of the values are greater than it
 */
public record OrderStatistic(double value, int above) {

  /**
   * The value at ascending index {@code k} of {@code a[0, n)} ({@code 0 <= k < n}), which this
   * reorders. Every range the search leaves behind on the right holds only values above the
   * target, so the count above is everything right of the final run of equal values.
   */
  public static OrderStatistic select(double[] a, int n, int k) {
    if (n > a.length) {
      throw new IllegalArgumentException("rank " + k + " of " + n + " values");
    }
    int[] run = new int[2];
    double v = select(a, 0, n, k, run);
    return new OrderStatistic(v, n - 1 - run[1]);
  }

  /**
   * The value at index {@code k} of {@code a[from, to)} were that range sorted ascending ({@code
   * from <= k < to}), which this reorders into three parts: {@code a[from, run[0])} below the
   * value, {@code a[run[0], run[1]]} equal to it, {@code a(run[1], to)} above it. A caller that
   * keeps those bounds can find later ranks within one part (issue 13: the accuracy pass asks a
   * row for several).
   */
  public static double select(double[] a, int from, int to, int k, int[] run) {
    if (from < 0 || k < from || k >= to || to > a.length) {
      throw new IllegalArgumentException("rank " + k + " of [" + from + ", " + to + ")");
    }
    int lo = from;
    int hi = to - 1;
    if (to - from > SAMPLED) {
      long part = narrow(a, from, to, k);
      lo = (int) (part >>> 32);
      hi = (int) part - 1;
    }
    while (true) {
      double p = median(a[lo], a[(lo + hi) >>> 1], a[hi]);
      int lt = lo;
      int i = lo;
      int gt = hi;
      while (i <= gt) {
        double x = a[i];
        if (x < p) {
          a[i++] = a[lt];
          a[lt++] = x;
        } else if (x > p) {
          a[i] = a[gt];
          a[gt--] = x;
        } else {
          i++;
        }
      }
      if (k < lt) {
        hi = lt - 1;
      } else if (k > gt) {
        lo = gt + 1;
      } else {
        run[0] = lt;
        run[1] = gt;
        return p;
      }
    }
  }

  /** Ranges longer than this are first narrowed around two values of a sample. */
  static final int SAMPLED = 256;
  private static final int SAMPLE = 63;
  /** How many sample ranks either side of the expected one the two values lie. */
  private static final int GAP = 3;

  /**
   * Narrows the search for rank {@code k} of {@code a[from, to)} as Floyd and Rivest's SELECT
   * does (CACM 18(3), 1975): two values of a sorted sample that should bracket the rank split the
   * range into below, between and above them, and the part holding rank {@code k} is returned
   * as {@code (start << 32) | end}. Each part's values are strictly below or above the next
   * part's, so the three-part result of a search within it holds for the whole range. The
   * splits are branch-free Lomuto partitions: whether a score falls below a bound near the top-k
   * boundary is a coin toss that a branch would pay for (issue 13).
   */
  private static long narrow(double[] a, int from, int to, int k) {
    int n = to - from;
    double[] sample = new double[SAMPLE];
    for (int i = 0; i < SAMPLE; i++) {
      sample[i] = a[from + (int) ((2L * i + 1) * n / (2 * SAMPLE))];
    }
    Arrays.sort(sample);
    int r = (int) ((long) (k - from) * SAMPLE / n);
    double low = sample[Math.max(0, r - GAP)];
    double high = sample[Math.min(SAMPLE - 1, r + GAP)];
    int below = from;
    for (int i = from; i < to; i++) { // a[from, below) < low
      double x = a[i];
      a[i] = a[below];
      a[below] = x;
      below += x < low ? 1 : 0;
    }
    if (k < below) {
      return ((long) from << 32) | below;
    }
    int between = below;
    for (int i = below; i < to; i++) { // a[below, between) <= high
      double x = a[i];
      a[i] = a[between];
      a[between] = x;
      between += x > high ? 0 : 1;
    }
    return k < between ? ((long) below << 32) | between : ((long) between << 32) | to;
  }

  private static double median(double a, double b, double c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }
}
