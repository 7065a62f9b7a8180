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

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override a config key (repeatable); keys are under 'attnsim.' unless "
          + "they start with 'attnsim.' or 'akka.'.")
  List<String> sets = new ArrayList<>();
}
