package dev.attnsim.sim.cli;

import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.report.ChartFiles;
import dev.attnsim.sim.trace.InspectRenderer;
import dev.attnsim.sim.trace.InspectReport;
import dev.attnsim.sim.trace.TimelinePlot;
import dev.attnsim.sim.trace.TraceEvent;
import dev.attnsim.sim.trace.TraceInspector;
import dev.attnsim.sim.trace.TraceReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code attnsim inspect}: where a run's time went, per block and per stage, from its trace. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Summarise a trace: per block busy/stall/idle shares, messages and bytes in and"
        + " out, longest stalls and what they waited for; per stage start, end and share of the "
        + "run. Reads the trace in one streaming pass (JSON Lines or binary, plain or gzip).",
    footer = {"", "An incomplete trace (cut short, no footer) is reported on as far as it goes; "
        + "the command then exits 2."})
final class InspectCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "TRACE",
      description = "trace.jsonl or trace.bin, or either .gz")
  Path trace;

  @Option(names = "--block", paramLabel = "NAME", description = "Only this block.")
  String block;

  @Option(names = "--from", paramLabel = "CYCLE", description = "Window start (default 0).")
  long from;

  @Option(names = "--to", paramLabel = "CYCLE",
      description = "Window end, exclusive (default: the end of the run).")
  Long to;

  @Option(names = "--tile", paramLabel = "ID",
      description = "Follow one tile: every send, arrival and dequeue with its time. ID is the "
          + "number in the trace or BLOCK#N (the N-th tile BLOCK created).")
  String tile;

  @Option(names = "--stalls", paramLabel = "N", defaultValue = "3",
      description = "Longest stalls listed per block (default ${DEFAULT-VALUE}).")
  int stalls;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE.png|FILE.svg",
      description = "Also draw a per-block timeline (busy by stage, stalls), as PNG or SVG by "
          + "the extension.")
  Path outFile;

  @Option(names = "--timeline", hidden = true, paramLabel = "FILE",
      description = "Old spelling of -o/--out.")
  Path oldTimeline;

  @Option(names = "--force", description = "Replace the -o/--out file if it exists.")
  boolean force;

  @Override
  public Integer call() {
    if (from < 0) {
      throw new ConfigError("--from must be >= 0, got " + from);
    }
    if (stalls < 0) {
      throw new ConfigError("--stalls must be >= 0, got " + stalls);
    }
    var named = Outputs.chosen(outFile, "--timeline", oldTimeline, err());
    Path timeline = named != null ? named.path() : null;
    ChartFiles.Format format = null;
    if (timeline != null) {
      format = ChartFiles.Format.of(timeline);
      if (format == null) {
        throw new ConfigError(named.option() + " " + timeline + ": the timeline is drawn as "
            + "PNG or SVG; the file name must end in .png or .svg");
      }
      Outputs.check(named.option(), timeline, force, java.util.List.of(trace));
    }
    PrintWriter out = out();
    try (TraceReader r = TraceReader.open(trace)) {
      var header = r.header();
      Long tileId = tile != null ? parseTile(tile, header.blocks()) : null;
      var options = new TraceInspector.Options(block, from, to != null ? to : Long.MAX_VALUE,
          tileId, stalls, timeline != null ? TimelinePlot.BINS : 0);
      TraceInspector inspector;
      try {
        inspector = new TraceInspector(header, options);
      } catch (IllegalArgumentException e) {
        throw new ConfigError(e.getMessage());
      }
      for (TraceEvent e = r.next(); e != null; e = r.next()) {
        inspector.accept(e);
      }
      InspectReport report = inspector.finish(trace, r.footer(), r.incomplete(), r.events());
      if (json) {
        InspectRenderer.json(report, out);
      } else {
        InspectRenderer.text(report, out);
      }
      if (timeline != null) {
        drawTimeline(timeline, format, report, inspector);
        if (!json) {
          out.println();
          out.println("timeline   " + timeline);
        }
      }
      out.flush();
      if (r.incomplete() != null) {
        throw r.incomplete();
      }
    }
    return ExitCodes.OK;
  }

  private static void drawTimeline(Path timeline, ChartFiles.Format format,
      InspectReport report, TraceInspector inspector) {
    var names = new ArrayList<String>();
    var indices = new ArrayList<Integer>();
    for (var b : report.blocks()) {
      names.add(b.name());
      indices.add(report.header().blocks().indexOf(b.name()));
    }
    String status = report.footer() != null
        ? report.footer().status() + ", " + String.format(Locale.ROOT, "%,d cycles",
            report.footer().cycles())
        : "INCOMPLETE trace";
    String title = String.format(Locale.ROOT, "%s (%s, %s engine): cycles %,d to %,d",
        report.header().runName(), status, report.header().engine(), report.from(), report.to());
    TimelinePlot.write(timeline, format, inspector.bins(), names, indices, report.to(), title,
        report.header().clockGhz());
  }

  /** A tile id: the number in the trace, or {@code BLOCK#N} for the N-th tile BLOCK created. */
  static long parseTile(String text, java.util.List<String> blocks) {
    int hash = text.indexOf('#');
    try {
      if (hash < 0) {
        return Long.parseLong(text.strip());
      }
      String name = text.substring(0, hash);
      int b = blocks.indexOf(name);
      if (b < 0) {
        throw new ConfigError("--tile " + text + ": no block " + name + " in the trace; its "
            + "blocks are " + String.join(", ", blocks));
      }
      long n = Long.parseLong(text.substring(hash + 1).strip());
      if (n < 0 || n > 0xffffffffL) {
        throw new NumberFormatException();
      }
      return ((long) b << 32) | n;
    } catch (NumberFormatException e) {
      throw new ConfigError("--tile " + text + ": expected a tile number or BLOCK#N");
    }
  }
}
