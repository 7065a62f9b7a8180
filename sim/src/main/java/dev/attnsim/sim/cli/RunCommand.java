package dev.attnsim.sim.cli;

import dev.attnsim.actors.blocks.common.dram.DramModel;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.sim.config.ConfigLoader;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.report.ProgressBarListener;
import dev.attnsim.sim.report.TerminalSummary;
import dev.attnsim.sim.run.Simulation;
import dev.attnsim.sim.run.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code attnsim run}: one simulation, with summary, tables and trace in an output directory. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a simulation and write its outputs to a directory (-o/--out).",
    footer = {"", "Outputs, in the --out directory:",
        "  summary.json    every figure: status, cycles, parameters, stages, blocks",
        "  blocks.csv      per block: busy, stall and idle cycles, tiles, bytes",
        "  config.conf     the resolved config (reruns the simulation)",
        "  trace.jsonl     every event; trace.jsonl.gz with --trace-gzip",
        "  trace.bin       the same trace in binary, with --trace-format binary",
        "                  (trace.bin.gz with --trace-gzip); export -o FILE.jsonl",
        "                  converts it to the JSON Lines the run would write",
        "  latency.png     latency per stage against the run (transformer runs)",
        "  latency.svg     the same plot as SVG",
        "  accuracy.csv    what the masks cost in accuracy (functional runs and",
        "                  runs whose masks a predictor makes)",
        "The --out directory's parent gets a link 'latest' to the newest run."})
final class RunCommand extends BaseCommand {

