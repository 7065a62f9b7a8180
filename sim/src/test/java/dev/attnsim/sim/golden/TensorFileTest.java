package dev.attnsim.sim.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.tensors.Npy;
import dev.attnsim.sim.tensors.NpyArchive;
import dev.attnsim.sim.tensors.NpyDtype;
import dev.attnsim.sim.tensors.TensorError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real tensors from a file: the key layout, the checks against the workload, the config key. */
class TensorFileTest {

  @TempDir
  Path tmp;

  /** 2 layers of 24 tokens, d 16, 2 heads. */
  private static SimSettings small(String... more) {
    var sets = new java.util.ArrayList<>(java.util.List.of("workload.transformer.layers=2",
        "workload.transformer.d-model=16", "workload.transformer.heads=2",
        "workload.transformer.seq-len=24", "run.seed=3"));
    sets.addAll(Arrays.asList(more));
    return TestConfigs.defaults(sets.toArray(String[]::new));
  }

  /** Every key of {@code layers} layers of {@code source}, in layer order. */
  static Map<String, double[][]> export(TensorSource source, int layers, boolean withWo) {
    var m = new LinkedHashMap<String, double[][]>();
    for (int i = 0; i < layers; i++) {
      var t = source.layer(i);
      m.put("x." + i, t.x());
      m.put("wq." + i, t.wQ());
      m.put("wk." + i, t.wK());
      m.put("wv." + i, t.wV());
      if (withWo) {
        m.put("wo." + i, t.wO());
      }
    }
    return m;
  }

  private Path npz(Map<String, double[][]> arrays) throws IOException {
    Path f = tmp.resolve("t.npz");
    NpyArchive.writeNpz(f, arrays, NpyDtype.FLOAT64, true);
    return f;
  }

  private String problem(Path file, SimSettings s) {
    return assertThrows(TensorError.class, () -> new TensorFile(file, s.transformer()))
        .getMessage();
  }

  @Test
  void syntheticTensorsWrittenToAnNpzReadBackIdentical() throws IOException {
    var s = small();
    var synthetic = TensorSource.of(s);
    Path file = npz(export(synthetic, 2, true));
    var fromFile = TensorSource.of(small("workload.tensors.file=\"" + file + "\""));

    assertInstanceOf(TensorFile.class, fromFile);
    assertEquals("file " + file, fromFile.describe());
    for (int i = 1; i >= 0; i--) { // any order
      var a = synthetic.layer(i);
      var b = fromFile.layer(i);
      assertArrayEquals(a.x(), b.x(), "x." + i);
      assertArrayEquals(a.wQ(), b.wQ(), "wq." + i);
      assertArrayEquals(a.wK(), b.wK(), "wk." + i);
      assertArrayEquals(a.wV(), b.wV(), "wv." + i);
      assertArrayEquals(a.wO(), b.wO(), "wo." + i);
    }
  }

  @Test
  void aDirectoryOfFloat32FilesWithoutWoAndWithMoreLayersThanNeeded() throws IOException {
    var s = small();
    Path dir = Files.createDirectory(tmp.resolve("bert"));
    var arrays = export(TensorSource.of(small("workload.transformer.layers=3")), 3, false);
    for (var e : arrays.entrySet()) {
      Npy.write(dir.resolve(e.getKey() + ".npy"), e.getValue(), NpyDtype.FLOAT32);
    }
    var t = new TensorFile(dir, s.transformer()).layer(1);

    assertNull(t.wO());
    double[][] x = arrays.get("x.1");
    assertEquals((double) (float) x[5][7], t.x()[5][7]);
    assertEquals((double) (float) arrays.get("wv.1")[15][0], t.wV()[15][0]);
    assertEquals("layer index must be in [0, 2), got 2", assertThrows(
        IllegalArgumentException.class, () -> new TensorFile(dir, s.transformer()).layer(2))
        .getMessage());
  }

  @Test
  void aNonFiniteValueNamesTheKeyAndWhere() throws IOException {
    var s = small();
    var arrays = export(TensorSource.of(s), 2, true);
    arrays.get("wv.1")[3][5] = Double.POSITIVE_INFINITY; // a float16 export overflowing
    Path file = npz(arrays);
    var tensors = new TensorFile(file, s.transformer());
    tensors.layer(0); // layer 0 is fine
    var e = assertThrows(TensorError.class, () -> tensors.layer(1));
    assertEquals(file + ": wv.1 has Infinity at row 3, column 5; attnsim needs finite values",
        e.getMessage());
  }

