package dev.attnsim.sim.config;

import com.typesafe.config.Config;
import dev.attnsim.actors.compute.SangerPredictor;

/**
 * Sanger's attention hardware ({@code attnsim.hardware.sanger}): the prediction unit, pack and
 * split, and the score-stationary array. See {@code actors/docs/sanger.md}.
 *
 * @param bits width of the quantised Q and K of the prediction
 * @param threshold T: keys whose predicted probability exceeds it are kept
 */
public record SangerSettings(
    int bits,
    double threshold,
    long predictionMacsPerCycle,
    long predictionElementsPerCycle,
    long kBufferBytes,
    int pieceWidth,
    long piecesPerCycle,
    int arrayRows,
    int arrayCols,
    long expCycles,
    long kvBufferBytes,
    int windowBlocks) {

  static final String KEY = "attnsim.hardware.sanger.";

  static SangerSettings from(Config c) {
    double t = ConfigValidator.doubleIn(c, KEY + "prediction.threshold", 0.0, 1.0);
    if (t >= 1.0) {
      throw ConfigValidator.invalid(c, KEY + "prediction.threshold", "must be below 1 (a "
          + "probability above it is kept)");
    }
    return new SangerSettings(
        ConfigValidator.intIn(c, KEY + "prediction.bits", 2, 8),
        t,
        ConfigValidator.longIn(c, KEY + "prediction.macs-per-cycle", 1, 1L << 30),
        ConfigValidator.longIn(c, KEY + "prediction.elements-per-cycle", 1, 1L << 20),
        ConfigValidator.longIn(c, KEY + "prediction.k-buffer-bytes", 0, 1L << 40),
        ConfigValidator.intIn(c, KEY + "pack.piece-width", 1, 1 << 16),
        ConfigValidator.longIn(c, KEY + "pack.pieces-per-cycle", 1, 1L << 20),
        ConfigValidator.intIn(c, KEY + "array.rows", 1, 4096),
        ConfigValidator.intIn(c, KEY + "array.cols", 1, 4096),
        ConfigValidator.longIn(c, KEY + "array.exp-cycles", 0, 1L << 20),
        ConfigValidator.longIn(c, KEY + "array.kv-buffer-bytes", 0, 1L << 40),
        ConfigValidator.intIn(c, KEY + "window-blocks", 1, 1024));
  }

  /** The algorithm these settings run. */
  public SangerPredictor predictor() {
    return new SangerPredictor(bits, threshold);
  }
}
