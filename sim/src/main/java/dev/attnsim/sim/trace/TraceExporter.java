package dev.attnsim.sim.trace;

import dev.attnsim.sim.io.OutputFile;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Converts a trace to another format while reading it, event by event: Chrome Trace Event JSON
 * (Perfetto, chrome://tracing), VCD (GTKWave), CSV, or JSON Lines (a binary trace's JSON Lines
 * form). Memory stays bounded whatever the trace's length.
 */
public abstract class TraceExporter {

  /** The output formats. */
  public enum Format {
    CHROME, VCD, CSV, JSONL;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What an export wrote. */
  public record Result(Path output, Format format, long events, long written, String note) {}

  protected Writer out;
  protected TraceHeader header;
  protected Path traceFile;
  /** The trace being read, for what the events do not carry (a line's text). */
  protected TraceReader reader;

  /** Writes what comes before the events. */
  protected abstract void begin() throws IOException;

  protected abstract void accept(TraceEvent e) throws IOException;

  /**
   * Writes what comes after the events.
   *
   * @param runEnd the run's last cycle (the footer's cycle count)
   */
  protected abstract void finish(TraceFooter footer, long runEnd) throws IOException;

  /** Items written: spans, value changes or rows. */
  protected abstract long written();

  /** Anything the user should know about the output, or null. */
  protected String note() {
    return null;
  }

  public static TraceExporter of(Format format) {
    return switch (format) {
      case CHROME -> new ChromeExporter();
      case VCD -> new VcdExporter();
      case CSV -> new CsvExporter();
      case JSONL -> new JsonlExporter();
    };
  }

  /**
   * Exports {@code trace} to {@code output}, through a temporary file renamed into place only
   * when the export is complete ({@link OutputFile#write}). A trace that is corrupt or
   * incomplete is a {@link TraceError}, and leaves {@code output} as it was.
   */
  public static Result export(Path trace, Format format, Path output) {
    TraceExporter x = of(format);
    try (TraceReader r = TraceReader.open(trace)) {
      x.header = r.header();
      x.traceFile = trace;
      x.reader = r;
      OutputFile.write(output, stream -> {
        Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8); // stream is buffered
        x.out = w;
        x.begin();
        long runEnd = 0;
        for (TraceEvent e = r.next(); e != null; e = r.next()) {
          runEnd = Math.max(runEnd, e instanceof TraceEvent.Span s ? s.end() : e.t());
          x.accept(e);
        }
        if (r.incomplete() != null) {
          throw r.incomplete();
        }
        x.finish(r.footer(), Math.max(runEnd, r.footer().cycles()));
        w.flush();
      });
      return new Result(output, format, r.events(), x.written(), x.note());
    }
  }
}
