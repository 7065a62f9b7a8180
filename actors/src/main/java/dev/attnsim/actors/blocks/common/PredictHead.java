package dev.attnsim.actors.blocks.common;

/**
 * A lane's request to an eager predictor (FACT) for one head of one layer, sent on {@code jobs}
 * before the head is generated; the same record comes back on the lane's {@code pred} input when
 * the prediction is done.
 */
public record PredictHead(int layer, int head) {}
