package dev.attnsim.actors.compute;

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

  private static double median(double a, double b, double c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }
}
