package dev.attnsim.actors.blocks.common;

/**
 * Payload of the accumulator's broadcast: every partial of {@code stage} of {@code layer} is in.
 */
public record StageDone(int layer, Stage stage) {}
