package dev.attnsim.actors.blocks.fact;

import dev.attnsim.actors.blocks.common.AttendedBlock;
import dev.attnsim.actors.blocks.common.AttentionJob;
import dev.attnsim.actors.blocks.common.ComputeOp;
import dev.attnsim.actors.blocks.common.LaneDatapath;
import dev.attnsim.actors.compute.MaskBlock;

/**
 * A query block on its way from the eager prediction unit to FACT's attention array: the keys
 * each query attends to ({@link dev.attnsim.actors.compute.FactHead#attended}) and which queries
 * are decided (each keeps its top key alone, and its output is that key's V row).
 */
public record FactBlock(AttentionJob job, MaskBlock attended, boolean[] decided)
    implements AttendedBlock {

  /** Decided queries of the block. */
  public int decidedQueries() {
    int n = 0;
    for (boolean d : decided) {
      n += d ? 1 : 0;
    }
    return n;
  }

  /** Kept pairs of the undecided queries: the pairs scored, normalised and multiplied. */
  public long scoredPairs() {
    return attended.keptPairs() - decidedQueries();
  }

  @Override
  public ComputeOp.Kernel attention(LaneDatapath data) {
    return data.attention(attended, decided);
  }
}
