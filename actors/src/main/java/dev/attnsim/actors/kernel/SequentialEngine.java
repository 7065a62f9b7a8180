package dev.attnsim.actors.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The reference engine: one thread, one priority queue of envelopes in key order. The actor
 * engine is held to its traces, and measured against its speed.
 */
public final class SequentialEngine implements Engine {
  private static final int PROGRESS_EVERY = 1 << 16;
  private final RunLimits limits;
  private final boolean tracing;

  public SequentialEngine(RunLimits limits, boolean tracing) {
    this.limits = limits;
    this.tracing = tracing;
  }

  private volatile boolean stopRequested;

  @Override
  public String name() {
    return "sequential";
  }

  @Override
  public void requestStop() {
    stopRequested = true;
  }

  @Override
  public RunResult run(Netlist netlist, TraceSink sink, ProgressListener progress) {
    netlist.freeze();
    var queue = new PriorityQueue<Envelope>(Envelope.ORDER);
    BlockRunner.Outbox outbox = new BlockRunner.Outbox() {
      @Override
      public void post(Envelope e) {
        queue.add(e);
      }

      @Override
      public void postSelf(Envelope e) {
        queue.add(e);
      }
    };
    List<BlockRunner> runners = new ArrayList<>();
    for (int b = 0; b < netlist.blockCount(); b++) {
      var r = new BlockRunner(netlist, b, tracing);
      r.attach(outbox);
      runners.add(r);
      queue.add(r.startEnvelope());
    }
    String abort = null;
    BlockFailure failure = null;
    long handled = 0;
    long workDone = 0;
    boolean interrupted = false;
    while (!queue.isEmpty()) {
      if (stopRequested) {
        interrupted = true;
        break;
      }
      Envelope e = queue.poll();
      if (e.time() > limits.maxCycles()) {
        abort = Outcome.limitExceeded(e.time(), limits);
        break;
      }
      BlockRunner r = runners.get(e.dest());
      long before = r.workDone();
      try {
        r.handle(e);
      } catch (BlockFailure f) {
        r.drainTrace(sink);
        failure = f;
        break;
      }
      r.drainTrace(sink);
      workDone += r.workDone() - before;
      if (++handled % PROGRESS_EVERY == 0) {
        progress.onProgress(workDone, netlist.totalWork(), e.time());
      }
    }
    RunResult result = failure != null ? Outcome.failed(runners, failure)
        : Outcome.finish(runners, abort, interrupted);
    progress.onProgress(workDone, netlist.totalWork(), result.cycles());
    return result;
  }
}
