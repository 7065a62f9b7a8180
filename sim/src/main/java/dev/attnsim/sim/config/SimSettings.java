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
    EnergonSettings energon,
    SangerSettings sanger,
    FactSettings fact,
    DramSettings dram,
    EnergyTable energy,
    Config config) {

  /** The accelerator that runs transformer workloads ({@code hardware.accelerator}). */
  public dev.attnsim.sim.accelerators.Accelerator accelerator() {
    return dev.attnsim.sim.accelerators.Accelerators.of(
        config.getString("hardware.accelerator"));
  }

  /** The accelerator's silicon area in mm^2 for per-area figures; 0 when not configured. */
  public double areaMm2() {
    return hardware.areaMm2();
  }

  public boolean isGemm() {
    return kind == GemmWorkload.WorkloadKind.GEMM;
  }

  public boolean functional() {
    return run.mode() == RunSettings.Mode.FUNCTIONAL;
  }

  /**
   * Where the run's masks come from, as its accelerator decides (Energon: its own filter; DOTA:
   * {@link #dotaMaskSource}); null when every key is kept.
   */
  public DotaSettings.MaskSourceKind maskSource() {
    return accelerator().maskSource(this);
  }

  /**
   * DOTA's masks, {@code auto} resolved: with detection off every key is kept (null here); {@code
   * auto} is dsa (DOTA's own detector) when the run has real numbers (functional mode, or a
   * {@code workload.tensors.file}) and the synthetic structure otherwise.
   */
  public DotaSettings.MaskSourceKind dotaMaskSource() {
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
    ConfigValidator.noteCheck("attnsim.hardware.accelerator", "enum", "one of: "
        + String.join(", ", dev.attnsim.sim.accelerators.Accelerators.names()));
    String accelerator = ConfigValidator.string(root, "attnsim.hardware.accelerator");
    if (!dev.attnsim.sim.accelerators.Accelerators.names().contains(accelerator)) {
      throw ConfigValidator.invalid(root, "attnsim.hardware.accelerator", "is not an "
          + "accelerator; known: " + String.join(", ",
              dev.attnsim.sim.accelerators.Accelerators.names()));
    }
    var run = RunSettings.from(root);
    if (run.mode() == RunSettings.Mode.FUNCTIONAL && kind == GemmWorkload.WorkloadKind.GEMM) {
      throw new ConfigError("attnsim.run.mode = functional needs a transformer workload: "
          + "attnsim.workload.kind = gemm carries no numbers");
    }
    var settings = new SimSettings(
        name,
        run,
        new TraceSettings(root.getBoolean("attnsim.trace.enabled"),
            ConfigValidator.enumOf(root, "attnsim.trace.format",
                dev.attnsim.sim.trace.TraceEncoding.class),
            root.getBoolean("attnsim.trace.gzip")),
        ConfigValidator.doubleIn(root, "attnsim.clock-ghz", 0.001, 100.0),
        kind,
        gemm,
        TransformerWorkload.from(root),
        TensorSettings.from(root),
        hardware,
        DotaSettings.from(root),
        EnergonSettings.from(root),
        SangerSettings.from(root),
        FactSettings.from(root),
        DramSettings.from(root),
        EnergyTable.from(root),
        root.getConfig("attnsim"));
    if (kind == GemmWorkload.WorkloadKind.TRANSFORMER) {
      dev.attnsim.sim.accelerators.Accelerators.refuseOthersSettings(root,
          settings.accelerator().name());
      settings.accelerator().check(root, settings);
    }
    return settings;
  }
}
