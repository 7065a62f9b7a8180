package dev.attnsim.actors.blocks.energon;

import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.kernel.Precision;
import java.util.Arrays;

/**
 * What Energon's filter unit needs: the layer's shape, the rounds' key widths and throughput,
 * and how K's bit planes are laid out in DRAM and buffered on chip.
 *
 * @param keyBits per round, the top bits of K's codes the round uses (Energon: 2 then 4),
 *     strictly increasing
 * @param macsPerCycle per round, the filter's dot-product MACs per cycle at that round's width
 * @param planeBufferBytes on-chip buffer for round 0's K planes, per head; a head whose planes
 *     do not fit is fetched again for every query block [choice]
 * @param burstBytes DRAM access granularity; a later round's planes are fetched key by key,
 *     each touched burst whole
 * @param window query blocks whose K planes may be in flight while the unit scores another
 */
public record FilterConfig(LayerShape shape, int[] keyBits, long[] macsPerCycle,
    long planeBufferBytes, int burstBytes, int window) {

  public FilterConfig {
    int n = keyBits.length;
    if (n < 1 || macsPerCycle.length != n) {
      throw new IllegalArgumentException("need one key width and throughput per round, got "
          + n + " and " + macsPerCycle.length);
    }
    for (int r = 0; r < n; r++) {
      if (keyBits[r] < 1 || (r > 0 && keyBits[r] <= keyBits[r - 1]) || macsPerCycle[r] < 1) {
        throw new IllegalArgumentException("round widths must increase from >= 1 and "
            + "throughputs be >= 1: " + Arrays.toString(keyBits) + ", "
            + Arrays.toString(macsPerCycle));
      }
    }
    if (planeBufferBytes < 0 || burstBytes < 1 || window < 1) {
      throw new IllegalArgumentException("plane buffer >= 0, burst >= 1 and window >= 1, got "
          + planeBufferBytes + ", " + burstBytes + ", " + window);
    }
    keyBits = keyBits.clone();
    macsPerCycle = macsPerCycle.clone();
  }

  /**
   * The width a round of {@code keyBits}-wide keys is counted (and charged energy) at: its key
   * width rounded up to a MAC precision.
   */
  public static Precision roundPrecision(int keyBits) {
    return keyBits <= 2 ? Precision.INT2 : keyBits <= 4 ? Precision.INT4 : Precision.INT8;
  }

  /** {@link #roundPrecision} of round {@code r}. */
  public Precision precision(int r) {
    return roundPrecision(keyBits[r]);
  }

  public int rounds() {
    return keyBits.length;
  }

  /** Bytes of one key row in one bit plane: {@code ceil(d_head / 8)}. */
  public long planeRowBytes() {
    return (shape.headDim() + 7) / 8;
  }

  /** Bytes of one whole bit plane of a head's K: {@code ceil(l x d_head / 8)}. */
  public long planeBytes() {
    return ((long) shape.seqLen() * shape.headDim() + 7) / 8;
  }

  /** Bit planes round {@code r} adds to what earlier rounds fetched. */
  public int newPlanes(int r) {
    return keyBits[r] - (r == 0 ? 0 : keyBits[r - 1]);
  }
}
