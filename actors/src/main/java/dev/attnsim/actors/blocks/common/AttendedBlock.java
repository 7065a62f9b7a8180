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
}
