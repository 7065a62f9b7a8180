package dev.attnsim.sim.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attnsim.actors.kernel.TraceRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a trace (format {@code attnsim-trace}, version 1; see traces/README.md) one event at a
 * time, so that traces of any length are read in bounded memory.
 *
 * <p>{@link #open} reads and checks the header. {@link #next()} returns the events in file order
 * and null after the footer. Unknown fields on any line are ignored (newer writers may add them);
 * an unknown {@code format}, a {@code version} other than 1, a malformed line, a line after the
 * footer or an event that breaks the format's invariants is a {@link TraceError}: time going
 * backwards, a span ending before it starts, an unknown block or link, a send or receive whose
 * {@code seq} is not the next on its link (a duplicated, missing or out-of-order line), a receive
 * of a tile not yet sent, more credits back on a link than tiles received on it, a busy span of a
 * block overlapping its previous one, a stall span of a block's port overlapping its previous
 * one. A trace without a
 * footer (cut short) is not an error while reading: {@link #next()} returns null and
 * {@link #incomplete()} says what is missing, so that callers can still use the events read.
 */
public final class TraceReader implements AutoCloseable {

  private static final JsonFactory JSON = new JsonFactory();
  /** Port, op and kind names are few; past this many, something else is in these fields. */
  private static final int MAX_INTERNED = 4096;
  private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

  private final TraceLines lines;
  /** A binary trace's records, read here without their JSON Lines form; else null. */
  private final BinaryTraceDecoder binary;
  private final TraceHeader header;
  private final Map<String, Integer> blockIndex;
  private final Map<String, String> strings = new HashMap<>();
  private final boolean[] knownLinks;
  /** Per link: the last seq sent and received (-1 before the first), credits returned. */
  private final long[] lastSent;
  private final long[] lastReceived;
  private final long[] creditsBack;
  /** Per block: where its last busy span ended. */
  private final long[] busyEnd;
  /** Per "block index/port": where its last stall span ended (lookups only). */
  private final List<Map<String, Integer>> outLinks; // per block: output port -> link id
  private final long[] stallEnd; // per link: end of its output port's last stall span
  private final Fields f = new Fields();
  private String lookahead;
  /** The header's, the last event's and the footer's JSON text (a binary event's on demand). */
  private final String headerLine;
  private String eventLine;
  private TraceRecord eventRecord;
  private TraceJson.Renderer renderer;
  private String footerLine;
  private long lastTime;
  private long events;
  private TraceFooter footer;
  private TraceError incomplete;
  private boolean done;

  private TraceReader(TraceLines lines) {
    this.lines = lines;
    this.binary = lines.decoder();
    String first = binary != null ? binary.header() : lines.next();
    this.headerLine = first;
    if (first == null) {
      throw new TraceError(lines.file(), 0, lines.cutShort()
          ? "gzip stream ends before the header (file cut short)" : "empty file, no header");
    }
    this.header = parseHeader(first);
    this.blockIndex = header.blockIndex();
    this.knownLinks = new boolean[header.linkCount()];
    for (var l : header.links()) {
      knownLinks[l.id()] = true;
    }
    this.lastSent = new long[knownLinks.length];
    this.lastReceived = new long[knownLinks.length];
    this.creditsBack = new long[knownLinks.length];
    java.util.Arrays.fill(lastSent, -1);
    java.util.Arrays.fill(lastReceived, -1);
    this.busyEnd = new long[header.blocks().size()];
    this.stallEnd = new long[knownLinks.length];
    var blockIndex = new HashMap<String, Integer>(); // lookups only
    this.outLinks = new ArrayList<>();
    for (int b = 0; b < header.blocks().size(); b++) {
      blockIndex.put(header.blocks().get(b), b);
      outLinks.add(new HashMap<>()); // lookups only
    }
    for (var l : header.links()) {
      Integer from = blockIndex.get(l.fromBlock());
      if (from != null) {
        outLinks.get(from).put(l.fromPort(), l.id());
      }
    }
    this.lookahead = binary != null ? null : lines.next();
  }

  /** Opens a trace and reads its header. */
  public static TraceReader open(Path file) {
    TraceLines lines = TraceLines.open(file);
    try {
      return new TraceReader(lines);
    } catch (RuntimeException e) {
      lines.close();
      throw e;
    }
  }

  /** Reads only the header of a trace. */
  public static TraceHeader readHeader(Path file) {
    try (TraceReader r = open(file)) {
      return r.header();
    }
  }

  public TraceHeader header() {
    return header;
  }

  public Path file() {
    return lines.file();
  }

  /** Event lines read so far. */
  public long events() {
    return events;
  }

  /** The footer, once {@link #next()} has returned null on a complete trace; else null. */
  public TraceFooter footer() {
    return footer;
  }

  /**
   * After {@link #next()} has returned null: null for a complete trace, else the error that says
   * what is missing (no footer, a cut last line, a cut gzip stream). The events read are valid.
   */
  public TraceError incomplete() {
    return incomplete;
  }

  /** The next event, or null after the footer or at the end of an incomplete trace. */
  public TraceEvent next() {
    if (done) {
      return null;
    }
    if (binary != null) {
      return nextOfBinary();
    }
    while (true) {
      String line = lookahead;
      if (line == null) {
        done = true;
        incomplete = new TraceError(file(), lines.lineNumber() + 1, lines.cutShort()
            ? "incomplete trace: the gzip stream stops after " + events + " events (file cut "
                + "short)"
            : "incomplete trace: no footer after " + events + " events (the run was cut short)");
        return null;
      }
      long lineNo = lines.lineNumber();
      lookahead = lines.next();
      if (line.isBlank()) {
        if (lookahead == null) {
          continue; // a trailing blank line: the end check above decides
        }
        throw new TraceError(file(), lineNo, "empty line");
      }
      TraceEvent e;
      try {
        e = parseEvent(line, lineNo);
        eventLine = line;
      } catch (TraceError err) {
        if (lookahead == null && !line.endsWith("}")) {
          done = true;
          incomplete = new TraceError(file(), lineNo, "incomplete trace: the last line is cut "
              + "short after " + events + " events");
          return null;
        }
        throw err;
      }
      if (e == null) { // the footer
        done = true;
        footerLine = line;
        if (lookahead != null && !(lines.next() == null && lookahead.isBlank())) {
          throw new TraceError(file(), lineNo + 1, "line after the footer");
        }
        if (footer.events() != events) {
          throw new TraceError(file(), lineNo, "footer counts " + footer.events()
              + " events but the trace has " + events);
        }
        if (lines.cutShort()) {
          incomplete = new TraceError(file(), lineNo, "gzip stream cut short after the footer");
        }
        return null;
      }
      events++;
      return e;
    }
  }

  /**
   * A binary trace's next event: its record's fields checked as a line's are. Line numbers are
   * those of the trace's JSON Lines form, messages name the event and its byte offset.
   */
  private TraceEvent nextOfBinary() {
    TraceRecord r = binary.next();
    long lineNo = events + 2;
    if (r == null) {
      done = true;
      footerLine = binary.footer();
      if (footerLine == null) {
        String where = "byte " + binary.offset();
        incomplete = binary.gzipCut()
            ? new TraceError(file(), lineNo, where, "incomplete trace: the gzip stream stops "
                + "after " + events + " events (file cut short)")
            : binary.cut() != null
            ? new TraceError(file(), lineNo, where, "incomplete trace: " + binary.cut()
                + " (cut short after " + events + " events)")
            : new TraceError(file(), lineNo, where, "incomplete trace: no footer after " + events
                + " events (the run was cut short)");
        return null;
      }
      if (parseEvent(footerLine, lineNo) != null) {
        throw error(lineNo, "the footer's \"ev\" is not \"end\"");
      }
      String footerWhere = binary.where();
      if (binary.moreAfterFooter()) {
        throw error(lineNo + 1, "a record after the footer");
      }
      if (footer.events() != events) {
        throw new TraceError(file(), lineNo, footerWhere, "footer counts " + footer.events()
            + " events but the trace has " + events);
      }
      if (binary.gzipCut()) {
        incomplete = new TraceError(file(), lineNo, footerWhere, "gzip stream cut short after "
            + "the footer");
      }
      return null;
    }
    eventRecord = r;
    eventLine = null;
    fieldsOf(r);
    TraceEvent e = event(lineNo);
    events++;
    return e;
  }

  /** A binary record's fields, as a line with them would give. */
  private void fieldsOf(TraceRecord r) {
    f.reset();
    f.t = r.time();
    f.seen = T;
    if (r instanceof TraceRecord.Send s) {
      f.ev = "send";
      f.link = s.link();
      f.seq = s.seq();
      f.from = s.from();
      f.to = s.to();
      f.tile = s.tile();
      f.kind = s.kind();
      f.bytes = s.bytes();
      f.arrive = s.arrive();
      f.seen |= LINK | SEQ | TILE | BYTES | ARRIVE;
      if (s.attributes() != null) {
        Long addr = s.attributes().get("addr");
        Long write = s.attributes().get("write");
        if (addr != null) {
          f.addr = addr;
          f.seen |= ADDR;
        }
        if (write != null) {
          f.write = write;
          f.seen |= WRITE;
        }
      }
    } else if (r instanceof TraceRecord.Receive v) {
      f.ev = "recv";
      f.link = v.link();
      f.seq = v.seq();
      f.block = v.block();
      f.port = v.port();
      f.tile = v.tile();
      f.bytes = v.bytes();
      f.seen |= LINK | SEQ | TILE | BYTES;
    } else if (r instanceof TraceRecord.Credit c) {
      f.ev = "credit";
      f.link = c.link();
      f.block = c.block();
      f.port = c.port();
      f.credits = c.credits();
      f.seen |= LINK | CREDITS;
    } else if (r instanceof TraceRecord.Busy b) {
      f.ev = "busy";
      f.block = b.block();
      f.start = b.start();
      f.end = b.end();
      f.op = b.op();
      f.stage = b.stage();
      f.macs = b.macs();
      f.prec = b.precision();
      f.seen |= START | END | MACS;
    } else if (r instanceof TraceRecord.Stall st) {
      f.ev = "stall";
      f.block = st.block();
      f.port = st.port();
      f.start = st.start();
      f.end = st.end();
      f.cause = st.cause();
      f.seen |= START | END;
    }
  }

  /** The header's JSON text: the trace's first line in its JSON Lines form. */
  public String headerLine() {
    return headerLine;
  }

  /**
   * The JSON text of the event {@link #next()} returned last: its line, or for a binary trace
   * the line the JSON Lines writer writes for it.
   */
  public String eventLine() {
    if (eventLine == null && eventRecord != null) {
      if (renderer == null) {
        renderer = new TraceJson.Renderer();
      }
      eventLine = renderer.line(eventRecord);
    }
    return eventLine;
  }

  /** The footer's JSON text, once read; else null. */
  public String footerLine() {
    return footerLine;
  }

  /** True for a trace in the binary encoding. */
  public boolean binary() {
    return binary != null;
  }

  @Override
  public void close() {
    lines.close();
  }

  /**
   * A problem at a line (of the JSON Lines form, for a binary trace): a binary trace's message
   * names the event, or the header or footer, and the byte offset instead.
   */
  private TraceError error(long lineNo, String reason) {
    return binary == null ? new TraceError(file(), lineNo, reason)
        : new TraceError(file(), lineNo, binary.where(), reason);
  }

  // ---- header ----

  /** What a trace is, for users who gave something else. */
  static final String WHAT_A_TRACE_IS = "a trace is the trace.jsonl or trace.bin (or either "
      + ".gz) that attnsim run writes in its output directory";

  /** The other files a run writes, and what they are. */
  private static final java.util.Map<String, String> RUN_FILES = java.util.Map.of(
      "summary.json", "the run's summary", "blocks.csv", "the run's block table",
      "config.conf", "the run's resolved config", "accuracy.csv", "the run's accuracy table",
      "latency.png", "the run's latency plot", "latency.svg", "the run's latency plot");

  /**
   * One line for a file that is not a trace at all: what it is where that is known (another of a
   * run's outputs, a JSON document), else {@code detail}, and what a trace is.
   */
  private TraceError notATrace(String line, String detail) {
    String name = file().getFileName() == null ? "" : file().getFileName().toString();
    String what = RUN_FILES.get(name);
    String trimmed = line.strip();
    if (what == null && (trimmed.startsWith("{") || trimmed.startsWith("["))) {
      what = "a JSON document whose first line is no trace header";
    } else if (what == null) {
      what = detail;
    }
    return error(1, "not an attnsim trace: " + what + "; " + WHAT_A_TRACE_IS);
  }

  private TraceHeader parseHeader(String line) {
    JsonNode h;
    try {
      h = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw notATrace(line, "its first line is not JSON");
    }
    if (h == null || !h.isObject()) {
      throw notATrace(line, "its first line is not a JSON object");
    }
    JsonNode format = h.get("format");
    if (format == null || !format.isTextual()) {
      throw notATrace(line, "its first line has no \"format\": \"" + TraceFormat.NAME + "\"");
    }
    if (!format.asText().equals(TraceFormat.NAME)) {
      throw error(1, "unknown trace format \"" + format.asText()
          + "\" (expected \"" + TraceFormat.NAME + "\")");
    }
    JsonNode version = h.get("version");
    if (version == null || !version.isIntegralNumber()) {
      throw error(1, "the header has no integer \"version\"");
    }
    if (version.asLong() != TraceFormat.VERSION) {
      throw error(1, "unsupported trace format version " + version.asText()
          + " (this attnsim reads version " + TraceFormat.VERSION + ")");
    }
    JsonNode blocksNode = h.get("blocks");
    if (blocksNode == null || !blocksNode.isArray() || blocksNode.isEmpty()) {
      throw error(1, "the header has no \"blocks\" list");
    }
    var blocks = new ArrayList<String>();
    for (JsonNode b : blocksNode) {
      if (!b.isTextual()) {
        throw error(1, "header \"blocks\" must be strings");
      }
      if (blocks.contains(b.asText())) {
        throw error(1, "header names block " + b.asText() + " twice");
      }
      blocks.add(b.asText());
    }
    var links = new ArrayList<TraceHeader.LinkInfo>();
    JsonNode linksNode = h.get("links");
    if (linksNode != null && linksNode.isArray()) {
      for (JsonNode l : linksNode) {
        links.add(parseLink(l, blocks));
      }
    }
    JsonNode config = h.get("config");
    if (config == null || !config.isObject()) {
      throw error(1, "the header has no \"config\" object");
    }
    JsonNode clock = config.get("clock-ghz");
    double clockGhz = clock != null && clock.isNumber() && clock.asDouble() > 0
        ? clock.asDouble() : 1.0;
    JsonNode name = config.get("name");
    return new TraceHeader(version.asInt(), text(h, "attnsim"), text(h, "engine"),
        h.path("parallelism").asInt(0), h.path("seed").asLong(0), text(h, "mode"), blocks, links,
        config.toString(), name != null ? name.asText() : "", clockGhz);
  }

  private TraceHeader.LinkInfo parseLink(JsonNode l, List<String> blocks) {
    String from = l.path("from").asText("");
    String to = l.path("to").asText("");
    int fromDot = from.indexOf('.');
    int toDot = to.indexOf('.');
    if (!l.path("id").isIntegralNumber() || l.path("id").asInt() < 0 || fromDot <= 0
        || toDot <= 0) {
      throw error(1, "header link " + l + " needs an id and from/to "
          + "\"block.port\"");
    }
    String fromBlock = from.substring(0, fromDot);
    String toBlock = to.substring(0, toDot);
    if (!blocks.contains(fromBlock) || !blocks.contains(toBlock)) {
      throw error(1, "header link " + l.path("id").asInt()
          + " names a block not in \"blocks\"");
    }
    JsonNode depth = l.get("depth");
    return new TraceHeader.LinkInfo(l.path("id").asInt(), fromBlock, from.substring(fromDot + 1),
        toBlock, to.substring(toDot + 1), l.path("latency").asLong(0),
        depth != null && depth.isIntegralNumber() ? depth.asInt() : 0,
        l.path("credit_latency").asLong(0));
  }

  private static String text(JsonNode h, String field) {
    JsonNode n = h.get(field);
    return n != null && !n.isNull() ? n.asText() : "";
  }

  // ---- events ----

  /** The fields an event line may have; reset per line. */
  private static final class Fields {
    long t;
    String ev;
    long link;
    long seq;
    String from;
    String to;
    String block;
    String port;
    long tile;
    String kind;
    long bytes;
    long arrive;
    long credits;
    long start;
    long end;
    String op;
    String stage;
    long macs;
    String prec;
    String cause;
    String status;
    long events;
    long cycles;
    long addr;
    long write;
    int seen; // bit per numeric field present, see bit()

    void reset() {
      ev = from = to = block = port = kind = op = stage = prec = cause = status = null;
      t = link = seq = tile = bytes = arrive = credits = start = end = macs = events = cycles = 0;
      addr = -1;
      write = 0;
      seen = 0;
    }
  }

  private static final int T = 1;
  private static final int LINK = 1 << 1;
  private static final int SEQ = 1 << 2;
  private static final int TILE = 1 << 3;
  private static final int BYTES = 1 << 4;
  private static final int ARRIVE = 1 << 5;
  private static final int CREDITS = 1 << 6;
  private static final int START = 1 << 7;
  private static final int END = 1 << 8;
  private static final int MACS = 1 << 9;
  private static final int EVENTS = 1 << 10;
  private static final int CYCLES = 1 << 11;
  private static final int ADDR = 1 << 12;
  private static final int WRITE = 1 << 13;

  /** Parses one event line; null for the footer (then {@link #footer} is set). */
  private TraceEvent parseEvent(String line, long lineNo) {
    readFields(line, lineNo);
    return event(lineNo);
  }

  /** The event the fields read make, checked; null for the footer. */
  private TraceEvent event(long lineNo) {
    if (f.ev == null) {
      throw error(lineNo, "no \"ev\" field");
    }
    if (f.ev.equals("end")) {
      need(CYCLES | EVENTS, lineNo);
      needText(f.status, "status", lineNo);
      footer = new TraceFooter(f.status, f.events, f.cycles);
      return null;
    }
    need(T, lineNo);
    if (f.t < 0) {
      throw error(lineNo, "negative time t=" + f.t);
    }
    if (f.t < lastTime) {
      throw error(lineNo, "time goes backwards: t=" + f.t + " after t="
          + lastTime);
    }
    lastTime = f.t;
    switch (f.ev) {
      case "send": {
        need(LINK | SEQ | TILE | BYTES | ARRIVE, lineNo);
        int link = link(lineNo);
        checkSeq("send", link, lastSent, lineNo);
        return new TraceEvent.Send(f.t, link, f.seq, block(f.from, "from", lineNo),
            block(f.to, "to", lineNo), f.tile, intern(needText(f.kind, "kind", lineNo)), f.bytes,
            f.arrive, f.addr, f.write != 0);
      }
      case "recv": {
        need(LINK | SEQ | TILE | BYTES, lineNo);
        int link = link(lineNo);
        checkSeq("recv", link, lastReceived, lineNo);
        if (f.seq > lastSent[link]) {
          throw error(lineNo, "recv of seq " + f.seq + " on link " + link
              + " before its send (a duplicated, missing or out-of-order line)");
        }
        return new TraceEvent.Recv(f.t, link, f.seq, block(f.block, "block", lineNo),
            intern(needText(f.port, "port", lineNo)), f.tile, f.bytes);
      }
      case "credit": {
        need(LINK | CREDITS, lineNo);
        int link = link(lineNo);
        if (++creditsBack[link] > lastReceived[link] + 1) {
          throw error(lineNo, "credit number " + creditsBack[link] + " on link "
              + link + " after " + (lastReceived[link] + 1) + " tiles received on it (a "
              + "duplicated, missing or out-of-order line)");
        }
        return new TraceEvent.Credit(f.t, link, block(f.block, "block", lineNo),
            intern(needText(f.port, "port", lineNo)), (int) f.credits);
      }
      case "busy": {
        need(START | END, lineNo);
        checkSpan(lineNo);
        int b = block(f.block, "block", lineNo);
        if (f.start < busyEnd[b]) {
          throw error(lineNo, "busy span [" + f.start + ", " + f.end + ") of "
              + f.block + " overlaps its previous one, which ends at " + busyEnd[b]
              + " (a duplicated or out-of-order line)");
        }
        busyEnd[b] = f.end;
        return new TraceEvent.Busy(f.t, b, f.start, f.end,
            intern(needText(f.op, "op", lineNo)), intern(f.stage), f.macs, intern(f.prec));
      }
      case "stall": {
        need(START | END, lineNo);
        checkSpan(lineNo);
        int b = block(f.block, "block", lineNo);
        String port = intern(needText(f.port, "port", lineNo));
        Integer link = outLinks.get(b).get(port);
        if (link == null) {
          throw error(lineNo, "stall of " + f.block + "." + port + ": the "
              + "header has no link leaving that port");
        }
        if (f.start < stallEnd[link]) {
          throw error(lineNo, "stall span [" + f.start + ", " + f.end + ") of "
              + f.block + "." + port + " overlaps its previous one, which ends at "
              + stallEnd[link] + " (a duplicated or out-of-order line)");
        }
        stallEnd[link] = f.end;
        return new TraceEvent.Stall(f.t, b, port, f.start, f.end,
            intern(needText(f.cause, "cause", lineNo)));
      }
      default:
        return new TraceEvent.Other(f.t, intern(f.ev));
    }
  }

  private void readFields(String line, long lineNo) {
    f.reset();
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw error(lineNo, "not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "t" -> f.t = num(p, v, name, T, lineNo);
          case "ev" -> f.ev = str(p, v, name, lineNo);
          case "link" -> f.link = num(p, v, name, LINK, lineNo);
          case "seq" -> f.seq = num(p, v, name, SEQ, lineNo);
          case "from" -> f.from = str(p, v, name, lineNo);
          case "to" -> f.to = str(p, v, name, lineNo);
          case "block" -> f.block = str(p, v, name, lineNo);
          case "port" -> f.port = str(p, v, name, lineNo);
          case "tile" -> f.tile = num(p, v, name, TILE, lineNo);
          case "kind" -> f.kind = str(p, v, name, lineNo);
          case "bytes" -> f.bytes = num(p, v, name, BYTES, lineNo);
          case "arrive" -> f.arrive = num(p, v, name, ARRIVE, lineNo);
          case "addr" -> f.addr = num(p, v, name, ADDR, lineNo);
          case "write" -> f.write = num(p, v, name, WRITE, lineNo);
          case "credits" -> f.credits = num(p, v, name, CREDITS, lineNo);
          case "start" -> f.start = num(p, v, name, START, lineNo);
          case "end" -> f.end = num(p, v, name, END, lineNo);
          case "op" -> f.op = str(p, v, name, lineNo);
          case "stage" -> f.stage = v == JsonToken.VALUE_NULL ? null : str(p, v, name, lineNo);
          case "macs" -> f.macs = num(p, v, name, MACS, lineNo);
          case "prec" -> f.prec = str(p, v, name, lineNo);
          case "cause" -> f.cause = str(p, v, name, lineNo);
          case "status" -> f.status = str(p, v, name, lineNo);
          case "events" -> f.events = num(p, v, name, EVENTS, lineNo);
          case "cycles" -> f.cycles = num(p, v, name, CYCLES, lineNo);
          default -> p.skipChildren(); // a field of a newer writer
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw error(lineNo, "malformed JSON object");
      }
      if (p.nextToken() != null) {
        throw error(lineNo, "more than one JSON value on the line");
      }
    } catch (JsonProcessingException e) {
      throw error(lineNo, "malformed JSON: "
          + TraceError.oneLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw error(lineNo, "cannot parse: " + e.getMessage());
    }
  }

  private long num(JsonParser p, JsonToken v, String name, int bit, long lineNo)
      throws IOException {
    if (v != JsonToken.VALUE_NUMBER_INT) {
      throw error(lineNo, "field \"" + name + "\" must be an integer");
    }
    f.seen |= bit;
    return p.getLongValue();
  }

  private String str(JsonParser p, JsonToken v, String name, long lineNo) throws IOException {
    if (v != JsonToken.VALUE_STRING) {
      throw error(lineNo, "field \"" + name + "\" must be a string");
    }
    return p.getText();
  }

  private static final String[] NAMES = {"t", "link", "seq", "tile", "bytes", "arrive",
      "credits", "start", "end", "macs", "events", "cycles"};

  private void need(int bits, long lineNo) {
    int missing = bits & ~f.seen;
    if (missing != 0) {
      String name = NAMES[Integer.numberOfTrailingZeros(missing)];
      throw error(lineNo, "\"" + f.ev + "\" line without \"" + name + "\"");
    }
  }

  private String needText(String value, String name, long lineNo) {
    if (value == null) {
      throw error(lineNo, "\"" + f.ev + "\" line without \"" + name + "\"");
    }
    return value;
  }

  private void checkSpan(long lineNo) {
    if (f.start < 0) {
      throw error(lineNo, "span starts at negative cycle " + f.start);
    }
    if (f.end < f.start) {
      throw error(lineNo, "span ends at " + f.end + ", before its start "
          + f.start);
    }
  }

  private int block(String name, String field, long lineNo) {
    needText(name, field, lineNo);
    Integer i = blockIndex.get(name);
    if (i == null) {
      throw error(lineNo, "unknown block \"" + name + "\" (not in the header)");
    }
    return i;
  }

  private int link(long lineNo) {
    if (f.link < 0 || f.link >= knownLinks.length || !knownLinks[(int) f.link]) {
      throw error(lineNo, "unknown link " + f.link + " (not in the header)");
    }
    return (int) f.link;
  }

  /** A send's or receive's seq must be the next on its link: 0, 1, 2, ... */
  private void checkSeq(String ev, int link, long[] last, long lineNo) {
    long expected = last[link] + 1;
    if (f.seq != expected) {
      throw error(lineNo, ev + " of seq " + f.seq + " on link " + link
          + " where seq " + expected + " comes next (a duplicated, missing or out-of-order "
          + "line)");
    }
    last[link] = f.seq;
  }

  /** One instance per distinct port, op or kind name, so events hold no duplicate strings. */
  private String intern(String s) {
    if (s == null) {
      return null;
    }
    if (strings.size() >= MAX_INTERNED) {
      return s;
    }
    String known = strings.putIfAbsent(s, s);
    return known != null ? known : s;
  }
}
