package dev.attnsim.sim.tensors;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The element type of an array attnsim reads: an IEEE float of 2, 4 or 8 bytes, in either byte
 * order. Everything else numpy stores (booleans, integers, complex numbers, strings, objects,
 * records) is rejected by name: attention inputs and weights are real numbers, and reading, say,
 * int8 weights as numbers would silently drop their quantisation scale.
 *
 * @param bytes 2, 4 or 8
 * @param order the byte order of the stored elements
 */
public record NpyDtype(int bytes, ByteOrder order) {

  public static final NpyDtype FLOAT16 = new NpyDtype(2, ByteOrder.LITTLE_ENDIAN);
  public static final NpyDtype FLOAT32 = new NpyDtype(4, ByteOrder.LITTLE_ENDIAN);
  public static final NpyDtype FLOAT64 = new NpyDtype(8, ByteOrder.LITTLE_ENDIAN);

  public NpyDtype {
    if (bytes != 2 && bytes != 4 && bytes != 8) {
      throw new IllegalArgumentException("a float has 2, 4 or 8 bytes, not " + bytes);
    }
    Objects.requireNonNull(order, "order");
  }

  /**
   * Reads numpy's type string, as in an .npy header's {@code 'descr'}: {@code '<f4'}, {@code
   * '>f8'}. {@code '='} and no order character mean this machine's order, as in numpy (numpy
   * itself always writes {@code '<'} or {@code '>'}); {@code '|'} ("not applicable") is only
   * meaningful for one-byte types, so it is rejected on a float.
   *
   * @throws NpyFormatException for any other type, naming it ({@code has dtype '|i1' (int8)...})
   */
  public static NpyDtype parse(String descr) throws NpyFormatException {
    char first = descr.isEmpty() ? ' ' : descr.charAt(0);
    boolean hasOrder = first == '<' || first == '>' || first == '=' || first == '|';
    String type = hasOrder ? descr.substring(1) : descr;
    int digits = 1;
    while (digits < type.length() && Character.isDigit(type.charAt(digits))) {
      digits++;
    }
    int size = digits > 1 && digits <= 4 ? Integer.parseInt(type.substring(1, digits)) : 0;
    boolean fullyRead = digits == type.length();
    if (!type.isEmpty() && type.charAt(0) == 'f' && fullyRead
        && (size == 2 || size == 4 || size == 8)) {
      if (first == '|') {
        throw new NpyFormatException("has dtype '" + descr + "': byte order '|' (not "
            + "applicable) on a " + size + "-byte float; use '<' or '>'");
      }
      ByteOrder order = first == '<' ? ByteOrder.LITTLE_ENDIAN
          : first == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.nativeOrder();
      return new NpyDtype(size, order);
    }
    throw new NpyFormatException("has dtype '" + descr + "' (" + kindName(type, size)
        + "); attnsim reads float16, float32 and float64");
  }

  /** numpy's name of a type string without its order: {@code int8}, {@code complex64}. */
  private static String kindName(String type, int size) {
    if (type.isEmpty()) {
      return "unknown";
    }
    String bits = size > 0 ? Integer.toString(8 * size) : "";
    switch (type.charAt(0)) {
      case 'b':
        return "bool";
      case 'i':
        return "int" + bits;
      case 'u':
        return "uint" + bits;
      case 'f':
        return "float" + bits;
      case 'c':
        return "complex" + bits;
      case 'O':
        return "object";
      case 'S':
      case 'a':
        return "bytes";
      case 'U':
        return "str";
      case 'V':
        return "void";
      case 'M':
        return "datetime64";
      case 'm':
        return "timedelta64";
      default:
        return "unknown";
    }
  }

  /** The type string numpy writes: {@code '<f4'}. */
  public String descr() {
    return (order == ByteOrder.BIG_ENDIAN ? ">" : "<") + "f" + bytes;
  }

  /** {@code float16}, {@code float32} or {@code float64}. */
  public String name() {
    return "float" + 8 * bytes;
  }
}
