package dev.attnsim.sim.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every attnsim command shares: {@code --debug} and the writers picocli hands it. */
abstract class BaseCommand implements Callable<Integer> {

  @Mixin
  DebugOption debugOption;

  @Spec
  CommandSpec spec;

  /** Standard output (tests capture it). */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Standard error (tests capture it). */
  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
