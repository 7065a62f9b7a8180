package dev.attnsim.actors.blocks.energon;

import dev.attnsim.actors.compute.MaskBlock;
import java.util.List;

/**
 * Which keys survive each filtering round of a query block: what Energon's filter unit and
 * selector decide, computed apart from the blocks (in timing mode from the run's tensors with
 * {@code EnergonFilter}), so the blocks charge exactly the work the algorithm does. Pure and
 * deterministic: the same arguments give the same rounds, in any call order, from any thread.
 */
@FunctionalInterface
public interface FilterRounds {

  /**
   * The survivors of queries {@code [q0, q0 + rows)} after each round, one {@link MaskBlock}
   * per round, the last being the keys the attention unit attends to.
   */
  List<MaskBlock> rounds(int layer, int head, int q0, int rows);
}
