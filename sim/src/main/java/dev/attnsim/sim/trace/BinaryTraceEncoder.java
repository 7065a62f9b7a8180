package dev.attnsim.sim.trace;

import dev.attnsim.actors.kernel.TraceRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a trace in the binary encoding ({@link BinaryTrace}) straight into a byte buffer: a few
 * varints and string ids per event, no objects, so that the trace writer's thread keeps up with
 * runs of sub-microsecond events (issue 13: JSON at 130 bytes per event could not).
 */
final class BinaryTraceEncoder extends ByteBuffered implements TraceEncoder {

  /** The previous event's time: events store theirs as the difference. */
  private long lastTime;
  private final Map<String, Integer> ids = new HashMap<>(); // looked up, never iterated

  BinaryTraceEncoder(OutputStream out) {
    super(out);
    System.arraycopy(BinaryTrace.MAGIC, 0, buf, 0, BinaryTrace.MAGIC.length);
    pos = BinaryTrace.MAGIC.length;
    buf[pos++] = BinaryTrace.ENCODING_VERSION;
  }

  @Override
  public void header(byte[] json) throws IOException {
    text(BinaryTrace.HEADER, json);
  }

  @Override
  public void footer(byte[] json) throws IOException {
    text(BinaryTrace.FOOTER, json);
  }

  @Override
  public void event(TraceRecord r) throws IOException {
    // the fixed fields of the longest record (a send: tag and 8 varints) fit in 96 bytes
    room(96);
    long t = r.time();
    if (r instanceof TraceRecord.Send s) {
      buf[pos++] = BinaryTrace.SEND;
      signed(t - lastTime);
      signed(s.link());
      signed(s.seq());
      string(s.from(), "from");
      string(s.to(), "to");
      room(32);
      signed(s.tile());
      string(s.kind(), "kind");
      room(32);
      signed(s.bytes());
      signed(s.arrive() - t);
      var attributes = s.attributes();
      if (attributes == null || attributes.isEmpty()) {
        buf[pos++] = 0;
      } else {
        if (attributes.size() > BinaryTrace.MAX_ATTRIBUTES) {
          throw new IllegalArgumentException("a send record with " + attributes.size()
              + " attributes; the binary encoding takes at most " + BinaryTrace.MAX_ATTRIBUTES);
        }
        unsigned(attributes.size());
        for (var a : attributes.entrySet()) {
          string(a.getKey(), "an attribute's name");
          room(10);
          signed(a.getValue());
        }
      }
    } else if (r instanceof TraceRecord.Receive v) {
      buf[pos++] = BinaryTrace.RECV;
      signed(t - lastTime);
      signed(v.link());
      signed(v.seq());
      string(v.block(), "block");
      string(v.port(), "port");
      room(20);
      signed(v.tile());
      signed(v.bytes());
    } else if (r instanceof TraceRecord.Credit c) {
      buf[pos++] = BinaryTrace.CREDIT;
      signed(t - lastTime);
      signed(c.link());
      string(c.block(), "block");
      string(c.port(), "port");
      room(10);
      signed(c.credits());
    } else if (r instanceof TraceRecord.Busy b) {
      buf[pos++] = BinaryTrace.BUSY;
      signed(t - lastTime);
      string(b.block(), "block");
      room(20);
      signed(b.start() - t); // 0 for most spans: they are written when they begin
      signed(b.end() - b.start());
      string(b.op(), "op");
      optionalString(b.stage());
      room(10);
      signed(b.macs());
      optionalString(b.precision());
    } else if (r instanceof TraceRecord.Stall s) {
      buf[pos++] = BinaryTrace.STALL;
      signed(t - lastTime);
      string(s.block(), "block");
      string(s.port(), "port");
      room(20);
      signed(s.end() - t); // 0 for every span: they are written when they end
      signed(s.end() - s.start());
      string(s.cause(), "cause");
    } else {
      throw new IllegalArgumentException("unknown trace record " + r);
    }
    lastTime = t;
  }

  /** A tag, the length of {@code bytes} and the bytes. */
  private void text(int tag, byte[] bytes) throws IOException {
    if (bytes.length > BinaryTrace.MAX_TEXT_BYTES) {
      throw new IllegalArgumentException("a trace " + BinaryTrace.tagName(tag) + " of "
          + bytes.length + " bytes; the binary encoding takes at most "
          + BinaryTrace.MAX_TEXT_BYTES);
    }
    room(11);
    buf[pos++] = (byte) tag;
    unsigned(bytes.length);
    bytes(bytes);
  }

  /** A required string: by its id, else defined (or, past the table's limits, written once). */
  private void string(String s, String field) throws IOException {
    if (s == null) {
      throw new IllegalArgumentException("a trace record without " + field);
    }
    Integer id = ids.get(s);
    if (id != null) {
      room(5);
      unsigned(id + (long) BinaryTrace.STRING_ID);
      return;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > BinaryTrace.MAX_TEXT_BYTES) {
      throw new IllegalArgumentException("a trace string of " + utf8.length + " bytes; the "
          + "binary encoding takes at most " + BinaryTrace.MAX_TEXT_BYTES);
    }
    room(10);
    if (ids.size() < BinaryTrace.MAX_TABLE_STRINGS
        && utf8.length <= BinaryTrace.MAX_TABLE_STRING_BYTES) {
      ids.put(s, ids.size());
      buf[pos++] = BinaryTrace.STRING_DEFINE;
    } else {
      buf[pos++] = BinaryTrace.STRING_LITERAL;
    }
    unsigned(utf8.length);
    bytes(utf8);
  }

  private void optionalString(String s) throws IOException {
    if (s == null) {
      room(1);
      buf[pos++] = BinaryTrace.STRING_ABSENT;
    } else {
      string(s, "");
    }
  }

  /** Zigzag: small magnitudes of either sign in few bytes. Room was made (10 bytes). */
  private void signed(long v) {
    unsigned((v << 1) ^ (v >> 63));
  }

  /** LEB128: 7 bits a byte, low first, the high bit saying more follow. Room was made. */
  private void unsigned(long v) {
    while ((v & ~0x7fL) != 0) {
      buf[pos++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }


}
