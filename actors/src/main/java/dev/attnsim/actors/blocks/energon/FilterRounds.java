package dev.attnsim.actors.blocks.energon;

import dev.attnsim.actors.blocks.common.LaneDatapath;
import dev.attnsim.actors.compute.EnergonFilter;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.compute.MaskBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Which keys survive each filtering round of a query block: what Energon's filter unit and
 * selector decide. In timing mode it is computed apart from the blocks (from the run's tensors
 * with {@code EnergonFilter}), so the blocks charge exactly the work the algorithm does; in
 * functional mode ({@link #onLanes}) from the Q and K the lanes computed. Pure and
 * deterministic: the same arguments give the same rounds, in any call order, from any thread.
 */
@FunctionalInterface
public interface FilterRounds {

  /**
   * The survivors of queries {@code [q0, q0 + rows)} after each round, one {@link MaskBlock}
   * per round, the last being the keys the attention unit attends to.
   */
  List<MaskBlock> rounds(int layer, int head, int q0, int rows);

  /** The rounds of one filtered block, one {@link MaskBlock} per round. */
  static List<MaskBlock> blocks(int layer, int head, int q0, EnergonFilter.Result result,
      long candidates) {
    var blocks = new ArrayList<MaskBlock>();
    for (boolean[][] survivors : result.survivors()) {
      blocks.add(MaskBlock.of(layer, head, q0, survivors, candidates));
    }
    return blocks;
  }

  /**
   * Functional mode: {@code filter} on the Q and K of the lane that computed the head ({@code
   * head mod lanes}). A block is asked for when it reaches the filter unit, after its lane's
   * linear stage has written every Q and K row of the layer.
   */
  static FilterRounds onLanes(LaneDatapath[] lanes, EnergonFilter filter, LayerShape shape) {
    return (layer, head, q0, rows) -> {
      int n = Math.min(rows, shape.seqLen() - q0);
      var result = lanes[head % lanes.length].onQk(filter::filter, layer, head, q0, n);
      return blocks(layer, head, q0, result, shape.candidates(q0, n));
    };
  }
}
