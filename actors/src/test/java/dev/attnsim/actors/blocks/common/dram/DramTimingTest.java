package dev.attnsim.actors.blocks.common.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Presets against DRAMSim3's files, DRAM clocks against accelerator cycles, validation. */
class DramTimingTest {

  /**
   * HBM2_8Gb_x128.ini as DRAMSim3 reads it: 64 columns doubled for HBM x 128 bits = 2 KiB rows,
   * 32 bursts of 64 B (BL4 x 16 B, 2 clocks); 1 rank (1024 MB channel / 1 GiB rank); tRTP is the
   * reader's default 5. DDR4_8Gb_x8_3200.ini: 1024 columns x 8 chips x 8 bits = 8 KiB rows of 128
   * bursts (BL8 x 8 B, 4 clocks), 2 ranks (16384 MB / 8 GiB), tCK 0.63 ns.
   */
  @Test
  void presetsAreDramsim3sConfigurations() {
    var h = DramPresets.HBM2;
    assertEquals(List.of(8, 1, 4, 4, 2048L, 64, 2, 32L), List.of(h.channels(), h.ranks(),
        h.bankGroups(), h.banksPerGroup(), h.rowBytes(), h.burstBytes(), h.burstClocks(),
        h.burstsPerRow()));
    assertEquals(true, h.dualCommand());
    assertEquals(new DramDevice.Clocks(0, 14, 4, 14, 14, 14, 34, 4, 6, 30, 1, 2, 6, 8, 16, 5, 2,
        260, 3900, 20, 128), h.clocks());
    assertEquals("rorabgbachco", h.mapping().toDramsim3());

    var d = DramPresets.DDR4_3200;
    assertEquals(List.of(1, 2, 4, 4, 8192L, 64, 4, 128L), List.of(d.channels(), d.ranks(),
        d.bankGroups(), d.banksPerGroup(), d.rowBytes(), d.burstBytes(), d.burstClocks(),
        d.burstsPerRow()));
    assertEquals(0.63, d.tCkNs());
    assertEquals(new DramDevice.Clocks(0, 22, 16, 22, 22, 22, 52, 4, 8, 34, 4, 8, 4, 12, 24, 12,
        1, 560, 12480, 20, 1950), d.clocks());
    assertEquals("rochrababgco", d.mapping().toDramsim3());
  }

  /**
   * Peak = channels x bus bytes x 2 / tCK: HBM2 8 x 16 x 2 / 1 = 256 GB/s; DDR4 8 x 2 / 0.63 =
   * 25.397 GB/s (25.6 at JEDEC's 0.625 ns). Per accelerator cycle at 1 GHz the same figures;
   * at 2 GHz half.
   */
  @Test
  void peakBandwidth() {
    assertEquals(256.0, DramPresets.HBM2.peakBytesPerNs(), 1e-12);
    assertEquals(16 / 0.63, DramPresets.DDR4_3200.peakBytesPerNs(), 1e-12);
    assertEquals(25.6, DramPresets.DDR4_3200.withTCkNs(0.625).peakBytesPerNs(), 1e-12);
    assertEquals(256.0, DramPresets.hbm2(1.0).peakBytesPerCycle(), 1e-12);
    assertEquals(128.0, DramPresets.hbm2(2.0).peakBytesPerCycle(), 1e-12);
    assertEquals(16 / 0.63, DramPresets.ddr4_3200(1.0).peakBytesPerCycle(), 1e-9);
  }

  /**
   * A DRAM clock of 0.63 ns at 1 GHz is 63/100 cycle: cycle 1 owns clocks [ceil(100/63) = 2,
   * ceil(200/63) = 4); clock 51 starts at 32.13 ns, in cycle 32, and data complete then leave at
   * cycle 33. HBM2 at 1 GHz: 1/1; at 1.5 GHz: 3/2. JEDEC's 0.625 ns at 1 GHz: 5/8.
   */
  @Test
  void dramClocksMapOntoAcceleratorCyclesExactly() {
    var ddr4 = DramPresets.ddr4_3200(1.0);
    assertEquals(List.of(63L, 100L), List.of(ddr4.cyclesPerClockNum(), ddr4.cyclesPerClockDen()));
    assertEquals(2, ddr4.firstClock(1));
    assertEquals(4, ddr4.firstClock(2));
    assertEquals(32, ddr4.ownerCycle(51));
    assertEquals(33, ddr4.cycleAt(51));
    assertEquals(63, ddr4.cycleAt(100));
    var hbm = DramPresets.hbm2(1.0);
    assertEquals(List.of(1L, 1L), List.of(hbm.cyclesPerClockNum(), hbm.cyclesPerClockDen()));
    var fast = DramPresets.hbm2(1.5);
    assertEquals(List.of(3L, 2L), List.of(fast.cyclesPerClockNum(), fast.cyclesPerClockDen()));
    var jedec = DramPresets.DDR4_3200.withTCkNs(0.625).atClock(1.0);
    assertEquals(List.of(5L, 8L), List.of(jedec.cyclesPerClockNum(), jedec.cyclesPerClockDen()));
  }

  @Test
  void invalidParametersAreRejectedWithTheirName() {
    var h = DramPresets.HBM2;
    var e = assertThrows(IllegalArgumentException.class, () -> new DramDevice("x", false, 3, 1,
        1, 1, 1024, 64, 8, 1.0, h.clocks(), h.mapping()));
    assertEquals("x: channels must be a power of two >= 1, got 3", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new DramDevice("x", false, 1, 1, 1, 1,
        32, 64, 8, 1.0, h.clocks(), h.mapping()));
    assertThrows(IllegalArgumentException.class, () -> new DramDevice("x", false, 1, 1, 1, 1,
        1024, 64, 7, 1.0, h.clocks(), h.mapping()));
    assertThrows(IllegalArgumentException.class,
        () -> DramDevice.Clocks.builder().cl(-1).build());
    assertThrows(IllegalArgumentException.class, () -> h.atClock(0));
    assertThrows(IllegalArgumentException.class, () -> h.atClock(Double.NaN));
    // 1e-8 ns at 1 MHz: 1e-11 cycle per clock, no fraction with a denominator up to 10^6
    assertThrows(IllegalArgumentException.class, () -> h.withTCkNs(1e-8).atClock(1e-3));
  }
}
