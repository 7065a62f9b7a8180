package dev.attnsim.sim.tensors;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads and writes .npy arrays as {@code double[][]} rows. Reading takes float16, float32 and
 * float64 in either byte order, C or Fortran order, 1-D (one row) and 2-D; every value converts
 * to double exactly. The data streams through a 64 KiB buffer into the rows, so an array costs
 * its rows and nothing more. Writing makes C-order float32 or float64 files, byte for byte as
 * numpy's {@code np.save} writes them.
 */
public final class Npy {
  private static final int CHUNK_BYTES = 1 << 16; // a multiple of every element size

  private Npy() {}

  /**
   * Reads the data that follows {@code header} in {@code in}: a 2-D array as its rows, a 1-D
   * array as one row.
   *
   * @throws NpyFormatException if the array is not 1-D or 2-D, or the data is cut short
   */
  public static double[][] readRows(InputStream in, NpyHeader header) throws IOException {
    List<Long> shape = header.shape();
    if (shape.size() != 1 && shape.size() != 2) {
      throw new NpyFormatException("is " + header.shapeText() + "; attnsim reads 1-D and 2-D "
          + "arrays");
    }
    long r = shape.size() == 1 ? 1 : shape.get(0);
    long c = shape.get(shape.size() - 1);
    if (r > Integer.MAX_VALUE - 8 || c > Integer.MAX_VALUE - 8) {
      throw new NpyFormatException("is " + header.shapeText() + ", too large to read");
    }
    int rows = (int) r;
    int cols = (int) c;
    var out = new double[rows][cols];
    boolean fortran = header.fortranOrder();
    int width = header.dtype().bytes();
    byte[] chunk = new byte[CHUNK_BYTES];
    long left = header.dataBytes();
    int i = 0;
    int j = 0;
    while (left > 0) {
      int want = (int) Math.min(chunk.length, left);
      int got = in.readNBytes(chunk, 0, want);
      if (got < want) {
        throw truncated(header, header.dataBytes() - left + got);
      }
      left -= got;
      ByteBuffer b = ByteBuffer.wrap(chunk, 0, got).order(header.dtype().order());
      for (int e = got / width; e > 0; e--) {
        out[i][j] = width == 2 ? halfToDouble(b.getShort())
            : width == 4 ? b.getFloat() : b.getDouble();
        if (fortran) { // column-major: walk down a column, then to the next
          if (++i == rows) {
            i = 0;
            j++;
          }
        } else if (++j == cols) {
          j = 0;
          i++;
        }
      }
    }
    return out;
  }

  /** {@code is truncated: its header says 12 x 4 float32, 192 data bytes; 100 are there}. */
  static NpyFormatException truncated(NpyHeader header, long present) {
    return new NpyFormatException(String.format(Locale.ROOT,
        "is truncated: its header says %s %s, %,d data bytes; %,d are there",
        header.shapeText(), header.dtype().name(), header.dataBytes(), present));
  }

  /**
   * An IEEE half-precision value as a double, exactly: 1 sign bit, 5 exponent bits (bias 15), 10
   * fraction bits; exponent 0 holds zero and the subnormals ({@code fraction x 2^-24}), exponent
   * 31 the infinities and NaN. (Java 17 has no {@code Float.float16ToFloat}.)
   */
  static double halfToDouble(int bits) {
    int exponent = bits >>> 10 & 0x1f;
    int fraction = bits & 0x3ff;
    double v;
    if (exponent == 0) {
      v = Math.scalb((double) fraction, -24);
    } else if (exponent == 31) {
      v = fraction == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    } else {
      v = Math.scalb((double) (fraction | 0x400), exponent - 25);
    }
    return (bits & 0x8000) != 0 ? -v : v;
  }

  /** Writes {@code rows} to a new .npy file (C order, {@code dtype} float32 or float64). */
  public static void write(Path file, double[][] rows, NpyDtype dtype) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      write(out, rows, dtype);
    }
  }

  /**
   * Writes {@code rows} as a 2-D C-order .npy array of float32 or float64 (rounding to nearest
   * for float32).
   *
   * @throws IllegalArgumentException if the rows differ in length or the type is float16
   */
  public static void write(OutputStream out, double[][] rows, NpyDtype dtype)
      throws IOException {
    if (dtype.bytes() == 2) {
      throw new IllegalArgumentException("the writer writes float32 and float64, not float16");
    }
    int cols = rows.length == 0 ? 0 : rows[0].length;
    for (double[] row : rows) {
      if (row.length != cols) {
        throw new IllegalArgumentException("rows of " + cols + " and " + row.length
            + " values: an array's rows have one length");
      }
    }
    out.write(NpyHeader.encode(dtype, List.of((long) rows.length, (long) cols)));
    ByteBuffer b = ByteBuffer.allocate(CHUNK_BYTES).order(dtype.order());
    for (double[] row : rows) {
      for (double v : row) {
        if (!b.hasRemaining()) {
          out.write(b.array(), 0, b.position());
          b.clear();
        }
        if (dtype.bytes() == 4) {
          b.putFloat((float) v);
        } else {
          b.putDouble(v);
        }
      }
    }
    out.write(b.array(), 0, b.position());
  }
}
