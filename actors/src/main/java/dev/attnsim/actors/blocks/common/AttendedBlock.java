package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.compute.MaskBlock;

/**
 * A query block on its way into an {@link AttentionUnit}: the job it belongs to and the keys its
 * queries attend to, plus whatever the accelerator's {@link AttentionUnit.Timing} reads (the
 * payload of the tiles on the unit's {@code survivors} input).
 */
public interface AttendedBlock {
  AttentionJob job();

  /** The keys each query of the block attends to. */
  MaskBlock attended();

  /**
   * The block's arithmetic on the numbers of the lane that owns its head (functional mode):
   * scores, softmax and {@code A V} on every query's kept keys, unless the accelerator's block
   * says otherwise (FACT's decided queries copy a V row).
   */
  default ComputeOp.Kernel attention(LaneDatapath data) {
    return data.attention(attended());
  }
}
