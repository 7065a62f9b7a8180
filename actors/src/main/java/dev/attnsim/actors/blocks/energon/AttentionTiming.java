package dev.attnsim.actors.blocks.energon;

import dev.attnsim.actors.blocks.common.AttendedBlock;
import dev.attnsim.actors.blocks.common.AttentionUnit;
import dev.attnsim.actors.kernel.Arith;

/**
 * Energon's Attention Unit (seed 000) as an {@link AttentionUnit} timing: on a block's final
 * survivors, in sequence [choice]:
 *
 * <ol>
 *   <li>{@code Q K^T} on the kept pairs and scaling: {@code ceil(kept x d_head / macsPerCycle)}
 *       cycles,
 *   <li>softmax over the kept scores: {@code ceil(kept / softmaxElementsPerCycle) +
 *       softmaxPipelineCycles},
 *   <li>{@code A V}: as step 1.
 * </ol>
 *
 * @param macsPerCycle INT16 MACs per cycle of the QK and AV arrays
 */
public record AttentionTiming(int headDim, long macsPerCycle, long softmaxElementsPerCycle,
    long softmaxPipelineCycles) implements AttentionUnit.Timing {

  public AttentionTiming {
    if (headDim < 1 || macsPerCycle < 1 || softmaxElementsPerCycle < 1
        || softmaxPipelineCycles < 0) {
      throw new IllegalArgumentException("attention unit: head size, MACs and softmax elements "
          + "per cycle must be >= 1 and the softmax latency >= 0, got " + headDim + ", "
          + macsPerCycle + ", " + softmaxElementsPerCycle + ", " + softmaxPipelineCycles);
    }
  }

  /** Cycles of one block keeping {@code kept} pairs: QK, softmax, AV in sequence. */
  public long cycles(long kept) {
    long dot = Arith.ceilDiv(kept * headDim, macsPerCycle);
    return Math.max(1, 2 * dot + Arith.ceilDiv(kept, softmaxElementsPerCycle)
        + softmaxPipelineCycles);
  }

  @Override
  public long cycles(AttendedBlock block) {
    return cycles(block.attended().keptPairs());
  }
}