  @Mixin
  ConfigOptions config;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR",
      description = "Output directory (default: traces/runs/<name>-<timestamp>/).")
  Path out;

  @Option(names = "--engine", paramLabel = "actor|sequential",
      description = "Simulation engine (attnsim.run.engine).")
  String engine;

  @Option(names = "--mode", paramLabel = "timing|functional",
      description = "timing: tiles carry shapes; functional: real numbers, checked against the "
          + "golden model (attnsim.run.mode).")
  String mode;

  @Option(names = "--parallelism", paramLabel = "N",
      description = "Actor engine threads, 0 = auto: 1 in timing mode, one per core but "
          + "one in functional mode (attnsim.run.parallelism).")
  Integer parallelism;

  @Option(names = "--seed", paramLabel = "N", description = "Seed (attnsim.run.seed).",
      converter = SeedConverter.class)
  Long seed;

  @Option(names = "--no-trace", description = "Do not write a trace.")
  boolean noTrace;

  @Option(names = "--trace-gzip", description = "Write the trace gzip-compressed.")
  boolean traceGzip;

  @Option(names = "--trace-format", paramLabel = "jsonl|binary",
      description = "Encoding of the trace: jsonl (trace.jsonl) or binary (trace.bin, an eighth "
          + "of the bytes and cheaper to write) (attnsim.trace.format).")
  String traceFormat;

  @Option(names = "--force",
      description = "Replace the results of an earlier run in the --out directory.")
  boolean force;

  @Option(names = "--quiet", description = "Print only the output directory.")
  boolean quiet;

  @Override
  public Integer call() {
    if (noTrace && traceGzip) {
      throw new dev.attnsim.sim.config.ConfigError("--no-trace and --trace-gzip contradict each "
          + "other: --trace-gzip compresses the trace that --no-trace turns off; give one");
    }
    if (noTrace && traceFormat != null) {
      throw new dev.attnsim.sim.config.ConfigError("--no-trace and --trace-format contradict "
          + "each other: --trace-format encodes the trace that --no-trace turns off; give one");
    }
    var options = new ArrayList<com.typesafe.config.Config>();
    if (mode != null) {
      options.add(ConfigLoader.option("--mode", "run.mode", mode));
    }
    if (engine != null) {
      options.add(ConfigLoader.option("--engine", "run.engine", engine));
    }
    if (parallelism != null) {
      options.add(ConfigLoader.option("--parallelism", "run.parallelism", parallelism));
    }
    if (seed != null) {
      options.add(ConfigLoader.option("--seed", "run.seed", seed));
    }
    if (noTrace) {
      options.add(ConfigLoader.option("--no-trace", "trace.enabled", false));
    }
    if (traceGzip) {
      options.add(ConfigLoader.option("--trace-gzip", "trace.gzip", true));
    }
    if (traceFormat != null) {
      options.add(ConfigLoader.option("--trace-format", "trace.format", traceFormat));
    }
    SimSettings s = ConfigLoader.load(config.config, config.presets(), config.sets, options);
    Path dir = out != null ? out : defaultOutDir(s.name());
    Outputs.checkRunDirectory(dir, Simulation.OUTPUT_FILES, force, Outputs.inputs(config.config,
        config.presets(), s.tensors().file()));
    var inputs = Simulation.inputs(s); // a bad tensor file fails before the banner
    if (!quiet) {
      out().printf(Locale.ROOT, "attnsim %s: %s (%s)%n", Version.get(), s.name(), describe(s));
    }
    Simulation.Outcome o;
    var control = new Simulation.Control();
    // Ctrl-C: the engine stops where its records are a prefix of the run's, the trace gets an
    // 'interrupted' footer and summary.json its status; the JVM exits (130) once they are written
    Thread onInterrupt = new Thread(() -> {
      control.stop();
      control.outputsWritten(INTERRUPT_WAIT_MILLIS);
    }, "attnsim-interrupt");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try (var progress = interactive() && !quiet ? new ProgressBarListener() : null) {
      o = Simulation.run(s, inputs, dir, progress != null ? progress
          : dev.attnsim.actors.kernel.ProgressListener.NONE, control);
    } catch (RuntimeException e) {
      control.outputsDone();
      throw e;
    }
    try {
      return report(o);
    } finally {
      control.outputsDone();
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it returns once outputsDone is counted down
      }
    }
  }

  /** How long a Ctrl-C waits for the run to stop and write its outputs before the JVM exits. */
  static final long INTERRUPT_WAIT_MILLIS = 10_000;

  private int report(Simulation.Outcome o) {
    RunStatus status = o.result().status();
    if (status == RunStatus.OK) {
      dev.attnsim.sim.io.LatestLink.update(o.outDir());
    }
    out().print(quiet ? o.outDir() + System.lineSeparator() : TerminalSummary.render(o));
    if (status == RunStatus.INTERRUPTED) {
      out().flush();
      err().println("attnsim: interrupted at cycle " + String.format(Locale.ROOT, "%,d",
          o.result().cycles()) + ": " + (o.trace() != null ? "the trace ends with an "
          + "'interrupted' footer, " : "") + "summary.json says status interrupted (" + o.outDir()
          + ")");
      return ExitCodes.INTERRUPTED;
    }
    if (status == RunStatus.OK && o.checks() != null && !o.checks().complete()) {
      return ExitCodes.INTERNAL; // a functional run that skipped checks has not matched
    }
    return status == RunStatus.OK ? ExitCodes.OK
        : status == RunStatus.DEADLOCK ? ExitCodes.DEADLOCK : ExitCodes.INTERNAL;
  }

  /** One line saying what runs on what. */
  static String describe(SimSettings s) {
    if (s.isGemm()) {
      return String.format(Locale.ROOT, "gemm %d x %d x %d %s on %d lanes", s.gemm().m(),
          s.gemm().n(), s.gemm().k(), s.gemm().precision(), s.hardware().lanes());
    }
    var w = s.transformer();
    return String.format(Locale.ROOT, "%s, %d x %d tokens, on %s, %s DRAM%s", w.model(),
        w.layerRuns(), w.seqLen(), s.accelerator().describe(s),
        s.dram().preset().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        s.dram().model() == DramModel.DRAMSIM3 ? "" : " (" + s.dram().model().key() + " model)");
  }

  /** A seed: any 64-bit whole number, and a message that says so when it is not one. */
  static final class SeedConverter implements picocli.CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Long.parseLong(value.strip());
      } catch (NumberFormatException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a whole "
            + "number between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE);
      }
    }
  }

  private static boolean interactive() {
    return System.console() != null;
  }

  static Path defaultOutDir(String name) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path base = Path.of("traces", "runs");
    Path dir = base.resolve(name + "-" + stamp);
    for (int i = 2; Files.exists(dir); i++) {
      dir = base.resolve(name + "-" + stamp + "-" + i);
    }
    return dir;
  }
}
