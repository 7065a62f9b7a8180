package dev.attnsim.sim.config;

import com.typesafe.config.Config;
import dev.attnsim.actors.compute.FactPredictor;
import dev.attnsim.actors.kernel.Precision;

/**
 * FACT's hardware ({@code attnsim.hardware.fact}): the eager prediction unit and what it decides
 * (top-k ratio, decided queries, FFN precision), the low-precision FFN and the attention array.
 * See {@code actors/docs/fact.md}.
 *
 * @param bits width of the fixed-point codes whose leading ones the prediction multiplies
 * @param keepRatio k%: share of each row's candidates the top-k keeps
 * @param decideGap a query whose top predicted score leads its second by more is decided
 * @param ffnRatio r: a token selected more than {@code r L h k%} times gets the full FFN
 * @param ffnLowPrecision the low-precision FFN's operands (INT8 or INT4)
 */
public record FactSettings(
    int bits,
    double keepRatio,
    double decideGap,
    double ffnRatio,
    long logMacsPerCycle,
    long topkElementsPerCycle,
    long xBufferBytes,
    Precision ffnLowPrecision,
    long attentionMacsPerCycle,
    long softmaxElementsPerCycle,
    long softmaxPipelineCycles,
    long kvBufferBytes,
    int windowBlocks) {

  static final String KEY = "attnsim.hardware.fact.";

  /** The low-precision FFN's choices: what the lanes' PE array has MACs for below FX16. */
  public enum LowPrecision {
    INT8, INT4
  }

  static FactSettings from(Config c) {
    double keep = ConfigValidator.doubleIn(c, KEY + "prediction.keep-ratio", 0.0, 1.0);
    if (keep <= 0) {
      throw ConfigValidator.invalid(c, KEY + "prediction.keep-ratio", "must be above 0 (each "
          + "query keeps a share of its candidates)");
    }
    var low = ConfigValidator.enumOf(c, KEY + "ffn.low-precision", LowPrecision.class);
    return new FactSettings(
        ConfigValidator.intIn(c, KEY + "prediction.bits", 2, 16),
        keep,
        ConfigValidator.doubleIn(c, KEY + "prediction.decide-gap", 0.0, 1e9),
        ConfigValidator.doubleIn(c, KEY + "prediction.ffn-ratio", 0.0, 1e9),
        ConfigValidator.longIn(c, KEY + "prediction.log-macs-per-cycle", 1, 1L << 30),
        ConfigValidator.longIn(c, KEY + "prediction.topk-elements-per-cycle", 1, 1L << 20),
        ConfigValidator.longIn(c, KEY + "prediction.x-buffer-bytes", 0, 1L << 40),
        low == LowPrecision.INT8 ? Precision.INT8 : Precision.INT4,
        ConfigValidator.longIn(c, KEY + "attention.macs-per-cycle", 1, 1L << 30),
        ConfigValidator.longIn(c, KEY + "attention.softmax-elements-per-cycle", 1, 1L << 20),
        ConfigValidator.longIn(c, KEY + "attention.softmax-pipeline-cycles", 0, 1L << 20),
        ConfigValidator.longIn(c, KEY + "attention.kv-buffer-bytes", 0, 1L << 40),
        ConfigValidator.intIn(c, KEY + "window-blocks", 1, 1024));
  }

  /** The algorithm these settings run. */
  public FactPredictor predictor() {
    return new FactPredictor(bits, keepRatio);
  }
}
