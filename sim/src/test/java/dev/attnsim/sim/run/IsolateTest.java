package dev.attnsim.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.config.ConfigError;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trace-driven replay of DOTA's DRAM controller. */
class IsolateTest {

  @TempDir
  static Path tmp;

  static Path trace;

  @BeforeAll
  static void record() {
    var s = TestConfigs.file("traces/golden/dota-small.conf", "run.engine=sequential");
    trace = Simulation.run(s, tmp.resolve("run"), ProgressListener.NONE).trace();
  }

  /**
   * The lanes take DRAM responses at once, so replaying the recorded request stream against the
   * same DRAM must give every response at exactly its recorded cycle.
   */
  @Test
  void unchangedSettingsReproduceEveryOutputExactly() {
    var r = Isolate.run(trace, "dram", List.of());

    assertEquals(80, r.inputs());
    assertEquals(80, r.outputs().size());
    assertEquals(80, r.matched());
    assertEquals(0, r.maxShift());
    assertEquals(r.recordedBusy(), r.replayedBusy());
    assertEquals(r.recordedLast(), r.replayedLast());
  }

  /**
   * DDR4-3200 has a tenth of HBM2's peak bandwidth: every response is later, the bus busier.
   * The bus figures are exact: 2173 cycles in which some HBM2 channel moves data against 8141 on
   * DDR4's one channel (3.7x, not 10x: under DRAMSim3's {@code rorabgbachco} mapping a request
   * fills a 2 KiB row of one HBM2 channel before it uses the next, so small requests keep fewer
   * channels busy at once; re-measured when the controller took DRAMSim3's rules).
   */
  @Test
  void slowerDramDelaysTheResponses() {
    var r = Isolate.run(trace, "dram", List.of("hardware.dram.preset=ddr4-3200"));

    assertEquals(80, r.matched());
    assertTrue(r.replayedLast() > r.recordedLast());
    assertTrue(r.outputs().stream().allMatch(o -> o.replayed() >= o.recorded()));
    assertEquals(2173, r.recordedBusy());
    assertEquals(8141, r.replayedBusy());
  }

  @Test
  void blocksWhoseInputsTheTraceCannotRebuildAreRefused() {
    var e = assertThrows(ConfigError.class, () -> Isolate.run(trace, "rmmu0", List.of()));
    assertTrue(e.getMessage().startsWith("--isolate rmmu0: its inputs are DATA tiles"),
        e.getMessage());
    var unknown = assertThrows(ConfigError.class, () -> Isolate.run(trace, "gpu", List.of()));
    assertTrue(unknown.getMessage().contains("has no block 'gpu' (blocks: dram, acc, ctl0"),
        unknown.getMessage());
  }
}
