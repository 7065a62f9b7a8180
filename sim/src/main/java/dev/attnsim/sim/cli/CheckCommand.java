package dev.attnsim.sim.cli;

import dev.attnsim.sim.config.ConfigLoader;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.run.Simulation;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code attnsim check}: validate a config and print it resolved. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Validate a config (and its includes and overrides), build the accelerator, "
        + "and print the resolved config on stdout.")
final class CheckCommand extends BaseCommand {

  @Mixin
  ConfigOptions config;

  @Override
  public Integer call() {
    SimSettings s = ConfigLoader.load(config.config, config.presets(), config.sets);
    var net = Simulation.assemble(s); // verifies a tensor file's keys, types, shapes, values
    out().println(ConfigLoader.renderHocon(s.config()));
    err().printf(Locale.ROOT, "ok: %s: %d blocks, %d links, %d output tiles%n", s.name(),
        net.blockCount(), net.links().size(), net.totalWork());
    return ExitCodes.OK;
  }
}
