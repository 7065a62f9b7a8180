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

  @Test
  void refusesARankOutsideTheValues() {
    assertThrows(IllegalArgumentException.class,
        () -> OrderStatistic.select(new double[3], 3, 3));
    assertThrows(IllegalArgumentException.class,
        () -> OrderStatistic.select(new double[3], 4, 0));
  }
}
