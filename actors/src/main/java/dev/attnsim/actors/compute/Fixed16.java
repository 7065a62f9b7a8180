package dev.attnsim.actors.compute;

/**
 * The functional datapath's FX16: 16-bit signed fixed point whose binary point is set per row
 * (activations: one exponent per token row of a tile) or per tensor (weights) from the largest
 * magnitude, so that the largest entry uses the full 15 magnitude bits [choice: a block floating
 * point; a single fixed binary point would flush the small weights of real models, which are
 * around 1/sqrt(d), to a few levels]. Rounding is to nearest, halves away from zero, as {@link
 * Quantizer}.
 *
 * <p>Per row, not per tile, so that a value does not depend on how rows are grouped into tiles:
 * the golden model reproduces the accelerator's operands exactly without knowing its tiling.
 */
public final class Fixed16 {
  /** The largest code, {@code 2^15 - 1}. */
  public static final int MAX_CODE = 32767;

  private Fixed16() {}

  /**
   * Fraction bits for a row or tensor whose largest magnitude is {@code maxAbs}: {@code 15 - e},
   * with {@code e} the smallest integer such that {@code maxAbs < 2^e}. Zero (or a non-finite
   * value) gives 15.
   */
  public static int fractionBits(double maxAbs) {
    if (!(maxAbs > 0) || Double.isInfinite(maxAbs)) {
      return 15;
    }
    return 15 - (Math.getExponent(maxAbs) + 1);
  }

  /** {@code x} on the grid of {@code fractionBits}, codes clamped to +-{@link #MAX_CODE}. */
  public static double round(double x, int fractionBits) {
    double scale = Math.scalb(1.0, fractionBits);
    long code = Quantizer.roundHalfAway(x * scale);
    code = Math.max(-MAX_CODE, Math.min(MAX_CODE, code));
    return code / scale;
  }

  /** One row on its own grid. */
  public static double[] row(double[] row) {
    int f = fractionBits(maxAbs(row));
    var out = new double[row.length];
    for (int j = 0; j < row.length; j++) {
      out[j] = round(row[j], f);
    }
    return out;
  }

  /**
   * One row as a 32-bit accumulator holds it: the same per-row binary point with 31 magnitude
   * bits, {@code 2^16} times finer than {@link #row}. For the SDDMM's scores, which leave the
   * PEs' wide accumulators for the softmax unit without narrowing (see {@code
   * actors/docs/functional.md}: a 16-bit score on a trained model's magnitudes, around 170, sits
   * on a {@code 2^-7} grid, too coarse for its softmax).
   */
  public static double[] row32(double[] row) {
    int f = fractionBits(maxAbs(row)) + 16;
    double scale = Math.scalb(1.0, f);
    var out = new double[row.length];
    for (int j = 0; j < row.length; j++) {
      out[j] = Quantizer.roundHalfAway(row[j] * scale) / scale;
    }
    return out;
  }

  /** Every row on its own grid. */
  public static double[][] perRow(double[][] m) {
    var out = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = row(m[i]);
    }
    return out;
  }

  /** The whole matrix on one grid, set by its largest entry. */
  public static double[][] perTensor(double[][] m) {
    double max = 0;
    for (double[] r : m) {
      max = Math.max(max, maxAbs(r));
    }
    int f = fractionBits(max);
    var out = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = new double[m[i].length];
      for (int j = 0; j < m[i].length; j++) {
        out[i][j] = round(m[i][j], f);
      }
    }
    return out;
  }

  private static double maxAbs(double[] row) {
    double max = 0;
    for (double v : row) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
