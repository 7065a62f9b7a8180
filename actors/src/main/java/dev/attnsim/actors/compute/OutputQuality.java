package dev.attnsim.actors.compute;

/**
 * How close an approximate attention output is to the reference, accumulated over rows (and
 * heads and layers) so that the figure weighs every output element alike:
 *
 * <ul>
 *   <li>{@link #relativeError()}: {@code sqrt(sum (a - r)^2 / sum r^2)}, the relative Frobenius
 *       error of the whole output;
 *   <li>{@link #cosine()}: {@code sum a r / sqrt(sum a^2 sum r^2)}, the cosine similarity of the
 *       outputs as one long vector.
 * </ul>
 *
 * Sums run in the order rows are added, so the same additions in the same order give the same
 * bits. Mutable: one accumulator per thread, merged in a fixed order with {@link
 * #add(OutputQuality)}.
 */
public final class OutputQuality {
  private double squaredError;
  private double squaredReference;
  private double squaredApprox;
  private double dot;

  /** Adds one row: the reference output and its approximation, of equal width. */
  public void add(double[] reference, double[] approx) {
    if (reference.length != approx.length) {
      throw new IllegalArgumentException("reference has " + reference.length
          + " columns, approximation " + approx.length);
    }
    for (int c = 0; c < reference.length; c++) {
      double r = reference[c];
      double a = approx[c];
      squaredError += (a - r) * (a - r);
      squaredReference += r * r;
      squaredApprox += a * a;
      dot += a * r;
    }
  }

  /** Adds another accumulator's sums. */
  public void add(OutputQuality other) {
    squaredError += other.squaredError;
    squaredReference += other.squaredReference;
    squaredApprox += other.squaredApprox;
    dot += other.dot;
  }

  /** {@code sqrt(sum (a - r)^2 / sum r^2)}; NaN when the reference is all zeros. */
  public double relativeError() {
    return squaredReference == 0 ? Double.NaN : Math.sqrt(squaredError / squaredReference);
  }

  /** {@code sum a r / sqrt(sum a^2 sum r^2)}; NaN when either side is all zeros. */
  public double cosine() {
    double norms = Math.sqrt(squaredApprox) * Math.sqrt(squaredReference);
    return norms == 0 ? Double.NaN : dot / norms;
  }
}
