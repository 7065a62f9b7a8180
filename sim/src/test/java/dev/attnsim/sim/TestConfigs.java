package dev.attnsim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.sim.config.ConfigLoader;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.run.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Settings for tests: the defaults, a config file of the repository, plus overrides. */
public final class TestConfigs {
  private TestConfigs() {}

  /** The repository root (tests run in a module directory). */
  public static Path repo() {
    Path here = Path.of("").toAbsolutePath();
    return here.getFileName().toString().equals("sim") ? here.getParent() : here;
  }

  public static SimSettings defaults(String... sets) {
    return ConfigLoader.load(null, List.of(sets));
  }

  public static SimSettings file(String relative, String... sets) {
    return ConfigLoader.load(repo().resolve(relative), List.of(sets));
  }

  /**
   * Runs {@code traces/golden/<name>.conf} on the sequential engine and on the actor engine at 1,
   * 2 and 4 threads (outputs under {@code dir}) and asserts that every run's event lines equal
   * the golden trace's (the header, which names the engine and version, aside).
   *
   * @param minLines the golden trace must have more event lines than this
   */
  public static void assertGoldenOnEveryEngine(String name, Path dir, int minLines)
      throws IOException {
    var golden = Files.readAllLines(repo().resolve("traces/golden/" + name + ".jsonl"));
    var expected = golden.subList(1, golden.size());
    assertTrue(expected.size() > minLines, "golden trace has " + expected.size() + " lines");
    assertEquals(expected, eventLines(name, dir, "sequential", 1));
    for (int threads : new int[] {1, 2, 4}) {
      assertEquals(expected, eventLines(name, dir, "actor", threads), "actor x" + threads);
    }
  }

  private static List<String> eventLines(String name, Path dir, String engine, int threads)
      throws IOException {
    var s = file("traces/golden/" + name + ".conf", "run.engine=" + engine,
        "run.parallelism=" + threads);
    var o = Simulation.run(s, dir.resolve(engine + threads), ProgressListener.NONE);
    var lines = Files.readAllLines(o.trace());
    return lines.subList(1, lines.size());
  }

  /** One lane of a 4 x 4 array on an 8 x 8 x 16 FX16 gemm: 4 folds of 22 cycles. */
  public static List<String> oneLane(String... more) {
    var sets = new ArrayList<>(List.of(
        "workload.kind=gemm", "hardware.lanes=1", "hardware.rmmu.rows=4", "hardware.rmmu.cols=4",
        "workload.gemm.m=8", "workload.gemm.n=8", "workload.gemm.k=16",
        "workload.gemm.precision=FX16", "hardware.dram.latency-cycles=10",
        "hardware.links.latency-cycles=1", "hardware.links.credit-latency-cycles=1",
        "hardware.links.dram-to-lane-depth=2", "hardware.links.lane-to-accumulator-depth=2",
        "hardware.accumulator.elements-per-cycle=16", "hardware.rmmu.fold-overlap=false"));
    sets.addAll(Arrays.asList(more));
    return sets;
  }
}
