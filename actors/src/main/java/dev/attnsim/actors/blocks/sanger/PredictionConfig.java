package dev.attnsim.actors.blocks.sanger;

import dev.attnsim.actors.compute.LayerShape;

/**
 * What Sanger's prediction unit needs.
 *
 * @param bits width of the quantised Q and K (4): K is fetched at this width
 * @param macsPerCycle low-bit MACs per cycle of the score lanes
 * @param elementsPerCycle scores per cycle through the softmax and the threshold, each pass
 * @param kBufferBytes on-chip buffer for the heads' low-bit K (LRU over heads); a head whose K
 *     does not fit is fetched again for every query block [choice]
 * @param window query blocks whose K may be in flight while the unit scores another
 */
public record PredictionConfig(LayerShape shape, int bits, long macsPerCycle,
    long elementsPerCycle, long kBufferBytes, int window) {

  public PredictionConfig {
    if (bits < 2 || bits > 8 || macsPerCycle < 1 || elementsPerCycle < 1 || kBufferBytes < 0
        || window < 1) {
      throw new IllegalArgumentException("prediction unit: bits 2..8, MACs and elements per "
          + "cycle and window >= 1, buffer >= 0; got " + bits + ", " + macsPerCycle + ", "
          + elementsPerCycle + ", " + window + ", " + kBufferBytes);
    }
  }

  /** Bytes of one head's K at {@link #bits}: {@code ceil(l x d_head x bits / 8)}. */
  public long headKBytes() {
    return ((long) shape.seqLen() * shape.headDim() * bits + 7) / 8;
  }
}
