package dev.attnsim.actors.kernel;

/** Number formats a datapath can work in; the bit width decides storage and link bytes. */
public enum Precision {
  FX16(16),
  INT8(8),
  INT4(4),
  INT2(2),
  /** 32-bit accumulator words (partial sums of fixed-point products). */
  INT32(32),
  FP32(32);

  /** The operand formats of a multi-precision PE array, widest first. */
  public static final java.util.List<Precision> OPERANDS = java.util.List.of(FX16, INT8, INT4,
      INT2);

  private final int bits;

  Precision(int bits) {
    this.bits = bits;
  }

  /** The name in config keys and counters: {@code fx16}, {@code int4}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public int bits() {
    return bits;
  }

  /** Bytes needed to store {@code elements} values packed at this precision, rounded up. */
  public long bytesFor(long elements) {
    if (elements < 0) {
      throw new IllegalArgumentException("elements must be >= 0, got " + elements);
    }
    return (elements * bits + 7) / 8;
  }
}
