package dev.attnsim.actors.compute;

/**
 * Exact attention of one head, a block of query rows at a time, so that the {@code l x l} score
 * matrix of a whole sequence never exists: {@code S = Q K^T / sqrt(d_k)} for query rows {@code
 * [row0, row0 + rows)}, a row softmax over the kept entries of a mask, and {@code Z = A V}.
 *
 * <p>Matrices are {@code double[][]}, row-major, one row per token. Sums run in index order, so
 * results are bit-for-bit reproducible.
 */
public final class Attention {
  private Attention() {}

  /**
   * Scores of query rows {@code [row0, row0 + rows)} against every key: {@code S[i][j] =
   * q[row0 + i] . k[j] / sqrt(d_k)}, with {@code d_k} the row length of {@code q}.
   *
   * @param q all queries, {@code l x d_k}
   * @param k all keys, {@code l_k x d_k}
   */
  public static double[][] scores(double[][] q, double[][] k, int row0, int rows) {
    return scores(q, k, row0, rows, 1 / Math.sqrt(width(q)));
  }

  /** {@link #scores} times {@code scale} instead of {@code 1 / sqrt(d_k)}. */
  static double[][] scores(double[][] q, double[][] k, int row0, int rows, double scale) {
    checkRange(q.length, row0, rows);
    int dk = width(q);
    if (width(k) != dk) {
      throw new IllegalArgumentException("Q rows have " + dk + " columns, K rows " + width(k));
    }
    if (rows >= TRANSPOSE_ROWS) {
      return scoresTransposed(q, transpose(k), row0, rows, scale);
    }
    var s = new double[rows][k.length];
    for (int i = 0; i < rows; i++) {
      dotsScaled(q[row0 + i], k, scale, s[i]);
    }
    return s;
  }

  /**
   * Query rows from which {@link #scores} transposes K first: copying K costs about as much as
   * a few rows' scores, and the transposed loop takes half the time of a row's.
   */
  static final int TRANSPOSE_ROWS = 16;

