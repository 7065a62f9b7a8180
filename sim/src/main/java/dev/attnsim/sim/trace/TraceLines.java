package dev.attnsim.sim.trace;

import dev.attnsim.actors.kernel.TraceRecord;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The lines of a trace file, one at a time with their line numbers: JSON Lines or the binary
 * encoding, plain or gzip-compressed (each recognised by its magic bytes). A binary trace gives
 * its JSON Lines form: the lines the JSON Lines writer writes for the same run. A broken gzip
 * stream is a {@link TraceError}; a gzip stream that just stops (the file was cut) ends the lines
 * early and is reported by {@link #cutShort()}. Memory is bounded: a line longer than {@link
 * #MAX_LINE_CHARS} is an error.
 */
public final class TraceLines implements AutoCloseable {

  /** No line of a trace comes near this; a file without newlines is not a trace. */
  public static final int MAX_LINE_CHARS = 16 << 20;

  private static final int GZIP_MAGIC = 0x8b1f;

  private final Path file;
  private final Reader in;
  private final boolean gzip;
  /** A binary trace's records, else null. */
  private final BinaryTraceDecoder binary;
  /** A binary trace's event lines, rendered as the JSON Lines writer renders them. */
  private TraceJson.Renderer render;
  private final char[] buf = new char[1 << 16];
  private final StringBuilder partial = new StringBuilder(256);
  private int pos;
  private int limit;
  private long lineNumber;
  private boolean eof;
  private boolean cutShort;

  private TraceLines(Path file, Reader in, boolean gzip, BinaryTraceDecoder binary) {
    this.file = file;
    this.in = in;
    this.gzip = gzip;
    this.binary = binary;
  }

  /**
   * Opens a trace; gzip when the file starts with the gzip magic bytes, binary when it (or the
   * gzip stream) starts with the binary encoding's first magic byte.
   */
  public static TraceLines open(Path file) {
    InputStream raw;
    try {
      raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    } catch (NoSuchFileException e) {
      throw new TraceError(file, 0, "no such file");
    } catch (IOException e) {
      throw new TraceError(file, 0, "cannot read: " + e.getMessage());
    }
    try {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      boolean gzip = b0 >= 0 && b1 >= 0 && (b0 | (b1 << 8)) == GZIP_MAGIC;
      if (!gzip && file.getFileName().toString().endsWith(".gz")) {
        raw.close();
        throw new TraceError(file, 0, "named .gz but not gzip-compressed");
      }
      var data = new PushbackInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, 1);
      int first = data.read();
      if (first >= 0) {
        data.unread(first);
      }
      if (first == (BinaryTrace.MAGIC[0] & 0xff)) {
        try {
          return new TraceLines(file, null, gzip, new BinaryTraceDecoder(file, data));
        } catch (TraceError e) {
          closeQuietly(data);
          throw e;
        }
      }
      return new TraceLines(file, new InputStreamReader(data, StandardCharsets.UTF_8), gzip,
          null);
    } catch (ZipException e) {
      closeQuietly(raw);
      throw new TraceError(file, 0, "broken gzip stream: " + e.getMessage());
    } catch (EOFException e) {
      closeQuietly(raw);
      throw new TraceError(file, 0, "gzip stream ends before its first line (file cut short)");
    } catch (IOException e) {
      closeQuietly(raw);
      throw new TraceError(file, 0, "cannot read: " + e.getMessage());
    }
  }

  public Path file() {
    return file;
  }

  public boolean gzip() {
    return gzip;
  }

  /** The number of the line last returned by {@link #next()} (1-based). */
  public long lineNumber() {
    return lineNumber;
  }

  /** True when the gzip stream stopped in the middle (the file was truncated). */
  public boolean cutShort() {
    return binary != null ? binary.gzipCut() : cutShort;
  }

  /** True for a trace in the binary encoding. */
  public boolean binary() {
    return binary != null;
  }

  /** A binary trace's records (for {@link TraceReader}), else null. */
  BinaryTraceDecoder decoder() {
    return binary;
  }

  /** The next line without its line terminator, or null at the end of the file. */
  public String next() {
    if (binary != null) {
      return nextOfBinary();
    }
    if (eof) {
      return null;
    }
    partial.setLength(0);
    while (true) {
      if (pos == limit && !fill()) {
        eof = true;
        if (partial.length() == 0) {
          return null;
        }
        lineNumber++;
        return partial.toString();
      }
      int start = pos;
      while (pos < limit && buf[pos] != '\n') {
        pos++;
      }
      if (pos < limit) { // found a newline
        int end = pos > start && buf[pos - 1] == '\r' ? pos - 1 : pos;
        pos++;
        lineNumber++;
        if (partial.length() == 0) {
          return new String(buf, start, end - start);
        }
        partial.append(buf, start, end - start);
        int n = partial.length();
        if (n > 0 && partial.charAt(n - 1) == '\r') {
          partial.setLength(n - 1);
        }
        return partial.toString();
      }
      partial.append(buf, start, pos - start);
      if (partial.length() > MAX_LINE_CHARS) {
        throw new TraceError(file, lineNumber + 1,
            "line longer than " + (MAX_LINE_CHARS >> 20) + " MiB: not a trace");
      }
    }
  }

  /** A binary trace's next line: the header's text, each event rendered, the footer's text. */
  private String nextOfBinary() {
    if (eof) {
      return null;
    }
    String line;
    if (lineNumber == 0) {
      line = binary.header();
    } else {
      TraceRecord r = binary.next();
      if (r != null) {
        line = render(r);
      } else {
        eof = true; // a footer ends the lines; what follows it is TraceReader's to judge
        line = binary.footer();
        if (line == null) {
          return null;
        }
      }
    }
    lineNumber++;
    return line;
  }

  private String render(TraceRecord r) {
    if (render == null) {
      render = new TraceJson.Renderer();
    }
    return render.line(r);
  }

  private boolean fill() {
    try {
      int n = in.read(buf, 0, buf.length);
      if (n <= 0) {
        return false;
      }
      pos = 0;
      limit = n;
      return true;
    } catch (EOFException e) {
      // GZIPInputStream: "Unexpected end of ZLIB input stream": the file was truncated.
      cutShort = true;
      partial.setLength(0); // the line being read is lost with the stream's tail
      return false;
    } catch (ZipException e) {
      throw new TraceError(file, lineNumber + 1, "broken gzip stream: " + e.getMessage());
    } catch (IOException e) {
      throw new TraceError(file, lineNumber + 1, "cannot read: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    if (binary != null) {
      binary.close();
      return;
    }
    try {
      in.close();
    } catch (IOException e) {
      // nothing was written; a failed close of an input loses nothing
    }
  }

  private static void closeQuietly(InputStream s) {
    try {
      s.close();
    } catch (IOException e) {
      // already failing with a better message
    }
  }
}
