package dev.attnsim.actors.blocks.common;

/**
 * How an {@link Accumulator} accounts for a partial output tile that carries this as payload:
 * the output region is complete after {@code partsPerOutput} partials, and the group (a layer's
 * attention output, or its FFN output) after {@code outputsInGroup} complete regions, at which
 * point the accumulator tells every lane.
 */
public record PartialSum(int layer, Stage stage, int partsPerOutput, int outputsInGroup) {}
