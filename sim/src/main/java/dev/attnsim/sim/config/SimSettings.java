package dev.attnsim.sim.config;

import com.typesafe.config.Config;

/**
 * Every setting of one simulation, read once from the resolved config and validated before
 * anything runs.
 *
 * @param config the resolved {@code attnsim} subtree, kept for traces and reports
 */
public record SimSettings(
    String name,
    RunSettings run,
    TraceSettings trace,
    double clockGhz,
    GemmWorkload gemm,
    HardwareSettings hardware,
    Config config) {

  /** Reads and validates {@code attnsim.*} from a resolved config. */
  public static SimSettings from(Config root) {
    String name = ConfigValidator.string(root, "attnsim.name");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new ConfigError("attnsim.name = \"" + name + "\" ("
          + ConfigError.where(root.getValue("attnsim.name").origin())
          + ") must be letters, digits, '.', '_' or '-'");
    }
    var gemm = GemmWorkload.from(root);
    var hardware = HardwareSettings.from(root);
    if (gemm.k() < hardware.lanes()) {
      throw new ConfigError("attnsim.workload.gemm.k = " + gemm.k() + " is smaller than "
          + "attnsim.hardware.lanes = " + hardware.lanes() + ": every lane needs a slice of k");
    }
    hardware.rmmu().macsPerPe(gemm.precision()); // the array must support the operand precision
    return new SimSettings(
        name,
        RunSettings.from(root),
        new TraceSettings(root.getBoolean("attnsim.trace.enabled"),
            root.getBoolean("attnsim.trace.gzip")),
        ConfigValidator.doubleIn(root, "attnsim.clock-ghz", 0.001, 100.0),
        gemm,
        hardware,
        root.getConfig("attnsim"));
  }
}
