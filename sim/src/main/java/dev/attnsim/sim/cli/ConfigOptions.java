package dev.attnsim.sim.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The config file and overrides every command that loads a config accepts. */
final class ConfigOptions {
  @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
      description = "HOCON config file (default: the embedded default simulation).")
  Path config;

  @Option(names = "--accelerator", paramLabel = "NAME",
      description = "Accelerator preset: dota-f, dota-c, energon, sanger, fact, ... "
          + "(config/accelerators/NAME.conf)"
          + " or a file.")
  String accelerator;

  @Option(names = "--workload", paramLabel = "NAME",
      description = "Workload preset: bert-base, gpt2-small, lra-text, ... "
          + "(config/workloads/NAME.conf) or a file.")
  String workload;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override a config key (repeatable); keys are under 'attnsim.' unless "
          + "written in full.")
  List<String> sets = new ArrayList<>();

  /** The presets named by --accelerator and --workload, in that order. */
  List<Path> presets() {
    var presets = new ArrayList<Path>();
    if (accelerator != null) {
      presets.add(dev.attnsim.sim.config.ConfigLoader.preset("accelerators", accelerator));
    }
    if (workload != null) {
      presets.add(dev.attnsim.sim.config.ConfigLoader.preset("workloads", workload));
    }
    return presets;
  }
}
