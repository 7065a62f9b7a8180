package dev.attnsim.sim.cli;

import static dev.attnsim.sim.cli.Cli.attnsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.cli.Cli.Result;
import dev.attnsim.sim.golden.TensorSource;
import dev.attnsim.sim.tensors.NpyArchive;
import dev.attnsim.sim.tensors.NpyDtype;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code workload.tensors.file} as a user meets it: accuracy, check and run on a tensor file. */
class TensorFileCliTest {

  @TempDir
  Path tmp;

  private static final List<String> SMALL = List.of("workload.transformer.layers=2",
      "workload.transformer.d-model=32", "workload.transformer.heads=2",
      "workload.transformer.seq-len=64");

  /** {@code command}, the small workload's {@code --set}s, then {@code more}. */
  private static String[] args(String command, String... more) {
    var a = new ArrayList<String>(List.of(command));
    SMALL.forEach(s -> a.addAll(List.of("--set", s)));
    a.addAll(Arrays.asList(more));
    return a.toArray(String[]::new);
  }

  private static String fileSet(Path file) {
    return "workload.tensors.file=\"" + file + "\"";
  }

  /** The small workload's synthetic tensors (seed 1) in an .npz, W_O included. */
  private Path syntheticNpz() throws IOException {
    Path file = tmp.resolve("synthetic.npz");
    NpyArchive.writeNpz(file, syntheticArrays(), NpyDtype.FLOAT64, true);
    return file;
  }

  /** The small workload's synthetic tensors (seed 1) by key. */
  private static LinkedHashMap<String, double[][]> syntheticArrays() {
    var source = TensorSource.of(TestConfigs.defaults(SMALL.toArray(String[]::new)));
    var arrays = new LinkedHashMap<String, double[][]>();
    for (int i = 0; i < 2; i++) {
      var t = source.layer(i);
      arrays.put("x." + i, t.x());
      arrays.put("wq." + i, t.wQ());
      arrays.put("wk." + i, t.wK());
      arrays.put("wv." + i, t.wV());
      arrays.put("wo." + i, t.wO());
    }
    return arrays;
  }

