package dev.attnsim.actors.compute;

/**
 * What FACT decides from its eager prediction besides the attention mask (Qin et al., FACT, ISCA
 * 2023, seed 003, steps 4-6), all before Q, K and V exist, from the predicted scores {@code A^} and
 * the row-wise top-k mask of {@link FactPredictor}:
 *
 * <ul>
 *   <li><b>K/V rows no query needs.</b> A key that no query of the head selects never has its K
 *       and V rows generated ({@link #unneededKeys}; QKV sparsity).
 *   <li><b>Early-decided queries.</b> A query whose highest predicted score exceeds its second by
 *       more than a gap is taken as decided ({@link #decided}): one key holds nearly all its
 *       attention. [choice] Its output is the V row of that key ({@link #topKey}),
 *       and it needs no attention of its own. (The seed summary's wording, "keep this query",
 *       can be read the other way; attnsim's reading is the one whose effect on the output
 *       can be measured.) [choice] The gap is in units of {@code A^}, the hardware's own
 *       values: the score {@code q . k / sqrt(d_head)} with every operand cut to its leading one
 *       (in X, W, Q^ and K^), which shrinks it: on the synthetic LRA-text tensors {@code A^} is
 *       about 0.15 of the exact score (least-squares slope). A query with one candidate (causal
 *       row 0) is decided, one with none is not.
 *   <li><b>FFN precision per token.</b> A token's importance is how often it is selected as a key:
 *       summed over the queries and heads of the layer. A token selected more than {@code r L h
 *       k%} times ({@code L} queries, {@code h} heads, keep ratio {@code k%}) gets the
 *       full-precision FFN, the rest the low-precision FFN ({@link #fullPrecisionFfn}). {@code L
 *       h k%} is the average count when every query keeps {@code k%} of {@code L} candidates, so
 *       {@code r} is "times the average"; [choice] r = 1 by default. Under causal attention rows
 *       have fewer candidates and the average is about half that, so fewer tokens pass at the
 *       same r; the formula is applied as written.
 * </ul>
 *
 * [choice] All three use the top-k mask of every query, decided ones included: FACT selects
 * before it decides.
 */
public final class FactDecisions {
  /**
   * [choice] The default gap in {@code A^} between a decided query's first and second key: 0.75,
   * about 5 in exact score units on the synthetic LRA-text tensors (the first key then outweighs
   * the second about 150 times). There it decides 0.6 % of the queries at l 1024 and raises the
   * output error of fact at keep 25 % from 0.119 to 0.123; 0.5 decides 4.4 % at 0.192, 1.0
   * about 0.1 %.
   */
  public static final double DEFAULT_DECIDE_GAP = 0.75;
  /** [choice] The default {@code r}: full-precision FFN above the average selection count. */
  public static final double DEFAULT_FFN_RATIO = 1.0;

  private FactDecisions() {}

  /** The candidate with the highest predicted score, ties to the lower key; -1 if none. */
  public static int topKey(double[] predicted, boolean[] allowed) {
    int best = -1;
    for (int j = 0; j < predicted.length; j++) {
      if ((allowed == null || allowed[j]) && (best < 0 || predicted[j] > predicted[best])) {
        best = j;
      }
    }
    return best;
  }

  /**
   * The highest predicted score among the candidates minus the second highest (0 when they
   * tie); +infinity with one candidate, NaN with none.
   */
  public static double topGap(double[] predicted, boolean[] allowed) {
    double first = Double.NEGATIVE_INFINITY;
    double second = Double.NEGATIVE_INFINITY;
    int n = 0;
    for (int j = 0; j < predicted.length; j++) {
      if (allowed == null || allowed[j]) {
        n++;
        double s = predicted[j];
        if (s > first) {
          second = first;
          first = s;
        } else if (s > second) {
          second = s;
        }
      }
    }
    return n == 0 ? Double.NaN : n == 1 ? Double.POSITIVE_INFINITY : first - second;
  }

  /** Whether the query is decided early: its {@link #topGap} exceeds {@code gap}. */
  public static boolean decided(double[] predicted, boolean[] allowed, double gap) {
    return topGap(predicted, allowed) > gap;
  }

  /** Adds to {@code counts[j]} the number of mask rows that select key {@code j}. */
  public static void countSelections(boolean[][] mask, long[] counts) {
    for (boolean[] row : mask) {
      if (row.length != counts.length) {
        throw new IllegalArgumentException("mask row has " + row.length + " keys, counts "
            + counts.length);
      }
      for (int j = 0; j < row.length; j++) {
        counts[j] += row[j] ? 1 : 0;
      }
    }
  }

  /** Keys selected by no query ({@code counts[j] == 0}): K and V rows FACT never generates. */
  public static int unneededKeys(long[] counts) {
    int none = 0;
    for (long c : counts) {
      none += c == 0 ? 1 : 0;
    }
    return none;
  }

  /**
   * Per token, whether its FFN runs at full precision: selected more than {@code r L h keep}
   * times, with {@code counts} summed over the layer's {@code heads} heads.
   *
   * @param counts per token, times selected as a key over all queries and heads of the layer
   * @param queries L, the queries per head
   * @param heads h
   * @param keepRatio k%, in (0, 1]
   * @param r the threshold in multiples of the average count, >= 0
   */
  public static boolean[] fullPrecisionFfn(long[] counts, int queries, int heads,
      double keepRatio, double r) {
    if (queries < 1 || heads < 1 || !(keepRatio > 0 && keepRatio <= 1) || !(r >= 0)) {
      throw new IllegalArgumentException("need L >= 1, h >= 1, keep ratio in (0, 1], r >= 0");
    }
    double threshold = r * queries * heads * keepRatio;
    var full = new boolean[counts.length];
    for (int j = 0; j < counts.length; j++) {
      full[j] = counts[j] > threshold;
    }
    return full;
  }
}
