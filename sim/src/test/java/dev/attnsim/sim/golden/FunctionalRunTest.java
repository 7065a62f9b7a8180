package dev.attnsim.sim.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.blocks.common.FunctionalModel;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.TraceSink;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.assembly.DotaAssembly;
import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.run.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functional co-simulation on the DOTA model: every mask the selectors make equals the golden
 * model's, every attention output tile matches within the tolerance, the same on every engine;
 * and a datapath that computes something else fails the run naming the first tile that differs.
 */
class FunctionalRunTest {

  @TempDir
  Path tmp;

  /** 2 layers x 256 tokens, d 128, 4 heads (d_head 32), 4 lanes; query blocks of 32 rows. */
  private static SimSettings small(String... more) {
    var sets = new java.util.ArrayList<>(List.of("workload.transformer.layers=2",
        "workload.transformer.d-model=128", "workload.transformer.heads=4",
        "workload.transformer.ffn-hidden=256", "workload.transformer.seq-len=256",
        "run.mode=functional", "run.engine=sequential"));
    sets.addAll(List.of(more));
    return TestConfigs.defaults(sets.toArray(String[]::new));
  }

  private static RunResult run(SimSettings s, FunctionalModel model) {
    return Simulation.engine(s).run(DotaAssembly.build(s, model), TraceSink.NONE,
        ProgressListener.NONE);
  }

  @Test
  void everyMaskAndOutputTileMatchesTheGoldenModel() {
    var s = small();
    var golden = new GoldenModel(s);
    var r = run(s, golden);
    assertEquals(RunStatus.OK, r.status(), String.join("; ", r.problems()));
    var checks = golden.checks();
    // 2 layers x 4 heads x 256 / 32 query blocks; 2 layers x 8 output tiles
    assertEquals(64, checks.masks());
    assertEquals(16, checks.outputs());
    assertTrue(checks.maxOutputError() > 0, "FX16 rounding leaves some error");
    assertTrue(checks.maxOutputError() < 1e-3, "error " + checks.maxOutputError());
  }

  /**
   * The golden answers of the next query blocks are worked out ahead on another core, whichever
   * thread asks and whenever (here the sequential engine with nothing ahead, {@code
   * run.spare-cores = false}, against the actor engine on 2 threads): the same checks, the same
   * worst error to the bit, and a faulty mask still fails the run naming the same first tile. A
   * piece worked out for the wrong block fails the run.
   */
  @Test
  void goldenAnswersWorkedOutAheadAreTheSameAnswers() {
    var inline = small("run.spare-cores=false");
    var golden = new GoldenModel(inline);
    assertEquals(RunStatus.OK, run(inline, golden).status());
    var ahead = small("run.engine=actor", "run.parallelism=2");
    var early = new GoldenModel(ahead);
    assertEquals(RunStatus.OK, run(ahead, early).status());
    assertEquals(golden.checks(), early.checks());

    var faulty = new Delegate(new GoldenModel(ahead)) {
      @Override
      public double keepRatio() {
        return 27.0 / 256;
      }
    };
    var r = run(ahead, faulty);
    assertEquals(RunStatus.ABORTED, r.status());
    assertTrue(String.join("; ", r.problems()).contains("functional mismatch: mask of layer 0 "
        + "head 0 queries 0-31 (from tile "), String.join("; ", r.problems()));
  }

