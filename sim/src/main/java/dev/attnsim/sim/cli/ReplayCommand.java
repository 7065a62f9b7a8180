package dev.attnsim.sim.cli;

import dev.attnsim.sim.run.Replay;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code attnsim replay}: does the trace's config and seed still give the same trace? */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Re-run the config and seed embedded in a trace and compare the event "
        + "streams: prints 'identical' or the first divergent event (index, time, block, "
        + "expected and got lines).",
    footer = {"", "Exit codes: 0 identical, 4 the streams differ, 2 bad trace or config, "
        + "1 internal error."})
final class ReplayCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "TRACE", description = "trace.jsonl or trace.jsonl.gz")
  Path trace;

  @Option(names = "--engine", paramLabel = "actor|sequential",
      description = "Engine of the replay (default: the one that wrote the trace).")
  String engine;

  @Override
  public Integer call() {
    PrintWriter out = out();
    Replay.Result r = Replay.replay(trace, engine);
    if (r.identical()) {
      out.printf(Locale.ROOT, "identical: %,d event lines and the footer match (replayed on the "
          + "%s engine in %.2f s)%n", r.eventLines() - 1, r.engine(), r.wallSeconds());
      return ExitCodes.OK;
    }
    var d = r.divergence();
    out.printf(Locale.ROOT, "differs at event %,d (line %,d): t=%d block=%s%n", d.index(),
        d.line(), d.time(), d.block().isEmpty() ? "-" : d.block());
    out.println("  expected " + (d.expected() != null ? d.expected() : "<end of trace>"));
    out.println("  got      " + (d.got() != null ? d.got() : "<end of replay>"));
    return ExitCodes.REPLAY_DIFFERS;
  }
}
