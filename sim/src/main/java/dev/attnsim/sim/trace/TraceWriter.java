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
 *
 * <p>Records are encoded and written (and compressed) on a thread of the writer's own, in batches
 * of {@link #BATCH} handed over a queue of {@link #QUEUED_BATCHES}, so that the simulation does not
 * wait for the encoder or the disk (issue 13); the bytes and their order are those of the calls to
 * {@link #accept}. An error of that thread is thrown by the next {@link #accept}, by {@link
 * #writeFooter} or by {@link #close}.
 */
public final class TraceWriter implements TraceSink, AutoCloseable {

  /** What the header says about the run. */
  public record Header(String attnsimVersion, String engine, int parallelism, long seed,
      String mode, String configJson) {}

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

  /** Records per batch handed to the writing thread. */
  static final int BATCH = 4096;
  /** Batches the writing thread may be behind (memory stays bounded). */
  static final int QUEUED_BATCHES = 8;
  private static final TraceRecord[] END_OF_RECORDS = new TraceRecord[0];

  private final java.util.concurrent.BlockingQueue<TraceRecord[]> queue =
      new java.util.concurrent.ArrayBlockingQueue<>(QUEUED_BATCHES);
  private TraceRecord[] batch = new TraceRecord[BATCH];
  private int batched;
  private Thread encoder;
  private volatile RuntimeException encoderFailure;

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

  /** Hands {@code r} to the writing thread (in a batch); numbers it for the footer. */
  @Override
  public void accept(TraceRecord r) {
    rethrow();
    batch[batched++] = r;
    records++;
    if (batched == BATCH) {
      handOver(batch);
      batch = new TraceRecord[BATCH];
      batched = 0;
    }
  }

  private void handOver(TraceRecord[] records) {
    if (encoder == null) {
      encoder = new Thread(this::encodeBatches, "attnsim-trace-writer");
      encoder.setDaemon(true);
      encoder.start();
    }
    try {
      queue.put(records);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing trace " + path, e);
    }
  }

  /** The writing thread: encodes batches until the end marker; after a failure, drops them. */
  private void encodeBatches() {
    try {
      while (true) {
        TraceRecord[] b = queue.take();
        if (b == END_OF_RECORDS) {
          return;
        }
        for (TraceRecord r : b) {
          if (r == null) {
            break; // the last, partly filled batch
          }
          if (encoderFailure == null) {
            try {
              encode(r);
            } catch (RuntimeException e) {
              encoderFailure = e;
            }
          }
        }
      }
    } catch (InterruptedException e) {
      encoderFailure = new IllegalStateException("trace writer interrupted: " + path, e);
    }
  }

  private void rethrow() {
    RuntimeException e = encoderFailure;
    if (e != null) {
      throw e;
    }
  }

  /** Waits until every record handed over is encoded into the stream. */
  private void finishRecords() {
    if (encoder == null && batched == 0) {
      return;
    }
    if (batched > 0) {
      handOver(batch); // the unused tail is null
      batch = new TraceRecord[BATCH];
      batched = 0;
    }
    handOver(END_OF_RECORDS);
    try {
      encoder.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing trace " + path, e);
    }
    encoder = null;
    rethrow();
  }

  private void encode(TraceRecord r) {
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
    } catch (IOException e) {
      throw fail(e);
    }
  }

  /** Writes the footer line: the number of event lines, the status and the cycle count. */
  public void writeFooter(RunResult result) {
    finishRecords();
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
      finishRecords();
      line.drain();
    } catch (IOException e) {
      throw fail(e);
    } finally {
      closeStream();
    }
  }

  private void closeStream() {
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
