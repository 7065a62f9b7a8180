package dev.attnsim.sim.tensors;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** .npy files written byte by byte, for tests that must not trust the writer under test. */
final class NpyBytes {
  private NpyBytes() {}

  /** A version 1.0 file: magic, {@code 1 0}, uint16 length, {@code dict} and a newline, data. */
  static byte[] v1(String dict, byte[] data) {
    return file(1, dict, data);
  }

  /** A file of format {@code major}.0 (2.0 and 3.0 have a uint32 length; 3.0 is UTF-8). */
  static byte[] file(int major, String dict, byte[] data) {
    byte[] header = (dict + "\n").getBytes(major == 3 ? StandardCharsets.UTF_8
        : StandardCharsets.ISO_8859_1);
    var out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    int lengthBytes = major == 1 ? 2 : 4;
    for (int i = 0; i < lengthBytes; i++) {
      out.write(header.length >>> 8 * i);
    }
    out.writeBytes(header);
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** The standard header dict numpy writes. */
  static String dict(String descr, boolean fortran, String shape) {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
        + ", 'shape': " + shape + ", }";
  }

  /** float16 bit patterns in {@code order}. */
  static byte[] halves(ByteOrder order, int... bits) {
    var b = ByteBuffer.allocate(2 * bits.length).order(order);
    for (int v : bits) {
      b.putShort((short) v);
    }
    return b.array();
  }

  static byte[] floats(ByteOrder order, float... values) {
    var b = ByteBuffer.allocate(4 * values.length).order(order);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  static byte[] doubles(ByteOrder order, double... values) {
    var b = ByteBuffer.allocate(8 * values.length).order(order);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.array();
  }
}