  /**
   * The masks run accuracy judges ({@link PredictorMasks}) are the ones the golden model checked
   * the run against, block by block, causal rows (fewer candidates, fewer keys) included.
   */
  @Test
  void accuracyJudgesTheMasksTheRunWasCheckedAgainst() {
    for (var s : List.of(small(), small("workload.transformer.causal=true"))) {
      var golden = new GoldenModel(s);
      var predictor = new PredictorMasks(s, dev.attnsim.sim.config.DotaSettings.MaskSourceKind.DSA);
      for (int layer = 0; layer < 2; layer++) {
        for (int head = 0; head < 4; head++) {
          for (int q0 = 0; q0 < 256; q0 += 32) {
            var expected = golden.mask(layer, head, q0, 32);
            var got = predictor.mask(layer, head, q0, 32);
            for (int i = 0; i < 32; i++) {
              assertArrayEquals(expected[i], got[i], "layer " + layer + " head " + head
                  + " query " + (q0 + i));
            }
          }
        }
      }
      // causal query 0 has one candidate and keeps it, query 99 keeps 10; every query of a
      // non-causal head keeps round(0.1 x 256) = 26; query 255 keeps 26 either way
      boolean causal = s.transformer().causal();
      assertEquals(causal ? 1 : 26, count(golden.mask(0, 0, 0, 32)[0]));
      assertEquals(causal ? 10 : 26, count(golden.mask(0, 0, 96, 32)[3]));
      assertEquals(26, count(golden.mask(0, 0, 224, 32)[31]));
    }
  }

  private static int count(boolean[] row) {
    int n = 0;
    for (boolean b : row) {
      n += b ? 1 : 0;
    }
    return n;
  }

  @Test
  void aRunWhoseTilesCarryNoNumbersIsIncomplete() {
    var s = small();
    var golden = new GoldenModel(s);
    var r = run(s, null); // timing blocks: nothing reaches the golden model
    assertEquals(RunStatus.OK, r.status());
    var checks = golden.checks();
    assertEquals(0, checks.masks());
    assertEquals(64, checks.expectedMasks());
    assertEquals(16, checks.expectedOutputs());
    assertFalse(checks.complete());
    var full = new GoldenModel(s);
    run(s, full);
    assertTrue(full.checks().complete());
  }

  @Test
  void causalAndDenseRunsMatchToo() {
    var causal = small("workload.transformer.causal=true");
    var golden = new GoldenModel(causal);
    assertEquals(RunStatus.OK, run(causal, golden).status());
    assertEquals(64, golden.checks().masks());

    var dense = small("hardware.detection.enabled=false");
    var denseGolden = new GoldenModel(dense);
    assertEquals(RunStatus.OK, run(dense, denseGolden).status());
    assertEquals(0, denseGolden.checks().masks(), "DOTA-F selects nothing");
    assertEquals(16, denseGolden.checks().outputs());
  }

  @Test
  void sameTraceOnEveryEngine() throws IOException {
    List<String> reference = null;
    for (String engine : new String[] {"run.engine=sequential", "run.engine=actor"}) {
      var s = small(engine, "run.parallelism=2", "workload.transformer.layers=1");
      var o = Simulation.run(s, tmp.resolve(engine.substring(11)), ProgressListener.NONE);
      assertEquals(RunStatus.OK, o.result().status());
      var lines = Files.readAllLines(o.trace());
      lines = lines.subList(1, lines.size());
      if (reference == null) {
        reference = lines;
      } else {
        assertEquals(reference, lines);
      }
    }
  }

  /**
   * A mask check compares the accelerator's kept keys with the golden ones: equal lists pass,
   * and each way of differing is named by its first key in key order.
   */
  @Test
  void aMaskCheckNamesTheFirstKeyEitherSideKeepsAlone() {
    var golden = new GoldenModel(small("run.spare-cores=false"));
    boolean[][] mask = golden.mask(0, 1, 32, 32);
    int[][] keys = new int[32][];
    for (int i = 0; i < 32; i++) {
      boolean[] kept = mask[i];
      keys[i] = java.util.stream.IntStream.range(0, 256).filter(j -> kept[j]).toArray();
    }
    golden.checkMask("tile a", 0, 1, 32, keys); // the golden mask's own keys pass
    assertEquals(1, golden.checks().masks());
    int[] row = keys[3];
    int[] fewer = java.util.Arrays.copyOfRange(row, 1, row.length);
    int[] extra = java.util.stream.IntStream.range(0, 256)
        .filter(j -> j == 0 || mask[3][j]).toArray();
    assertTrue(extra.length == row.length + 1, "query 35 must not keep key 0 for this test");
    int[] outside = java.util.Arrays.copyOf(row, row.length + 1);
    outside[row.length] = 256;
    int[] backwards = row.clone();
    backwards[0] = row[1];
    backwards[1] = row[0];
    int[] lastMissing = java.util.Arrays.copyOf(row, row.length - 1);
    String[] expected = {
        "tile b differs from the golden model at query 35: the golden model keeps key " + row[0]
            + ", the accelerator does not",
        "tile b differs from the golden model at query 35: the accelerator keeps key 0, the "
            + "golden model does not",
        "tile b keeps key 256 for query 35, outside the sequence or out of order",
        "tile b differs from the golden model at query 35: the golden model keeps key " + row[0]
            + ", the accelerator does not",
        "tile b differs from the golden model at query 35: the golden model keeps key "
            + row[row.length - 1] + ", the accelerator does not"};
    int[][] rows = {fewer, extra, outside, backwards, lastMissing};
    for (int k = 0; k < rows.length; k++) {
      int[][] wrong = keys.clone();
      wrong[3] = rows[k];
      var e = assertThrows(FunctionalModel.FunctionalMismatch.class,
          () -> golden.checkMask("tile b", 0, 1, 32, wrong));
      assertEquals("functional mismatch: " + expected[k], e.getMessage());
    }
    assertEquals(1, golden.checks().masks());
  }

