package dev.attnsim.actors.blocks.common.dram;

/**
 * DRAMSim3's stock configurations, parameter for parameter ({@code configs/HBM2_8Gb_x128.ini} and
 * {@code configs/DDR4_8Gb_x8_3200.ini}, as DRAMSim3's {@code configuration.cc} reads them: a key
 * the file lacks takes the reader's default). {@code sim}'s {@code reference.conf} holds the same
 * values with each one's source; a test keeps the two equal.
 *
 * <ul>
 *   <li>{@link #HBM2}: 8 channels of 128 bits (DRAMSim3 models HBM2 in legacy mode: no pseudo
 *       channels), 1 rank (channel_size 1024 MB / 1 GiB per rank), 4 bank groups x 4 banks, 2 KiB
 *       rows (64 columns x 2 for HBM's prefetch x 128 bits), BL4: a 64 B burst in 2 clocks of
 *       1 ns; peak 8 x 16 B x 2 / 1 ns = 256 GB/s. A row and a column command per clock. tRTP 5,
 *       tRTRS 2 and tRFCb 20 are the reader's defaults: the file's tRTP_L / tRTP_S are never
 *       read.
 *   <li>{@link #DDR4_3200}: one 64-bit channel of two ranks (channel_size 16384 MB / 8 GiB per
 *       rank of eight x8 chips), 4 bank groups x 4 banks, 8 KiB rows (1024 columns x 8 chips),
 *       BL8: a 64 B burst in 4 clocks of 0.63 ns (DRAMSim3's tCK; JEDEC's DDR4-3200 is 0.625 ns,
 *       {@link DramDevice#withTCkNs}); peak 8 B x 2 / 0.63 ns = 25.4 GB/s.
 * </ul>
 */
public final class DramPresets {

  public static final DramDevice HBM2 = new DramDevice("HBM2", true, 8, 1, 4, 4, 2048, 128, 4,
      1.0, DramDevice.Clocks.builder().al(0).cl(14).cwl(4).tRcdRd(14).tRcdWr(14).tRp(14)
          .tRas(34).tRrdS(4).tRrdL(6).tFaw(30).tCcdS(1).tCcdL(2).tWtrS(6).tWtrL(8).tWr(16)
          .tRtp(5).tRtrs(2).tRfc(260).tRefi(3900).tRfcb(20).tRefib(128).build(),
      AddressMapping.parse("rorabgbachco"));

  public static final DramDevice DDR4_3200 = new DramDevice("DDR4-3200", false, 1, 2, 4, 4, 8192,
      64, 8, 0.63, DramDevice.Clocks.builder().al(0).cl(22).cwl(16).tRcd(22).tRp(22).tRas(52)
          .tRrdS(4).tRrdL(8).tFaw(34).tCcdS(4).tCcdL(8).tWtrS(4).tWtrL(12).tWr(24).tRtp(12)
          .tRtrs(1).tRfc(560).tRefi(12480).tRfcb(20).tRefib(1950).build(),
      AddressMapping.parse("rochrababgco"));

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
