package dev.attnsim.sim.cli;

import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.trace.TraceExporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code attnsim export}: a trace in a format other tools open. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Convert a trace, streaming: chrome (Trace Event JSON for Perfetto UI and "
        + "chrome://tracing: a track per block, busy and stall spans, microseconds at the "
        + "configured clock), vcd (busy and stall wires per block, for GTKWave), csv (one row "
        + "per event) or jsonl (JSON Lines: a binary trace as the JSON Lines trace its run "
        + "would have written, byte for byte).")
final class ExportCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "TRACE",
      description = "trace.jsonl or trace.bin, or either .gz")
  Path trace;

  @Option(names = "--format", paramLabel = "chrome|vcd|csv|jsonl",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: from FILE's extension, "
          + ".json chrome, .vcd vcd, .csv csv, .jsonl jsonl).",
      converter = FormatConverter.class, completionCandidates = Formats.class)
  TraceExporter.Format format;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE",
      description = "Output file, written whole or not at all (a bad trace leaves it as it "
          + "was); never the trace itself.")
  Path outFile;

  @Option(names = "--output", hidden = true, paramLabel = "FILE",
      description = "Old spelling of -o/--out.")
  Path oldOutput;

  @Option(names = "--force", description = "Replace FILE if it exists.")
  boolean force;

  @Override
  public Integer call() {
    PrintWriter out = out();
    var named = Outputs.chosen(outFile, "--output", oldOutput, err());
    if (named == null) {
      throw new ConfigError("export needs -o/--out FILE (the format from its extension, .json "
          + "chrome, .vcd vcd, .csv csv, .jsonl jsonl, or --format)");
    }
    Path output = named.path();
    TraceExporter.Format format = this.format != null ? this.format : formatOf(named);
    Outputs.check(named.option(), output, force, java.util.List.of(trace));
    var r = TraceExporter.export(trace, format, output);
    String what = switch (format) {
      case CHROME -> "spans";
      case VCD -> "value changes";
      case CSV -> "rows";
      case JSONL -> "lines";
    };
    out.printf(Locale.ROOT, "%s: %,d events -> %,d %s (%s)%n", output, r.events(), r.written(),
        what, format);
    if (r.note() != null) {
      err().println("attnsim: note: " + r.note());
    }
    return ExitCodes.OK;
  }

  /** The format a file name's extension says: .json chrome, .vcd vcd, .csv csv, .jsonl jsonl. */
  static TraceExporter.Format formatOf(Outputs.Named named) {
    String name = named.path().getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      return TraceExporter.Format.CHROME;
    } else if (name.endsWith(".vcd")) {
      return TraceExporter.Format.VCD;
    } else if (name.endsWith(".csv")) {
      return TraceExporter.Format.CSV;
    } else if (name.endsWith(".jsonl")) {
      return TraceExporter.Format.JSONL;
    }
    throw new ConfigError(named.option() + " " + named.path() + ": no format from the extension"
        + " (.json chrome, .vcd vcd, .csv csv, .jsonl jsonl); give --format "
        + "chrome|vcd|csv|jsonl");
  }

  /** Accepts the format names in any case. */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<
      TraceExporter.Format> {
    @Override
    public TraceExporter.Format convert(String value) {
      for (var f : TraceExporter.Format.values()) {
        if (f.toString().equalsIgnoreCase(value)) {
          return f;
        }
      }
      throw new picocli.CommandLine.TypeConversionException("expected chrome, vcd, csv or jsonl, "
          + "got '" + value + "'");
    }
  }

  /** The format names for help and completion. */
  static final class Formats extends java.util.ArrayList<String> {
    private static final long serialVersionUID = 1L;

    Formats() {
      super(java.util.List.of("chrome", "vcd", "csv", "jsonl"));
    }
  }
}
