package dev.attnsim.actors.blocks.common.dram;

/**
 * A DRAM's geometry and timing in accelerator cycles: what {@link DramController} works with.
 * Built from a datasheet-level {@link DramDevice} by {@link DramDevice#atClock(double)}, or
 * directly in cycles by {@link #ofCycles} (tests, synthetic memories).
 *
 * <p>Command latencies are whole cycles. The time one burst holds a channel's data bus is kept
 * exact as the fraction {@code burstTicks / ticksPerCycle} cycles (DDR4-3200 at 1 GHz moves a
 * 64-byte burst in 2.5 cycles; rounding that to 3 would cost 17 % of its bandwidth).
 *
 * @param channels independent channels, each with its own data bus and banks (power of two)
 * @param bankGroups bank groups per channel (power of two)
 * @param banksPerGroup banks per bank group (power of two)
 * @param rowBytes bytes in one row (page) of one bank, as seen from one channel (power of two,
 *     at least one burst)
 * @param burstBytes bytes one burst moves on one channel: bus width x burst length (power of two)
 * @param ticksPerCycle sub-cycle resolution of the data bus (1 when a burst is a whole number of
 *     cycles)
 * @param burstTicks bus time of one burst, in ticks of {@code 1 / ticksPerCycle} cycle
 * @param tClCycles column command to first data (CAS latency)
 * @param tRcdCycles activate to column command
 * @param tRpCycles precharge to activate
 * @param tRasCycles activate to precharge, at least
 * @param tRrdCycles activate to activate in another bank of the same channel (tRRD_S)
 * @param tFawCycles window in which a channel may activate at most four times
 */
public record DramTiming(
    int channels,
    int bankGroups,
    int banksPerGroup,
    long rowBytes,
    int burstBytes,
    int ticksPerCycle,
    long burstTicks,
    long tClCycles,
    long tRcdCycles,
    long tRpCycles,
    long tRasCycles,
    long tRrdCycles,
    long tFawCycles) {

  public DramTiming {
    powerOfTwo("channels", channels);
    powerOfTwo("bankGroups", bankGroups);
    powerOfTwo("banksPerGroup", banksPerGroup);
    powerOfTwo("burstBytes", burstBytes);
    powerOfTwo("rowBytes", rowBytes);
    if (rowBytes < burstBytes) {
      throw new IllegalArgumentException(
          "rowBytes (" + rowBytes + ") must hold at least one burst (" + burstBytes + " B)");
    }
    if (ticksPerCycle < 1) {
      throw new IllegalArgumentException("ticksPerCycle must be >= 1, got " + ticksPerCycle);
    }
    if (burstTicks < 1) {
      throw new IllegalArgumentException("burstTicks must be >= 1, got " + burstTicks);
    }
    notNegative("tClCycles", tClCycles);
    notNegative("tRcdCycles", tRcdCycles);
    notNegative("tRpCycles", tRpCycles);
    notNegative("tRasCycles", tRasCycles);
    notNegative("tRrdCycles", tRrdCycles);
    notNegative("tFawCycles", tFawCycles);
  }

  /**
   * Timing given directly in whole accelerator cycles, a burst included, with no limit on the
   * activation rate (tRRD = tFAW = 0; see {@link #withActivationLimits}).
   */
  public static DramTiming ofCycles(int channels, int bankGroups, int banksPerGroup,
      long rowBytes, int burstBytes, long burstCycles, long tClCycles, long tRcdCycles,
      long tRpCycles, long tRasCycles) {
    return new DramTiming(channels, bankGroups, banksPerGroup, rowBytes, burstBytes, 1,
        burstCycles, tClCycles, tRcdCycles, tRpCycles, tRasCycles, 0, 0);
  }

  /** This timing with the given tRRD and tFAW, in cycles. */
  public DramTiming withActivationLimits(long tRrd, long tFaw) {
    return new DramTiming(channels, bankGroups, banksPerGroup, rowBytes, burstBytes,
        ticksPerCycle, burstTicks, tClCycles, tRcdCycles, tRpCycles, tRasCycles, tRrd, tFaw);
  }

  public int banksPerChannel() {
    return bankGroups * banksPerGroup;
  }

  /** Bursts (columns of burst size) in one row. */
  public long burstsPerRow() {
    return rowBytes / burstBytes;
  }

  /** Bus time of one burst in cycles (may be fractional). */
  public double burstCycles() {
    return (double) burstTicks / ticksPerCycle;
  }

  /** Peak bandwidth over all channels: every bus busy with bursts back to back. */
  public double peakBytesPerCycle() {
    return (double) channels * burstBytes * ticksPerCycle / burstTicks;
  }

  private static void powerOfTwo(String name, long value) {
    if (value < 1 || Long.bitCount(value) != 1) {
      throw new IllegalArgumentException(name + " must be a power of two >= 1, got " + value);
    }
  }

  private static void notNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
  }
}
