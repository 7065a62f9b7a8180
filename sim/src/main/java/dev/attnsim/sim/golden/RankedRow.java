package dev.attnsim.sim.golden;

import dev.attnsim.actors.compute.OracleTopK;
import dev.attnsim.actors.compute.OrderStatistic;
import java.util.Arrays;

/**
 * One row's scores ranked once, for top-k masks and for the oracle top-n that DSA's accuracy
 * compares a mask with. The top n of the candidates, ties to the lower key (as {@link
 * OracleTopK}), are the keys scoring above the n-th largest score {@code v}, then the first
 * keys (by index) scoring exactly {@code v} until there are n.
 */
final class RankedRow {
  /** Order statistics found by selection before the row is sorted instead. */
  private static final int SELECTIONS_BEFORE_SORT = 12;

  /** The candidates' scores: partly ordered by selections, or sorted ascending. */
  private final double[] work;
  private boolean sorted;
  private int selections;
  private double[] scores;
  private boolean[] allowed;
  private int candidates;
  // Positions in work that split it strictly: every value right of a cut is above every value
  // left of it (a selection leaves its value's run of equal values between two such cuts).
  private final int[] cuts = new int[2 * SELECTIONS_BEFORE_SORT + 2];
  private int cutCount;
  private final int[] run = new int[2];
  // the last order statistics asked: n -> the n-th largest score and how many score above it
  private final int[] memoN = new int[SELECTIONS_BEFORE_SORT];
  private final double[] memoValue = new double[SELECTIONS_BEFORE_SORT];
  private final int[] memoAbove = new int[SELECTIONS_BEFORE_SORT];
  private final int[] memoLastTie = new int[SELECTIONS_BEFORE_SORT];
  private static final int UNKNOWN = -2;
  private int memoCount;

  RankedRow(int keys) {
    work = new double[keys];
  }

  /** Ranks {@code scores} among the candidates of {@code allowed} (null: all). */
  RankedRow rank(double[] scores, boolean[] allowed) {
    this.scores = scores;
    this.allowed = allowed;
    int n = 0;
    for (int j = 0; j < scores.length; j++) {
      if (allowed == null || allowed[j]) {
        if (Double.isNaN(scores[j])) {
          throw new IllegalArgumentException("NaN score at key " + j);
        }
        work[n++] = scores[j];
      }
    }
    candidates = n;
    cuts[0] = 0;
    cuts[1] = n;
    cutCount = 2;
    sorted = false;
    selections = 0;
    memoCount = 0;
    return this;
  }

  int candidates() {
    return candidates;
  }

  /** {@code max(1, round(ratio x candidates))}: the keys a top-k predictor keeps. */
  int keepCount(double ratio) {
    return OracleTopK.keepCount(ratio, candidates);
  }

  /** The mask of the top {@code keepCount(ratio)} candidates. */
  boolean[] top(double ratio) {
    return topN(keepCount(ratio));
  }

  /** The mask of the top {@code n} candidates (all of them when n exceeds their count). */
  boolean[] topN(int n) {
    if (n <= 0 || candidates == 0) {
      return new boolean[scores.length];
    }
    n = Math.min(n, candidates);
    int m = orderStatistic(n);
    return OracleTopK.keep(scores, allowed, memoValue[m], n - memoAbove[m]);
  }

  /**
   * How many of the keys {@code keys[0 .. count)} (a mask's, increasing: {@link
   * dev.attnsim.actors.compute.SparseAttention#indices}) are in the top {@code n} candidates:
   * those scoring above the n-th largest score, and those scoring it up to the last key the top
   * n takes at that score (the ties go to the lower keys, as in {@link
   * dev.attnsim.actors.compute.OracleTopK#keep}).
   */
  int hits(int[] keys, int count, int n) {
    n = Math.min(n, candidates);
    if (n <= 0) {
      return 0;
    }
    int m = orderStatistic(n);
    double v = memoValue[m];
    int lastTie = lastTie(m, n);
    int hits = 0;
    for (int t = 0; t < count; t++) {
      int j = keys[t];
      double s = scores[j];
      hits += (s > v || s == v && j <= lastTie) && (allowed == null || allowed[j]) ? 1 : 0;
    }
    return hits;
  }

  /**
   * The last key the top n (memo slot {@code m}) takes among the candidates scoring exactly its
   * n-th largest score, or -1 if it takes none of them; found once per slot.
   */
  private int lastTie(int m, int n) {
    if (memoLastTie[m] == UNKNOWN) {
      int ties = n - memoAbove[m];
      int last = -1;
      double v = memoValue[m];
      for (int j = 0; j < scores.length && ties > 0; j++) {
        if (scores[j] == v && (allowed == null || allowed[j])) {
          last = j;
          ties--;
        }
      }
      memoLastTie[m] = last;
    }
    return memoLastTie[m];
  }

  /**
   * The memo slot holding the {@code n}-th largest candidate score ({@code 1 <= n <= candidates})
   * and the number of candidates scoring above it. The first few are found by selection within
   * the part of the row earlier selections left it in, linear in that part's length (issue 13: a
   * full sort of every row of three rankings was a quarter of {@code accuracy}'s time, and
   * selections over the whole row a fifth); after that the row is sorted once.
   */
  private int orderStatistic(int n) {
    for (int m = 0; m < memoCount; m++) {
      if (memoN[m] == n) {
        return m;
      }
    }
    int k = candidates - n; // ascending index
    double value;
    int above;
    if (!sorted && selections < SELECTIONS_BEFORE_SORT) {
      selections++;
      int i = 0;
      while (cuts[i + 1] <= k) {
        i++;
      }
      value = OrderStatistic.select(work, cuts[i], cuts[i + 1], k, run);
      above = candidates - 1 - run[1]; // all right of the part's end are above, being past a cut
      cut(i, run[0]);
      cut(i, run[1] + 1);
    } else {
      if (!sorted) {
        Arrays.sort(work, 0, candidates);
        sorted = true;
      }
      value = work[k];
      above = 0;
      for (int t = candidates - 1; t >= 0 && work[t] > value; t--) {
        above++;
      }
    }
    int m = memoCount < memoN.length ? memoCount++ : n % memoN.length;
    memoN[m] = n;
    memoValue[m] = value;
    memoAbove[m] = above;
    memoLastTie[m] = UNKNOWN;
    return m;
  }

  /** Adds a cut at {@code at} if it lies strictly inside part {@code i} or the one after it. */
  private void cut(int i, int at) {
    while (i + 1 < cutCount && cuts[i + 1] < at) {
      i++;
    }
    if (cuts[i] == at || cuts[i + 1] == at) {
      return;
    }
    System.arraycopy(cuts, i + 1, cuts, i + 2, cutCount - i - 1);
    cuts[i + 1] = at;
    cutCount++;
  }

  boolean candidate(int j) {
    return allowed == null || allowed[j];
  }
}
