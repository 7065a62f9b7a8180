package dev.attnsim.sim.config;

import com.typesafe.config.Config;
import dev.attnsim.actors.blocks.dota.Scheduler;
import dev.attnsim.actors.compute.DsaPredictor;
import dev.attnsim.actors.kernel.Precision;

/**
 * The DOTA-specific hardware ({@code attnsim.hardware.detection}, {@code .scheduler}, {@code
 * .softmax}, {@code .sram}, {@code .lane}) and the synthetic mask's structure ({@code
 * attnsim.workload.masks}). {@code dsaFit} and {@code calibrationRows} say how DSA's approximate
 * weights are fitted ({@code detection.fit}, {@code detection.calibration-rows}; see {@code
 * DsaFits}).
 */
public record DotaSettings(
    boolean detection,
    Precision detectPrecision,
    double sigma,
    DsaPredictor.Fit dsaFit,
    int calibrationRows,
    double keepRatio,
    long comparatorsPerCycle,
    Scheduler.Policy policy,
    int windowBlocks,
    long softmaxElementsPerCycle,
    long softmaxPipelineCycles,
    long sramBytes,
    int rowBlock,
    int prefetchSteps,
    int globalTokens,
    int localWindow,
    double spread,
    double affinity,
    MaskSourceKind maskSource) {

  /** Where timing runs take their masks from ({@code workload.masks.source}). */
  public enum MaskSourceKind {
    /** DSA when the run has real numbers (functional mode, a tensor file), else synthetic. */
    AUTO,
    /** The seeded synthetic structure of {@code workload.masks}. */
    SYNTHETIC,
    ORACLE,
    DSA,
    SANGER,
    ENERGON,
    FACT
  }

  static DotaSettings from(Config c) {
    String h = "attnsim.hardware.";
    var precision = ConfigValidator.enumOf(c, h + "detection.precision", Precision.class,
        java.util.List.of(Precision.INT2, Precision.INT4, Precision.INT8));
    String m = "attnsim.workload.masks.";
    return new DotaSettings(
        c.getBoolean(h + "detection.enabled"),
        precision,
        ConfigValidator.doubleIn(c, h + "detection.sigma", 0.001, 1.0),
        ConfigValidator.enumOf(c, h + "detection.fit", DsaPredictor.Fit.class),
        ConfigValidator.intIn(c, h + "detection.calibration-rows", 1, 1 << 20),
        ConfigValidator.doubleIn(c, h + "detection.keep-ratio", 0.0001, 1.0),
        ConfigValidator.longIn(c, h + "detection.comparators-per-cycle", 1, 1 << 20),
        ConfigValidator.enumOf(c, h + "scheduler.policy", Scheduler.Policy.class),
        ConfigValidator.intIn(c, h + "scheduler.window-blocks", 1, 1024),
        ConfigValidator.longIn(c, h + "softmax.elements-per-cycle", 1, 1 << 20),
        ConfigValidator.longIn(c, h + "softmax.pipeline-cycles", 0, 1 << 20),
        ConfigValidator.longIn(c, h + "sram.capacity-bytes", 0, 1L << 40),
        ConfigValidator.intIn(c, h + "controller.row-block", 1, 1 << 20),
        ConfigValidator.intIn(c, h + "controller.prefetch-steps", 1, 1024),
        ConfigValidator.intIn(c, m + "global-tokens", 0, 1 << 20),
        ConfigValidator.intIn(c, m + "local-window", 0, 1 << 20),
        ConfigValidator.doubleIn(c, m + "spread", 0.0, 4.0),
        ConfigValidator.doubleIn(c, m + "affinity", 0.0, 1.0),
        ConfigValidator.enumOf(c, m + "source", MaskSourceKind.class));
  }

  /** DSA's projected size k per head: {@code max(1, round(sigma x head size))} [choice]. */
  public int predictDim(int headDim) {
    return dev.attnsim.actors.compute.DsaPredictor.projectedDim(sigma, headDim);
  }
}
