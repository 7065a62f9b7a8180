package dev.attnsim.sim.run;

import dev.attnsim.actors.kernel.ActorEngine;
import dev.attnsim.actors.kernel.Engine;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.SequentialEngine;
import dev.attnsim.actors.kernel.TraceSink;
import dev.attnsim.sim.assembly.GemmAssembly;
import dev.attnsim.sim.config.ConfigLoader;
import dev.attnsim.sim.config.RunSettings;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.config.DotaSettings;
import dev.attnsim.sim.golden.GoldenModel;
import dev.attnsim.sim.golden.PredictorMasks;
import dev.attnsim.sim.golden.ReferenceOutput;
import dev.attnsim.sim.golden.RunAccuracy;
import dev.attnsim.sim.golden.TensorSource;
import dev.attnsim.sim.report.AccuracyTable;
import dev.attnsim.sim.report.BlockTable;
import dev.attnsim.sim.report.LatencyPlot;
import dev.attnsim.sim.report.Summary;
import dev.attnsim.sim.report.TransformerReport;
import dev.attnsim.sim.trace.TraceEncoding;
import dev.attnsim.sim.trace.TraceWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One simulation from settings to outputs: assemble, run on the chosen engine while streaming the
 * trace, then write {@code summary.json}, {@code blocks.csv} and the resolved config. {@code
 * summary.json} is written last, so a directory without it is not a finished run.
 */
public final class Simulation {
  private Simulation() {}

  /** What a run produced. */
  /**
   * What a run produced. {@code report} holds a transformer run's figures, built once and shared
   * by the summary, the terminal and the latency plot; null for gemm and aborted runs. {@code
   * reference}: a functional run's dense attention against its tensor file's {@code attn_out}
   * (null without one).
   */
  public record Outcome(SimSettings settings, Netlist netlist, RunResult result, Path outDir,
      Path trace, long traceRecords, double wallSeconds, GoldenModel.Checks checks,
      RunAccuracy.Result accuracy, TransformerReport report, ReferenceOutput.Result reference) {

    public double eventsPerSecond() {
      return wallSeconds > 0 ? result.events() / wallSeconds : 0;
    }
  }

  public static final String SUMMARY = "summary.json";
  public static final String BLOCKS = "blocks.csv";
  public static final String CONFIG = "config.conf";
  public static final String ACCURACY = "accuracy.csv";
  /** Every file a run writes in its directory, which it clears first. */
  public static final java.util.List<String> OUTPUT_FILES = java.util.List.of(SUMMARY, BLOCKS,
      CONFIG, ACCURACY, LatencyPlot.FILE, LatencyPlot.SVG_FILE, TraceEncoding.JSONL.fileName(false),
      TraceEncoding.JSONL.fileName(true), TraceEncoding.BINARY.fileName(false),
      TraceEncoding.BINARY.fileName(true));

  /**
   * What a transformer run computes with besides its settings, built once per run and shared:
   * its tensors, the golden model (functional mode) and the predictor whose masks it takes
   * (timing mode with {@code workload.masks.source} a predictor). All null for gemm runs.
   */
  public record Inputs(TensorSource tensors, GoldenModel golden, PredictorMasks predictor) {}

  /**
   * Opens the run's tensors and verifies them ({@link TensorSource#verify}: a tensor file's
   * headers, checksums and values), so that a bad file fails before any work, and builds what
   * rests on them. Cheap otherwise: heads and layers are prepared when first used.
   */
  public static Inputs inputs(SimSettings s) {
    MemoryEstimate.check(s, Runtime.getRuntime().maxMemory()); // before anything is allocated
    if (s.isGemm()) {
      return new Inputs(null, null, null);
    }
    var tensors = TensorSource.of(s);
    tensors.verify();
    var source = s.maskSource();
    boolean predicted = !s.functional() && source != null
        && source != DotaSettings.MaskSourceKind.SYNTHETIC;
    return new Inputs(tensors, s.functional() ? new GoldenModel(s, tensors) : null,
        predicted ? new PredictorMasks(s, source, tensors) : null);
  }

  public static Netlist assemble(SimSettings s) {
    return assemble(s, inputs(s));
  }

  private static Netlist assemble(SimSettings s, Inputs in) {
    return s.isGemm() ? GemmAssembly.build(s.gemm(), s.hardware())
        : s.accelerator().assemble(s, in);
  }

  public static Engine engine(SimSettings s) {
    RunSettings run = s.run();
    var limits = new RunLimits(run.maxCycles());
    boolean tracing = s.trace().enabled();
    if (run.engine() == RunSettings.EngineKind.SEQUENTIAL) {
      return new SequentialEngine(limits, tracing);
    }
    return new ActorEngine(run.effectiveParallelism(), limits, tracing, run.maxWindowCycles());
  }

