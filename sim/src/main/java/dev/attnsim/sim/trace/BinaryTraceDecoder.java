package dev.attnsim.sim.trace;

import dev.attnsim.actors.kernel.TraceRecord;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.ZipException;

/**
 * Reads a trace in the binary encoding ({@link BinaryTrace}) record by record: the header's JSON
 * text when opened, then the events as the {@link TraceRecord}s the writer was given, then the
 * footer's JSON text. Checks what only the encoding can get wrong (magic, version, tags, varints,
 * string ids, lengths, UTF-8) and throws a {@link TraceError} naming the event and the byte
 * offset; the trace's own rules (blocks, links, order) are {@link TraceReader}'s. A file that
 * ends inside a record, or a gzip stream that stops, is no error: the events before are valid,
 * and {@link #cut()} says where it stopped. Memory stays bounded: the string table has at most
 * {@link BinaryTrace#MAX_TABLE_STRINGS} short strings.
 */
final class BinaryTraceDecoder implements AutoCloseable {

  /** The file ended inside a record: thrown inside a record's decoding, caught by {@link #next}. */
  private static final class Cut extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Cut() {
      super(null, null, false, false);
    }
  }

  private static final Cut CUT = new Cut();
  /** {@link #recordTag} while looking past the footer. */
  private static final int AFTER_FOOTER = -1;

  private final Path file;
  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  /** Bytes before {@code buf[0]} in the (uncompressed) stream. */
  private long bufStart;
  private boolean eof;
  private boolean gzipCut;

  private final String header;
  private final List<String> table = new ArrayList<>();
  private long lastTime;
  private long events;
  /** Offset and tag of the record last read, for messages. */
  private long recordStart;
  private int recordTag = BinaryTrace.HEADER;
  private String footer;
  /** Where the file ended inside a record, or null. */
  private String cut;

  /**
   * Opens the stream (positioned at the magic bytes) and reads the header.
   *
   * @throws TraceError for a wrong magic or version, or a missing or cut header
   */
  BinaryTraceDecoder(Path file, InputStream in) {
    this.file = file;
    this.in = in;
    try {
      byte[] magic = new byte[BinaryTrace.MAGIC.length];
      for (int i = 0; i < magic.length; i++) {
        magic[i] = (byte) u8();
      }
      if (!Arrays.equals(magic, BinaryTrace.MAGIC)) {
        throw new TraceError(file, 0, "byte 0", "not an attnsim trace: the first byte says "
            + "binary trace, but the magic bytes are " + hex(magic) + ", not "
            + hex(BinaryTrace.MAGIC) + "; " + TraceReader.WHAT_A_TRACE_IS);
      }
      int version = u8();
      if (version != BinaryTrace.ENCODING_VERSION) {
        throw new TraceError(file, 0, "byte 8", "unsupported binary trace encoding version "
            + version + " (this attnsim reads version " + BinaryTrace.ENCODING_VERSION + ")");
      }
      recordStart = offset();
      int tag = u8();
      if (tag != BinaryTrace.HEADER) {
        throw new TraceError(file, 1, "byte " + recordStart, "no header: the first record's "
            + "tag is " + BinaryTrace.tagName(tag) + ", not the header's 'H'");
      }
      header = text("header");
    } catch (Cut c) {
      String reason = gzipCut ? "the gzip stream stops" : "the file ends";
      throw new TraceError(file, 1, "byte " + offset(), "incomplete trace: " + reason
          + " before the header is complete (file cut short)");
    }
  }

  /** The header line's JSON text. */
  String header() {
    return header;
  }

  /** The footer line's JSON text, once {@link #next} has returned null at it; else null. */
  String footer() {
    return footer;
  }

  /** Event records read. */
  long events() {
    return events;
  }

  /** True when a gzip stream around the trace stopped in the middle (the file was truncated). */
  boolean gzipCut() {
    return gzipCut;
  }

  /** After {@link #next} returned null without a footer: where the last record was cut, or null. */
  String cut() {
    return cut;
  }

  /** Offset of the first byte after what was read. */
  long offset() {
    return bufStart + pos;
  }

  /**
   * Where the record last read is, for messages: {@code event 6, byte 5291}, {@code footer, byte
   * 9000}, {@code header}.
   */
  String where() {
    if (header == null || recordTag == BinaryTrace.HEADER && events == 0) {
      return "header";
    }
    if (recordTag == AFTER_FOOTER) {
      return "byte " + recordStart;
    }
    return (recordTag == BinaryTrace.FOOTER ? "footer" : "event " + events) + ", byte "
        + recordStart;
  }

  /**
   * The next event, or null at the footer ({@link #footer} is then set) or at the end of the
   * file (cut short: {@link #cut} says where, unless the file ended between records).
   */
  TraceRecord next() {
    if (footer != null || eof) {
      return null;
    }
    recordStart = offset();
    int tag;
    try {
      if (!more()) {
        return null;
      }
      tag = u8();
    } catch (Cut c) {
      return null; // a gzip stream that stopped between records
    }
    recordTag = tag;
    try {
      if (tag == BinaryTrace.FOOTER) {
        footer = text("footer");
        return null;
      }
      events++;
      TraceRecord r = event(tag);
      lastTime = r.time();
      return r;
    } catch (Cut c) {
      cut = "the file ends inside " + (tag == BinaryTrace.FOOTER ? "the footer" : "event "
          + events) + ", which starts at byte " + recordStart;
      if (tag != BinaryTrace.FOOTER) {
        events--; // not a valid event
      }
      return null;
    }
  }

  /** True if anything follows the footer (checked once the footer is read). */
  boolean moreAfterFooter() {
    recordStart = offset();
    recordTag = AFTER_FOOTER;
    try {
      return more();
    } catch (Cut c) {
      return false;
    }
  }

  private TraceRecord event(int tag) {
    if (tag < BinaryTrace.SEND || tag > BinaryTrace.STALL) {
      throw error(tag == BinaryTrace.HEADER ? "a second header"
          : "unknown record tag " + BinaryTrace.tagName(tag));
    }
    long t = lastTime + signed();
    switch (tag) {
      case BinaryTrace.SEND: {
        int link = intValue(signed(), "link");
        long seq = signed();
        String from = string("from");
        String to = string("to");
        long tile = signed();
        String kind = string("kind");
        long bytes = signed();
        long arrive = t + signed();
        return new TraceRecord.Send(t, link, seq, from, to, tile, kind, bytes, arrive,
            attributes());
      }
      case BinaryTrace.RECV:
        return new TraceRecord.Receive(t, intValue(signed(), "link"), signed(), string("block"),
            string("port"), signed(), signed());
      case BinaryTrace.CREDIT:
        return new TraceRecord.Credit(t, intValue(signed(), "link"), string("block"),
            string("port"), intValue(signed(), "credits"));
      case BinaryTrace.BUSY: {
        String block = string("block");
        long start = t + signed();
        long end = start + signed();
        return new TraceRecord.Busy(t, block, start, end, string("op"), optionalString(),
            signed(), optionalString());
      }
      case BinaryTrace.STALL: {
        String block = string("block");
        String port = string("port");
        long end = t + signed();
        long start = end - signed();
        return new TraceRecord.Stall(t, block, port, start, end, string("cause"));
      }
      default:
        throw new IllegalStateException("tag " + tag); // checked above
    }
  }

  /**
   * A send's attributes, in the order written: a sorted map ordered as they came, so that the
   * JSON Lines form lists them as the writer did.
   */
  private SortedMap<String, Long> attributes() {
    long n = unsigned();
    if (n == 0) {
      return null;
    }
    if (n > BinaryTrace.MAX_ATTRIBUTES) {
      throw error("a send with " + n + " attributes (at most " + BinaryTrace.MAX_ATTRIBUTES
          + ")");
    }
    String[] keys = new String[(int) n];
    long[] values = new long[(int) n];
    boolean ascending = true;
    for (int i = 0; i < n; i++) {
      keys[i] = string("an attribute's name");
      values[i] = signed();
      if (i > 0) {
        int c = keys[i - 1].compareTo(keys[i]);
        if (c == 0) {
          throw error("a send with attribute \"" + keys[i] + "\" twice");
        }
        ascending &= c < 0;
      }
    }
    var order = Arrays.asList(keys);
    SortedMap<String, Long> map = ascending ? new TreeMap<>()
        : new TreeMap<>(Comparator.comparingInt(order::indexOf)); // a writer's own order
    for (int i = 0; i < n; i++) {
      map.put(keys[i], values[i]);
    }
    return map;
  }

  private int intValue(long v, String field) {
    if (v != (int) v) {
      throw error("\"" + field + "\" " + v + " is out of range");
    }
    return (int) v;
  }

  private String string(String field) {
    String s = optionalString();
    if (s == null) {
      throw error(BinaryTrace.tagName(recordTag) + " record without \"" + field + "\"");
    }
    return s;
  }

  private String optionalString() {
    long r = unsigned();
    if (r == BinaryTrace.STRING_ABSENT) {
      return null;
    }
    if (r == BinaryTrace.STRING_DEFINE) {
      if (table.size() >= BinaryTrace.MAX_TABLE_STRINGS) {
        throw error("a string defined past the table's " + BinaryTrace.MAX_TABLE_STRINGS
            + " strings");
      }
      String s = utf8(length(BinaryTrace.MAX_TABLE_STRING_BYTES, "a table string"), "a string");
      table.add(s);
      return s;
    }
    if (r == BinaryTrace.STRING_LITERAL) {
      return utf8(length(BinaryTrace.MAX_TEXT_BYTES, "a string"), "a string");
    }
    long id = r - BinaryTrace.STRING_ID;
    if (id >= table.size()) {
      throw error("string id " + id + " is not defined (" + table.size() + " strings are)");
    }
    return table.get((int) id);
  }

  /** A tag's length-prefixed JSON text (header, footer). */
  private String text(String what) {
    return utf8(length(BinaryTrace.MAX_TEXT_BYTES, "the " + what), "the " + what);
  }

  private int length(int max, String what) {
    long n = unsigned();
    if (n > max) {
      throw error(what + " of " + n + " bytes (at most " + max + ")");
    }
    return (int) n;
  }

  /** {@code n} bytes of UTF-8; malformed UTF-8 is an error, not a replacement character. */
  private String utf8(int n, String what) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; ) {
      if (pos == limit) {
        fill();
      }
      int k = Math.min(n - i, limit - pos);
      System.arraycopy(buf, pos, b, i, k);
      pos += k;
      i += k;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw error(what + " is not valid UTF-8");
    }
  }

  private long signed() {
    long z = unsigned();
    return (z >>> 1) ^ -(z & 1);
  }

  /** LEB128, at most 10 bytes for 64 bits. */
  private long unsigned() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos == limit) {
        fill();
      }
      int b = buf[pos++];
      if (shift == 63 && (b & 0xfe) != 0) {
        break; // a 10th byte with more than the 64th bit
      }
      v |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return v;
      }
    }
    throw error("malformed varint (more than 64 bits) at byte " + (offset() - 1));
  }

  private int u8() {
    if (pos == limit) {
      fill();
    }
    return buf[pos++] & 0xff;
  }

  /** True if a byte follows; false at the end of the stream. */
  private boolean more() {
    if (pos < limit) {
      return true;
    }
    if (eof) {
      return false;
    }
    try {
      fill();
      return true;
    } catch (Cut c) {
      return false;
    }
  }

  /** Refills the buffer; at the end of the stream throws {@link #CUT}. */
  private void fill() {
    if (eof) {
      throw CUT;
    }
    try {
      int n = in.read(buf, 0, buf.length);
      bufStart += limit;
      pos = 0;
      limit = 0;
      if (n <= 0) {
        eof = true;
        throw CUT;
      }
      limit = n;
    } catch (EOFException e) {
      // GZIPInputStream: "Unexpected end of ZLIB input stream": the file was truncated
      bufStart += limit;
      pos = 0;
      limit = 0;
      eof = true;
      gzipCut = true;
      throw CUT;
    } catch (ZipException e) {
      throw new TraceError(file, events + 1, "byte " + offset(), "broken gzip stream: "
          + e.getMessage());
    } catch (IOException e) {
      throw new TraceError(file, events + 1, "byte " + offset(), "cannot read: "
          + e.getMessage());
    }
  }

  private TraceError error(String reason) {
    boolean pastEvents = recordTag == BinaryTrace.FOOTER || recordTag == AFTER_FOOTER;
    return new TraceError(file, pastEvents ? events + 2 : events + 1, where(), reason);
  }

  private static String hex(byte[] b) {
    var sb = new StringBuilder();
    for (byte x : b) {
      sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02x", x & 0xff));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      // nothing was written; a failed close of an input loses nothing
    }
  }
}
