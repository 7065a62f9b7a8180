package dev.attnsim.sim.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Top-n masks and hits found by selection (and, after a few, by one sort) are those of the
 * definition: the keys above the n-th largest candidate score, then the lowest-indexed keys
 * scoring exactly it.
 */
class RankedRowTest {

  @Test
  void selectionAgreesWithTheSortedDefinitionOnRowsFullOfTies() {
    var random = new SplittableRandom(5);
    var row = new RankedRow(300);
    for (int trial = 0; trial < 300; trial++) {
      int keys = 1 + random.nextInt(300);
      double[] scores = new double[keys];
      int levels = 1 + random.nextInt(trial % 3 == 0 ? 3 : 50); // few levels: many ties
      for (int j = 0; j < keys; j++) {
        scores[j] = random.nextInt(levels) - levels / 2 + (random.nextBoolean() ? 0.0 : -0.0);
      }
      boolean[] allowed = null;
      if (trial % 2 == 1) {
        allowed = new boolean[keys];
        for (int j = 0; j < keys; j++) {
          allowed[j] = random.nextInt(4) != 0;
        }
      }
      row.rank(scores, allowed);
      boolean[] mask = new boolean[keys];
      for (int j = 0; j < keys; j++) {
        mask[j] = random.nextBoolean() && (allowed == null || allowed[j]);
      }
      // more n than selections before the sort (12), some repeated, out of order: each
      // selection runs within the part earlier ones left its rank in
      for (int ask = 0; ask < 15; ask++) {
        int n = random.nextInt(keys + 2);
        boolean[] expected = topByDefinition(scores, allowed, n);
        assertArrayEquals(expected, row.topN(n), "trial " + trial + " n " + n);
        int hits = 0;
        for (int j = 0; j < keys; j++) {
          hits += expected[j] && mask[j] ? 1 : 0;
        }
        int[] kept = new int[mask.length];
        int count = dev.attnsim.actors.compute.SparseAttention.indices(mask, kept);
        assertEquals(hits, row.hits(kept, count, n), "trial " + trial + " n " + n);
      }
    }
  }

  /** Sort the candidates, take the n-th largest v; keep all above v, then the first ties. */
  private static boolean[] topByDefinition(double[] scores, boolean[] allowed, int n) {
    double[] cand = new double[scores.length];
    int c = 0;
    for (int j = 0; j < scores.length; j++) {
      if (allowed == null || allowed[j]) {
        cand[c++] = scores[j];
      }
    }
    var keep = new boolean[scores.length];
    n = Math.min(n, c);
    if (n <= 0) {
      return keep;
    }
    double[] sorted = Arrays.copyOf(cand, c);
    Arrays.sort(sorted);
    double v = sorted[c - n];
    int above = 0;
    for (int t = 0; t < c; t++) {
      above += sorted[t] > v ? 1 : 0;
    }
    int ties = n - above;
    for (int j = 0; j < scores.length; j++) {
      if (allowed == null || allowed[j]) {
        if (scores[j] > v) {
          keep[j] = true;
        } else if (scores[j] == v && ties-- > 0) {
          keep[j] = true;
        }
      }
    }
    return keep;
  }
}
