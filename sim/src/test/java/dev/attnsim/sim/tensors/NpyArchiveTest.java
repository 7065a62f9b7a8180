package dev.attnsim.sim.tensors;

import static dev.attnsim.sim.tensors.NpyBytes.dict;
import static dev.attnsim.sim.tensors.NpyBytes.halves;
import static dev.attnsim.sim.tensors.NpyBytes.v1;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npz archives (stored and deflated) and directories of .npy files, and their errors. */
class NpyArchiveTest {

  @TempDir
  Path tmp;

  private static final double[][] A = {{1, 2.5, -3}, {0.1, 1e-300, 6}};
  private static final double[][] B = {{-7}};

  private static Map<String, double[][]> arrays() {
    var m = new LinkedHashMap<String, double[][]>();
    m.put("x.0", A);
    m.put("wq.0", B);
    return m;
  }

  private static String problem(Runnable r) {
    return assertThrows(TensorError.class, r::run).getMessage();
  }

  @Test
  void storedAndDeflatedArchivesReadBackExactly() throws IOException {
    for (boolean deflate : List.of(false, true)) {
      Path npz = tmp.resolve(deflate ? "d.npz" : "s.npz");
      NpyArchive.writeNpz(npz, arrays(), NpyDtype.FLOAT64, deflate);
      var archive = NpyArchive.open(npz);

      assertEquals(List.of("x.0", "wq.0"), archive.keys(), "entry order");
      assertArrayEquals(A, archive.rows("x.0"));
      assertArrayEquals(B, archive.rows("wq.0"));
      assertEquals(List.of(2L, 3L), archive.header("x.0").shape());
      assertEquals(128, archive.header("x.0").dataOffset());
    }
    try (var zip = new java.util.zip.ZipFile(tmp.resolve("s.npz").toFile())) {
      assertEquals(ZipEntry.STORED, zip.getEntry("x.0.npy").getMethod());
    }
    try (var zip = new java.util.zip.ZipFile(tmp.resolve("d.npz").toFile())) {
      assertEquals(ZipEntry.DEFLATED, zip.getEntry("x.0.npy").getMethod());
    }
  }

