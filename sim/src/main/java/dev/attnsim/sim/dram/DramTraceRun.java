package dev.attnsim.sim.dram;

import dev.attnsim.actors.blocks.common.dram.DramController;
import dev.attnsim.actors.blocks.common.dram.DramController.RequestRecord;
import dev.attnsim.actors.blocks.common.dram.DramDevice;
import dev.attnsim.actors.blocks.common.dram.DramModel;
import dev.attnsim.actors.blocks.common.dram.DramPolicy;
import dev.attnsim.actors.blocks.common.dram.DramTiming;
import dev.attnsim.actors.blocks.common.dram.FastDramController;
import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.Link;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.SequentialEngine;
import java.util.List;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * Drives the DRAM controller from a {@link RequestTrace}, as DRAMSim3's trace front end drives
 * DRAMSim3: one {@link TraceFrontEnd} on a link of latency 1 to a {@link DramController} clocked
 * with the DRAM (one cycle = one DRAM clock, so trace cycles are DRAM clocks), on the sequential
 * engine.
 */
public final class DramTraceRun {
  private DramTraceRun() {}

  /** Requests the front end may have in its link to the controller. */
  static final int LINK_DEPTH = 64;

  /** Latency figures of a set of requests, in DRAM clocks. */
  public record Latency(long requests, double average, long max) {}

  /**
   * What a run measured. Cycles are DRAM clocks.
   *
   * @param cycles the clock at which the last request completed (DRAMSim3's callback clock)
   * @param readLatency reads, from the clock the controller took them to data complete
   *     (DRAMSim3's {@code read_latency})
   * @param classes the same for the reads whose row-buffer class is hit, miss, conflict
   * @param writeLatency writes, taken to acknowledged (posted: one clock after they are buffered)
   * @param counters the controller's counters
   * @param records one per request, in trace order; null when the run was asked not to keep
   *     them (they are about 120 bytes a request, for the per-request CSV only)
   */
  public record Result(DramDevice device, int requests, long reads, long writes, long bytes,
      long cycles, Latency readLatency, List<Latency> classes, Latency writeLatency,
      SortedMap<String, Long> counters, RequestRecord[] records, long[] sentCycles) {

    /** Achieved bandwidth over the run in GB/s. */
    public double gbPerS() {
      return cycles == 0 ? 0 : bytes / (cycles * device.tCkNs());
    }

    public double peakGbPerS() {
      return device.peakBytesPerNs();
    }
  }

  /** Runs {@code trace} on {@code device} under {@code policy}; {@code one}: one request a cycle. */
  public static Result run(RequestTrace trace, DramDevice device, DramPolicy policy,
      boolean one) {
    return run(trace, device, policy, one, DramModel.DRAMSIM3);
  }

  /** As above, on the controller of {@code model}. */
  public static Result run(RequestTrace trace, DramDevice device, DramPolicy policy,
      boolean one, DramModel model) {
    return run(trace, device, policy, one, model, true);
  }

  /**
   * As above; {@code keepRecords} false sums the figures as requests complete and keeps no
   * record per request ({@link Result#records} null), so a long trace needs only its own arrays.
   */
  public static Result run(RequestTrace trace, DramDevice device, DramPolicy policy,
      boolean one, DramModel model, boolean keepRecords) {
    var timing = DramTiming.sameClock(device);
    int n = trace.size();
    var records = keepRecords ? new RequestRecord[n] : null;
    var sums = new Sums();
    Consumer<RequestRecord> keep = r -> {
      sums.add(r);
      if (records != null) {
        records[(int) r.tileId()] = r;
      }
    };
    Block dram = switch (model) {
      case DRAMSIM3 -> new DramController(1, timing, policy).observeRequests(keep);
      case FAST -> new FastDramController(1, timing, policy).observeRequests(keep);
    };
    var frontEnd = new TraceFrontEnd(trace, one, device.burstBytes());
    var net = new Netlist().add("frontend", frontEnd).add("dram", dram)
        .connect("frontend.req", "dram." + DramController.requestPortName(0), 1, LINK_DEPTH)
        .connect("dram." + DramController.responsePortName(0), "frontend.resp", 1,
            Link.UNBOUNDED);
    RunResult r = new SequentialEngine(RunLimits.DEFAULT, false)
        .run(net, rec -> { }, ProgressListener.NONE);
    if (r.status() != RunStatus.OK) {
      throw new IllegalStateException("DRAM trace run ended " + r.status() + ": "
          + r.problems());
    }
    if (sums.completed != n) {
      throw new IllegalStateException((n - sums.completed) + " of " + n
          + " requests never completed");
    }
    long[] sent = new long[n];
    for (int i = 0; i < n; i++) {
      sent[i] = frontEnd.sentCycle(i);
    }
    var classes = new java.util.ArrayList<Latency>();
    for (int c = 0; c < 3; c++) {
      classes.add(new Latency(sums.classCount[c], sums.classCount[c] == 0 ? 0
          : (double) sums.classTotal[c] / sums.classCount[c], sums.classMax[c]));
    }
    long reads = sums.reads;
    long writes = n - reads;
    return new Result(device, n, reads, writes, (long) n * device.burstBytes(), sums.cycles,
        new Latency(reads, reads == 0 ? 0 : (double) sums.total / reads, sums.max),
        List.copyOf(classes),
        new Latency(writes, writes == 0 ? 0 : (double) sums.writeTotal / writes, sums.writeMax),
        dram.counters(), records, sent);
  }

  /** The run's figures, summed as requests complete. */
  private static final class Sums {
    private static final List<String> CLASSES = List.of("hit", "miss", "conflict");
    long completed;
    long cycles;
    long reads;
    long total;
    long max;
    long writeTotal;
    long writeMax;
    final long[] classCount = new long[3];
    final long[] classTotal = new long[3];
    final long[] classMax = new long[3];

    void add(RequestRecord rec) {
      completed++;
      cycles = Math.max(cycles, rec.departureCycle());
      long lat = rec.latencyCycles();
      if (rec.write()) {
        writeTotal += lat;
        writeMax = Math.max(writeMax, lat);
        return;
      }
      reads++;
      total += lat;
      max = Math.max(max, lat);
      int c = CLASSES.indexOf(rec.rowClass());
      classCount[c]++;
      classTotal[c] += lat;
      classMax[c] = Math.max(classMax[c], lat);
    }
  }
}
