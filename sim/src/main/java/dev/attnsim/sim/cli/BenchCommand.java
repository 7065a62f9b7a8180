package dev.attnsim.sim.cli;

import dev.attnsim.actors.blocks.common.dram.DramModel;
import dev.attnsim.actors.compute.SpareThreads;
import dev.attnsim.actors.kernel.ActorEngine;
import dev.attnsim.actors.kernel.Engine;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.SequentialEngine;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.TraceSink;
import dev.attnsim.sim.config.ConfigLoader;
import dev.attnsim.sim.config.RunSettings;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.run.Simulation;
import dev.attnsim.sim.run.Version;
import dev.attnsim.sim.trace.TraceEncoding;
import dev.attnsim.sim.trace.TraceWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code attnsim bench}: simulator throughput, for both engines with tracing off, on (JSON Lines)
 * and binary, with peak heap. Figures, not assertions. Without a config it runs a gemm pipeline
 * sized to a target number of events; with one (a file, {@code --accelerator}, {@code
 * --workload}) it runs that simulation as {@code attnsim run} would (without the accuracy pass
 * and outputs), so that the engines' ratio on a real model comes from one command. A functional
 * simulation is also measured kept to one thread ({@code run.spare-cores = false}), so what the
 * other cores buy comes from the same command. The rows' runs are interleaved, one of each row a
 * round, and ratios are medians of the rounds' own ratios, so that a slow phase of a shared
 * machine does not fall on one row only.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure events/s of both engines, tracing off, on (JSON Lines) and binary, "
        + "and peak heap "
        + "(median of --repeat rounds after a warm-up run; a round runs every row once, and "
        + "ratios are the median of the rounds' ratios): of a gemm pipeline sized by "
        + "--events, or of the simulation a CONFIG, --accelerator or --workload names. A "
        + "functional simulation is also measured on one thread (run.spare-cores=false).")
final class BenchCommand extends BaseCommand {

  /** The pipeline: small PE arrays and short reductions, so events are dense. */
  static final List<String> PIPELINE = List.of(
      "workload.kind=gemm", "hardware.lanes=4", "hardware.rmmu.rows=4", "hardware.rmmu.cols=4",
      "workload.gemm.k=256", "workload.gemm.n=64", "workload.gemm.precision=INT8",
      "hardware.dram.bandwidth-bytes-per-cycle=64", "hardware.dram.latency-cycles=20",
      "hardware.links.latency-cycles=4", "hardware.links.credit-latency-cycles=4",
      "hardware.links.dram-to-lane-depth=4", "hardware.links.lane-to-accumulator-depth=2");

  @Option(names = "--events", paramLabel = "N",
      description = "Target events per run of the gemm pipeline (default 1000000).")
  Long events;

  @Option(names = "--parallelism", paramLabel = "N", defaultValue = "0",
      description = "Actor engine threads, 0 = auto: 1 in timing mode, one per core but "
          + "one in functional mode (default ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--engines", split = ",", defaultValue = "sequential,actor",
      paramLabel = "sequential|actor", 
      description = "Engines to measure, comma-separated: sequential, actor "
          + "(default ${DEFAULT-VALUE}).")
  List<String> engines;

