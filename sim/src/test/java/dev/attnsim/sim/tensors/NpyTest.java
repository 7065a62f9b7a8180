package dev.attnsim.sim.tensors;

import static dev.attnsim.sim.tensors.NpyBytes.dict;
import static dev.attnsim.sim.tensors.NpyBytes.doubles;
import static dev.attnsim.sim.tensors.NpyBytes.floats;
import static dev.attnsim.sim.tensors.NpyBytes.halves;
import static dev.attnsim.sim.tensors.NpyBytes.v1;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The .npy reader and writer: exact values for every element type, order and version. */
class NpyTest {

  private static double[][] read(byte[] file) throws IOException {
    var in = new ByteArrayInputStream(file);
    return Npy.readRows(in, NpyHeader.read(in));
  }

  private static String problem(byte[] file) {
    return assertThrows(NpyFormatException.class, () -> read(file)).getMessage();
  }

  @Test
  void float16BitPatternsDecodeExactly() {
    assertEquals(1.0, Npy.halfToDouble(0x3C00));
    assertEquals(-2.0, Npy.halfToDouble(0xC000));
    assertEquals(65504.0, Npy.halfToDouble(0x7BFF)); // the largest
    assertEquals(0x1p-24, Npy.halfToDouble(0x0001)); // the smallest subnormal
    assertEquals(1023 * 0x1p-24, Npy.halfToDouble(0x03FF)); // the largest subnormal
    assertEquals(0x1p-14, Npy.halfToDouble(0x0400)); // the smallest normal
    assertEquals(0.333251953125, Npy.halfToDouble(0x3555)); // 1365 / 4096
    assertEquals(Double.doubleToLongBits(0.0), Double.doubleToLongBits(Npy.halfToDouble(0)));
    assertEquals(Double.doubleToLongBits(-0.0),
        Double.doubleToLongBits(Npy.halfToDouble(0x8000)));
    assertEquals(Double.POSITIVE_INFINITY, Npy.halfToDouble(0x7C00));
    assertEquals(Double.NEGATIVE_INFINITY, Npy.halfToDouble(0xFC00));
    assertEquals(Double.NaN, Npy.halfToDouble(0x7E00));
  }

  @Test
  void float16InBothByteOrdersAndBothLayouts() throws IOException {
    double[][] expected = {{1.0, -2.0}, {65504.0, 0x1p-24}};
    assertArrayEquals(expected, read(v1(dict("<f2", false, "(2, 2)"),
        halves(LITTLE_ENDIAN, 0x3C00, 0xC000, 0x7BFF, 0x0001))));
    assertArrayEquals(expected, read(v1(dict(">f2", false, "(2, 2)"),
        halves(BIG_ENDIAN, 0x3C00, 0xC000, 0x7BFF, 0x0001))));
    // column-major: down the first column, then the second
    assertArrayEquals(expected, read(v1(dict("<f2", true, "(2, 2)"),
        halves(LITTLE_ENDIAN, 0x3C00, 0x7BFF, 0xC000, 0x0001))));
    assertArrayEquals(expected, read(v1(dict(">f2", true, "(2, 2)"),
        halves(BIG_ENDIAN, 0x3C00, 0x7BFF, 0xC000, 0x0001))));
  }

  @Test
  void float32InBothByteOrdersAndBothLayouts() throws IOException {
    // 0.1f is not 0.1: the reader must give the float's exact value
    double[][] expected = {{0.1f, -3.5, 1e-30f}, {7, 0x1p-149, -0.0}};
    for (ByteOrder order : List.of(LITTLE_ENDIAN, BIG_ENDIAN)) {
      String descr = (order == LITTLE_ENDIAN ? "<" : ">") + "f4";
      assertArrayEquals(expected, read(v1(dict(descr, false, "(2, 3)"),
          floats(order, 0.1f, -3.5f, 1e-30f, 7f, 0x1p-149f, -0.0f))), descr);
      assertArrayEquals(expected, read(v1(dict(descr, true, "(2, 3)"),
          floats(order, 0.1f, 7f, -3.5f, 0x1p-149f, 1e-30f, -0.0f))), descr + " fortran");
    }
  }

  @Test
  void float64InBothByteOrdersAndBothLayouts() throws IOException {
    double[][] expected = {{0.1, Math.PI}, {-Double.MAX_VALUE, Double.MIN_VALUE}, {4, 5}};
    for (ByteOrder order : List.of(LITTLE_ENDIAN, BIG_ENDIAN)) {
      String descr = (order == LITTLE_ENDIAN ? "<" : ">") + "f8";
      assertArrayEquals(expected, read(v1(dict(descr, false, "(3, 2)"),
          doubles(order, 0.1, Math.PI, -Double.MAX_VALUE, Double.MIN_VALUE, 4, 5))), descr);
      assertArrayEquals(expected, read(v1(dict(descr, true, "(3, 2)"),
          doubles(order, 0.1, -Double.MAX_VALUE, 4, Math.PI, Double.MIN_VALUE, 5))),
          descr + " fortran");
    }
  }

