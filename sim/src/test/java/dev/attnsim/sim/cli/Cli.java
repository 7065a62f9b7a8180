package dev.attnsim.sim.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line as a user would and keeps what it printed, for CLI tests. */
final class Cli {
  private Cli() {}

  /** Exit code, standard output and standard error of one command. */
  record Result(int code, String out, String err) {}

  static Result attnsim(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }
}
