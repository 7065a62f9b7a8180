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
    GemmWorkload.WorkloadKind kind,
    GemmWorkload gemm,
    TransformerWorkload transformer,
    TensorSettings tensors,
    HardwareSettings hardware,
    DotaSettings dota,
    DramSettings dram,
    EnergyTable energy,
    Config config) {

  /** Accelerators that run transformer workloads. */
  public enum Accelerator {
    DOTA
  }

  public boolean isGemm() {
    return kind == GemmWorkload.WorkloadKind.GEMM;
  }

  public boolean functional() {
    return run.mode() == RunSettings.Mode.FUNCTIONAL;
  }

  /**
   * Where a DOTA run's masks come from, {@code auto} resolved: with detection off every key is
   * kept (null here); {@code auto} is dsa (DOTA's own detector) when the run has real numbers
   * (functional mode, or a {@code workload.tensors.file}) and the synthetic structure otherwise.
   */
  public DotaSettings.MaskSourceKind maskSource() {
    if (!dota.detection()) {
      return null;
    }
    var source = dota.maskSource();
    if (source != DotaSettings.MaskSourceKind.AUTO) {
      return source;
    }
    return functional() || tensors.file().isPresent() ? DotaSettings.MaskSourceKind.DSA
        : DotaSettings.MaskSourceKind.SYNTHETIC;
  }

  /** Reads and validates {@code attnsim.*} from a resolved config. */
  public static SimSettings from(Config root) {
    String name = ConfigValidator.string(root, "attnsim.name");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw ConfigValidator.invalid(root, "attnsim.name",
          "must be letters, digits, '.', '_' or '-'");
    }
    var kind = ConfigValidator.enumOf(root, "attnsim.workload.kind",
        GemmWorkload.WorkloadKind.class);
    var gemm = GemmWorkload.from(root);
    var hardware = HardwareSettings.from(root);
    if (kind == GemmWorkload.WorkloadKind.GEMM) {
      if (gemm.k() < hardware.lanes()) {
        throw new ConfigError("attnsim.workload.gemm.k = " + gemm.k() + " is smaller than "
            + "attnsim.hardware.lanes = " + hardware.lanes() + ": every lane needs a slice of k");
      }
      hardware.rmmu().macsPerPe(gemm.precision()); // the array must support the precision
    }
    ConfigValidator.enumOf(root, "attnsim.hardware.accelerator", Accelerator.class);
    var run = RunSettings.from(root);
    var dota = DotaSettings.from(root);
    if (run.mode() == RunSettings.Mode.FUNCTIONAL) {
      if (kind == GemmWorkload.WorkloadKind.GEMM) {
        throw new ConfigError("attnsim.run.mode = functional needs a transformer workload: "
            + "attnsim.workload.kind = gemm carries no numbers");
      }
      var source = dota.maskSource();
      if (dota.detection() && source != DotaSettings.MaskSourceKind.AUTO
          && source != DotaSettings.MaskSourceKind.DSA) {
        throw ConfigValidator.invalid(root, "attnsim.workload.masks.source", "cannot be used "
            + "with attnsim.run.mode = functional: DOTA's detector computes dsa masks (set auto "
            + "or dsa)");
      }
    }
    return new SimSettings(
        name,
        run,
        new TraceSettings(root.getBoolean("attnsim.trace.enabled"),
            root.getBoolean("attnsim.trace.gzip")),
        ConfigValidator.doubleIn(root, "attnsim.clock-ghz", 0.001, 100.0),
        kind,
        gemm,
        TransformerWorkload.from(root),
        TensorSettings.from(root),
        hardware,
        dota,
        DramSettings.from(root),
        EnergyTable.from(root),
        root.getConfig("attnsim"));
  }
}