  @Test
  void nativeOrderMeansThisMachinesAsInNumpy() throws IOException {
    var n = ByteOrder.nativeOrder();
    assertArrayEquals(new double[][] {{1.5, 2}}, read(v1(dict("=f8", false, "(1, 2)"),
        doubles(n, 1.5, 2))));
    assertArrayEquals(new double[][] {{1.5, 2}}, read(v1(dict("f4", false, "(1, 2)"),
        floats(n, 1.5f, 2))));
  }

  @Test
  void aVectorIsOneRowAndAnEmptyMatrixHasNoValues() throws IOException {
    assertArrayEquals(new double[][] {{1, 2, 3}}, read(v1(dict("<f8", false, "(3,)"),
        doubles(LITTLE_ENDIAN, 1, 2, 3))));
    assertArrayEquals(new double[][] {{1, 2, 3}}, read(v1(dict("<f8", true, "(3,)"),
        doubles(LITTLE_ENDIAN, 1, 2, 3))));
    assertArrayEquals(new double[0][4], read(v1(dict("<f4", false, "(0, 4)"), new byte[0])));
  }

  @Test
  void versionsTwoAndThreeHaveALongerLengthFieldAndThreeIsUtf8() throws IOException {
    byte[] data = doubles(LITTLE_ENDIAN, 1, 2, 3, 4);
    assertArrayEquals(new double[][] {{1, 2}, {3, 4}},
        read(NpyBytes.file(2, dict("<f8", false, "(2, 2)"), data)));
    // a header that is not latin-1 can only be UTF-8, in version 3.0
    String utf8 = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), 'note': 'π', }";
    byte[] v3 = NpyBytes.file(3, utf8, data);
    assertArrayEquals(new double[][] {{1, 2}, {3, 4}}, read(v3));
    var in = new ByteArrayInputStream(v3);
    assertEquals(12 + utf8.getBytes(StandardCharsets.UTF_8).length + 1,
        NpyHeader.read(in).dataOffset());
  }

  @Test
  void headersOfAnyNumpyVersionReadAlike() throws IOException {
    byte[] data = floats(LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6);
    double[][] expected = {{1, 2, 3}, {4, 5, 6}};
    for (String dict : List.of(
        "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}", // any key order
        "{\"descr\":\"<f4\",\"fortran_order\":False,\"shape\":(2,3)}", // double quotes, tight
        "  { 'descr' : '<f4' ,\n 'fortran_order' : False , 'shape' : ( 2 , 3 , ) , }   ",
        "{'descr': u'<f4', 'fortran_order': False, 'shape': (2L, 3L), }", // Python 2
        "{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3], 'extra': None}")) {
      assertArrayEquals(expected, read(v1(dict, data)), dict);
    }
  }

  @Test
  void unsupportedElementTypesAreNamed() {
    assertEquals("has dtype '|i1' (int8); attnsim reads float16, float32 and float64",
        problem(v1(dict("|i1", false, "(2,)"), new byte[2])));
    assertEquals("has dtype '<c8' (complex64); attnsim reads float16, float32 and float64",
        problem(v1(dict("<c8", false, "(1,)"), new byte[8])));
    assertEquals("has dtype '|O' (object); attnsim reads float16, float32 and float64",
        problem(v1(dict("|O", false, "(1,)"), new byte[8])));
    assertEquals("has dtype '<f16' (float128); attnsim reads float16, float32 and float64",
        problem(v1(dict("<f16", false, "(1,)"), new byte[16])));
    assertEquals("has dtype '<u2' (uint16); attnsim reads float16, float32 and float64",
        problem(v1(dict("<u2", false, "(1,)"), new byte[2])));
    assertEquals("has dtype '|f4': byte order '|' (not applicable) on a 4-byte float; use '<' "
        + "or '>'", problem(v1(dict("|f4", false, "(1,)"), new byte[4])));
    assertEquals("has a structured dtype [[a, <f4], [b, <f4]]; attnsim reads float16, float32 "
        + "and float64", problem(v1("{'descr': [('a', '<f4'), ('b', '<f4')], "
            + "'fortran_order': False, 'shape': (1,), }", new byte[8])));
  }

  @Test
  void badFilesSayWhatIsWrong() {
    assertEquals("is empty", problem(new byte[0]));
    assertEquals("is not an .npy array (it does not start with \\x93NUMPY)",
        problem("PK\u0003\u0004 a zip".getBytes(StandardCharsets.ISO_8859_1)));
    assertEquals("has .npy format version 4.0; attnsim reads 1.0, 2.0 and 3.0",
        problem(NpyBytes.file(4, dict("<f4", false, "(1,)"), new byte[4])));
    assertEquals("is truncated inside its header",
        problem(Arrays.copyOf(v1(dict("<f4", false, "(1,)"), new byte[4]), 20)));
    assertEquals("has a corrupt header (expected ':' at character 9): {'descr' '<f4', "
        + "'fortran_order': False, 'shape': (1,), }",
        problem(v1("{'descr' '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4])));
    assertEquals("has a corrupt header (no 'shape')",
        problem(v1("{'descr': '<f4', 'fortran_order': False}", new byte[4])));
    assertEquals("has a corrupt header ('shape' is [2, -1], not a tuple of sizes)",
        problem(v1(dict("<f4", false, "(2, -1)"), new byte[4])));
    assertEquals("has a corrupt header ('fortran_order' is 0, not True or False)",
        problem(v1("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}", new byte[4])));
    assertEquals("has a corrupt header (unterminated string at character 16): {'descr': '<f4}",
        problem(v1("{'descr': '<f4}", new byte[4])));
  }

  @Test
  void dataCutShortAndArraysNotOneOrTwoDimensionalAreErrors() {
    assertEquals("is truncated: its header says 2 x 3 float32, 24 data bytes; 20 are there",
        problem(v1(dict("<f4", false, "(2, 3)"), new byte[20])));
    assertEquals("is 2 x 2 x 2; attnsim reads 1-D and 2-D arrays",
        problem(v1(dict("<f8", false, "(2, 2, 2)"), new byte[64])));
    assertEquals("is a scalar; attnsim reads 1-D and 2-D arrays",
        problem(v1(dict("<f8", false, "()"), new byte[8])));
  }

  @Test
  void theWriterWritesWhatNpSaveWrites() throws IOException {
    var out = new ByteArrayOutputStream();
    Npy.write(out, new double[][] {{1.5, -2, 3}, {4, 5, 0.1}}, NpyDtype.FLOAT32);
    byte[] file = out.toByteArray();
    // np.save(f, np.array([[1.5, -2, 3], [4, 5, 0.1]], dtype='<f4')), numpy 2.4: version 1.0,
    // a 118-byte header (room for the first axis to grow to 21 digits), data at byte 128
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
        + " ".repeat(58) + "\n";
    byte[] preamble = NpyBytes.v1(header.substring(0, header.length() - 1), new byte[0]);
    assertEquals(128, preamble.length);
    assertArrayEquals(preamble, Arrays.copyOf(file, 128));
    assertArrayEquals(floats(LITTLE_ENDIAN, 1.5f, -2f, 3f, 4f, 5f, 0.1f),
        Arrays.copyOfRange(file, 128, file.length));
  }

  @Test
  void writtenArraysReadBackExactly() throws IOException {
    double[][] m = {{0.1, -1e300, Math.E}, {Double.MIN_VALUE, 0, 1 / 3.0}};
    var out = new ByteArrayOutputStream();
    Npy.write(out, m, NpyDtype.FLOAT64);
    assertArrayEquals(m, read(out.toByteArray()));

    var big = new ByteArrayOutputStream();
    Npy.write(big, m, new NpyDtype(8, BIG_ENDIAN));
    assertArrayEquals(m, read(big.toByteArray()));

    var single = new ByteArrayOutputStream();
    Npy.write(single, m, NpyDtype.FLOAT32);
    double[][] rounded = {{0.1f, Float.NEGATIVE_INFINITY, (float) Math.E},
        {0, 0, (float) (1 / 3.0)}};
    assertArrayEquals(rounded, read(single.toByteArray()));

    // an array larger than the 64 KiB buffer, both ways
    var wide = new double[3][10_001];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < wide[i].length; j++) {
        wide[i][j] = i * 1e5 + j + 0.25;
      }
    }
    var w = new ByteArrayOutputStream();
    Npy.write(w, wide, NpyDtype.FLOAT64);
    assertArrayEquals(wide, read(w.toByteArray()));
  }

  @Test
  void theWriterRefusesRaggedRowsAndFloat16() {
    var out = new ByteArrayOutputStream();
    assertEquals("rows of 2 and 1 values: an array's rows have one length",
        assertThrows(IllegalArgumentException.class,
            () -> Npy.write(out, new double[][] {{1, 2}, {3}}, NpyDtype.FLOAT64)).getMessage());
    assertEquals("the writer writes float32 and float64, not float16",
        assertThrows(IllegalArgumentException.class,
            () -> Npy.write(out, new double[][] {{1}}, NpyDtype.FLOAT16)).getMessage());
  }
}
