package dev.attnsim.sim.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.attnsim.actors.kernel.Link;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.TraceRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON text of a trace's lines: the header, one line per record, the footer. One place for
 * it, so that the JSON Lines writer and the conversion of a binary trace to JSON Lines (which
 * stores the header and footer as this text and renders event records through {@link #event})
 * give the same bytes.
 */
final class TraceJson {
  private TraceJson() {}

  private static final JsonFactory JSON = new JsonFactory();

  private static final byte[] EV = JsonLineEncoder.field("ev");
  private static final String SEND = "send";
  private static final String RECV = "recv";
  private static final String CREDIT = "credit";
  private static final String BUSY = "busy";
  private static final String STALL = "stall";
  private static final byte[] LINK = JsonLineEncoder.field("link");
  private static final byte[] SEQ = JsonLineEncoder.field("seq");
  private static final byte[] FROM = JsonLineEncoder.field("from");
  private static final byte[] TO = JsonLineEncoder.field("to");
  private static final byte[] TILE = JsonLineEncoder.field("tile");
  private static final byte[] KIND = JsonLineEncoder.field("kind");
  private static final byte[] BYTES = JsonLineEncoder.field("bytes");
  private static final byte[] ARRIVE = JsonLineEncoder.field("arrive");
  private static final byte[] BLOCK = JsonLineEncoder.field("block");
  private static final byte[] PORT = JsonLineEncoder.field("port");
  private static final byte[] CREDITS = JsonLineEncoder.field("credits");
  private static final byte[] START = JsonLineEncoder.field("start");
  private static final byte[] END = JsonLineEncoder.field("end");
  private static final byte[] OP = JsonLineEncoder.field("op");
  private static final byte[] STAGE = JsonLineEncoder.field("stage");
  private static final byte[] MACS = JsonLineEncoder.field("macs");
  private static final byte[] PREC = JsonLineEncoder.field("prec");
  private static final byte[] CAUSE = JsonLineEncoder.field("cause");

  /** The header line without its newline: format, versions, engine, seed, blocks, links, config. */
  static byte[] header(TraceWriter.Header h, Netlist net) {
    var bytes = new ByteArrayOutputStream(4096);
    try (JsonGenerator json = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
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
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  /** The footer line without its newline: the status, the number of event lines, the cycles. */
  static byte[] footer(String status, long events, long cycles) {
    var bytes = new ByteArrayOutputStream(96);
    try (JsonGenerator json = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("ev", "end");
      json.writeStringField("status", status);
      json.writeNumberField("events", events);
      json.writeNumberField("cycles", cycles);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** One event line, newline included. */
  static void event(JsonLineEncoder line, TraceRecord r) throws IOException {
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
  }

  /** Renders records one at a time into their lines' text: a binary trace's JSON Lines form. */
  static final class Renderer {
    /** The line's bytes, decoded where they lie. */
    private static final class Bytes extends ByteArrayOutputStream {
      String lineText() {
        return new String(buf, 0, count - 1, java.nio.charset.StandardCharsets.UTF_8);
      }
    }

    private final Bytes bytes = new Bytes();
    private final JsonLineEncoder line = new JsonLineEncoder(bytes);

    /** The record's line as the JSON Lines writer writes it, without its newline. */
    String line(TraceRecord r) {
      try {
        event(line, r);
        line.drain();
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a byte array does not fail
      }
      String text = bytes.lineText();
      bytes.reset();
      return text;
    }
  }
}