  /** Standard output without its last line, the wall time. */
  private static List<String> table(Result r) {
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(lines.size() - 1).startsWith("wall "), r.out());
    return lines.subList(0, lines.size() - 1);
  }

  @Test
  void accuracyOnAFileOfTheSyntheticTensorsPrintsTheSyntheticTable() throws IOException {
    Path file = syntheticNpz();
    Result synthetic = attnsim(args("accuracy", "--keep", "0.1,0.25"));
    Result fromFile = attnsim(args("accuracy", "--keep", "0.1,0.25", "--set", fileSet(file)));

    assertEquals(0, synthetic.code(), synthetic.err());
    assertEquals(0, fromFile.code(), fromFile.err());
    var expected = table(synthetic);
    var actual = table(fromFile);
    assertTrue(expected.get(0).endsWith("synthetic (seed 1) tensors"), expected.get(0));
    assertTrue(actual.get(0).endsWith("file " + file + " tensors"), actual.get(0));
    // header, 2 ratios x (oracle, dsa, fact), sanger, energon: the same figures
    assertEquals(expected.subList(1, 10), actual.subList(1, 10));
    assertEquals(expected.subList(1, expected.size()), actual.subList(1, actual.size()));
  }

  /**
   * Dense attention written out by hand, head by head ({@code softmax(Q K^T / sqrt(d_head)) V
   * W_O[h]}, the framework's side of the comparison), times {@code factor}.
   */
  private static double[][] denseAttention(LinkedHashMap<String, double[][]> a, int layer,
      double factor) {
    double[][] x = a.get("x." + layer);
    int l = x.length;
    int d = x[0].length;
    int heads = 2;
    int dh = d / heads;
    var out = new double[l][d];
    for (int h = 0; h < heads; h++) {
      var q = new double[l][dh];
      var k = new double[l][dh];
      var v = new double[l][dh];
      for (int i = 0; i < l; i++) {
        for (int c = 0; c < dh; c++) {
          for (int t = 0; t < d; t++) {
            q[i][c] += x[i][t] * a.get("wq." + layer)[t][h * dh + c];
            k[i][c] += x[i][t] * a.get("wk." + layer)[t][h * dh + c];
            v[i][c] += x[i][t] * a.get("wv." + layer)[t][h * dh + c];
          }
        }
      }
      for (int i = 0; i < l; i++) {
        var p = new double[l];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < l; j++) {
          for (int c = 0; c < dh; c++) {
            p[j] += q[i][c] * k[j][c];
          }
          p[j] /= Math.sqrt(dh);
          max = Math.max(max, p[j]);
        }
        double sum = 0;
        for (int j = 0; j < l; j++) {
          p[j] = Math.exp(p[j] - max);
          sum += p[j];
        }
        var z = new double[dh];
        for (int j = 0; j < l; j++) {
          for (int c = 0; c < dh; c++) {
            z[c] += p[j] / sum * v[j][c];
          }
        }
        for (int col = 0; col < d; col++) {
          for (int c = 0; c < dh; c++) {
            out[i][col] += factor * z[c] * a.get("wo." + layer)[h * dh + c][col];
          }
        }
      }
    }
    return out;
  }

  /**
   * A file whose layers carry their own attention output ({@code attn_out.<i>}): functional runs
   * and accuracy report attnsim's dense attention against it: about 1e-16 when it is the same
   * arithmetic, 1e-2 when the reference is 1 % off (layer 1 here). A reference of the wrong
   * shape is a one-line error naming the key.
   */
  @Test
  void aReferenceOutputInTheFileIsComparedWithAttnsimsDenseAttention() throws IOException {
    var arrays = syntheticArrays();
    arrays.put("attn_out.0", denseAttention(arrays, 0, 1.0));
    arrays.put("attn_out.1", denseAttention(arrays, 1, 1.01));
    Path file = tmp.resolve("reference.npz");
    NpyArchive.writeNpz(file, arrays, NpyDtype.FLOAT64, true);

    Result acc = attnsim(args("accuracy", "--predictors", "oracle", "--set", fileSet(file)));
    assertEquals(0, acc.code(), acc.err());
    assertTrue(acc.out().contains("reference  attn_out of the tensor file: attnsim's dense "
        + "attention within 9.90e-03 (relative error, worst of 2 layer(s))"), acc.out());

    Path out = tmp.resolve("run");
    Result run = attnsim(args("run", "--mode", "functional", "--no-trace", "--out",
        out.toString(), "--set", fileSet(file)));
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("reference  attn_out of the tensor file"), run.out());
    var summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    var layers = summary.get("reference").get("layer_rel_errors");
    assertTrue(layers.get(0).asDouble() < 1e-12, layers.toString());
    // (1.01 Z - Z) / 1.01 Z: the reference is the denominator
    assertEquals(0.01 / 1.01, layers.get(1).asDouble(), 1e-12);

    arrays.put("attn_out.1", new double[32][32]);
    Path wrong = tmp.resolve("wrong.npz");
    NpyArchive.writeNpz(wrong, arrays, NpyDtype.FLOAT64, true);
    Result bad = attnsim(args("check", "--set", fileSet(wrong)));
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("attn_out.1 is 32 x 32, the workload needs seq-len 64 x "
        + "d-model 32"), bad.err());
  }

  @Test
  void aWrongShapeIsAOneLineErrorWithExitCode2() throws IOException {
    var arrays = new LinkedHashMap<String, double[][]>();
    arrays.put("x.0", new double[32][32]);
    Path file = tmp.resolve("short.npz");
    NpyArchive.writeNpz(file, arrays, NpyDtype.FLOAT32, false);
    String expected = "attnsim: error: " + file + ": x.0 is 32 x 32, the workload needs "
        + "seq-len 64 x d-model 32";

    Result accuracy = attnsim(args("accuracy", "--set", fileSet(file)));
    assertEquals(2, accuracy.code());
    assertEquals(expected, accuracy.err().strip());
    assertEquals("", accuracy.out());

    Result check = attnsim(args("check", "--set", fileSet(file)));
    assertEquals(2, check.code());
    assertEquals(expected, check.err().strip());
  }

  @Test
  void checkAcceptsAFileThatFitsAndRejectsOneThatIsNotThere() throws IOException {
    Result ok = attnsim(args("check", "--set", fileSet(syntheticNpz())));
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.err().startsWith("ok: "), ok.err());

    Path none = tmp.resolve("none.npz");
    Result missing = attnsim(args("check", "--set", fileSet(none)));
    assertEquals(2, missing.code());
    assertEquals("attnsim: error: attnsim.workload.tensors.file = \"" + none + "\" (--set): "
        + "no such file or directory", missing.err().strip());
  }

  @Test
  void aTimingRunWithPredictorMasksRunsThePredictorOnTheFile() throws IOException {
    Path file = syntheticNpz();
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Result synthetic = attnsim(args("run", "--no-trace", "--quiet", "--out", a.toString(),
        "--set", "workload.masks.source=oracle"));
    Result fromFile = attnsim(args("run", "--no-trace", "--quiet", "--out", b.toString(),
        "--set", "workload.masks.source=oracle", "--set", fileSet(file)));

    assertEquals(0, synthetic.code(), synthetic.err());
    assertEquals(0, fromFile.code(), fromFile.err());
    var mapper = new ObjectMapper();
    var sa = mapper.readTree(a.resolve("summary.json").toFile());
    var sb = mapper.readTree(b.resolve("summary.json").toFile());
    assertTrue(sa.get("cycles").asLong() > 0);
    assertEquals(sa.get("cycles"), sb.get("cycles"));
    assertEquals(sa.get("sparsity"), sb.get("sparsity"));

    // the run reads the file: one that does not fit stops it before it starts
    var arrays = new LinkedHashMap<String, double[][]>();
    arrays.put("x.0", new double[64][16]);
    Path narrow = tmp.resolve("narrow.npz");
    NpyArchive.writeNpz(narrow, arrays, NpyDtype.FLOAT32, false);
    Result bad = attnsim(args("run", "--no-trace", "--quiet", "--out", tmp.resolve("c").toString(),
        "--set", "workload.masks.source=oracle", "--set", fileSet(narrow)));
    assertEquals(2, bad.code());
    assertEquals("attnsim: error: " + narrow + ": x.0 is 64 x 16, the workload needs seq-len 64 x "
        + "d-model 32", bad.err().strip());
  }

  @Test
  void aNonFiniteValueFailsRunCheckAndAccuracyBeforeAnyWork() throws IOException {
    var arrays = syntheticArrays();
    arrays.get("x.1")[7][1] = Double.NaN;
    Path file = tmp.resolve("nan.npz");
    NpyArchive.writeNpz(file, arrays, NpyDtype.FLOAT32, true);
    String expected = "attnsim: error: " + file + ": x.1 has NaN at row 7, column 1; attnsim "
        + "needs finite values";
    for (String command : new String[] {"run", "check", "accuracy"}) {
      var more = new java.util.ArrayList<>(List.of(args(command, "--set", fileSet(file))));
      if (command.equals("run")) {
        more.addAll(List.of("--out", tmp.resolve("out").toString()));
      }
      Result r = attnsim(more.toArray(String[]::new));
      assertEquals(2, r.code(), command + ": " + r.err());
      assertEquals(expected, r.err().strip(), command);
      assertEquals("", r.out(), command);
    }
    assertFalse(Files.exists(tmp.resolve("out")), "no output directory for a failed run");
  }
}