  @Test
  void aMaskThatDiffersFailsTheRunNamingTheTile() {
    var s = small();
    var golden = new GoldenModel(s);
    // a selector that keeps one key more than the golden model: 27 of 256 instead of 26
    var faulty = new Delegate(golden) {
      @Override
      public double keepRatio() {
        return golden.keepRatio() + 1.0 / 256;
      }
    };
    var r = run(s, faulty);
    assertEquals(RunStatus.ABORTED, r.status());
    String cause = String.join("; ", r.problems());
    assertTrue(cause.contains("functional mismatch: mask of layer 0 head 0 queries 0-31 (from "
        + "tile "), cause);
    assertTrue(cause.contains("differs from the golden model at query 0: the accelerator keeps "
        + "key "), cause);
    assertTrue(cause.contains(", the golden model does not"), cause);
  }

  /**
   * Trained-like magnitudes: feature 0 of X is an outlier (10 in every token) that W_Q and W_K
   * both map to one direction, so every score carries an offset near 300 (as trained layers'
   * outlier features make scores around 170) while the softmax depends on differences of a few
   * units. A 16-bit score would sit on a 2^-6 grid there and the output error pass 1e-3 (1.3e-3
   * measured); the scores stay at the accumulators' 32 bits and the run passes the default
   * tolerance, every DSA mask exact.
   */
  @Test
  void trainedMagnitudeScoresPassAtTheDefaultTolerance() throws IOException {
    var base = small("workload.transformer.layers=1");
    var t = TensorSource.of(base).layer(0);
    double[][] x = copy(t.x());
    double[][] wq = copy(t.wQ());
    double[][] wk = copy(t.wK());
    for (double[] row : x) {
      row[0] = 10;
    }
    double u = Math.sqrt(300 * Math.sqrt(32) / 100 / 32); // 100 u^2 x 32 / sqrt(32) = 300
    java.util.Arrays.fill(wq[0], u);
    java.util.Arrays.fill(wk[0], u);
    var arrays = new java.util.LinkedHashMap<String, double[][]>();
    arrays.put("x.0", x);
    arrays.put("wq.0", wq);
    arrays.put("wk.0", wk);
    arrays.put("wv.0", t.wV());
    arrays.put("wo.0", t.wO());
    Path file = tmp.resolve("outlier.npz");
    dev.attnsim.sim.tensors.NpyArchive.writeNpz(file, arrays,
        dev.attnsim.sim.tensors.NpyDtype.FLOAT64, true);
    var s = small("workload.transformer.layers=1", "workload.tensors.file=\"" + file + "\"");
    var q = dev.attnsim.actors.compute.Attention.multiply(x, TensorSource.headColumns(wq, 0, 32));
    var k = dev.attnsim.actors.compute.Attention.multiply(x, TensorSource.headColumns(wk, 0, 32));
    double min = Double.MAX_VALUE;
    for (double[] row : dev.attnsim.actors.compute.Attention.scores(q, k, 0, 256)) {
      for (double v : row) {
        min = Math.min(min, v);
      }
    }
    assertTrue(min > 250, "the premise: every score carries the offset, min " + min);
    var golden = new GoldenModel(s);
    var r = run(s, golden);
    assertEquals(RunStatus.OK, r.status(), String.join("; ", r.problems()));
    assertTrue(golden.checks().complete());
    assertTrue(golden.checks().maxOutputError() < 5e-4, "" + golden.checks().maxOutputError());
  }

