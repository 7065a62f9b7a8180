package dev.attnsim.sim.golden;

import dev.attnsim.actors.compute.OracleTopK;
import java.util.Arrays;

/**
 * One row's scores ranked once, for top-k masks and for the oracle top-n that DSA's accuracy
 * compares a mask with. The top n of the candidates, ties to the lower key (as {@link
 * OracleTopK}), are the keys scoring above the n-th largest score {@code v}, then the first
 * keys (by index) scoring exactly {@code v} until there are n.
 */
final class RankedRow {
  private final double[] sorted;
  private double[] scores;
  private boolean[] allowed;
  private int candidates;

  RankedRow(int keys) {
    sorted = new double[keys];
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
        sorted[n++] = scores[j];
      }
    }
    candidates = n;
    Arrays.sort(sorted, 0, n);
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
    var keep = new boolean[scores.length];
    if (n <= 0 || candidates == 0) {
      return keep;
    }
    n = Math.min(n, candidates);
    double v = sorted[candidates - n];
    int ties = tiesIn(v, n);
    for (int j = 0; j < scores.length; j++) {
      if (allowed == null || allowed[j]) {
        if (scores[j] > v) {
          keep[j] = true;
        } else if (scores[j] == v && ties > 0) {
          keep[j] = true;
          ties--;
        }
      }
    }
    return keep;
  }

  /** How many of the keys of {@code mask} are in the top {@code n} candidates. */
  int hits(boolean[] mask, int n) {
    n = Math.min(n, candidates);
    if (n <= 0) {
      return 0;
    }
    double v = sorted[candidates - n];
    int ties = tiesIn(v, n);
    int hits = 0;
    for (int j = 0; j < scores.length; j++) {
      if (allowed == null || allowed[j]) {
        if (scores[j] > v) {
          hits += mask[j] ? 1 : 0;
        } else if (scores[j] == v && ties > 0) {
          hits += mask[j] ? 1 : 0;
          ties--;
        }
      }
    }
    return hits;
  }

  /** Keys scoring exactly {@code v} that are in the top n: n minus those scoring above it. */
  private int tiesIn(double v, int n) {
    int above = 0;
    for (int t = candidates - 1; t >= 0 && sorted[t] > v; t--) {
      above++;
    }
    return n - above;
  }

  boolean candidate(int j) {
    return allowed == null || allowed[j];
  }
}