  public static Outcome run(SimSettings s, Path outDir, ProgressListener progress) {
    return run(s, inputs(s), outDir, progress);
  }

  /**
   * Stops a run from another thread (a shutdown hook on Ctrl-C): {@link #stop} asks the run's
   * engine to stop, now or as soon as it exists; the run then ends {@code interrupted} with its
   * trace footer and {@code summary.json} written. {@link #outputsWritten} lets the stopping
   * thread wait until they are.
   */
  public static final class Control {
    private volatile boolean stop;
    private volatile Engine engine;
    private final java.util.concurrent.CountDownLatch written =
        new java.util.concurrent.CountDownLatch(1);

    /** Asks the run to stop. */
    public void stop() {
      stop = true;
      Engine e = engine;
      if (e != null) {
        e.requestStop();
      }
    }

    void attach(Engine e) {
      engine = e;
      if (stop) {
        e.requestStop();
      }
    }

    /** Says that the run's outputs are written (or will not be). */
    public void outputsDone() {
      written.countDown();
    }

    /** Waits up to {@code millis} for {@link #outputsDone}; true if it came. */
    public boolean outputsWritten(long millis) {
      try {
        return written.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** A run on inputs already built ({@link #inputs}). */
  public static Outcome run(SimSettings s, Inputs in, Path outDir, ProgressListener progress) {
    return run(s, in, outDir, progress, new Control());
  }

  /** A run that {@code control} can stop. */
  public static Outcome run(SimSettings s, Inputs in, Path outDir, ProgressListener progress,
      Control control) {
    GoldenModel golden = in.golden();
    Netlist net = assemble(s, in);
    Engine engine = engine(s);
    control.attach(engine);
    prepare(outDir);
    write(outDir.resolve(CONFIG), ConfigLoader.renderHocon(s.config()) + "\n");
    Path tracePath = null;
    long records = 0;
    long t0 = System.nanoTime();
    RunResult result;
    if (s.trace().enabled()) {
      tracePath = outDir.resolve(s.trace().fileName());
      try (var writer = new TraceWriter(tracePath, s.trace().format(), s.trace().gzip())) {
        writer.writeHeader(header(s, engine), net);
        result = engine.run(net, writer, progress);
        writer.writeFooter(result);
        records = writer.records();
      }
    } else {
      result = engine.run(net, TraceSink.NONE, progress);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    boolean ok = result.status() == dev.attnsim.actors.kernel.RunStatus.OK;
    RunAccuracy.Result accuracy = !s.isGemm() && ok && s.run().accuracy()
        ? RunAccuracy.forRun(s, in.tensors(), in.predictor()) : null;
    var report = !s.isGemm() && result.status() != dev.attnsim.actors.kernel.RunStatus.ABORTED
        ? new TransformerReport(result, s) : null;
    var reference = golden != null ? ReferenceOutput.check(s, in.tensors()) : null;
    var outcome = new Outcome(s, net, result, outDir, tracePath, records, wall,
        golden == null ? null : golden.checks(), accuracy, report, reference);
    BlockTable.writeCsv(outDir.resolve(BLOCKS), result);
    if (accuracy != null) {
      AccuracyTable.writeCsv(outDir.resolve(ACCURACY), accuracy);
    }
    if (report != null) {
      LatencyPlot.write(outDir, report, result, s);
    }
    Summary.write(outDir.resolve(SUMMARY), outcome);
    return outcome;
  }

  /**
   * What a trace's header says about the run. Its config leaves out {@code trace.format}: how the
   * file is encoded is no part of what ran (the file's first bytes say it), and so a binary trace
   * and the JSON Lines trace of the same run have the same header, byte for byte.
   */
  public static TraceWriter.Header header(SimSettings s, Engine engine) {
    return new TraceWriter.Header(Version.get(), engine.name(), parallelism(s), s.run().seed(),
        s.run().mode().label(), ConfigLoader.renderJson(s.config().withoutPath(TRACE_FORMAT)));
  }

  /** The key of {@code attnsim.trace.format} under {@code attnsim}. */
  private static final String TRACE_FORMAT = "trace.format";

  /** Threads the run uses: the actor engine's parallelism, 1 for the sequential engine. */
  public static int parallelism(SimSettings s) {
    return s.run().engine() == RunSettings.EngineKind.SEQUENTIAL
        ? 1 : s.run().effectiveParallelism();
  }

  private static void prepare(Path outDir) {
    try {
      Files.createDirectories(outDir);
      // Results of an earlier run in the same directory must not pass for this one's.
      for (String f : OUTPUT_FILES) {
        Files.deleteIfExists(outDir.resolve(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare output directory " + outDir + ": "
          + dev.attnsim.sim.io.IoReasons.of(e), e);
    }
  }

  static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": "
          + dev.attnsim.sim.io.IoReasons.of(e), e);
    }
  }
}
