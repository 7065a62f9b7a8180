package dev.attnsim.actors.blocks.fact;

import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.compute.Quantizer;

/**
 * FACT's eager prediction unit.
 *
 * @param bits width of the fixed-point codes whose leading ones the unit multiplies (8)
 * @param logMacsPerCycle leading-one products (sign XOR, exponent add, accumulate) per cycle
 * @param topkElementsPerCycle predicted scores the row-wise top-k takes per cycle
 * @param xBufferBytes on-chip buffer for a layer's X (FX16), LRU over layers: read once per
 *     layer when it fits, else once per head
 * @param window tasks (heads to predict, query blocks to hand on) whose DRAM reads may be in
 *     flight at once
 */
public record EagerConfig(LayerShape shape, int bits, long logMacsPerCycle,
    long topkElementsPerCycle, long xBufferBytes, int window) {

  public EagerConfig {
    Quantizer.maxLevel(bits); // validates 2..16
    if (logMacsPerCycle < 1 || topkElementsPerCycle < 1 || xBufferBytes < 0 || window < 1) {
      throw new IllegalArgumentException("eager prediction unit: rates and window must be >= 1 "
          + "and the X buffer >= 0, got " + logMacsPerCycle + ", " + topkElementsPerCycle
          + ", " + window + ", " + xBufferBytes);
    }
  }

  /**
   * Bits of one leading-one code: a sign and the position of the leading one among {@code bits
   * - 1} magnitude bits, or none (zero): {@code 1 + ceil(log2(bits))}, 4 for INT8.
   */
  public int codeBits() {
    return 1 + (32 - Integer.numberOfLeadingZeros(bits - 1));
  }

  /** Bytes of one head's W_Q and W_K slices as leading-one codes ({@code 2 d d_head} codes). */
  public long headWeightBytes() {
    return (2L * shape.dModel() * shape.headDim() * codeBits() + 7) / 8;
  }

  /** Bytes of a layer's X in FX16. */
  public long layerXBytes() {
    return 2L * shape.seqLen() * shape.dModel();
  }
}
