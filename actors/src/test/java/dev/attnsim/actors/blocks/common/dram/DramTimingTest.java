package dev.attnsim.actors.blocks.common.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Datasheet-to-cycle conversion, presets and validation. */
class DramTimingTest {

  private static List<Long> latencies(DramTiming t) {
    return List.of(t.tClCycles(), t.tRcdCycles(), t.tRpCycles(), t.tRasCycles(),
        t.tRrdCycles(), t.tFawCycles());
  }

  /**
   * HBM2 (tCK 1 ns): 14 clocks = 14 ns = 14 cycles at 1 GHz and 28 at 2 GHz; tRAS 34 / 68,
   * tRRD 4 / 8, tFAW 30 / 60. A 64 B
   * burst (BL4 x 16 B) takes 4 / 2 x 1 ns = 2 ns: 2 cycles at 1 GHz, 4 at 2 GHz.
   */
  @Test
  void hbm2ConvertsExactly() {
    var at1 = DramPresets.hbm2(1.0);
    assertEquals(List.of(14L, 14L, 14L, 34L, 4L, 30L), latencies(at1));
    assertEquals(64, at1.burstBytes());
    assertEquals(1, at1.ticksPerCycle());
    assertEquals(2, at1.burstTicks());
    assertEquals(List.of(8, 16, 1024L), List.of(at1.channels(), at1.banksPerChannel(),
        at1.rowBytes()));

    var at2 = DramPresets.hbm2(2.0);
    assertEquals(List.of(28L, 28L, 28L, 68L, 8L, 60L), latencies(at2));
    assertEquals(4.0, at2.burstCycles());
  }

  /**
   * DDR4-3200 (tCK 0.625 ns): 22 clocks = 13.75 ns, rounded up to 14 cycles at 1 GHz, 27.5 -> 28
   * at 2 GHz; tRAS 52 clocks = 32.5 ns -> 33 / 65; tRRD 4 clocks = 2.5 ns -> 3 / 5; tFAW 34 clocks
   * = 21.25 ns -> 22 / 43 (42.5 rounded up). A 64 B burst (BL8 x 8 B) takes 8 / 2 x 0.625
   * = 2.5 ns: 5 ticks of 1/2 cycle at 1 GHz, 5 whole cycles at 2 GHz, 3 cycles at 1.2 GHz (where
   * tCL is 16.5 -> 17).
   */
  @Test
  void ddr4RoundsLatenciesUpAndKeepsBurstsExact() {
    var at1 = DramPresets.ddr4_3200(1.0);
    assertEquals(List.of(14L, 14L, 14L, 33L, 3L, 22L), latencies(at1));
    assertEquals(2, at1.ticksPerCycle());
    assertEquals(5, at1.burstTicks());
    assertEquals(2.5, at1.burstCycles());

    var at2 = DramPresets.ddr4_3200(2.0);
    assertEquals(List.of(28L, 28L, 28L, 65L, 5L, 43L), latencies(at2));
    assertEquals(1, at2.ticksPerCycle());
    assertEquals(5, at2.burstTicks());

    var at12 = DramPresets.ddr4_3200(1.2);
    assertEquals(17, at12.tClCycles());
    assertEquals(3.0, at12.burstCycles());
  }

  /**
   * Peak = channels x bus bytes x data rate / tCK: HBM2 8 x 16 x 2 / 1 = 256 B/ns, DDR4-3200
   * 8 x 2 / 0.625 = 25.6 B/ns; per cycle that is divided by the clock in GHz. At 0.8 GHz an HBM2
   * burst is 1.6 cycles (8 ticks of 1/5): 8 x 64 / 1.6 = 320 B/cycle.
   */
  @Test
  void presetsPeakBandwidth() {
    assertEquals(256.0, DramPresets.HBM2.peakBytesPerNs(), 1e-12);
    assertEquals(25.6, DramPresets.DDR4_3200.peakBytesPerNs(), 1e-12);
    assertEquals(256.0, DramPresets.hbm2(1.0).peakBytesPerCycle(), 1e-12);
    assertEquals(128.0, DramPresets.hbm2(2.0).peakBytesPerCycle(), 1e-12);
    assertEquals(25.6, DramPresets.ddr4_3200(1.0).peakBytesPerCycle(), 1e-12);
    assertEquals(12.8, DramPresets.ddr4_3200(2.0).peakBytesPerCycle(), 1e-12);

    var slow = DramPresets.hbm2(0.8);
    assertEquals(5, slow.ticksPerCycle());
    assertEquals(8, slow.burstTicks());
    assertEquals(320.0, slow.peakBytesPerCycle(), 1e-12);
    assertEquals(12, slow.tClCycles()); // 14 ns x 0.8 = 11.2 -> 12
  }

  @Test
  void invalidParametersAreRejectedWithTheirName() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> DramTiming.ofCycles(3, 1, 1, 256, 32, 4, 10, 8, 6, 30));
    assertEquals("channels must be a power of two >= 1, got 3", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> DramTiming.ofCycles(1, 1, 1, 16, 32, 4, 10, 8, 6, 30));
    assertThrows(IllegalArgumentException.class,
        () -> DramTiming.ofCycles(1, 1, 1, 256, 32, 0, 10, 8, 6, 30));
    assertThrows(IllegalArgumentException.class,
        () -> DramTiming.ofCycles(1, 1, 1, 256, 32, 4, -1, 8, 6, 30));
    assertThrows(IllegalArgumentException.class, () -> DramPresets.HBM2.atClock(0));
    assertThrows(IllegalArgumentException.class, () -> DramPresets.HBM2.atClock(Double.NaN));
    assertThrows(IllegalArgumentException.class,
        () -> new DramDevice("x", 1, 1, 1, 1024, 12, 2, 8, 1.0, 1, 1, 1, 1, 1, 1));
  }
}
