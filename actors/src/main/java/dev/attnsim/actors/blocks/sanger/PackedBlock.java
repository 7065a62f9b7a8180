package dev.attnsim.actors.blocks.sanger;

import dev.attnsim.actors.blocks.common.AttendedBlock;
import dev.attnsim.actors.blocks.common.AttentionJob;
import dev.attnsim.actors.compute.MaskBlock;

/**
 * A query block as pack and split hands it to the score-stationary array: its mask and its
 * segments in order (query by query, piece by piece), each one pass of a PE row.
 *
 * @param segmentKeys kept keys of each segment, 1 to {@code pe-per-row}
 * @param segmentBubbles idle cycles between the kept keys of each segment: {@code (last - first
 *     + 1) - keys}, the skipped columns its K stream passes over
 */
public record PackedBlock(AttentionJob job, MaskBlock attended, int[] segmentKeys,
    int[] segmentBubbles) implements AttendedBlock {

  public int segments() {
    return segmentKeys.length;
  }
}
