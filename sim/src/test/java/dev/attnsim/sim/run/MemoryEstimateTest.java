package dev.attnsim.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.cli.CliAccess;
import dev.attnsim.sim.config.ConfigError;
import org.junit.jupiter.api.Test;

/** A run too large for the heap is refused with its estimate before anything is allocated. */
class MemoryEstimateTest {

  private static final String[] HUGE = {"workload.transformer.layers=1024",
      "workload.transformer.batch=65536", "workload.transformer.seq-len=1048576"};

  @Test
  void laneStateGrowsWithLayerRunsAndLanes() {
    var s = TestConfigs.defaults(HUGE);
    // 4 lanes x 67,108,864 layer runs x 164 bytes
    assertEquals(4L * 1024 * 65536 * MemoryEstimate.LANE_BYTES_PER_LAYER_RUN,
        MemoryEstimate.bytes(s));
    assertTrue(MemoryEstimate.bytes(TestConfigs.defaults()) < (1 << 20), "the default: small");
    assertEquals(0, MemoryEstimate.bytes(TestConfigs.file("config/examples/gemm.conf")));
    // functional mode adds the lanes' Q, K, V rows and a layer's tensors
    long functional = MemoryEstimate.bytes(TestConfigs.defaults("run.mode=functional"));
    assertTrue(functional > 3L * 4 * 1024 * 256 * 8, "functional: " + functional);
  }

  @Test
  void tooLargeIsAOneLineErrorNamingTheEstimateAndTheHeap() {
    var s = TestConfigs.defaults(HUGE);
    var e = assertThrows(ConfigError.class, () -> MemoryEstimate.check(s, 512L << 20));
    assertEquals("this run needs at least 41.0 GB of heap before it starts (41.0 GB of it lane "
        + "state for 67,108,864 layer runs (workload.transformer.layers x batch) on 4 lanes), "
        + "more than the JVM's 512 MB; make the workload smaller or give Java more heap "
        + "(JAVA_OPTS=-Xmx...)", e.getMessage());
    MemoryEstimate.check(TestConfigs.defaults(), 512L << 20); // fits
  }

  @Test
  void checkAndRunRefuseItBeforeAllocating() {
    var args = new java.util.ArrayList<>(java.util.List.of("check"));
    for (String set : HUGE) {
      args.add("--set");
      args.add(set);
    }
    assertEquals(2, CliAccess.attnsimCode(args.toArray(String[]::new)));
    args.set(0, "run");
    args.add("--no-trace");
    args.add("-o");
    args.add(System.getProperty("java.io.tmpdir") + "/attnsim-huge-never-written");
    assertEquals(2, CliAccess.attnsimCode(args.toArray(String[]::new)));
  }

  @Test
  void sizesReadAsAPersonWouldWriteThem() {
    assertEquals("512 B", MemoryEstimate.size(512));
    assertEquals("1.50 KB", MemoryEstimate.size(1536));
    assertEquals("512 MB", MemoryEstimate.size(512L << 20));
    assertEquals("41.0 GB", MemoryEstimate.size(44_023_414_784L));
  }
}
