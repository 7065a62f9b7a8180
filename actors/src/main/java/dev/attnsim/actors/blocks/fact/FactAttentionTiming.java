package dev.attnsim.actors.blocks.fact;

import dev.attnsim.actors.blocks.common.AttendedBlock;
import dev.attnsim.actors.blocks.common.AttentionUnit;
import dev.attnsim.actors.kernel.Arith;
import java.util.Map;

/**
 * FACT's attention array as an {@link AttentionUnit} timing ([choice]: a 16-bit array of {@code
 * macsPerCycle} MACs, QK, softmax and AV in sequence as Energon's unit): on a block of {@code s}
 * pairs kept by undecided queries and {@code c} decided queries,
 *
 * <ol>
 *   <li>{@code Q K^T}: {@code ceil(s x d_head / macsPerCycle)} cycles;
 *   <li>softmax: {@code ceil(s / softmaxElementsPerCycle) + softmaxPipelineCycles} (none when
 *       {@code s} is 0);
 *   <li>{@code A V}, each decided query passing its top key's V row through with weight 1
 *       [choice]: {@code ceil((s + c) x d_head / macsPerCycle)}.
 * </ol>
 *
 * MACs: {@code (2 s + c) d_head}; softmax elements {@code s}. Statistics: {@code
 * decided_queries}, {@code scored_pairs}.
 */
public record FactAttentionTiming(int headDim, long macsPerCycle, long softmaxElementsPerCycle,
    long softmaxPipelineCycles) implements AttentionUnit.Timing {

  public FactAttentionTiming {
    if (headDim < 1 || macsPerCycle < 1 || softmaxElementsPerCycle < 1
        || softmaxPipelineCycles < 0) {
      throw new IllegalArgumentException("FACT attention array: head size, MACs and softmax "
          + "elements per cycle must be >= 1 and the softmax latency >= 0, got " + headDim
          + ", " + macsPerCycle + ", " + softmaxElementsPerCycle + ", " + softmaxPipelineCycles);
    }
  }

  /** Cycles of a block of {@code scored} pairs of undecided queries and {@code decided} copies. */
  public long cycles(long scored, long decided) {
    long qk = Arith.ceilDiv(scored * headDim, macsPerCycle);
    long softmax = scored == 0 ? 0
        : Arith.ceilDiv(scored, softmaxElementsPerCycle) + softmaxPipelineCycles;
    long av = Arith.ceilDiv((scored + decided) * headDim, macsPerCycle);
    return Math.max(1, qk + softmax + av);
  }

  @Override
  public long cycles(AttendedBlock block) {
    var b = (FactBlock) block;
    return cycles(b.scoredPairs(), b.decidedQueries());
  }

  @Override
  public String label() {
    return "qk-softmax-av";
  }

  @Override
  public long macs(AttendedBlock block, int headDim) {
    var b = (FactBlock) block;
    return (2 * b.scoredPairs() + b.decidedQueries()) * headDim;
  }

  @Override
  public long softmaxElements(AttendedBlock block) {
    return ((FactBlock) block).scoredPairs();
  }

  @Override
  public void count(AttendedBlock block, Map<String, Long> counters) {
    var b = (FactBlock) block;
    counters.merge("decided_queries", (long) b.decidedQueries(), Long::sum);
    counters.merge("scored_pairs", b.scoredPairs(), Long::sum);
  }
}
