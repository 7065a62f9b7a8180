package dev.attnsim.actors.compute;

/**
 * The attention output of one query row over the keys a mask keeps: {@code z = softmax_kept(s)
 * V}, touching only the kept keys, as a sparse datapath does (an SDDMM then an SpMM). This is
 * what a predictor's mask does to the layer's result, as opposed to which keys it picks.
 */
public final class SparseAttention {
  private SparseAttention() {}

  /**
   * {@code sum_j p_j v_j} over the kept keys, with {@code p = softmax} of the kept scores (the
   * largest kept score subtracted before exponentiating); scores of dropped keys are not read.
   * A row that keeps nothing outputs zeros.
   *
   * @param scores the row's scores, one per key
   * @param kept the mask row, one flag per key
   * @param v values, one row of width {@code d_v} per key
   */
  public static double[] row(double[] scores, boolean[] kept, double[][] v) {
    check(scores, kept, v);
    var keys = new int[kept.length];
    int count = indices(kept, keys);
    return weighted(scores, keys, count, v, keptMax(scores, kept));
  }

  /**
   * The keys a mask keeps, in increasing order, into {@code into} (at least as long as the
   * mask); how many. No branch per key: whether a key is kept is a coin toss for the predictor.
   */
  public static int indices(boolean[] mask, int[] into) {
    int n = 0;
    for (int j = 0; j < mask.length; j++) {
      into[n] = j;
      n += mask[j] ? 1 : 0;
    }
    return n;
  }

  /**
   * One score row under several masks (a predictor's each): {@link #row} with every key's {@code
   * exp(s_j - max)} worked out once and kept while a mask's largest kept score is the largest of
   * the row's candidates, the usual case, so the same bits come out with fewer exponentials
   * (issue 13: the exponentials of one row's masks were a tenth of {@code accuracy}'s time).
   */
  public static final class SharedRow {
    private final double[] exps;
    private final int[] stamp;
    private int current;
    private double[] scores;
    private double max;

    /** For rows of {@code keys} scores. */
    public SharedRow(int keys) {
      exps = new double[keys];
      stamp = new int[keys];
    }

    /**
     * Starts on {@code scores}, whose candidates are those of {@code allowed} (null: all): the
     * exponentials of the previous row are forgotten.
     */
    public SharedRow of(double[] scores, boolean[] allowed) {
      if (scores.length > exps.length) {
        throw new IllegalArgumentException(
            scores.length + " scores, room for " + exps.length);
      }
      this.scores = scores;
      current++;
      max = keptMax(scores, allowed);
      return this;
    }

    /**
     * {@link SparseAttention#row} of the current scores under the mask keeping keys {@code
     * keys[0 .. count)} (increasing, {@link SparseAttention#indices}).
     */
    public double[] row(int[] keys, int count, double[][] v) {
      if (v.length != scores.length) {
        throw new IllegalArgumentException("scores and V must have one entry per key: "
            + scores.length + ", " + v.length);
      }
      // one pass, betting that the mask keeps the largest candidate score; else done afresh
      var z = new double[v.length == 0 ? 0 : v[0].length];
      double keptMax = Double.NEGATIVE_INFINITY;
      double sum = 0;
      for (int t = 0; t < count; t++) {
        int j = keys[t];
        keptMax = Math.max(keptMax, scores[j]);
        double e = exp(j);
        sum += e;
        double[] vj = v[j];
        for (int c = 0; c < z.length; c++) {
          z[c] += e * vj[c];
        }
      }
      if (keptMax != max || keptMax == Double.NEGATIVE_INFINITY) {
        return weighted(scores, keys, count, v, keptMax);
      }
      for (int c = 0; c < z.length; c++) {
        z[c] /= sum;
      }
      return z;
    }

    private double exp(int j) {
      if (stamp[j] != current) {
        exps[j] = Math.exp(scores[j] - max);
        stamp[j] = current;
      }
      return exps[j];
    }
  }

  private static void check(double[] scores, boolean[] kept, double[][] v) {
    if (scores.length != kept.length || kept.length != v.length) {
      throw new IllegalArgumentException("scores, mask and V must have one entry per key: "
          + scores.length + ", " + kept.length + ", " + v.length);
    }
  }

  private static double keptMax(double[] scores, boolean[] kept) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < scores.length; j++) {
      if (kept == null || kept[j]) {
        max = Math.max(max, scores[j]);
      }
    }
    return max;
  }

  /** The output over keys {@code keys[0 .. count)} given their largest score. */
  private static double[] weighted(double[] scores, int[] keys, int count, double[][] v,
      double max) {
    var z = new double[v.length == 0 ? 0 : v[0].length];
    if (max == Double.NEGATIVE_INFINITY) {
      return z;
    }
    double sum = 0;
    for (int t = 0; t < count; t++) {
      int j = keys[t];
      double e = Math.exp(scores[j] - max);
      sum += e;
      double[] vj = v[j];
      for (int c = 0; c < z.length; c++) {
        z[c] += e * vj[c];
      }
    }
    for (int c = 0; c < z.length; c++) {
      z[c] /= sum;
    }
    return z;
  }
}
