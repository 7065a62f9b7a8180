package dev.attnsim.sim.tensors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The header of an .npy array: element type, layout and shape, and where the data starts.
 *
 * <p>The format (numpy's {@code numpy.lib.format}, versions 1.0, 2.0 and 3.0): the magic {@code
 * \x93NUMPY}, the major and minor version bytes, the header's length (a little-endian uint16 in
 * 1.0, uint32 in 2.0 and 3.0), then the header, a Python dict literal ({@code {'descr': '<f4',
 * 'fortran_order': False, 'shape': (3, 4), }}; latin-1 in 1.0 and 2.0, UTF-8 in 3.0) padded with
 * blanks and a newline so that the data starts at a multiple of 64 bytes. The data follows: the
 * elements in C (row-major) order, or column-major when {@code fortran_order} is true.
 *
 * @param dtype the element type
 * @param fortranOrder whether the data is column-major
 * @param shape the dimensions, outermost first; empty for a scalar
 * @param dataOffset bytes before the data: magic, version, length and header
 */
public record NpyHeader(NpyDtype dtype, boolean fortranOrder, List<Long> shape,
    long dataOffset) {

  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** numpy's alignment of the data. */
  private static final int ALIGN = 64;
  /** numpy leaves room in the header to grow the first axis to this many digits. */
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;
  /** Longest header read [choice: numpy's own limit is 10,000 bytes unless told otherwise]. */
  private static final int MAX_HEADER_BYTES = 1 << 20;

  public NpyHeader {
    shape = List.copyOf(shape);
  }

  /**
   * Reads the header from the start of an .npy stream, leaving the stream at the first data
   * byte.
   *
   * @throws NpyFormatException if it is not an .npy header attnsim reads
   * @throws IOException if the stream cannot be read
   */
  public static NpyHeader read(InputStream in) throws IOException {
    byte[] start = in.readNBytes(MAGIC.length + 2);
    for (int i = 0; i < MAGIC.length; i++) {
      if (i >= start.length || start[i] != MAGIC[i]) {
        throw new NpyFormatException(start.length == 0 ? "is empty"
            : "is not an .npy array (it does not start with \\x93NUMPY)");
      }
    }
    if (start.length < MAGIC.length + 2) {
      throw new NpyFormatException("is truncated inside its header");
    }
    int major = start[6] & 0xff;
    int minor = start[7] & 0xff;
    if (major < 1 || major > 3 || minor != 0) {
      throw new NpyFormatException("has .npy format version " + major + "." + minor
          + "; attnsim reads 1.0, 2.0 and 3.0");
    }
    int lengthBytes = major == 1 ? 2 : 4;
    byte[] len = in.readNBytes(lengthBytes);
    if (len.length < lengthBytes) {
      throw new NpyFormatException("is truncated inside its header");
    }
    long headerBytes = 0;
    for (int i = lengthBytes - 1; i >= 0; i--) {
      headerBytes = headerBytes << 8 | (len[i] & 0xff);
    }
    if (headerBytes > MAX_HEADER_BYTES) {
      throw new NpyFormatException("has a corrupt header (it claims " + headerBytes
          + " bytes)");
    }
    byte[] header = in.readNBytes((int) headerBytes);
    if (header.length < headerBytes) {
      throw new NpyFormatException("is truncated inside its header");
    }
    Charset charset = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    long offset = MAGIC.length + 2 + lengthBytes + headerBytes;
    return fromDict(PyLiteral.parse(new String(header, charset)), offset);
  }

  private static NpyHeader fromDict(Object literal, long offset) throws NpyFormatException {
    if (!(literal instanceof Map<?, ?> dict)) {
      throw new NpyFormatException("has a corrupt header (not a dict): " + literal);
    }
    Object descr = field(dict, "descr");
    if (!(descr instanceof String type)) {
      throw new NpyFormatException("has a structured dtype " + descr
          + "; attnsim reads float16, float32 and float64");
    }
    NpyDtype dtype = NpyDtype.parse(type);
    if (!(field(dict, "fortran_order") instanceof Boolean fortran)) {
      throw new NpyFormatException("has a corrupt header ('fortran_order' is "
          + dict.get("fortran_order") + ", not True or False)");
    }
    Object dims = field(dict, "shape");
    var shape = new ArrayList<Long>();
    if (dims instanceof List<?> list) {
      for (Object d : list) {
        if (!(d instanceof Long n) || n < 0) {
          shape = null;
          break;
        }
        shape.add(n);
      }
    }
    if (!(dims instanceof List<?>) || shape == null) {
      throw new NpyFormatException("has a corrupt header ('shape' is " + dims
          + ", not a tuple of sizes)");
    }
    var header = new NpyHeader(dtype, fortran, shape, offset);
    try {
      header.dataBytes();
    } catch (ArithmeticException e) {
      throw new NpyFormatException("has a corrupt header (shape " + header.shapeText()
          + " is larger than any file)");
    }
    return header;
  }

  private static Object field(Map<?, ?> dict, String key) throws NpyFormatException {
    if (!dict.containsKey(key)) {
      throw new NpyFormatException("has a corrupt header (no '" + key + "')");
    }
    return dict.get(key);
  }

  /**
   * The preamble of a C-order array of {@code shape}, byte for byte as numpy's {@code np.save}
   * writes it (version 1.0 unless the header needs 2.0's longer length field).
   */
  public static byte[] encode(NpyDtype dtype, List<Long> shape) {
    var dict = new StringBuilder("{'descr': '").append(dtype.descr())
        .append("', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < shape.size(); i++) {
      dict.append(i > 0 ? ", " : "").append(shape.get(i));
    }
    dict.append(shape.size() == 1 ? ",), }" : "), }");
    if (!shape.isEmpty()) {
      dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - shape.get(0).toString().length()));
    }
    int lengthBytes = 2;
    int major = 1;
    int pad = ALIGN - (MAGIC.length + 2 + lengthBytes + dict.length() + 1) % ALIGN;
    if (dict.length() + pad + 1 > 0xffff) {
      lengthBytes = 4;
      major = 2;
      pad = ALIGN - (MAGIC.length + 2 + lengthBytes + dict.length() + 1) % ALIGN;
    }
    String header = dict + " ".repeat(pad) + "\n";
    byte[] text = header.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[MAGIC.length + 2 + lengthBytes + text.length];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[6] = (byte) major;
    out[7] = 0;
    for (int i = 0; i < lengthBytes; i++) {
      out[8 + i] = (byte) (text.length >>> 8 * i);
    }
    System.arraycopy(text, 0, out, 8 + lengthBytes, text.length);
    return out;
  }

  /** Elements: the product of the shape (1 for a scalar). */
  public long elements() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Bytes of data the shape and element type make ({@link #read} rejects overflows). */
  public long dataBytes() {
    return Math.multiplyExact(elements(), dtype.bytes());
  }

  /** The shape as a user reads it: {@code 512 x 256}, {@code a vector of 256}, {@code a scalar}. */
  public String shapeText() {
    if (shape.isEmpty()) {
      return "a scalar";
    }
    if (shape.size() == 1) {
      return "a vector of " + shape.get(0);
    }
    var s = new StringBuilder();
    for (long d : shape) {
      s.append(s.length() > 0 ? " x " : "").append(d);
    }
    return s.toString();
  }
}
