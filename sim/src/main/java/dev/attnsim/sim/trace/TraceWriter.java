package dev.attnsim.sim.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.attnsim.actors.kernel.Link;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.TraceRecord;
import dev.attnsim.actors.kernel.TraceSink;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a trace as JSON Lines while the run goes: a header line, one line per record in event-key
 * order, and a footer line with the record count and the run's status. Memory stays bounded
 * whatever the run's length. A trace without its footer is recognisably incomplete.
 */
public final class TraceWriter implements TraceSink, AutoCloseable {

  /** What the header says about the run. */
  public record Header(String attnsimVersion, String engine, int parallelism, long seed,
      String mode, String configJson) {}

  private final Path path;
  private final JsonGenerator json;
  private long records;

  public TraceWriter(Path path, boolean gzip) {
    this.path = path;
    try {
      OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
      if (gzip) {
        out = new GZIPOutputStream(out, 1 << 16);
      }
      json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
      json.setRootValueSeparator(null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write trace " + path + ": "
          + dev.attnsim.sim.io.IoReasons.of(e), e);
    }
  }

  public Path path() {
    return path;
  }

  public long records() {
    return records;
  }

  /** Writes the header line: format, versions, engine, seed, blocks, links and resolved config. */
  public void writeHeader(Header h, Netlist net) {
    try {
      json.writeStartObject();
      json.writeStringField("format", TraceFormat.NAME);
      json.writeNumberField("version", TraceFormat.VERSION);
      json.writeStringField("attnsim", h.attnsimVersion());
      json.writeStringField("engine", h.engine());
      json.writeNumberField("parallelism", h.parallelism());
      json.writeNumberField("seed", h.seed());
      json.writeStringField("mode", h.mode());
      json.writeArrayFieldStart("blocks");
      for (String b : net.blockNames()) {
        json.writeString(b);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("links");
      for (Link l : net.links()) {
        json.writeStartObject();
        json.writeNumberField("id", l.id());
        json.writeStringField("from", net.name(l.fromBlock()) + "." + l.fromPort().name());
        json.writeStringField("to", net.name(l.toBlock()) + "." + l.toPort().name());
        json.writeNumberField("latency", l.latencyCycles());
        if (l.bounded()) {
          json.writeNumberField("depth", l.depth());
          json.writeNumberField("credit_latency", l.creditLatencyCycles());
        } else {
          json.writeNullField("depth");
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeFieldName("config");
      json.writeRawValue(h.configJson());
      json.writeEndObject();
      json.writeRaw('\n');
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public void accept(TraceRecord r) {
    try {
      json.writeStartObject();
      json.writeNumberField("t", r.time());
      if (r instanceof TraceRecord.Send s) {
        json.writeStringField("ev", "send");
        json.writeNumberField("link", s.link());
        json.writeNumberField("seq", s.seq());
        json.writeStringField("from", s.from());
        json.writeStringField("to", s.to());
        json.writeNumberField("tile", s.tile());
        json.writeStringField("kind", s.kind());
        json.writeNumberField("bytes", s.bytes());
        json.writeNumberField("arrive", s.arrive());
        if (s.attributes() != null) {
          for (var a : s.attributes().entrySet()) {
            json.writeNumberField(a.getKey(), a.getValue());
          }
        }
      } else if (r instanceof TraceRecord.Receive v) {
        json.writeStringField("ev", "recv");
        json.writeNumberField("link", v.link());
        json.writeNumberField("seq", v.seq());
        json.writeStringField("block", v.block());
        json.writeStringField("port", v.port());
        json.writeNumberField("tile", v.tile());
        json.writeNumberField("bytes", v.bytes());
      } else if (r instanceof TraceRecord.Credit c) {
        json.writeStringField("ev", "credit");
        json.writeNumberField("link", c.link());
        json.writeStringField("block", c.block());
        json.writeStringField("port", c.port());
        json.writeNumberField("credits", c.credits());
      } else if (r instanceof TraceRecord.Busy b) {
        json.writeStringField("ev", "busy");
        json.writeStringField("block", b.block());
        json.writeNumberField("start", b.start());
        json.writeNumberField("end", b.end());
        json.writeStringField("op", b.op());
        if (b.stage() != null) {
          json.writeStringField("stage", b.stage());
        }
        if (b.macs() != 0) {
          json.writeNumberField("macs", b.macs());
        }
        if (b.precision() != null) {
          json.writeStringField("prec", b.precision());
        }
      } else if (r instanceof TraceRecord.Stall s) {
        json.writeStringField("ev", "stall");
        json.writeStringField("block", s.block());
        json.writeStringField("port", s.port());
        json.writeNumberField("start", s.start());
        json.writeNumberField("end", s.end());
        json.writeStringField("cause", s.cause());
      } else {
        throw new IllegalArgumentException("unknown trace record " + r);
      }
      json.writeEndObject();
      json.writeRaw('\n');
      records++;
    } catch (IOException e) {
      throw fail(e);
    }
  }

  /** Writes the footer line: the number of event lines, the status and the cycle count. */
  public void writeFooter(RunResult result) {
    try {
      json.writeStartObject();
      json.writeStringField("ev", "end");
      json.writeStringField("status", result.status().label());
      json.writeNumberField("events", records);
      json.writeNumberField("cycles", result.cycles());
      json.writeEndObject();
      json.writeRaw('\n');
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public void close() {
    try {
      json.close();
    } catch (IOException e) {
      throw fail(e);
    }
  }

  private UncheckedIOException fail(IOException e) {
    return new UncheckedIOException("cannot write trace " + path + ": "
          + dev.attnsim.sim.io.IoReasons.of(e), e);
  }
}
