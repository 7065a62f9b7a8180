package dev.attnsim.actors.blocks.sanger;

import dev.attnsim.actors.blocks.common.AttendedBlock;
import dev.attnsim.actors.blocks.common.AttentionJob;
import dev.attnsim.actors.compute.MaskBlock;

/** A query block with its predicted mask, from the prediction unit to pack and split. */
public record PredictedBlock(AttentionJob job, MaskBlock attended) implements AttendedBlock {}
