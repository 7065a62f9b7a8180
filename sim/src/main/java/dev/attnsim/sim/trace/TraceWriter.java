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

  private static final String EV = "ev";
  private static final String SEND = "send";
  private static final String RECV = "recv";
  private static final String CREDIT = "credit";
  private static final String BUSY = "busy";
  private static final String STALL = "stall";
  private static final String LINK = "link";
  private static final String SEQ = "seq";
  private static final String FROM = "from";
  private static final String TO = "to";
  private static final String TILE = "tile";
  private static final String KIND = "kind";
  private static final String BYTES = "bytes";
  private static final String ARRIVE = "arrive";
  private static final String BLOCK = "block";
  private static final String PORT = "port";
  private static final String CREDITS = "credits";
  private static final String START = "start";
  private static final String END = "end";
  private static final String OP = "op";
  private static final String STAGE = "stage";
  private static final String MACS = "macs";
  private static final String PREC = "prec";
  private static final String CAUSE = "cause";

  private final Path path;
  /** The header and footer lines (Jackson's generator; flushed before event lines follow). */
  private final JsonGenerator json;
  /** The event lines, buffered in its own bytes and drained before the footer. */
  private final JsonLineEncoder line;
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
      line = new JsonLineEncoder(out);
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
      json.flush();
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public void accept(TraceRecord r) {
    try {
      line.begin(r.time());
      if (r instanceof TraceRecord.Send s) {
        line.string(EV, SEND);
        line.number(LINK, s.link());
        line.number(SEQ, s.seq());
        line.string(FROM, s.from());
        line.string(TO, s.to());
        line.number(TILE, s.tile());
        line.string(KIND, s.kind());
        line.number(BYTES, s.bytes());
        line.number(ARRIVE, s.arrive());
        if (s.attributes() != null) {
          for (var a : s.attributes().entrySet()) {
            line.number(a.getKey(), a.getValue());
          }
        }
      } else if (r instanceof TraceRecord.Receive v) {
        line.string(EV, RECV);
        line.number(LINK, v.link());
        line.number(SEQ, v.seq());
        line.string(BLOCK, v.block());
        line.string(PORT, v.port());
        line.number(TILE, v.tile());
        line.number(BYTES, v.bytes());
      } else if (r instanceof TraceRecord.Credit c) {
        line.string(EV, CREDIT);
        line.number(LINK, c.link());
        line.string(BLOCK, c.block());
        line.string(PORT, c.port());
        line.number(CREDITS, c.credits());
      } else if (r instanceof TraceRecord.Busy b) {
        line.string(EV, BUSY);
        line.string(BLOCK, b.block());
        line.number(START, b.start());
        line.number(END, b.end());
        line.string(OP, b.op());
        if (b.stage() != null) {
          line.string(STAGE, b.stage());
        }
        if (b.macs() != 0) {
          line.number(MACS, b.macs());
        }
        if (b.precision() != null) {
          line.string(PREC, b.precision());
        }
      } else if (r instanceof TraceRecord.Stall s) {
        line.string(EV, STALL);
        line.string(BLOCK, s.block());
        line.string(PORT, s.port());
        line.number(START, s.start());
        line.number(END, s.end());
        line.string(CAUSE, s.cause());
      } else {
        throw new IllegalArgumentException("unknown trace record " + r);
      }
      line.end();
      records++;
    } catch (IOException e) {
      throw fail(e);
    }
  }

  /** Writes the footer line: the number of event lines, the status and the cycle count. */
  public void writeFooter(RunResult result) {
    try {
      line.drain();
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
      line.drain();
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
