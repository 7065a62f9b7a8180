package dev.attnsim.sim.trace;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes flat JSON objects of numbers and strings, one per line, straight into a byte buffer: the
 * trace's event lines, which are most of a trace's bytes. Field names and string values (block,
 * port and operation names: a small set) are quoted once by Jackson's own {@link
 * JsonStringEncoder} and cached as bytes, and numbers are written digit by digit, so a line costs
 * no objects; the bytes are exactly those Jackson's generator writes for the same fields (no
 * spaces, Jackson's escapes, UTF-8), which {@code TraceWriterTest} checks. Issue 13: with
 * Jackson's generator per field, tracing cost the gemm bench 3.8x its untraced time.
 */
final class JsonLineEncoder extends ByteBuffered {
  /** Strings cached at most; beyond, each is quoted when written (the cache is a speed-up only). */
  private static final int CACHE_LIMIT = 4096;

  private final Map<String, byte[]> names = new HashMap<>(); // looked up, never iterated
  private final Map<String, byte[]> values = new HashMap<>();
  /** Slots of {@link #value}'s look-ups, a power of two. */
  private static final int RECENT = 256;
  private final String[] recentKeys = new String[RECENT];
  private final byte[][] recentValues = new byte[RECENT][];

  JsonLineEncoder(OutputStream out) {
    super(out);
  }

  /** Opens a line with its first field, {@code "t"}. */
  void begin(long time) throws IOException {
    room(32);
    buf[pos++] = '{';
    buf[pos++] = '"';
    buf[pos++] = 't';
    buf[pos++] = '"';
    buf[pos++] = ':';
    digits(time);
  }

  void number(String name, long value) throws IOException {
    number(name(name), value);
  }

  /** A number field whose name was quoted once by {@link #field}. */
  void number(byte[] field, long value) throws IOException {
    bytes(field);
    room(20);
    digits(value);
  }

  /** A string field whose name was quoted once by {@link #field}. */
  void string(byte[] field, String value) throws IOException {
    bytes(field);
    bytes(value(value));
  }

  /** A field name as it precedes its value on a line: {@code ,"name":}. */
  static byte[] field(String name) {
    return concat(new byte[] {',', '"'}, quote(name), new byte[] {'"', ':'});
  }

  /** Closes the line. */
  void end() throws IOException {
    room(2);
    buf[pos++] = '}';
    buf[pos++] = '\n';
  }

  /** A whole line of JSON text made elsewhere (the header, the footer), and its newline. */
  void text(byte[] json) throws IOException {
    bytes(json);
    room(1);
    buf[pos++] = '\n';
  }


  /** {@code ,"name":} */
  private byte[] name(String name) {
    byte[] b = names.get(name);
    if (b == null) {
      b = field(name);
      cache(names, name, b);
    }
    return b;
  }

  /**
   * {@code "value"}. The strings a run traces are mostly the same few instances (its blocks',
   * ports' and operations' names), so a slot chosen by the string's cached hash and holding that
   * very instance answers most look-ups without the map's equality test.
   */
  private byte[] value(String value) {
    int slot = value.hashCode() & (RECENT - 1);
    if (recentKeys[slot] == value) {
      return recentValues[slot];
    }
    byte[] b = values.get(value);
    if (b == null) {
      b = concat(new byte[] {'"'}, quote(value), new byte[] {'"'});
      cache(values, value, b);
    }
    recentKeys[slot] = value;
    recentValues[slot] = b;
    return b;
  }

  private static byte[] quote(String s) {
    return JsonStringEncoder.getInstance().quoteAsUTF8(s);
  }

  private static void cache(Map<String, byte[]> map, String key, byte[] bytes) {
    if (map.size() < CACHE_LIMIT) {
      map.put(key, bytes);
    }
  }

  private static byte[] concat(byte[] a, byte[] b, byte[] c) {
    byte[] r = new byte[a.length + b.length + c.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    System.arraycopy(c, 0, r, a.length + b.length, c.length);
    return r;
  }



  /** The decimal digits of {@code v} (at most 20 bytes; room was made). */
  private void digits(long v) {
    if (v >= 0 && v <= Integer.MAX_VALUE) {
      digits((int) v);
      return;
    }
    if (v == Long.MIN_VALUE) {
      for (char ch : Long.toString(v).toCharArray()) {
        buf[pos++] = (byte) ch;
      }
      return;
    }
    if (v < 0) {
      buf[pos++] = '-';
      v = -v;
      if (v <= Integer.MAX_VALUE) {
        digits((int) v);
        return;
      }
    }
    int start = pos;
    do {
      buf[pos++] = (byte) ('0' + (int) (v % 10));
      v /= 10;
    } while (v != 0);
    for (int i = start, j = pos - 1; i < j; i++, j--) {
      byte t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
  }

  /**
   * The decimal digits of {@code v >= 0}, two at a time from the right into their places: int
   * division by a constant is a multiplication, and nothing is reversed after (most of a trace's
   * numbers are times, ids and sizes below 2^31; the long loop cost the writer's thread half its
   * time on the gemm bench).
   */
  private void digits(int v) {
    int end = pos + size(v);
    int p = end;
    while (v >= 100) {
      int q = v / 100;
      int r = v - q * 100;
      v = q;
      buf[--p] = ONES[r];
      buf[--p] = TENS[r];
    }
    if (v >= 10) {
      buf[--p] = ONES[v];
      buf[--p] = TENS[v];
    } else {
      buf[--p] = (byte) ('0' + v);
    }
    pos = end;
  }

  /** The number of decimal digits of {@code v >= 0}. */
  private static int size(int v) {
    int n = 1;
    for (int bound = 10; v >= bound && n < 10; bound *= 10) {
      n++;
    }
    return n;
  }

  private static final byte[] TENS = new byte[100];
  private static final byte[] ONES = new byte[100];

  static {
    for (int i = 0; i < 100; i++) {
      TENS[i] = (byte) ('0' + i / 10);
      ONES[i] = (byte) ('0' + i % 10);
    }
  }
}
