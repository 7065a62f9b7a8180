package dev.attnsim.sim.cli;

import picocli.CommandLine.Option;

/** {@code --debug}, accepted by every command: errors then come with their stack trace. */
final class DebugOption {
  @Option(names = "--debug", description = "Print stack traces of errors.")
  void setDebug(boolean on) {
    Main.debug = on;
  }
}
