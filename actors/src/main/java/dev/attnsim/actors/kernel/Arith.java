package dev.attnsim.actors.kernel;

/** Integer arithmetic the models share. */
public final class Arith {
  private Arith() {}

  /** {@code ceil(a / b)} for {@code b > 0}, any sign of {@code a} (Java 17 has no Math.ceilDiv). */
  public static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
