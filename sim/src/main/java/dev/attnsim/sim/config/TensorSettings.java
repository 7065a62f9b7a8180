package dev.attnsim.sim.config;

import com.typesafe.config.Config;

/**
 * {@code attnsim.workload.tensors}: the structure of the synthetic tensors {@code attnsim
 * accuracy} judges predictors on (see {@code SyntheticTensors}), a stand-in until real tensors
 * can be read.
 */
public record TensorSettings(int globalTokens, double globalStrength, double locality,
    double alignment, double scale) {

  static TensorSettings from(Config c) {
    String p = "attnsim.workload.tensors.";
    return new TensorSettings(
        ConfigValidator.intIn(c, p + "global-tokens", 0, 1 << 20),
        ConfigValidator.doubleIn(c, p + "global-strength", 0.0, 100.0),
        ConfigValidator.doubleIn(c, p + "locality", 0.0, 1.0),
        ConfigValidator.doubleIn(c, p + "alignment", 0.0, 1.0),
        ConfigValidator.doubleIn(c, p + "scale", 0.001, 100.0));
  }
}
