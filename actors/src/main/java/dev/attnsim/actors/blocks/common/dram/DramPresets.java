package dev.attnsim.actors.blocks.common.dram;

/**
 * The DRAMs of the accelerator papers' set-ups, after DRAMSim3's configurations
 * ({@code HBM2_8Gb_x128.ini}, {@code DDR4_8Gb_x8_3200.ini}, whence tRRD_S and tFAW).
 *
 * <ul>
 *   <li>{@link #HBM2}: 8 channels x 128 bit at 2 Gbps per pin (DDR, tCK 1 ns), CL/tRCD/tRP
 *       14/14/14, tRAS 34, tRRD 4, tFAW 30, 4 bank groups x 4 banks. Row: 1 KiB, HBM2's page
 *       per pseudo-channel (DRAMSim3: 64 columns x 128 bit). Burst length 4, so one burst moves
 *       16 B x 4 = 64 B per channel in 2 ns. Peak 8 x 16 B x 2 / 1 ns = 256 GB/s.
 *   <li>{@link #DDR4_3200}: one 64-bit channel, tCK 0.625 ns, DDR, CL/tRCD/tRP 22/22/22, tRAS 52,
 *       tRRD 4, tFAW 34, 4 bank groups x 4 banks, 8 KiB row (eight x8 chips of 1 KiB pages),
 *       burst length 8 (64 B in 2.5 ns). Peak 8 B x 2 / 0.625 ns = 25.6 GB/s.
 * </ul>
 */
public final class DramPresets {

  public static final DramDevice HBM2 =
      new DramDevice("HBM2", 8, 4, 4, 1024, 128, 2, 4, 1.0, 14, 14, 14, 34, 4, 30);

  public static final DramDevice DDR4_3200 =
      new DramDevice("DDR4-3200", 1, 4, 4, 8192, 64, 2, 8, 0.625, 22, 22, 22, 52, 4, 34);

  private DramPresets() {}

  /** HBM2 seen from an accelerator clocked at {@code clockGhz}. */
  public static DramTiming hbm2(double clockGhz) {
    return HBM2.atClock(clockGhz);
  }

  /** DDR4-3200 seen from an accelerator clocked at {@code clockGhz}. */
  public static DramTiming ddr4_3200(double clockGhz) {
    return DDR4_3200.atClock(clockGhz);
  }
}
