package dev.attnsim.actors.compute;

/**
 * The oracle mask: each query row keeps its {@code k} highest exact scores. Ties go to the lower
 * key index, so the mask is a function of the scores alone. With a candidate mask (causal
 * attention), only candidates compete, and a row with fewer than {@code k} candidates keeps them
 * all.
 */
public final class OracleTopK {
  private OracleTopK() {}

  /**
   * Keys a row keeps at a keep ratio: {@code max(1, round(ratio x candidates))}. Every top-k
   * selection (the oracle, DSA, FACT, the accuracy table) counts with this one rule.
   */
  public static int keepCount(double ratio, long candidates) {
    return (int) Math.max(1, Math.round(ratio * candidates));
  }

  /** The top {@code k} of every row. */
  public static boolean[][] mask(double[][] scores, int k) {
    return mask(scores, k, null);
  }

  /** The top {@code k} of every row among the candidates of {@code allowed} (null: all keys). */
  public static boolean[][] mask(double[][] scores, int k, boolean[][] allowed) {
    var sizes = new int[scores.length];
    java.util.Arrays.fill(sizes, k);
    return mask(scores, sizes, allowed);
  }

  /**
   * The top {@code sizes[i]} of row {@code i}, among the candidates of {@code allowed} (null: all
   * keys).
   */
  public static boolean[][] mask(double[][] scores, int[] sizes, boolean[][] allowed) {
    if (sizes.length != scores.length) {
      throw new IllegalArgumentException(sizes.length + " sizes for " + scores.length + " rows");
    }
    Attention.checkMask(scores, allowed);
    var m = new boolean[scores.length][];
    for (int i = 0; i < scores.length; i++) {
      m[i] = row(scores[i], sizes[i], allowed == null ? null : allowed[i]);
    }
    return m;
  }

  /**
   * One row: the {@code k} highest candidates, ties to the lower index. That is every candidate
   * scoring above the k-th highest score {@code v}, then the lowest-indexed candidates scoring
   * exactly {@code v} until there are k (0.0 and -0.0 are equal).
   */
  public static boolean[] row(double[] scores, int k, boolean[] allowed) {
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0, got " + k);
    }
    int n = 0;
    var values = scratch(scores.length);
    for (int j = 0; j < scores.length; j++) {
      if (Double.isNaN(scores[j])) {
        throw new IllegalArgumentException("NaN score at key " + j);
      }
      if (allowed == null || allowed[j]) {
        values[n++] = scores[j];
      }
    }
    int kept = Math.min(k, n);
    if (kept == 0) {
      return new boolean[scores.length];
    }
    var kth = OrderStatistic.select(values, n, n - kept);
    return keep(scores, allowed, kth.value(), kept - kth.above());
  }

  /** Per thread, {@link #row}'s candidates, which selection reorders. */
  private static final ThreadLocal<double[]> SCRATCH =
      ThreadLocal.withInitial(() -> new double[0]);

  /**
   * The thread's buffer of at least {@code n} values for {@link #row}: a new array per row
   * (zeroed, 2048 doubles at l 2048) made {@code accuracy} on 4 layers x l 2048 about 6 % slower
   * in paired runs (issue 13).
   */
  private static double[] scratch(int n) {
    double[] b = SCRATCH.get();
    if (b.length < n) {
      b = new double[Math.max(n, 2 * b.length)];
      SCRATCH.set(b);
    }
    return b;
  }

  /**
   * The mask of the candidates scoring above {@code v}, then of the first {@code ties} (by key
   * index) scoring exactly {@code v}: a top-n once {@code v}, the n-th highest score, and the
   * number of ties it takes are known.
   */
  public static boolean[] keep(double[] scores, boolean[] allowed, double v, int ties) {
    var keep = new boolean[scores.length];
    // the keys above v without a branch per key (which of a row's keys score above its top-k
    // bound is a coin toss for the branch predictor), then the ties, rare among real scores
    if (allowed == null) {
      for (int j = 0; j < scores.length; j++) {
        keep[j] = scores[j] > v;
      }
    } else {
      for (int j = 0; j < scores.length; j++) {
        keep[j] = allowed[j] & scores[j] > v;
      }
    }
    for (int j = 0; j < scores.length && ties > 0; j++) {
      if (scores[j] == v && (allowed == null || allowed[j])) {
        keep[j] = true;
        ties--;
      }
    }
    return keep;
  }
}
