package dev.attnsim.actors.blocks.sanger;

import dev.attnsim.actors.blocks.common.AttendedBlock;
import dev.attnsim.actors.blocks.common.AttentionUnit;
import java.util.Map;

/**
 * Sanger's score-stationary reconfigurable array (seed 001) as an {@link AttentionUnit} timing:
 * {@code rows x cols} PEs (64 x 16), each PE row running one segment of pack and split (one
 * query's kept keys within one 64-wide piece, at most {@code cols} of them), so a block's
 * segments go through the array in passes of up to {@code rows}, in order. In a pass of {@code
 * r} segments whose widest has {@code c} keys and the most bubbles {@code b}:
 *
 * <ol>
 *   <li>SDDMM, score-stationary: Q streams along the rows and K along the columns, skewed as in
 *       an output-stationary fold (PE {@code (i, j)} starts {@code i + j} cycles after PE
 *       {@code (0, 0)}), each PE accumulating one score over {@code d_head} 16-bit MACs: {@code
 *       d_head + (r - 1) + (c - 1) + b} cycles. The {@code b} bubbles: a row's K stream passes
 *       the skipped columns between its kept keys, one idle cycle each ({@code select(j+1) -
 *       select(j) - 1}); rows run in lockstep, so the pass waits for its row with the most
 *       [choice];
 *   <li>exponentials in place: {@code expCycles} [choice];
 *   <li>SpMM on the same PEs: V rows stream along the columns, each PE multiplies its
 *       probability in, partial sums pass along the row: as step 1.
 * </ol>
 * The softmax's normalisation divides each output row by its sum of exponentials as it leaves
 * (a row split over several segments adds its partial rows and sums first) [choice: free, in
 * the output adders].
 *
 * <p>Statistics: {@code passes} and {@code pe_slots} ({@code passes x rows x cols}): kept pairs
 * over PE slots is the array's utilisation.
 */
public record ArrayTiming(int rows, int cols, int headDim, long expCycles)
    implements AttentionUnit.Timing {

  public ArrayTiming {
    if (rows < 1 || cols < 1 || headDim < 1 || expCycles < 0) {
      throw new IllegalArgumentException("score-stationary array: rows, columns and head size "
          + "must be >= 1 and exp cycles >= 0, got " + rows + ", " + cols + ", " + headDim
          + ", " + expCycles);
    }
  }

  @Override
  public long cycles(AttendedBlock block) {
    var b = (PackedBlock) block;
    long total = 0;
    for (int s0 = 0; s0 < b.segments(); s0 += rows) {
      total += passCycles(b, s0, Math.min(b.segments(), s0 + rows));
    }
    return total;
  }

  /** Cycles of the pass running segments {@code [from, to)}. */
  long passCycles(PackedBlock b, int from, int to) {
    int widest = 0;
    int bubbles = 0;
    for (int s = from; s < to; s++) {
      if (b.segmentKeys()[s] > cols) {
        throw new IllegalArgumentException("a segment of " + b.segmentKeys()[s]
            + " keys does not fit a row of " + cols + " PEs");
      }
      widest = Math.max(widest, b.segmentKeys()[s]);
      bubbles = Math.max(bubbles, b.segmentBubbles()[s]);
    }
    long sweep = headDim + (to - from - 1L) + (widest - 1L) + bubbles;
    return 2 * sweep + expCycles;
  }

  @Override
  public String label() {
    return "sddmm-exp-spmm";
  }

  @Override
  public void count(AttendedBlock block, Map<String, Long> counters) {
    var b = (PackedBlock) block;
    long passes = (b.segments() + rows - 1) / rows;
    counters.merge("passes", passes, Long::sum);
    counters.merge("pe_slots", passes * rows * cols, Long::sum);
  }
}
