package dev.attnsim.sim.cli;

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
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.run.Simulation;
import dev.attnsim.sim.run.Version;
import dev.attnsim.sim.trace.TraceWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * {@code attnsim bench}: simulator throughput on a gemm pipeline sized to a target number of
 * events, for both engines with tracing off and on, with peak heap. Figures, not assertions.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure events/s of both engines, tracing off and on, and peak heap "
        + "(median of --repeat runs after a warm-up run).")
final class BenchCommand extends BaseCommand {

  /** The pipeline: small PE arrays and short reductions, so events are dense. */
  static final List<String> PIPELINE = List.of(
      "workload.kind=gemm", "hardware.lanes=4", "hardware.rmmu.rows=4", "hardware.rmmu.cols=4",
      "workload.gemm.k=256", "workload.gemm.n=64", "workload.gemm.precision=INT8",
      "hardware.dram.bandwidth-bytes-per-cycle=64", "hardware.dram.latency-cycles=20",
      "hardware.links.latency-cycles=4", "hardware.links.credit-latency-cycles=4",
      "hardware.links.dram-to-lane-depth=4", "hardware.links.lane-to-accumulator-depth=2");

  @Option(names = "--events", paramLabel = "N", defaultValue = "1000000",
      description = "Target events per run (default ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--parallelism", paramLabel = "N", defaultValue = "0",
      description = "Actor engine threads, 0 = one per core (default ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--engines", split = ",", defaultValue = "sequential,actor",
      paramLabel = "sequential|actor", 
      description = "Engines to measure, comma-separated: sequential, actor "
          + "(default ${DEFAULT-VALUE}).")
  List<String> engines;

