package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Selection gives the sorted array's value at the rank and the count above it. */
class OrderStatisticTest {

  @Test
  void agreesWithSortingOnTiesSignedZerosAndLongRows() {
    var rnd = new SplittableRandom(11);
    for (int trial = 0; trial < 2000; trial++) {
      int n = 1 + rnd.nextInt(trial < 1000 ? 12 : 3000);
      double[] a = new double[n + 3]; // a tail beyond n is left alone
      int levels = 1 + rnd.nextInt(trial % 4 == 0 ? 2 : 1000);
      for (int j = 0; j < a.length; j++) {
        a[j] = rnd.nextInt(levels) == 0 ? (rnd.nextBoolean() ? 0.0 : -0.0)
            : rnd.nextInt(levels) - levels / 2.0;
      }
      double[] tail = Arrays.copyOfRange(a, n, a.length);
      double[] sorted = Arrays.copyOf(a, n);
      Arrays.sort(sorted);
      int k = rnd.nextInt(n);
      var s = OrderStatistic.select(a, n, k);
      assertTrue(s.value() == sorted[k], "trial " + trial + ": " + s.value() + " vs " + sorted[k]);
      int above = 0;
      for (double x : sorted) {
        above += x > sorted[k] ? 1 : 0;
      }
      assertEquals(above, s.above(), "trial " + trial);
      double[] permuted = Arrays.copyOf(a, n);
      Arrays.sort(permuted);
      assertTrue(Arrays.equals(sorted, permuted), "a permutation of the values");
      assertTrue(Arrays.equals(tail, Arrays.copyOfRange(a, n, a.length)), "the tail untouched");
    }
  }

  /**
   * Selection within a range leaves it in three parts around the value (below, equal, above)
   * and touches nothing outside it; a later rank found within the part it falls in is the
   * sorted range's.
   */
  @Test
  void aRangeIsLeftInThreePartsAndLaterRanksFoundWithinOne() {
    var rnd = new SplittableRandom(3);
    for (int trial = 0; trial < 500; trial++) {
      int n = 2 + rnd.nextInt(400);
      double[] a = new double[n];
      int levels = 1 + rnd.nextInt(trial % 3 == 0 ? 3 : 100);
      for (int j = 0; j < n; j++) {
        a[j] = rnd.nextInt(levels);
      }
      int from = rnd.nextInt(n / 2);
      int to = from + 1 + rnd.nextInt(n - from);
      double[] outside = a.clone();
      double[] sorted = Arrays.copyOfRange(a, from, to);
      Arrays.sort(sorted);
      int k = from + rnd.nextInt(to - from);
      int[] run = new int[2];
      double v = OrderStatistic.select(a, from, to, k, run);
      assertTrue(v == sorted[k - from], "trial " + trial);
      assertTrue(run[0] <= k && k <= run[1], "trial " + trial);
      for (int j = 0; j < n; j++) {
        if (j < from || j >= to) {
          assertTrue(a[j] == outside[j], "outside the range, trial " + trial);
        } else if (j < run[0]) {
          assertTrue(a[j] < v, "below, trial " + trial);
        } else if (j <= run[1]) {
          assertTrue(a[j] == v, "equal, trial " + trial);
        } else {
          assertTrue(a[j] > v, "above, trial " + trial);
        }
      }
      if (run[1] + 1 < to) { // a higher rank, found in the part above
        int k2 = run[1] + 1 + rnd.nextInt(to - run[1] - 1);
        double v2 = OrderStatistic.select(a, run[1] + 1, to, k2, new int[2]);
        assertTrue(v2 == sorted[k2 - from], "trial " + trial);
      }
    }
  }

  @Test
  void refusesARankOutsideTheValues() {
    assertThrows(IllegalArgumentException.class,
        () -> OrderStatistic.select(new double[3], 3, 3));
    assertThrows(IllegalArgumentException.class,
        () -> OrderStatistic.select(new double[3], 4, 0));
    assertThrows(IllegalArgumentException.class,
        () -> OrderStatistic.select(new double[3], 1, 3, 0, new int[2]));
  }
}