  @Test
  void anArchiveOfHandWrittenEntriesAsNumpyMakesThem() throws IOException {
    // what np.savez_compressed(f, h=np.array([[1, -2]], '>f2').T) holds: a Fortran-order
    // big-endian float16 entry, plus a folder entry and a non-.npy entry that are not keys
    Path npz = tmp.resolve("hand.npz");
    try (OutputStream os = Files.newOutputStream(npz); var zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("dir/"));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("h.npy"));
      zip.write(v1(dict(">f2", true, "(2, 1)"), halves(BIG_ENDIAN, 0x3C00, 0xC000)));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("README.txt"));
      zip.write("not an array".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      zip.closeEntry();
    }
    var archive = NpyArchive.open(npz);
    assertEquals(List.of("h"), archive.keys());
    assertArrayEquals(new double[][] {{1}, {-2}}, archive.rows("h"));
  }

  @Test
  void aDirectoryOfNpyFilesIsAnArchiveWithSortedKeys() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("t"));
    Npy.write(dir.resolve("x.0.npy"), A, NpyDtype.FLOAT32);
    Npy.write(dir.resolve("wq.0.npy"), B, NpyDtype.FLOAT64);
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    Files.createDirectory(dir.resolve("sub.npy"));
    var archive = NpyArchive.open(dir);

    assertEquals(List.of("wq.0", "x.0"), archive.keys());
    assertTrue(archive.has("x.0"));
    assertFalse(archive.has("notes"));
    assertArrayEquals(B, archive.rows("wq.0"));
    assertArrayEquals(new double[][] {{1, 2.5, -3}, {0.1f, 0, 6}}, archive.rows("x.0"));
  }

  @Test
  void aMissingKeyListsTheKeysThereAre() throws IOException {
    Path npz = tmp.resolve("t.npz");
    var many = new LinkedHashMap<String, double[][]>();
    for (int i = 0; i < 10; i++) {
      many.put("k" + i, B);
    }
    NpyArchive.writeNpz(npz, many, NpyDtype.FLOAT32, false);
    var e = assertThrows(TensorError.class, () -> NpyArchive.open(npz).header("x.0"));
    assertEquals(npz + ": x.0 is missing; t.npz has k0, k1, k2, k3, k4, k5, k6, k7 and 2 more",
        e.getMessage());
    assertEquals("x.0", e.key());
    assertEquals(npz, e.file());

    Path empty = Files.createDirectory(tmp.resolve("empty"));
    assertEquals(empty + ": x.0 is missing; empty has no .npy arrays",
        problem(() -> NpyArchive.open(empty).rows("x.0")));
  }

  @Test
  void aFileThatIsNoZipOrAZipCutShortIsNamed() throws IOException {
    Path text = Files.writeString(tmp.resolve("x.npz"), "not a zip at all");
    var e = assertThrows(TensorError.class, () -> NpyArchive.open(text));
    assertEquals(text + ": not an .npz (zip) archive, or truncated (zip END header not found)",
        e.getMessage());
    assertNull(e.key());

    Path npz = tmp.resolve("cut.npz");
    NpyArchive.writeNpz(npz, arrays(), NpyDtype.FLOAT64, false);
    byte[] whole = Files.readAllBytes(npz);
    Files.write(npz, Arrays.copyOf(whole, whole.length - 30)); // into the central directory
    assertEquals(npz + ": not an .npz (zip) archive, or truncated (zip END header not found)",
        problem(() -> NpyArchive.open(npz)));
  }

  @Test
  void aTruncatedOrOverlongNpyIsFoundFromItsHeaderAndSize() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("t"));
    byte[] file = v1(dict("<f4", false, "(4, 8)"), new byte[128]);
    Files.write(dir.resolve("x.0.npy"), Arrays.copyOf(file, file.length - 28));
    Files.write(dir.resolve("x.1.npy"), Arrays.copyOf(file, file.length + 3));
    var archive = NpyArchive.open(dir);

    assertEquals(dir + ": x.0 is truncated: its header says 4 x 8 float32, 128 data bytes; "
        + "100 are there", problem(() -> archive.header("x.0")));
    assertEquals(dir + ": x.1 has 3 bytes more than its header's 4 x 8 float32",
        problem(() -> archive.header("x.1")));
  }

  @Test
  void unsupportedTypesAndCorruptHeadersNameFileAndKey() throws IOException {
    Path npz = tmp.resolve("t.npz");
    try (OutputStream os = Files.newOutputStream(npz); var zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("q.npy"));
      zip.write(v1(dict("|i1", false, "(2, 2)"), new byte[4]));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("p.npy"));
      zip.write("{'descr': '<f4'}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      zip.closeEntry();
    }
    var archive = NpyArchive.open(npz);
    assertEquals(npz + ": q has dtype '|i1' (int8); attnsim reads float16, float32 and float64",
        problem(() -> archive.header("q")));
    assertEquals(npz + ": p is not an .npy array (it does not start with \\x93NUMPY)",
        problem(() -> archive.rows("p")));
  }

  @Test
  void aCorruptByteInAStoredEntryFailsItsCrc() throws IOException {
    Path npz = tmp.resolve("t.npz");
    NpyArchive.writeNpz(npz, Map.of("x.0", A), NpyDtype.FLOAT64, false);
    byte[] bytes = Files.readAllBytes(npz);
    // a stored entry: local header (30 bytes + "x.0.npy"), then the .npy; its last value's
    // low byte is the data's 48th byte
    int at = 30 + "x.0.npy".length() + 128 + 40;
    assertEquals(6.0, java.nio.ByteBuffer.wrap(bytes, at, 8)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble());
    bytes[at] ^= 1;
    Files.write(npz, bytes);
    var archive = NpyArchive.open(npz);

    archive.header("x.0"); // the header is intact
    String message = problem(() -> archive.rows("x.0"));
    assertTrue(message.matches(java.util.regex.Pattern.quote(npz.toString())
        + ": x\\.0 is corrupt: its data's CRC-32 is [0-9a-f]{8}, the archive says [0-9a-f]{8}"),
        message);
  }

  @Test
  void aCorruptDeflatedEntryIsAOneLineError() throws IOException {
    Path npz = tmp.resolve("t.npz");
    var big = new double[64][64];
    for (double[] row : big) {
      Arrays.fill(row, 0.5);
    }
    NpyArchive.writeNpz(npz, Map.of("x.0", big), NpyDtype.FLOAT64, true);
    byte[] bytes = Files.readAllBytes(npz);
    for (int i = 30 + 7 + 2; i < 30 + 7 + 40; i++) { // the deflate stream's start
      bytes[i] = (byte) 0xff;
    }
    Files.write(npz, bytes);
    String message = problem(() -> NpyArchive.open(npz).rows("x.0"));
    assertTrue(message.startsWith(npz + ": x.0 "), message);
    assertEquals(1, message.lines().count(), message);
  }
}
