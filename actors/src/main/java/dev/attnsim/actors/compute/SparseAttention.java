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
    if (scores.length != kept.length || kept.length != v.length) {
      throw new IllegalArgumentException("scores, mask and V must have one entry per key: "
          + scores.length + ", " + kept.length + ", " + v.length);
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < kept.length; j++) {
      if (kept[j]) {
        max = Math.max(max, scores[j]);
      }
    }
    var z = new double[v.length == 0 ? 0 : v[0].length];
    if (max == Double.NEGATIVE_INFINITY) {
      return z;
    }
    double sum = 0;
    for (int j = 0; j < kept.length; j++) {
      if (kept[j]) {
        double e = Math.exp(scores[j] - max);
        sum += e;
        double[] vj = v[j];
        for (int c = 0; c < z.length; c++) {
          z[c] += e * vj[c];
        }
      }
    }
    for (int c = 0; c < z.length; c++) {
      z[c] /= sum;
    }
    return z;
  }
}
