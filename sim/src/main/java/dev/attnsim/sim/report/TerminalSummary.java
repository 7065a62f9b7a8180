package dev.attnsim.sim.report;

import dev.attnsim.actors.kernel.BlockStats;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.sim.run.Simulation;
import java.util.Locale;

/** The few lines a user reads after a run. */
public final class TerminalSummary {
  private TerminalSummary() {}

  public static String render(Simulation.Outcome o) {
    RunResult r = o.result();
    var s = o.settings();
    var sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-10s %s%n", "status", r.status().label()));
    for (String p : r.problems()) {
      sb.append(String.format(Locale.ROOT, "%-10s %s%n", "", p));
    }
    sb.append(String.format(Locale.ROOT, "%-10s %,d  (%.3f us at %.2f GHz)%n", "cycles",
        r.cycles(), r.cycles() / s.clockGhz() / 1000.0, s.clockGhz()));
    if (s.isGemm() && r.cycles() > 0 && r.status() == dev.attnsim.actors.kernel.RunStatus.OK) {
      // a finished run only: an aborted one's MACs were not all done in its cycles
      sb.append(String.format(Locale.ROOT, "%-10s %,d MACs, %.1f MACs/cycle%n", "work",
          s.gemm().macs(), (double) s.gemm().macs() / r.cycles()));
    } else if (o.report() != null) {
      sb.append(o.report().terminalLines());
    }
    if (o.checks() != null) {
      var c = o.checks();
      if (!c.complete()) {
        sb.append(String.format(Locale.ROOT, "%-10s INCOMPLETE: checked %,d of %,d masks and "
            + "%,d of %,d output tiles%n", "functional", c.masks(), c.expectedMasks(),
            c.outputs(), c.expectedOutputs()));
      } else {
        String masks = c.masks() == 0 ? "dense (no masks to check)"
            : String.format(Locale.ROOT, "%,d masks exact", c.masks());
        sb.append(String.format(Locale.ROOT, "%-10s %s, %,d output tiles within %.1e (worst "
            + "relative error %.2e)%n", "functional", masks, c.outputs(), c.tolerance(),
            c.maxOutputError()));
      }
    }
    if (o.reference() != null) {
      sb.append(o.reference().line());
    }
    if (o.accuracy() != null) {
      var f = o.accuracy().overall();
      sb.append(String.format(Locale.ROOT, "%-10s %s masks: prediction accuracy %.3f, mass kept "
          + "%.3f, output error %.3f (cosine %.4f) vs dense%n", "accuracy",
          o.accuracy().source(), f.predictionAccuracy(), f.massKept(), f.outputRelError(),
          f.outputCosine()));
    }
    sb.append(String.format(Locale.ROOT, "%n%-10s %12s %12s %12s %6s%n", "block", "busy",
        "stall", "idle", "util"));
    for (BlockStats b : r.blocks()) {
      sb.append(String.format(Locale.ROOT, "%-10s %,12d %,12d %,12d %5.1f%%%n", b.name(),
          b.busyCycles(), b.stallCycles(), b.idleCycles(r.cycles()),
          100 * b.utilization(r.cycles())));
    }
    sb.append(String.format(Locale.ROOT, "%n%-10s %,d simulator events in %.2f s (%,.0f "
            + "events/s, %s engine, %d thread%s)%n", "sim", r.events(), o.wallSeconds(),
        o.eventsPerSecond(),
        s.run().engine().name().toLowerCase(Locale.ROOT), Simulation.parallelism(s),
        Simulation.parallelism(s) == 1 ? "" : "s"));
    sb.append(String.format(Locale.ROOT, "%-10s %s%n", "outputs", o.outDir()));
    return sb.toString();
  }
}
