package dev.attnsim.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.sim.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gemm example's trace, written by the real writer, has byte-identical event lines on the
 * sequential engine and on the actor engine at 1, 2 and 4 threads, run after run.
 */
class EngineEquivalenceTest {

  @TempDir
  Path tmp;

  private List<String> eventLines(String engine, int parallelism, int repeat) throws IOException {
    var s = TestConfigs.file("config/examples/gemm.conf", "run.engine=" + engine,
        "run.parallelism=" + parallelism, "workload.gemm.m=256", "workload.gemm.n=128");
    var o = Simulation.run(s, tmp.resolve(engine + parallelism + "-" + repeat),
        dev.attnsim.actors.kernel.ProgressListener.NONE);
    var lines = Files.readAllLines(o.trace());
    return lines.subList(1, lines.size()); // the header names the engine
  }

  @Test
  void traceEventLinesAreIdenticalAcrossEnginesAndThreadCounts() throws IOException {
    List<String> reference = eventLines("sequential", 1, 0);
    assertTrue(reference.size() > 1000, "only " + reference.size() + " lines");
    assertTrue(reference.get(reference.size() - 1).startsWith("{\"ev\":\"end\",\"status\":\"ok\""));
    for (int repeat = 0; repeat < 2; repeat++) {
      for (int threads : new int[] {1, 2, 4}) {
        List<String> got = eventLines("actor", threads, repeat);
        assertEquals(reference.size(), got.size(), "actor x" + threads);
        for (int i = 0; i < reference.size(); i++) {
          assertEquals(reference.get(i), got.get(i),
              "actor x" + threads + " repeat " + repeat + " differs at event line " + (i + 1));
        }
      }
    }
  }
}
