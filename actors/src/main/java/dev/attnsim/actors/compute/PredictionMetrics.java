package dev.attnsim.actors.compute;

/**
 * How good a predicted mask is for a block of query rows, judged against the exact scores.
 *
 * <ul>
 *   <li>{@code omittedFraction}: share of the candidate (query, key) pairs the mask drops, {@code
 *       1 - kept / candidates}: the sparsity.
 *   <li>{@code accuracy}: DSA's "prediction accuracy" (§4.3): in each row, of the {@code n} keys
 *       the predictor keeps, the share that are in the oracle top-{@code n} of that row ({@link
 *       OracleTopK}, ties to the lower key), averaged over the rows. [choice] Rows that keep
 *       nothing have no share and are left out of the average; if no row keeps anything the
 *       accuracy is NaN. Because oracle ties go to the lower key, a mask that keeps an equally
 *       scored higher key instead scores below 1.
 *   <li>{@code massKept}: in each row, the exact softmax probability (over all candidates) that
 *       falls on kept keys, averaged over the rows that have a candidate. 1 for the dense mask.
 * </ul>
 *
 * @param rows query rows judged
 * @param candidates candidate pairs (all, or those of the candidate mask)
 * @param kept pairs the mask keeps
 */
public record PredictionMetrics(int rows, long candidates, long kept, double omittedFraction,
    double accuracy, double massKept) {

  /** Judges {@code predicted} against {@code scores} with every key a candidate. */
  public static PredictionMetrics of(double[][] scores, boolean[][] predicted) {
    return of(scores, predicted, null);
  }

  /**
   * Judges {@code predicted} against {@code scores} (both {@code rows x keys}); {@code allowed}
   * holds the candidates (null: all), e.g. {@link Attention#causalMask}. A predicted key that is
   * not a candidate is an error.
   */
  public static PredictionMetrics of(double[][] scores, boolean[][] predicted,
      boolean[][] allowed) {
    java.util.Objects.requireNonNull(predicted, "predicted");
    Attention.checkMask(scores, predicted);
    Attention.checkMask(scores, allowed);
    var probs = Attention.softmax(scores, allowed);
    long candidates = 0;
    long kept = 0;
    double accuracySum = 0;
    int accuracyRows = 0;
    double massSum = 0;
    int massRows = 0;
    for (int i = 0; i < scores.length; i++) {
      int rowCandidates = 0;
      int rowKept = 0;
      double mass = 0;
      for (int j = 0; j < scores[i].length; j++) {
        boolean candidate = allowed == null || allowed[i][j];
        if (predicted[i][j] && !candidate) {
          throw new IllegalArgumentException(
              "row " + i + " keeps key " + j + ", which is not a candidate");
        }
        rowCandidates += candidate ? 1 : 0;
        if (predicted[i][j]) {
          rowKept++;
          mass += probs[i][j];
        }
      }
      candidates += rowCandidates;
      kept += rowKept;
      if (rowCandidates > 0) {
        massSum += mass;
        massRows++;
      }
      if (rowKept > 0) {
        var oracle = OracleTopK.row(scores[i], rowKept, allowed == null ? null : allowed[i]);
        int hits = 0;
        for (int j = 0; j < scores[i].length; j++) {
          hits += predicted[i][j] && oracle[j] ? 1 : 0;
        }
        accuracySum += (double) hits / rowKept;
        accuracyRows++;
      }
    }
    return new PredictionMetrics(scores.length, candidates, kept,
        candidates == 0 ? 0 : 1 - (double) kept / candidates,
        accuracyRows == 0 ? Double.NaN : accuracySum / accuracyRows,
        massRows == 0 ? Double.NaN : massSum / massRows);
  }
}
