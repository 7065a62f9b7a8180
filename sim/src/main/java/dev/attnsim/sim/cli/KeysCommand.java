package dev.attnsim.sim.cli;

import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.config.ConfigKeys;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code attnsim keys}: every config key with its type, default, range and meaning. */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "List every config key under 'attnsim' (or those starting with PREFIX), "
        + "sorted: type, default and range, then its comment in reference.conf.")
final class KeysCommand extends BaseCommand {

  @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX",
      description = "Only keys starting with this, e.g. hardware.dram (with or without "
          + "'attnsim.').")
  String prefix;

  @Override
  public Integer call() {
    var keys = ConfigKeys.list(prefix);
    if (keys.isEmpty()) {
      throw new ConfigError("no config key starts with " + prefix + "; attnsim keys lists them "
          + "all");
    }
    PrintWriter out = out();
    for (var k : keys) {
      out.println(k.key() + " = " + k.defaultValue() + "  (" + k.type()
          + (k.range() != null ? ", " + k.range() : "") + ")");
      for (String line : k.comment()) {
        out.println("    " + line);
      }
    }
    return ExitCodes.OK;
  }
}