  /**
   * {@code out[j] = dot(q, k[j]) * scale} for every row of {@code k}, each dot product summed in
   * index order exactly as {@link #dot} sums it (the same bits), four keys at a time: one sum's
   * additions wait on each other, four independent sums keep the adder busy (issue 13: this loop
   * was a fifth of {@code accuracy}).
   */
  static void dotsScaled(double[] q, double[][] k, double scale, double[] out) {
    int n = q.length;
    int j = 0;
    for (; j + 3 < k.length; j += 4) {
      double[] k0 = k[j];
      double[] k1 = k[j + 1];
      double[] k2 = k[j + 2];
      double[] k3 = k[j + 3];
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int c = 0; c < n; c++) {
        double x = q[c];
        s0 += x * k0[c];
        s1 += x * k1[c];
        s2 += x * k2[c];
        s3 += x * k3[c];
      }
      out[j] = s0 * scale;
      out[j + 1] = s1 * scale;
      out[j + 2] = s2 * scale;
      out[j + 3] = s3 * scale;
    }
    for (; j < k.length; j++) {
      out[j] = dot(q, k[j]) * scale;
    }
  }

  /**
   * {@link #scores} from K transposed ({@code kT = transpose(k)}, {@code d_k x l_k}, prepared once
   * for all of a head's query blocks): the same bits, since each key's sum still adds its
   * products in column order, but one column of a query times a row of {@code K^T} is added to
   * every key's sum at once, a loop without a reduction that the JIT turns into vector
   * instructions (issue 13: half the time of four keys at a time, with AVX-512).
   */
  public static double[][] scoresTransposed(double[][] q, double[][] kT, int row0, int rows) {
    return scoresTransposed(q, kT, row0, rows, 1 / Math.sqrt(width(q)));
  }

  private static double[][] scoresTransposed(double[][] q, double[][] kT, int row0, int rows,
      double scale) {
    checkRange(q.length, row0, rows);
    int dk = width(q);
    if (kT.length != dk) {
      throw new IllegalArgumentException("Q rows have " + dk + " columns, K " + kT.length);
    }
    int l = width(kT);
    var s = new double[rows][l];
    // Keys a tile at a time, every query of the block over one tile of K^T before the next: the
    // tile (256 KB at d_k 64) stays in the core's cache for all the block's queries instead of
    // the whole K^T (2 MB at l 4096) streaming past once a query (docs/performance.md, Scores).
    // Each sum still adds its products in column order.
    for (int j0 = 0; j0 < l; j0 += SCORE_TILE) {
      int j1 = Math.min(l, j0 + SCORE_TILE);
      for (int i = 0; i < rows; i++) {
        double[] out = s[i];
        double[] qi = q[row0 + i];
        for (int c = 0; c < dk; c++) {
          double x = qi[c];
          double[] column = kT[c];
          for (int j = j0; j < j1; j++) {
            out[j] += x * column[j];
          }
        }
      }
    }
    for (double[] out : s) {
      for (int j = 0; j < l; j++) {
        out[j] *= scale;
      }
    }
    return s;
  }

  /** Keys of {@link #scoresTransposed}'s tiles. */
  private static final int SCORE_TILE = 512;

  /** {@code m} transposed: row {@code c} holds column {@code c} of {@code m}. */
  public static double[][] transpose(double[][] m) {
    var t = new double[width(m)][m.length];
    for (int j = 0; j < m.length; j++) {
      double[] row = m[j];
      for (int c = 0; c < row.length; c++) {
        t[c][j] = row[c];
      }
    }
    return t;
  }

  /** Row softmax over every entry. */
  public static double[][] softmax(double[][] scores) {
    return softmax(scores, null);
  }

  /**
   * Row softmax over the kept entries only ({@code mask[i][j]}; a null mask keeps everything).
   * Dropped entries get probability 0; a row that keeps nothing is all zeros. The row's largest
   * kept score is subtracted before exponentiating.
   */
  public static double[][] softmax(double[][] scores, boolean[][] mask) {
    checkMask(scores, mask);
    var a = new double[scores.length][];
    for (int i = 0; i < scores.length; i++) {
      double[] s = scores[i];
      boolean[] m = mask == null ? null : mask[i];
      a[i] = new double[s.length];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < s.length; j++) {
        if (m == null || m[j]) {
          max = Math.max(max, s[j]);
        }
      }
      if (max == Double.NEGATIVE_INFINITY) {
        continue; // nothing kept
      }
      double sum = 0;
      for (int j = 0; j < s.length; j++) {
        if (m == null || m[j]) {
          a[i][j] = Math.exp(s[j] - max);
          sum += a[i][j];
        }
      }
      for (int j = 0; j < s.length; j++) {
        a[i][j] /= sum;
      }
    }
    return a;
  }

  /**
   * {@code Z = A V}: {@code rows x l_k} probabilities times {@code l_k x d_v} values. Four rows
   * at a time, so each row of V is read once for four (V is 2 MB at l 4096, d_v 64); each output
   * still adds its non-zero products in key order.
   */
  public static double[][] output(double[][] probs, double[][] v) {
    int dv = width(v);
    var z = new double[probs.length][dv];
    for (int i = 0; i < probs.length; i++) {
      if (probs[i].length != v.length) {
        throw new IllegalArgumentException(
            "probability row " + i + " has " + probs[i].length + " keys, V has " + v.length);
      }
    }
    int i = 0;
    for (; i + 4 <= probs.length; i += 4) {
      double[] p0 = probs[i];
      double[] p1 = probs[i + 1];
      double[] p2 = probs[i + 2];
      double[] p3 = probs[i + 3];
      for (int j = 0; j < v.length; j++) {
        double[] vj = v[j];
        addScaled(z[i], p0[j], vj);
        addScaled(z[i + 1], p1[j], vj);
        addScaled(z[i + 2], p2[j], vj);
        addScaled(z[i + 3], p3[j], vj);
      }
    }
    for (; i < probs.length; i++) {
      for (int j = 0; j < v.length; j++) {
        addScaled(z[i], probs[i][j], v[j]);
      }
    }
    return z;
  }

  /** {@code z += p * row}, nothing for {@code p == 0}. */
  private static void addScaled(double[] z, double p, double[] row) {
    if (p != 0) {
      for (int c = 0; c < z.length; c++) {
        z[c] += p * row[c];
      }
    }
  }

  /** Causal candidates of query rows {@code [row0, row0 + rows)}: query q sees keys 0..q. */
  public static boolean[][] causalMask(int row0, int rows, int keys) {
    var m = new boolean[rows][keys];
    for (int i = 0; i < rows; i++) {
      java.util.Arrays.fill(m[i], 0, Math.min(keys, row0 + i + 1), true);
    }
    return m;
  }

  /** {@code a . b} summed in index order. */
  public static double dot(double[] a, double[] b) {
    double s = 0;
    for (int c = 0; c < a.length; c++) {
      s += a[c] * b[c];
    }
    return s;
  }

  /**
   * {@code a b}, each product added in index order: four rows of {@code a} at a time over each row
   * of {@code b}, so a row of {@code b} is read once for four (the same bits as the plain triple
   * loop).
   */
  public static double[][] multiply(double[][] a, double[][] b) {
    int inner = width(a);
    if (inner != b.length) {
      throw new IllegalArgumentException(
          "cannot multiply " + a.length + "x" + inner + " by " + b.length + "x" + width(b));
    }
    int n = width(b);
    var c = new double[a.length][n];
    int i = 0;
    for (; i + 4 <= a.length; i += 4) {
      double[] a0 = a[i];
      double[] a1 = a[i + 1];
      double[] a2 = a[i + 2];
      double[] a3 = a[i + 3];
      double[] c0 = c[i];
      double[] c1 = c[i + 1];
      double[] c2 = c[i + 2];
      double[] c3 = c[i + 3];
      for (int t = 0; t < inner; t++) {
        double[] bt = b[t];
        double x0 = a0[t];
        double x1 = a1[t];
        double x2 = a2[t];
        double x3 = a3[t];
        for (int j = 0; j < n; j++) {
          double y = bt[j];
          c0[j] += x0 * y;
          c1[j] += x1 * y;
          c2[j] += x2 * y;
          c3[j] += x3 * y;
        }
      }
    }
    for (; i < a.length; i++) {
      double[] ci = c[i];
      for (int t = 0; t < inner; t++) {
        double x = a[i][t];
        double[] bt = b[t];
        for (int j = 0; j < n; j++) {
          ci[j] += x * bt[j];
        }
      }
    }
    return c;
  }

  static void checkMask(double[][] scores, boolean[][] mask) {
    if (mask == null) {
      return;
    }
    if (mask.length != scores.length) {
      throw new IllegalArgumentException(
          "mask has " + mask.length + " rows, scores " + scores.length);
    }
    for (int i = 0; i < mask.length; i++) {
      if (mask[i].length != scores[i].length) {
        throw new IllegalArgumentException("mask row " + i + " has " + mask[i].length
            + " entries, score row " + scores[i].length);
      }
    }
  }

  private static int width(double[][] m) {
    if (m.length == 0) {
      throw new IllegalArgumentException("empty matrix");
    }
    return m[0].length;
  }

  private static void checkRange(int length, int row0, int rows) {
    if (row0 < 0 || rows < 0 || row0 + rows > length) {
      throw new IllegalArgumentException(
          "rows [" + row0 + ", " + (row0 + rows) + ") outside [0, " + length + ")");
    }
  }
}
