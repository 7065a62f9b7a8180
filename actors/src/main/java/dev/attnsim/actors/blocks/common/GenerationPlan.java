package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.kernel.Precision;
import java.util.BitSet;

/**
 * What a lane generates when a predictor has decided it before the linear stage (FACT's eager
 * prediction, seed 003): which tokens' Q rows and which tokens' K and V rows of a head are
 * computed at all, and which tokens' FFN runs at low precision. A lane built with a plan ({@link
 * LaneController#withEagerPrediction}) asks the predictor for each head ({@link PredictHead} on
 * {@code jobs}) and generates it only once the answer is back on {@code pred}; the plan is the
 * same answer, a pure function of its arguments, which the lane reads as it writes its program.
 */
public interface GenerationPlan {

  /** Tokens of layer {@code layer} whose Q row of head {@code head} is generated. */
  BitSet queryRows(int layer, int head);

  /** Tokens whose K and V rows of head {@code head} are generated. */
  BitSet keyRows(int layer, int head);

  /** Tokens of layer {@code layer} whose FFN runs at {@link #lowPrecision()}. */
  BitSet lowPrecisionFfn(int layer);

  /** The low-precision FFN's operand precision (the rest runs in FX16). */
  Precision lowPrecision();
}
