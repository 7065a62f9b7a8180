package dev.attnsim.sim.cli;

import dev.attnsim.sim.run.Replay;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code attnsim replay}: does the trace's config and seed still give the same trace? */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Re-run the config and seed embedded in a trace and compare the event "
        + "streams: prints 'identical' or the first divergent event (index, time, block, "
        + "expected and got lines). The trace is checked like inspect checks it, before the "
        + "re-run.",
    footer = {"", "Exit codes: 0 identical, 4 the re-run's events differ from the trace's, "
        + "2 corrupt or incomplete trace (an incomplete one's events are still compared) or bad "
        + "config, 1 internal error."})
final class ReplayCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "TRACE",
      description = "trace.jsonl or trace.bin, or either .gz")
  Path trace;

  @Option(names = "--engine", paramLabel = "actor|sequential",
      description = "Engine of the replay (default: the one that wrote the trace).")
  String engine;

  @Option(names = "--isolate", paramLabel = "BLOCK",
      description = "Trace-driven replay of one block: feed it its recorded inputs at their "
          + "recorded times, with settings changed by --set, and compare its outputs' timing "
          + "(blocks fed by memory requests, i.e. DRAM controllers).")
  String isolate;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "With --isolate: a setting to change (repeatable).")
  java.util.List<String> sets = new java.util.ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = out();
    if (isolate != null) {
      return isolate(out);
    }
    if (!sets.isEmpty()) {
      throw new dev.attnsim.sim.config.ConfigError("--set goes with --isolate: a plain replay "
          + "re-runs the trace's own config");
    }
    Replay.Result r = Replay.replay(trace, engine);
    if (r.identical()) {
      out.printf(Locale.ROOT, "identical: %,d event lines and the footer match (replayed on the "
          + "%s engine in %.2f s)%n", r.eventLines() - 1, r.engine(), r.wallSeconds());
      return ExitCodes.OK;
    }
    if (r.divergence() == null && r.interrupted()) {
      out.printf(Locale.ROOT, "interrupted: the recorded run was stopped; the %,d event lines "
          + "it has match the replay's first ones (replayed on the %s engine in %.2f s)%n",
          r.eventLines(), r.engine(), r.wallSeconds());
      return ExitCodes.OK;
    }
    if (r.divergence() == null) { // a recording cut short whose events all match
      out.printf(Locale.ROOT, "incomplete: the %,d event lines the trace has match the replay "
          + "(replayed on the %s engine in %.2f s)%n", r.eventLines(), r.engine(),
          r.wallSeconds());
      out.flush();
      throw r.incomplete();
    }
    var d = r.divergence();
    out.printf(Locale.ROOT, "differs at event %,d (line %,d): t=%d block=%s%n", d.index(),
        d.line(), d.time(), d.block().isEmpty() ? "-" : d.block());
    out.println("  expected " + (d.expected() != null ? d.expected() : "<end of trace>"));
    out.println("  got      " + (d.got() != null ? d.got() : "<end of replay>"));
    return ExitCodes.REPLAY_DIFFERS;
  }

  private int isolate(PrintWriter out) {
    var r = dev.attnsim.sim.run.Isolate.run(trace, isolate, sets);
    out.printf(Locale.ROOT, "isolate    %s: %,d recorded inputs replayed%s%n", r.block(),
        r.inputs(), sets.isEmpty() ? " with the trace's own settings"
            : " with " + String.join(", ", sets));
    out.printf(Locale.ROOT, "outputs    %,d of %,d replayed; last leaves at %,d (recorded %,d,"
            + " %+.1f%%)%n", r.matched(), r.outputs().size(), r.replayedLast(),
        r.recordedLast(), r.recordedLast() == 0 ? 0.0
            : 100.0 * (r.replayedLast() - r.recordedLast()) / r.recordedLast());
    double mean = r.matched() == 0 ? 0 : (double) r.totalShift() / r.matched();
    out.printf(Locale.ROOT, "shift      mean %+,.1f cycles per output, largest %,d cycles%n",
        mean, r.maxShift());
    out.printf(Locale.ROOT, "busy       %,d -> %,d cycles; stall %,d -> %,d cycles%n",
        r.recordedBusy(), r.replayedBusy(), r.recordedStall(), r.replayedStall());
    out.println("first      tile: recorded -> replayed departure");
    r.outputs().stream().limit(5).forEach(o -> out.printf(Locale.ROOT,
        "           %d: %,d -> %,d (%+,d)%n", o.tile(), o.recorded(), o.replayed(),
        o.replayed() - o.recorded()));
    return r.run().status() == dev.attnsim.actors.kernel.RunStatus.OK ? ExitCodes.OK
        : ExitCodes.INTERNAL;
  }
}
