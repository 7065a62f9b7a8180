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
        DramCommand.class,
        KeysCommand.class,
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
    int code;
    try {
      code = cli.execute(args);
    } catch (OutOfMemoryError e) {
      // no stack trace: it would say where the heap ran out, not why; the why is the workload
      err.println("attnsim: error: out of memory (the JVM's heap is "
          + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB); make the workload smaller "
          + "or give Java more heap (JAVA_OPTS=-Xmx...)");
      code = ExitCodes.INTERNAL;
    }
    out.flush();
    err.flush();
    return code;
  }

  static CommandLine newCommandLine() {
    var cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(Main::handle);
    cli.setParameterExceptionHandler(Main::usageError);
    return cli;
  }

  /**
   * A command line picocli cannot parse (unknown option, missing value, unknown command): one
   * line saying what is wrong, with picocli's suggestions, and where the usage is, instead of
   * the whole usage.
   */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    boolean top = cmd.getParent() == null;
    String message = firstLine(e.getMessage());
    if (e instanceof CommandLine.UnmatchedArgumentException u) {
      var unmatched = u.getUnmatched();
      if (top && !unmatched.isEmpty() && !unmatched.get(0).startsWith("-")) {
        message = "unknown command '" + unmatched.get(0) + "'";
      }
      var suggestions = u.getSuggestions();
      if (!suggestions.isEmpty()) {
        message += "; did you mean " + String.join(" or ", suggestions) + "?";
      }
    }
    if (message.length() > 1 && Character.isUpperCase(message.charAt(0))
        && Character.isLowerCase(message.charAt(1))) {
      message = Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
    err.println("attnsim: error: " + message);
    err.println("see attnsim help" + (top ? "" : " " + cmd.getCommandName()));
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.BAD_INPUT;
  }

  /** The first line of a message, stripped, without a closing full stop. */
  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    String line = (nl >= 0 ? message.substring(0, nl) : message).strip();
    return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
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