  private static double[][] copy(double[][] m) {
    var c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }

  @Test
  void anOutputBeyondTheToleranceFailsTheRun() {
    var s = small();
    var golden = new GoldenModel(s);
    // V weights 1 % too large: every output 1 % off (the golden model computes on the
    // accelerator's FX16 operands, so FX16 rounding adds almost nothing), ten times the tolerance
    var faulty = new Delegate(golden) {
      @Override
      public HeadWeights weights(int layer, int head) {
        var w = golden.weights(layer, head);
        var wV = new double[w.wV().length][];
        for (int i = 0; i < wV.length; i++) {
          wV[i] = w.wV()[i].clone();
          for (int j = 0; j < wV[i].length; j++) {
            wV[i][j] *= 1.01;
          }
        }
        return new HeadWeights(w.wQ(), w.wK(), wV, w.wO(), w.detector());
      }
    };
    var r = run(s, faulty);
    assertEquals(RunStatus.ABORTED, r.status());
    String cause = String.join("; ", r.problems());
    assertTrue(cause.contains("functional mismatch: attention output of layer 0 queries 0-31 "
        + "(completed by tile "), cause);
    assertTrue(cause.contains("relative error 0.0100 exceeds attnsim.run.functional.tolerance"
        + " = 0.00100"), cause);
    // the failing tile is the worst error the summary reports, not a passing one
    assertEquals(1, golden.checks().outputs());
    assertEquals(0.01, golden.checks().maxOutputError(), 1e-4);
  }

  @Test
  void summaryReportsTheChecksAndTheAccuracy() throws IOException {
    var o = Simulation.run(small("hardware.detection.enabled=false"), tmp.resolve("f"),
        ProgressListener.NONE);
    assertNotNull(o.checks());
    var a = o.accuracy();
    // dense attention is its own reference; 2 layers x 4 heads x 256 rows of 256 candidates
    assertEquals("dense", a.source());
    assertEquals(0.0, a.overall().omittedFraction());
    assertEquals(1.0, a.overall().predictionAccuracy(), 1e-12);
    assertEquals(1.0, a.overall().massKept(), 1e-12);
    assertEquals(0.0, a.overall().outputRelError());
    assertEquals(0.0, a.overall().predictMacShare());
    var csv = Files.readAllLines(o.outDir().resolve("accuracy.csv"));
    assertEquals(1 + 1 + 2 + 2 * 4, csv.size(), "header, run, 2 layers, 8 heads");
    assertTrue(csv.get(1).startsWith("run,,,2048,524288,524288,0.0,1.0,1.0,0.0,1.0,0.0"),
        csv.get(1));
    String json = Files.readString(o.outDir().resolve("summary.json"));
    assertTrue(json.contains("\"mode\" : \"functional\""), json);
    assertTrue(json.contains("\"outputs_checked\" : 16"), json);
  }

