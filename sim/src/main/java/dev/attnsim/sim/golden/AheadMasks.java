package dev.attnsim.sim.golden;

import dev.attnsim.actors.compute.MaskBlock;
import dev.attnsim.actors.compute.MaskSource;
import dev.attnsim.actors.compute.SpareThreads;

/**
 * A mask source whose next query blocks of a head are worked out on a spare core while the run
 * asks for the current one ({@link Ahead}): the same masks, sooner. For sources that are pure
 * functions of their arguments, as every {@link MaskSource} is (issue 13: DOTA's synthetic masks
 * were 17 % of the simulation's thread at l 16384 with the fast DRAM model).
 */
public final class AheadMasks implements MaskSource {
  private final MaskSource masks;
  private final int seqLen;
  private final Ahead<MaskBlock> blocks;

  /** {@code masks}, with blocks worked out on {@code spare} (null: on the asking thread). */
  public AheadMasks(MaskSource masks, int seqLen, SpareThreads spare) {
    this.masks = java.util.Objects.requireNonNull(masks, "masks");
    this.seqLen = seqLen;
    this.blocks = new Ahead<>(spare);
  }

  @Override
  public MaskBlock block(int layer, int head, int q0, int rows) {
    return blocks.block(layer, head, q0, rows, seqLen, PredictorMasks.AHEAD_BLOCKS,
        (q, n) -> masks.block(layer, head, q, n));
  }
}
