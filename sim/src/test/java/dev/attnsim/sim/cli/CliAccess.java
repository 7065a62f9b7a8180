package dev.attnsim.sim.cli;

/** The command line for tests outside this package: the exit code of one command. */
public final class CliAccess {
  private CliAccess() {}

  public static int attnsimCode(String... args) {
    return Cli.attnsim(args).code();
  }
}
