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

  /** {@code "value"} */
  private byte[] value(String value) {
    byte[] b = values.get(value);
    if (b == null) {
      b = concat(new byte[] {'"'}, quote(value), new byte[] {'"'});
      cache(values, value, b);
    }
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
    if (v == Long.MIN_VALUE) {
      for (char ch : Long.toString(v).toCharArray()) {
        buf[pos++] = (byte) ch;
      }
      return;
    }
    if (v < 0) {
      buf[pos++] = '-';
      v = -v;
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
}
