package dev.attnsim.sim.cli;

import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.run.Version;
import dev.attnsim.sim.tensors.TensorError;
import dev.attnsim.sim.trace.TraceError;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code attnsim} command line. */
@Command(
    name = "attnsim",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "Co-simulator for dynamic-sparse-attention transformer accelerators.",
    subcommands = {RunCommand.class, CheckCommand.class, AccuracyCommand.class,
        BenchCommand.class, InspectCommand.class, ReplayCommand.class, ExportCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 internal error, aborted run or failed functional check,"
        + " 2 bad input or config, 3 deadlock, 4 replay found a difference."})
public final class Main implements Runnable {

  @CommandLine.Mixin
  DebugOption debugOption;

  static boolean debug;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Initialise logging before any Akka thread logs, so SLF4J has nothing to replay on stderr.
    org.slf4j.LoggerFactory.getILoggerFactory();
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (for tests and {@link #main}). */
  public static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line with the given output and error writers. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    debug = false;
    var cli = newCommandLine();
    cli.setOut(out);
    cli.setErr(err);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  static CommandLine newCommandLine() {
    var cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(Main::handle);
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    int code;
    if (e instanceof ConfigError || e instanceof TraceError || e instanceof TensorError) {
      err.println("attnsim: error: " + e.getMessage());
      code = ExitCodes.BAD_INPUT;
    } else if (e instanceof UncheckedIOException || e instanceof java.io.IOException) {
      err.println("attnsim: error: " + e.getMessage());
      code = ExitCodes.BAD_INPUT;
    } else {
      err.println("attnsim: internal error: " + e + (debug ? "" : " (--debug shows the stack)"));
      code = ExitCodes.INTERNAL;
    }
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** Reads the version from the build. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"attnsim " + Version.get(),
          "Java " + System.getProperty("java.version") + ", Akka " + akka.Version.current()};
    }
  }
}