  @Option(names = "--trace", split = ",", defaultValue = "off,on,binary",
      paramLabel = "off|on|binary",
      description = "Tracing modes to measure, comma-separated: off, on (JSON Lines) and binary "
          + "(the binary encoding) (default ${DEFAULT-VALUE}).")
  List<String> traceModes;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "3",
      description = "Timed rounds, each running every row once; a row shows its median run "
          + "(default ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--goals",
      description = "Measure the project's speed goals instead (docs/performance.md): fixed "
          + "runs, the ratios as medians of --repeat rounds, the absolute targets each in a "
          + "fresh JVM with a 1 GiB heap; a line per goal with its target, figure and verdict.")
  boolean goals;

  @Option(names = "--long",
      description = "With --goals, also the DOTA-C l 16384 runs on the default DRAM model "
          + "(minutes each).")
  boolean long16k;

  @picocli.CommandLine.Mixin
  ConfigOptions config;

  private int warmUpRows;

  /** The config file and presets benchmarked; none: the gemm pipeline. */
  private Path file;
  private List<Path> presets = List.of();

  @Override
  public Integer call() throws IOException {
    if (repeat < 1) {
      throw new dev.attnsim.sim.config.ConfigError("--repeat must be >= 1, got " + repeat);
    }
    if (goals) {
      return new SpeedGoals(out(), repeat, long16k).run(goalsConflicts());
    }
    if (long16k) {
      throw new dev.attnsim.sim.config.ConfigError("--long goes with --goals");
    }
    file = config.config;
    presets = config.presets();
    boolean pipeline = file == null && presets.isEmpty();
    if (!pipeline && events != null) {
      throw new dev.attnsim.sim.config.ConfigError("--events sizes the gemm pipeline; a "
          + "config's simulation has the events it has (drop --events or the config)");
    }
    long target = events == null ? 1_000_000 : events;
    if (target < 1000) {
      throw new dev.attnsim.sim.config.ConfigError("--events must be >= 1000, got " + target);
    }
    var base = new ArrayList<String>(pipeline ? PIPELINE : List.of());
    base.add("run.parallelism=" + parallelism);
    base.addAll(config.sets);
    if (pipeline) {
      var size = calibrate(base, target);
      warmUpRows = size.warmUpRows();
      base.add("workload.gemm.m=" + size.rows());
    }
    SimSettings probe = load(base);
    Netlist sample = Simulation.assemble(probe);
    String what;
    if (pipeline) {
      what = String.format(Locale.ROOT, "gemm %d x %d x %d %s on %d lanes of %d x %d PEs",
          probe.gemm().m(), probe.gemm().n(), probe.gemm().k(), probe.gemm().precision(),
          probe.hardware().lanes(), probe.hardware().rmmu().rows(),
          probe.hardware().rmmu().cols());
    } else if (probe.isGemm()) {
      what = String.format(Locale.ROOT, "gemm %d x %d x %d %s", probe.gemm().m(),
          probe.gemm().n(), probe.gemm().k(), probe.gemm().precision());
    } else {
      var w = probe.transformer();
      what = String.format(Locale.ROOT, "%s on %s l %d, %d layers, %s mode%s",
          probe.accelerator().name(), w.model(), w.seqLen(), w.layers(),
          probe.run().mode().label(), probe.dram().model() == DramModel.DRAMSIM3 ? ""
              : ", " + probe.dram().model().key() + " DRAM model");
    }
    out().printf(Locale.ROOT, "attnsim %s bench: %s, %d blocks, lookahead %d cycles, %d cores, "
            + "max heap %d MiB%s%n", Version.get(), what, sample.blockCount(),
        sample.minLatency(), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, hugePages() ? " on huge pages" : "");
    for (String mode : traceModes) {
      encoding(mode); // a bad mode fails before any run
    }
    warmUp(base, engines, traceModes, pipeline ? "workload.gemm.m=" + warmUpRows
        : probe.isGemm() ? "workload.gemm.m=" + Math.max(1, probe.gemm().m() / 10)
        : "workload.transformer.seq-len=" + Math.min(probe.transformer().seqLen(), 256));
    out().printf(Locale.ROOT, "%-12s %-6s %7s %12s %9s %14s %10s %14s %9s%n", "engine",
        "trace", "threads", "events", "wall s", "events/s", "windows", "trace bytes",
        "heap MiB");
    // rounds of one run per row (see the class comment)
    var specs = new ArrayList<Spec>();
    for (String engineName : engines) {
      for (String mode : traceModes) {
        var sets = rowSets(base, engineName, mode);
        specs.add(new Spec(load(sets), engineName, mode, false));
        if (encoding(mode) == null && spareCoresAtWork(probe)) {
          // the same run kept to one thread: what the spare cores buy (issue 13's 1.7x goal)
          sets.add("run.spare-cores=false");
          sets.add("run.parallelism=1");
          specs.add(new Spec(load(sets), engineName, mode, true));
        }
      }
    }
    var runs = new ArrayList<List<Row>>();
    for (int i = 0; i < specs.size(); i++) {
      runs.add(new ArrayList<>());
    }
    for (int round = 0; round < repeat; round++) {
      for (int i = 0; i < specs.size(); i++) {
        runs.get(i).add(measure(specs.get(i).settings()));
      }
    }
    for (int i = 0; i < specs.size(); i++) {
      print(specs.get(i), median(runs.get(i)));
    }
    int sequentialOff = find(specs, "sequential", false);
    int actorOff = find(specs, "actor", false);
    if (sequentialOff >= 0 && actorOff >= 0) {
      out().printf(Locale.ROOT, "actor engine overhead vs sequential (tracing off): %.2fx%n",
          medianRatio(runs.get(actorOff), runs.get(sequentialOff)));
    }
    for (String engineName : engines) {
      int one = find(specs, engineName, true);
      if (one >= 0) {
        out().printf(Locale.ROOT, "%s engine, functional mode: %.2fx faster on %d cores than "
                + "on one thread (tracing off)%n", engineName,
            medianRatio(runs.get(one), runs.get(find(specs, engineName, false))),
            Runtime.getRuntime().availableProcessors());
      }
    }
    return ExitCodes.OK;
  }

  /** The options given that --goals does not take (it measures fixed runs), or none. */
  private List<String> goalsConflicts() {
    var given = new ArrayList<String>();
    if (config.config != null) {
      given.add("CONFIG");
    }
    if (config.accelerator != null) {
      given.add("--accelerator");
    }
    if (config.workload != null) {
      given.add("--workload");
    }
    if (!config.sets.isEmpty()) {
      given.add("--set");
    }
    if (events != null) {
      given.add("--events");
    }
    if (parallelism != 0) {
      given.add("--parallelism");
    }
    if (!engines.equals(List.of("sequential", "actor"))) {
      given.add("--engines");
    }
    if (!traceModes.equals(List.of("off", "on", "binary"))) {
      given.add("--trace");
    }
    return given;
  }

  /** One row: a config, its engine and trace mode, and whether it is the one-thread run. */
  private record Spec(SimSettings settings, String engine, String mode, boolean oneThread) {}

  /** The untraced row of {@code engine} (its one-thread run if {@code oneThread}), or -1. */
  private static int find(List<Spec> specs, String engine, boolean oneThread) {
    for (int i = 0; i < specs.size(); i++) {
      Spec s = specs.get(i);
      if (s.engine().equals(engine) && encoding(s.mode()) == null
          && s.oneThread() == oneThread) {
        return i;
      }
    }
    return -1;
  }

  /** The median run by time (the upper one of an even count). */
  private static Row median(List<Row> runs) {
    var sorted = new ArrayList<>(runs);
    sorted.sort(java.util.Comparator.comparingDouble(Row::seconds));
    return sorted.get(sorted.size() / 2);
  }

  /** The median over rounds of {@code a}'s time over {@code b}'s in the same round. */
  static double medianRatio(List<Row> a, List<Row> b) {
    return medianRatio(a.stream().mapToDouble(Row::seconds).toArray(),
        b.stream().mapToDouble(Row::seconds).toArray());
  }

  /** The median of {@code a[i] / b[i]} (the mean of the middle two of an even count). */
  static double medianRatio(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = a[i] / b[i];
    }
    java.util.Arrays.sort(r);
    return r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
  }

  /**
   * Whether a bench of {@code s} adds the same run kept to one thread: functional mode (the
   * golden model's answers and the lanes' arithmetic worked out ahead, issue 13's 1.7x goal) with
   * spare cores allowed on a machine that has them. Which rows did use the spare cores is
   * counted as they run ({@link Row#spareThreads}): a timing run's masks go there too.
   */
  private static boolean spareCoresAtWork(SimSettings s) {
    return s.run().mode() == RunSettings.Mode.FUNCTIONAL
        && SpareThreads.available(s.run().spareCores());
  }

  /** Prints {@code row}, the median run of {@code spec}. */
  private void print(Spec spec, Row row) {
    SimSettings s = spec.settings();
    TraceEncoding encoding = encoding(spec.mode());
    int threads = Simulation.parallelism(s);
    // "+N": the common pool's threads that worked out answers (a functional run's), masks (a
    // timing run's) or arithmetic ahead beside the engine's
    String threadsLabel = row.spareThreads()
        ? threads + "+" + java.util.concurrent.ForkJoinPool.getCommonPoolParallelism()
        : Integer.toString(threads);
    out().printf(Locale.ROOT, "%-12s %-6s %7s %,12d %9.2f %,14.0f %,10d %,14d %9d%n",
        spec.engine(), encoding != null ? encoding.label() : "off", threadsLabel,
        row.result.events(), row.seconds,
        row.result.events() / row.seconds, row.windows, row.traceBytes,
        row.peakHeap >> 20);
    if (row.result.status() != RunStatus.OK) {
      out().println("  run ended " + row.result.status().label() + ": "
          + row.result.problems());
    }
  }

  /** The encoding a --trace mode writes: null for off, JSON Lines for on. */
  static TraceEncoding encoding(String mode) {
    return switch (mode) {
      case "off" -> null;
      case "on", "jsonl" -> TraceEncoding.JSONL;
      case "binary" -> TraceEncoding.BINARY;
      default -> throw new dev.attnsim.sim.config.ConfigError("--trace takes off, on and/or "
          + "binary, got " + mode);
    };
  }

  /** The benchmarked config with {@code sets} over it. */
  private SimSettings load(List<String> sets) {
    return ConfigLoader.load(file, presets, sets, List.of());
  }

  /** The gemm pipeline's rows for a timed run and for its warm-up (a tenth, at least 64). */
  record GemmSize(int rows, int warmUpRows) {}

  /**
   * Rows of the gemm pipeline ({@code base}: {@link #PIPELINE} and sets over it) that give about
   * {@code events} events, from a small sequential run.
   */
  static GemmSize calibrate(List<String> base, long events) {
    int probeM = 64;
    var sets = new ArrayList<>(base);
    sets.add("workload.gemm.m=" + probeM);
    SimSettings s = ConfigLoader.load(null, List.of(), sets, List.of());
    RunResult r = new SequentialEngine(RunLimits.DEFAULT, false)
        .run(Simulation.assemble(s), TraceSink.NONE, ProgressListener.NONE);
    double perRow = (double) r.events() / probeM;
    int rows = s.hardware().rmmu().rows();
    long m = (long) Math.ceil(events / perRow / rows) * rows;
    return new GemmSize((int) Math.min(Math.max(m, rows), 1 << 20),
        (int) Math.max(Math.min(m / 10, 1 << 20), 64));
  }

  /**
   * One untimed run per row (engine and trace mode) of a smaller size ({@code smaller}: a tenth of
   * the gemm, a transformer at l 256 at most), so timed runs do not pay for class loading and JIT
   * compilation, the trace writer's and encoder's included.
   */
  private void warmUp(List<String> base, List<String> engineNames, List<String> modes,
      String smaller) throws IOException {
    var sets = new ArrayList<>(base);
    sets.add(smaller);
    for (String engineName : engineNames) {
      for (String mode : modes) {
        measure(load(rowSets(sets, engineName, mode)));
      }
    }
  }

  /** The settings of one row: {@code base}, the engine, and the trace mode's keys. */
  static List<String> rowSets(List<String> base, String engineName, String mode) {
    TraceEncoding encoding = encoding(mode);
    var sets = new ArrayList<>(base);
    sets.add("run.engine=" + engineName);
    sets.add("trace.enabled=" + (encoding != null));
    if (encoding != null) {
      sets.add("trace.format=" + encoding.label());
    }
    return sets;
  }

  /** One run's figures; {@code spareThreads}: it handed work to the common pool. */
  record Row(RunResult result, double seconds, long traceBytes, long peakHeap,
      long windows, boolean spareThreads) {}

  static Row measure(SimSettings s) throws IOException {
    long handedOver = SpareThreads.handedOver();
    Netlist net = Simulation.assemble(s);
    Engine engine = Simulation.engine(s);
    System.gc();
    List<MemoryPoolMXBean> heap = new ArrayList<>();
    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
        heap.add(pool);
      }
    }
    long t0 = System.nanoTime();
    RunResult result;
    long traceBytes = 0;
    double seconds;
    if (s.trace().enabled()) {
      // A fresh file in a directory of its own, as a run writes its trace: opening an existing
      // file truncates it, and on ext4 closing a file that was truncated to nothing writes all of
      // it back at once (docs/performance.md, Tracing), which a run does not pay. The clock
      // stops once the trace is closed; deleting it is no part of a run either.
      Path dir = dev.attnsim.sim.io.TempDirs.create("attnsim-bench");
      Path tmp = dir.resolve(s.trace().fileName());
      try {
        try (var w = new TraceWriter(tmp, s.trace().format(), false)) {
          result = engine.run(net, w, ProgressListener.NONE);
          w.writeFooter(result);
        }
        seconds = (System.nanoTime() - t0) / 1e9;
        traceBytes = Files.size(tmp);
      } finally {
        dev.attnsim.sim.io.TempDirs.delete(dir);
      }
    } else {
      result = engine.run(net, TraceSink.NONE, ProgressListener.NONE);
      seconds = (System.nanoTime() - t0) / 1e9;
    }
    long peak = 0;
    for (var pool : heap) {
      peak += pool.getPeakUsage().getUsed();
    }
    long windows = engine instanceof ActorEngine a ? a.windowsOfLastRun() : 0;
    return new Row(result, seconds, traceBytes, peak, windows,
        SpareThreads.handedOver() > handedOver);
  }

  /**
   * Whether this JVM asked for its heap on transparent huge pages (the launcher does where Linux
   * offers them): functional runs take about a quarter longer without, so figures are compared
   * knowing it.
   */
  static boolean hugePages() {
    try {
      var vm = java.lang.management.ManagementFactory.getPlatformMXBean(
          com.sun.management.HotSpotDiagnosticMXBean.class);
      return vm != null && "true".equals(vm.getVMOption("UseTransparentHugePages").getValue());
    } catch (RuntimeException e) {
      return false; // not a HotSpot JVM, or no such option
    }
  }
}