  @Test
  void aWrongShapeNamesTheKeyAndWhatTheWorkloadNeeds() throws IOException {
    var s = small();
    var arrays = export(TensorSource.of(s), 2, true);
    arrays.put("x.1", new double[12][16]);
    Path file = npz(arrays);
    assertEquals(file + ": x.1 is 12 x 16, the workload needs seq-len 24 x d-model 16",
        problem(file, s));

    arrays = export(TensorSource.of(s), 2, true);
    arrays.put("wk.0", new double[16][8]);
    file = npz(arrays);
    assertEquals(file + ": wk.0 is 16 x 8, the workload needs d-model 16 x d-model 16",
        problem(file, s));

    arrays = export(TensorSource.of(s), 2, true);
    arrays.put("wo.1", new double[][] {new double[16]});
    file = npz(arrays);
    assertEquals(file + ": wo.1 is 1 x 16, the workload needs d-model 16 x d-model 16",
        problem(file, s));
  }

  @Test
  void aMissingKeySaysWhatItIsAndListsTheKeysThereAre() throws IOException {
    var s = small();
    var arrays = export(TensorSource.of(s), 2, true);
    arrays.remove("wq.1");
    Path file = npz(arrays);
    assertEquals(file + ": wq.1 is missing (layer 1's W_Q, d-model x d-model); t.npz has x.0, "
        + "wq.0, wk.0, wv.0, wo.0, x.1, wk.1, wv.1 and 1 more", problem(file, s));

    arrays = export(TensorSource.of(s), 2, true);
    arrays.remove("wo.0");
    file = npz(arrays);
    assertEquals(file + ": wo.0 is missing (layer 0's W_O, d-model x d-model); W_O is optional, "
        + "but then every layer needs one; t.npz has x.0, wq.0, wk.0, wv.0, x.1, wq.1, wk.1, "
        + "wv.1 and 1 more", problem(file, s));

    arrays = new LinkedHashMap<>();
    arrays.put("layers.0.x", new double[1][1]);
    file = npz(arrays);
    assertEquals(file + ": x.0 is missing (layer 0's attention input X, seq-len x d-model); "
        + "t.npz has layers.0.x", problem(file, s));
  }

  @Test
  void anIntegerArrayAndATruncatedArrayAreNamed() throws IOException {
    var s = small();
    Path file = tmp.resolve("int8.npz");
    try (OutputStream os = Files.newOutputStream(file); var zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("x.0.npy"));
      byte[] dict = "{'descr': '|i1', 'fortran_order': False, 'shape': (24, 16), }\n"
          .getBytes(StandardCharsets.US_ASCII);
      zip.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) dict.length, 0});
      zip.write(dict);
      zip.write(new byte[24 * 16]);
      zip.closeEntry();
    }
    assertEquals(file + ": x.0 has dtype '|i1' (int8); attnsim reads float16, float32 and "
        + "float64", problem(file, s));

    Path dir = Files.createDirectory(tmp.resolve("cut"));
    for (var e : export(TensorSource.of(s), 2, false).entrySet()) {
      Npy.write(dir.resolve(e.getKey() + ".npy"), e.getValue(), NpyDtype.FLOAT32);
    }
    Path wv = dir.resolve("wv.0.npy");
    byte[] whole = Files.readAllBytes(wv);
    Files.write(wv, Arrays.copyOf(whole, whole.length - 100));
    assertEquals(dir + ": wv.0 is truncated: its header says 16 x 16 float32, 1,024 data bytes; "
        + "924 are there", problem(dir, s));
  }

  @Test
  void theConfigKeyNamesAFileThatExistsRelativeToTheCurrentDirectory() {
    assertEquals(Optional.empty(), small().tensors().file());
    assertInstanceOf(SyntheticTensors.class, TensorSource.of(small()));
    // tests run in the module directory
    assertEquals(Optional.of(Path.of("pom.xml")),
        small("workload.tensors.file=pom.xml").tensors().file());

    Path none = tmp.resolve("none.npz");
    var e = assertThrows(ConfigError.class,
        () -> small("workload.tensors.file=\"" + none + "\""));
    assertEquals("attnsim.workload.tensors.file = \"" + none + "\" (--set): no such file or "
        + "directory", e.getMessage());
  }
}
