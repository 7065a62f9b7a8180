package dev.attnsim.sim.cli;

import static dev.attnsim.sim.cli.Cli.attnsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code bench} on a named simulation instead of the gemm pipeline. */
class BenchCliTest {

  @org.junit.jupiter.api.io.TempDir
  java.nio.file.Path dir;

  @Test
  void benchesTheSimulationAConfigNames() {
    var r = attnsim("bench", "--accelerator", "dota-c", "--workload", "lra-text",
        "--set", "workload.transformer.seq-len=64", "--set", "workload.transformer.layers=1",
        "--engines", "sequential", "--trace", "off", "--repeat", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("bench: dota on lra-text l 64, 1 layers, timing mode, 22 blocks"),
        r.out());
    // the tests' JVM (no -XX:+UseTransparentHugePages) says its heap and nothing more
    assertTrue(r.out().lines().findFirst().orElseThrow().matches(".*, max heap \\d+ MiB"),
        r.out());
    // the same run's events as `attnsim run` reports for it
    var run = attnsim("run", "--accelerator", "dota-c", "--workload", "lra-text",
        "--set", "workload.transformer.seq-len=64", "--set", "workload.transformer.layers=1",
        "--engine", "sequential", "--no-trace", "--set", "run.accuracy=false",
        "-o", dir.resolve("run").toString(), "--force");
    assertEquals(0, run.code(), run.err());
    var events = java.util.regex.Pattern.compile("sim\\s+([0-9,]+) simulator events")
        .matcher(run.out());
    assertTrue(events.find(), run.out());
    // its synthetic masks are worked out ahead on the common pool where there is a spare core
    String threads = Runtime.getRuntime().availableProcessors() > 1
        ? "1\\+" + java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() : "1";
    assertTrue(r.out().matches("(?s).*\\nsequential\\s+off\\s+" + threads + "\\s+"
        + events.group(1) + "\\s.*"), r.out());
  }

  /** The gemm pipeline hands nothing to the common pool: its rows read one thread. */
  @Test
  void aRunThatHandsNothingOverReadsItsEnginesThreadsAlone() {
    var r = attnsim("bench", "--events", "2000", "--engines", "sequential", "--trace", "off",
        "--repeat", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().matches("(?s).*\\nsequential\\s+off\\s+1\\s.*"), r.out());
  }

  /**
   * A functional bench also measures each engine kept to one thread (no spare cores) and says
   * what the spare cores bought; its rows with spare cores name the common pool's threads.
   */
  @Test
  void aFunctionalBenchMeasuresOneThreadToo() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() > 1,
        "needs a spare core");
    var r = attnsim("bench", "--accelerator", "dota-c", "--workload", "lra-text",
        "--set", "workload.transformer.seq-len=64", "--set", "workload.transformer.layers=1",
        "--set", "run.mode=functional", "--trace", "off", "--repeat", "1");
    assertEquals(0, r.code(), r.err());
    int pool = java.util.concurrent.ForkJoinPool.getCommonPoolParallelism();
    for (String engine : new String[] {"sequential", "actor"}) {
      assertTrue(r.out().matches("(?s).*\\n" + engine + "\\s+off\\s+\\d+\\+" + pool
          + "\\s.*\\n" + engine + "\\s+off\\s+1\\s.*"), r.out());
      assertTrue(r.out().matches("(?s).*\\n" + engine + " engine, functional mode: "
          + "\\d+\\.\\d\\dx faster on \\d+ cores than on one thread \\(tracing off\\)\\n.*"),
          r.out());
    }
    // kept to one thread from the start, there is nothing to compare
    var alone = attnsim("bench", "--accelerator", "dota-c", "--workload", "lra-text",
        "--set", "workload.transformer.seq-len=64", "--set", "workload.transformer.layers=1",
        "--set", "run.mode=functional", "--set", "run.spare-cores=false", "--engines",
        "sequential", "--trace", "off", "--repeat", "1");
    assertEquals(0, alone.code(), alone.err());
    assertTrue(alone.out().matches("(?s).*\\nsequential\\s+off\\s+1\\s.*"), alone.out());
    assertFalse(alone.out().contains("faster on"), alone.out());
  }

  /** A bench of the fast DRAM model says so in its header. */
  @Test
  void theHeaderNamesTheFastDramModel() {
    var r = attnsim("bench", "--accelerator", "dota-c", "--workload", "lra-text",
        "--set", "workload.transformer.seq-len=64", "--set", "workload.transformer.layers=1",
        "--set", "hardware.dram.model=fast", "--engines", "sequential", "--trace", "off",
        "--repeat", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("bench: dota on lra-text l 64, 1 layers, timing mode, fast DRAM "
        + "model, 22 blocks"), r.out());
  }

  /**
   * A traced row writes its trace as a run does, a new file, and deletes it after the clock has
   * stopped: nothing is left behind, and the bytes it reports are the trace's.
   */
  @Test
  void aTracedRowLeavesNoTraceBehind() throws java.io.IOException {
    var tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
    java.util.function.Supplier<Long> leftovers = () -> {
      try (var files = java.nio.file.Files.list(tmp)) {
        return files.filter(f -> f.getFileName().toString().startsWith("attnsim-bench")).count();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    long before = leftovers.get();
    var r = attnsim("bench", "--events", "2000", "--engines", "sequential", "--trace",
        "on,binary", "--repeat", "1");
    assertEquals(0, r.code(), r.err());
    assertEquals(before, leftovers.get());
    // JSON Lines run about ten times the binary encoding's bytes
    var jsonl = java.util.regex.Pattern.compile("\\nsequential\\s+jsonl\\s+1\\s+[\\d,]+\\s+\\S+"
        + "\\s+\\S+\\s+0\\s+([\\d,]+)").matcher(r.out());
    var binary = java.util.regex.Pattern.compile("\\nsequential\\s+binary\\s+1\\s+[\\d,]+\\s+"
        + "\\S+\\s+\\S+\\s+0\\s+([\\d,]+)").matcher(r.out());
    assertTrue(jsonl.find() && binary.find(), r.out());
    long j = Long.parseLong(jsonl.group(1).replace(",", ""));
    long b = Long.parseLong(binary.group(1).replace(",", ""));
    assertTrue(b > 0 && j > 5 * b, j + " against " + b);
  }

  @Test
  void eventsSizeOnlyThePipeline() {
    var r = attnsim("bench", "--workload", "lra-text", "--events", "5000");
    assertEquals(ExitCodes.BAD_INPUT, r.code());
    assertTrue(r.err().contains("--events sizes the gemm pipeline"), r.err());
  }

  /**
   * A ratio pairs runs of the same round: a slow round slows both of its runs and leaves their
   * ratio alone, where the ratio of the two medians would take it in.
   */
  @Test
  void ratiosAreTheMedianOfEachRoundsOwnRatio() {
    double[] actor = {2.0, 10.0, 3.0};
    double[] sequential = {1.0, 5.0, 1.0}; // round 2 slow for both; the medians' ratio is 3
    assertEquals(2.0, BenchCommand.medianRatio(actor, sequential), 1e-12);
    assertEquals(2.5, BenchCommand.medianRatio(new double[] {2, 10, 3, 12},
        new double[] {1, 5, 1, 4}), 1e-12); // ratios 2, 2, 3, 3
  }
}
