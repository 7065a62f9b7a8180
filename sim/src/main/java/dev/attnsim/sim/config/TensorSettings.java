package dev.attnsim.sim.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code attnsim.workload.tensors}: where the run's tensors come from (those {@code attnsim
 * accuracy} judges predictors on, and predictor mask sources run on). {@code file} names an .npz
 * or a directory of .npy files of real activations and weights (see {@code golden.TensorFile});
 * without it, seeded synthetic tensors whose structure the other keys set (see {@code
 * SyntheticTensors}).
 *
 * @param file the tensor file, relative to the current directory; empty for synthetic tensors
 */
public record TensorSettings(Optional<Path> file, int globalTokens, double globalStrength,
    double locality, double alignment, double scale) {

  static TensorSettings from(Config c) {
    String p = "attnsim.workload.tensors.";
    return new TensorSettings(
        ConfigValidator.readablePath(c, p + "file"),
        ConfigValidator.intIn(c, p + "global-tokens", 0, 1 << 20),
        ConfigValidator.doubleIn(c, p + "global-strength", 0.0, 100.0),
        ConfigValidator.doubleIn(c, p + "locality", 0.0, 1.0),
        ConfigValidator.doubleIn(c, p + "alignment", 0.0, 1.0),
        ConfigValidator.doubleIn(c, p + "scale", 0.001, 100.0));
  }
}
