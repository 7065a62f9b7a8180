package dev.attnsim.actors.kernel;

import java.util.ArrayList;
import java.util.List;

/** Builds a {@link RunResult} from the runners once no event is left; shared by the engines. */
final class Outcome {
  private Outcome() {}

  static RunResult finish(List<BlockRunner> runners, String abortReason) {
    return finish(runners, abortReason, false);
  }

  /** As {@link #finish(List, String)}; {@code interrupted}: the run was asked to stop. */
  static RunResult finish(List<BlockRunner> runners, String abortReason, boolean interrupted) {
    return finish(runners, abortReason, interrupted, -1);
  }

  /**
   * The result of a run a block's failure ended: it stops at the failing event's cycle, on
   * either engine (in the actor engine other blocks may have run past it).
   */
  static RunResult failed(List<BlockRunner> runners, BlockFailure failure) {
    return finish(runners, failure.getMessage(), false, failure.time);
  }

  private static RunResult finish(List<BlockRunner> runners, String abortReason,
      boolean interrupted, long stopCycle) {
    long cycles = 0;
    long events = 0;
    for (BlockRunner r : runners) {
      cycles = Math.max(cycles, r.lastCycle());
      events += r.events();
    }
    if (stopCycle >= 0) {
      cycles = stopCycle;
    }
    var problems = new ArrayList<String>();
    RunStatus status;
    if (abortReason != null) {
      status = RunStatus.ABORTED;
      problems.add(abortReason);
    } else if (interrupted) {
      status = RunStatus.INTERRUPTED;
      problems.add("interrupted at cycle " + cycles + " (asked to stop before the run finished)");
    } else {
      for (BlockRunner r : runners) {
        r.pending().ifPresent(problems::add);
      }
      status = problems.isEmpty() ? RunStatus.OK : RunStatus.DEADLOCK;
    }
    var stats = new ArrayList<BlockStats>();
    for (BlockRunner r : runners) {
      r.closeStalls(cycles);
      stats.add(r.stats());
    }
    return new RunResult(status, cycles, events, stats, problems);
  }

  static String limitExceeded(long time, RunLimits limits) {
    return "simulated time passed the limit of " + limits.maxCycles()
        + " cycles (next event at cycle " + time + ")";
  }
}