  @Option(names = "--trace", split = ",", defaultValue = "off,on", paramLabel = "off|on",
      description = "Tracing modes to measure, comma-separated: off, on "
          + "(default ${DEFAULT-VALUE}).")
  List<String> traceModes;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "3",
      description = "Timed runs per row; the row shows the median (default ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override a key of the benchmark pipeline (repeatable).")
  List<String> sets = new ArrayList<>();

  private int probeRows;

  @Override
  public Integer call() throws IOException {
    if (repeat < 1) {
      throw new dev.attnsim.sim.config.ConfigError("--repeat must be >= 1, got " + repeat);
    }
    if (events < 1000) {
      throw new dev.attnsim.sim.config.ConfigError("--events must be >= 1000, got " + events);
    }
    var base = new ArrayList<>(PIPELINE);
    base.add("run.parallelism=" + parallelism);
    base.addAll(sets);
    int m = calibrate(base);
    base.add("workload.gemm.m=" + m);
    SimSettings probe = ConfigLoader.load(null, base);
    Netlist sample = Simulation.assemble(probe);
    out().printf(Locale.ROOT, "attnsim %s bench: gemm %d x %d x %d %s on %d lanes of "
            + "%d x %d PEs, %d blocks, lookahead %d cycles, %d cores, max heap %d MiB%n",
        Version.get(), m, probe.gemm().n(), probe.gemm().k(), probe.gemm().precision(),
        probe.hardware().lanes(), probe.hardware().rmmu().rows(), probe.hardware().rmmu().cols(),
        sample.blockCount(), sample.minLatency(), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    warmUp(base, engines);
    out().printf(Locale.ROOT, "%-12s %-6s %7s %12s %9s %14s %10s %14s %9s%n", "engine",
        "trace", "threads", "events", "wall s", "events/s", "windows", "trace bytes",
        "heap MiB");
    double sequentialOff = 0;
    double actorOff = 0;
    for (String engineName : engines) {
      for (String mode : traceModes) {
        boolean trace = switchValue(mode);
        var runSets = new ArrayList<>(base);
        runSets.add("run.engine=" + engineName);
        runSets.add("trace.enabled=" + trace);
        SimSettings s = ConfigLoader.load(null, runSets);
        var runs = new ArrayList<Row>();
        for (int i = 0; i < repeat; i++) {
          runs.add(measure(s));
        }
        runs.sort(java.util.Comparator.comparingDouble(Row::seconds));
        var row = runs.get(runs.size() / 2);
        out().printf(Locale.ROOT, "%-12s %-6s %7d %,12d %9.2f %,14.0f %,10d %,14d %9d%n",
            engineName, mode, Simulation.parallelism(s), row.result.events(), row.seconds,
            row.result.events() / row.seconds, row.windows, row.traceBytes,
            row.peakHeap >> 20);
        if (row.result.status() != RunStatus.OK) {
          out().println("  run ended " + row.result.status().label() + ": "
              + row.result.problems());
        }
        if (!trace && engineName.equals("sequential")) {
          sequentialOff = row.result.events() / row.seconds;
        }
        if (!trace && engineName.equals("actor")) {
          actorOff = row.result.events() / row.seconds;
        }
      }
    }
    if (sequentialOff > 0 && actorOff > 0) {
      out().printf(Locale.ROOT, "actor engine overhead vs sequential (tracing off): %.2fx%n",
          sequentialOff / actorOff);
    }
    return ExitCodes.OK;
  }

  private static boolean switchValue(String mode) {
    if (mode.equals("on")) {
      return true;
    }
    if (mode.equals("off")) {
      return false;
    }
    throw new dev.attnsim.sim.config.ConfigError("--trace takes on and/or off, got " + mode);
  }

  /** Rows of the gemm that give about {@code events} events, from a small sequential run. */
  private int calibrate(List<String> base) {
    int probeM = 64;
    var sets = new ArrayList<>(base);
    sets.add("workload.gemm.m=" + probeM);
    SimSettings s = ConfigLoader.load(null, sets);
    RunResult r = new SequentialEngine(RunLimits.DEFAULT, false)
        .run(Simulation.assemble(s), TraceSink.NONE, ProgressListener.NONE);
    double perRow = (double) r.events() / probeM;
    int rows = s.hardware().rmmu().rows();
    long m = (long) Math.ceil(events / perRow / rows) * rows;
    probeRows = (int) Math.min(m / 10, 1 << 20);
    return (int) Math.min(Math.max(m, rows), 1 << 20);
  }

  /**
   * One untimed run per engine of a tenth of the size, so timed runs do not pay for class loading
   * and JIT compilation.
   */
  private void warmUp(List<String> base, List<String> engineNames) {
    var sets = new ArrayList<>(base);
    sets.removeIf(x -> x.startsWith("workload.gemm.m="));
    int m = Math.max(probeRows, 64);
    sets.add("workload.gemm.m=" + m);
    for (String engineName : engineNames) {
      var runSets = new ArrayList<>(sets);
      runSets.add("run.engine=" + engineName);
      runSets.add("trace.enabled=false");
      SimSettings s = ConfigLoader.load(null, runSets);
      Simulation.engine(s).run(Simulation.assemble(s), TraceSink.NONE, ProgressListener.NONE);
    }
  }

  private record Row(RunResult result, double seconds, long traceBytes, long peakHeap,
      long windows) {}

  private static Row measure(SimSettings s) throws IOException {
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
    if (s.trace().enabled()) {
      Path tmp = Files.createTempFile("attnsim-bench", ".jsonl");
      try {
        try (var w = new TraceWriter(tmp, false)) {
          result = engine.run(net, w, ProgressListener.NONE);
          w.writeFooter(result);
        }
        traceBytes = Files.size(tmp);
      } finally {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot delete " + tmp + ": " + e.getMessage(), e);
        }
      }
    } else {
      result = engine.run(net, TraceSink.NONE, ProgressListener.NONE);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long peak = 0;
    for (var pool : heap) {
      peak += pool.getPeakUsage().getUsed();
    }
    long windows = engine instanceof ActorEngine a ? a.windowsOfLastRun() : 0;
    return new Row(result, seconds, traceBytes, peak, windows);
  }
}
