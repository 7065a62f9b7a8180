package dev.attnsim.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.sim.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression against the committed golden trace {@code traces/golden/gemm-small.jsonl}: any change
 * to event order, timing or format shows up here. After an intended change, regenerate it with
 * the command in traces/README.md and review the diff.
 */
class GoldenTraceTest {

  @TempDir
  Path tmp;

  @Test
  void gemmSmallMatchesTheGoldenTraceLineForLine() throws IOException {
    Path golden = TestConfigs.repo().resolve("traces/golden/gemm-small.jsonl");
    var s = TestConfigs.file("traces/golden/gemm-small.conf", "run.engine=actor");
    var o = Simulation.run(s, tmp, ProgressListener.NONE);

    List<String> expected = Files.readAllLines(golden);
    List<String> got = Files.readAllLines(o.trace());
    assertEquals(expected.size(), got.size(), "line count");
    // The header names the engine and the version that wrote it; every other line must match.
    for (int i = 1; i < expected.size(); i++) {
      assertEquals(expected.get(i), got.get(i), "line " + (i + 1) + " of " + golden);
    }
  }
}