  @Test
  void aTensorFileRunsFunctionallyAndItsMasksDriveTimingRuns() throws IOException {
    // the synthetic tensors written to an .npz, float64: the same numbers, read from a file
    var synthetic = small("workload.transformer.layers=1");
    var layer = new SyntheticTensors(synthetic.transformer(), synthetic.tensors(), 1).layer(0);
    var arrays = new java.util.LinkedHashMap<String, double[][]>();
    arrays.put("x.0", layer.x());
    arrays.put("wq.0", layer.wQ());
    arrays.put("wk.0", layer.wK());
    arrays.put("wv.0", layer.wV());
    arrays.put("wo.0", layer.wO());
    Path npz = tmp.resolve("t.npz");
    dev.attnsim.sim.tensors.NpyArchive.writeNpz(npz, arrays,
        dev.attnsim.sim.tensors.NpyDtype.FLOAT64, true);
    String file = "workload.tensors.file=" + npz;

    var fromSynthetic = Simulation.run(synthetic, tmp.resolve("s"), ProgressListener.NONE);
    var fromFile = Simulation.run(small("workload.transformer.layers=1", file),
        tmp.resolve("f"), ProgressListener.NONE);
    assertEquals(RunStatus.OK, fromFile.result().status());
    assertEquals(fromSynthetic.result().cycles(), fromFile.result().cycles());
    assertEquals(fromSynthetic.checks(), fromFile.checks());
    assertEquals(fromSynthetic.accuracy().overall(), fromFile.accuracy().overall());
    assertEquals("file " + npz, fromFile.accuracy().tensors());

    // a timing run given tensors takes DSA's masks (auto), the same the functional run checked
    var timing = Simulation.run(small("workload.transformer.layers=1", file, "run.mode=timing"),
        tmp.resolve("t"), ProgressListener.NONE);
    assertEquals("dsa", timing.accuracy().source());
    assertEquals(fromFile.accuracy().overall(), timing.accuracy().overall());
    // numbers ride along: the same masks give the same cycles and events
    assertEquals(fromFile.result().cycles(), timing.result().cycles());
    assertEquals(fromFile.result().events(), timing.result().events());
  }

  @Test
  void timingRunsWithSyntheticMasksHaveNoAccuracy() throws IOException {
    var o = Simulation.run(small("run.mode=timing"), tmp.resolve("t"), ProgressListener.NONE);
    assertNull(o.accuracy());
    assertNull(o.checks());
    assertTrue(Files.notExists(o.outDir().resolve("accuracy.csv")));
  }

  @Test
  void oracleMasksInTimingModeAreJudgedToo() throws IOException {
    var o = Simulation.run(small("run.mode=timing", "workload.masks.source=oracle"),
        tmp.resolve("o"), ProgressListener.NONE);
    var a = o.accuracy();
    assertEquals("oracle", a.source());
    assertEquals(1.0, a.overall().predictionAccuracy(), 1e-12);
    assertTrue(Double.isNaN(a.overall().predictMacShare()));
  }

  @Test
  void functionalModeRefusesWhatItCannotCheck() {
    var gemm = assertThrows(ConfigError.class,
        () -> small("workload.kind=gemm"));
    assertEquals("attnsim.run.mode = functional needs a transformer workload: "
        + "attnsim.workload.kind = gemm carries no numbers", gemm.getMessage());
    var sanger = assertThrows(ConfigError.class,
        () -> small("workload.masks.source=sanger"));
    assertEquals("attnsim.workload.masks.source = \"sanger\" (--set) cannot be used with "
        + "attnsim.run.mode = functional: DOTA's detector computes dsa masks (set auto or dsa)",
        sanger.getMessage());
    var zero = assertThrows(ConfigError.class, () -> small("run.functional.tolerance=0"));
    assertTrue(zero.getMessage().startsWith("attnsim.run.functional.tolerance = 0 (--set) is out"
        + " of range"), zero.getMessage());
  }

  /** A model that answers as the golden one unless a test overrides a method. */
  private static class Delegate implements FunctionalModel {
    private final GoldenModel golden;

    Delegate(GoldenModel golden) {
      this.golden = golden;
    }

    @Override
    public double[][] input(int layer) {
      return golden.input(layer);
    }

    @Override
    public HeadWeights weights(int layer, int head) {
      return golden.weights(layer, head);
    }

    @Override
    public double keepRatio() {
      return golden.keepRatio();
    }

    @Override
    public dev.attnsim.actors.compute.SpareThreads kernels() {
      return golden.kernels();
    }

    @Override
    public void checkMask(String tile, int layer, int head, int q0, int[][] keys) {
      golden.checkMask(tile, layer, head, q0, keys);
    }

    @Override
    public void checkOutput(String tile, int layer, int q0, double[][] output) {
      golden.checkOutput(tile, layer, q0, output);
    }
  }
}
