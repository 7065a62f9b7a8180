package dev.attnsim.actors.blocks.energon;

import dev.attnsim.actors.blocks.common.AttendedBlock;
import dev.attnsim.actors.blocks.common.AttentionJob;
import dev.attnsim.actors.compute.MaskBlock;
import java.util.List;

/**
 * A query block inside Energon's co-processor, the payload of the tiles between the filter unit,
 * the selector and the attention unit.
 *
 * @param survivors the block's survivors after each round ({@link FilterRounds})
 * @param round the round the block is in: scored by the filter unit, thresholded by the selector
 * @param candidates (query, key) pairs the block could attend to, scored in round 0
 * @param scoredPairs pairs the filter unit scored in this round
 */
public record FilterWork(AttentionJob job, List<MaskBlock> survivors, int round,
    long candidates, long scoredPairs) implements AttendedBlock {

  /** The survivors of the current round (the last round's: the keys attention runs on). */
  @Override
  public MaskBlock attended() {
    return roundSurvivors();
  }

  /** Whether this round is the last: its survivors go to the attention unit. */
  public boolean lastRound() {
    return round == survivors.size() - 1;
  }

  /** The survivors of this block's current round. */
  public MaskBlock roundSurvivors() {
    return survivors.get(round);
  }

  /** The block in its next round, scoring this round's survivors. */
  public FilterWork next() {
    return new FilterWork(job, survivors, round + 1, candidates,
        survivors.get(round).keptPairs());
  }
}
