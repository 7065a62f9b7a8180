package dev.attnsim.actors.compute;

import java.util.Arrays;
import java.util.Objects;

/**
 * The number formats of the prediction paths: symmetric linear INT quantisation (INT2, INT4,
 * INT8, any width 2..16) and the MSB/LSB bit-plane split Energon fetches its operands in. The
 * attention datapath's FX16 is {@link Fixed16}.
 *
 * <p><b>Symmetric INT-b</b> (Sanger's formula): {@code scale = (2^(b-1) - 1) / max|x|}, {@code q =
 * clamp(round(x * scale), -(2^(b-1) - 1), 2^(b-1) - 1)} with rounding half away from zero, and
 * {@code x ~ q / scale}. The code {@code -2^(b-1)} is never used, so the range is symmetric and
 * INT2 holds {-1, 0, 1}. An all-zero tensor (or row) gets scale 1 and quantises to zeros. The
 * scale is taken per tensor or per row.
 *
 * <p><b>Bit planes</b> [choice, actors/docs/energon.md]: a signed INT value is split
 * two's-complement
 * style into {@code msb = value >> lowBits} (arithmetic shift: signed, floor division) and {@code
 * lsb = value & (2^lowBits - 1)} (unsigned, in [0, 2^lowBits)), so that {@code value == msb *
 * 2^lowBits + lsb} exactly. The high plane alone, {@code msb * 2^lowBits}, is the value truncated
 * towards minus infinity: the low-precision operand of an early filtering round, refined later by
 * fetching only the low plane.
 */
public final class Quantizer {
  private Quantizer() {}

  /**
   * An INT-quantised matrix: {@code values[i][j] ~ x[i][j] * scales[i]}. A per-tensor
   * quantisation has the same scale on every row.
   *
   * @param bits width b; values lie in {@code [-(2^(b-1) - 1), 2^(b-1) - 1]}
   * @param values the integer codes, row-major
   * @param scales one scale per row (levels per unit of x)
   */
  public record Quantized(int bits, int[][] values, double[] scales) {
    public Quantized {
      Objects.requireNonNull(values, "values");
      Objects.requireNonNull(scales, "scales");
      if (values.length != scales.length) {
        throw new IllegalArgumentException(
            values.length + " rows but " + scales.length + " scales");
      }
    }

    /** {@code values[i][j] / scales[i]}. */
    public double[][] dequantize() {
      var x = new double[values.length][];
      for (int i = 0; i < values.length; i++) {
        x[i] = new double[values[i].length];
        for (int j = 0; j < values[i].length; j++) {
          x[i][j] = values[i][j] / scales[i];
        }
      }
      return x;
    }
  }

  /** A value as its high and low bit planes: {@code value == msb * 2^lowBits + lsb}. */
  public record BitPlanes(int msb, int lsb, int lowBits) {
    public int value() {
      return msb * (1 << lowBits) + lsb;
    }
  }

  /** The largest code of symmetric INT-b: {@code 2^(b-1) - 1} (1 for INT2, 7 for INT4, 127 for INT8). */
  public static int maxLevel(int bits) {
    checkBits(bits);
    return (1 << (bits - 1)) - 1;
  }

  /** {@code (2^(b-1) - 1) / maxAbs}, or 1 when {@code maxAbs} is 0. */
  public static double scaleFor(double maxAbs, int bits) {
    if (!(maxAbs >= 0) || Double.isInfinite(maxAbs)) {
      throw new IllegalArgumentException("max |x| must be finite and >= 0, got " + maxAbs);
    }
    return maxAbs == 0 ? 1.0 : maxLevel(bits) / maxAbs;
  }

  /** Rounds to the nearest integer, halves away from zero (2.5 -> 3, -2.5 -> -3). */
  public static long roundHalfAway(double x) {
    return x >= 0 ? (long) Math.floor(x + 0.5) : -(long) Math.floor(-x + 0.5);
  }

  /** One value at a given scale: rounded half away from zero, clamped to +-maxLevel. */
  public static int quantize(double x, double scale, int bits) {
    int max = maxLevel(bits);
    long q = roundHalfAway(x * scale);
    return (int) Math.max(-max, Math.min(max, q));
  }

  /** INT-b with one scale for the whole matrix, from its largest magnitude. */
  public static Quantized perTensor(double[][] x, int bits) {
    double max = 0;
    for (double[] row : x) {
      max = Math.max(max, maxAbs(row));
    }
    double scale = scaleFor(max, bits);
    var scales = new double[x.length];
    Arrays.fill(scales, scale);
    return apply(x, scales, bits);
  }

  /** INT-b with one scale per row, from the row's largest magnitude. */
  public static Quantized perRow(double[][] x, int bits) {
    var scales = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      scales[i] = scaleFor(maxAbs(x[i]), bits);
    }
    return apply(x, scales, bits);
  }

  /** Quantises then dequantises per tensor: the values the low-precision arithmetic sees. */
  public static double[][] roundTrip(double[][] x, int bits) {
    return perTensor(x, bits).dequantize();
  }

  /**
   * Splits a signed INT-{@code bits} value into its top {@code bits - lowBits} bits (signed) and
   * its bottom {@code lowBits} bits (unsigned); see the class comment.
   */
  public static BitPlanes split(int value, int bits, int lowBits) {
    checkBits(bits);
    if (lowBits < 1 || lowBits >= bits) {
      throw new IllegalArgumentException(
          "low bits must be in [1, " + (bits - 1) + "] for INT" + bits + ", got " + lowBits);
    }
    int min = -(1 << (bits - 1));
    if (value < min || value > -min - 1) {
      throw new IllegalArgumentException(value + " does not fit in INT" + bits);
    }
    return new BitPlanes(value >> lowBits, value & ((1 << lowBits) - 1), lowBits);
  }

  private static Quantized apply(double[][] x, double[] scales, int bits) {
    var q = new int[x.length][];
    for (int i = 0; i < x.length; i++) {
      q[i] = new int[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        q[i][j] = quantize(x[i][j], scales[i], bits);
      }
    }
    return new Quantized(bits, q, scales);
  }

  private static double maxAbs(double[] row) {
    double m = 0;
    for (double v : row) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("cannot quantise a non-finite value: " + v);
      }
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static void checkBits(int bits) {
    if (bits < 2 || bits > 16) {
      throw new IllegalArgumentException("INT width must be in [2, 16], got " + bits);
    }
  }

}
