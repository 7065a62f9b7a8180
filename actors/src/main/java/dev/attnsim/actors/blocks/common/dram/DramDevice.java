package dev.attnsim.actors.blocks.common.dram;

import java.util.Objects;

/**
 * A DRAM as its datasheet describes it: geometry, data bus, and timing in DRAM clocks of
 * {@code tCkNs}. {@link #atClock(double)} converts it to the accelerator cycles a
 * {@link DramController} works in. Refresh, tCCD_L, tRRD_L, tRTP, tWR, tWTR and the write latency
 * (CWL) are not modelled (see {@link DramController}).
 *
 * @param name for messages and reports
 * @param channels independent channels (power of two)
 * @param bankGroups bank groups per channel
 * @param banksPerGroup banks per bank group
 * @param rowBytes bytes of one row (page) as one channel sees it
 * @param busBits data bus width of one channel, in bits (a multiple of 8)
 * @param dataRate transfers per DRAM clock (2 for DDR)
 * @param burstLength transfers per burst
 * @param tCkNs DRAM clock period in ns
 * @param tClClocks CAS latency, in DRAM clocks
 * @param tRcdClocks activate to column command, in DRAM clocks
 * @param tRpClocks precharge to activate, in DRAM clocks
 * @param tRasClocks activate to precharge (minimum), in DRAM clocks
 * @param tRrdClocks activate to activate in another bank of the channel (tRRD_S), in DRAM clocks
 * @param tFawClocks four-activate window, in DRAM clocks
 */
public record DramDevice(
    String name,
    int channels,
    int bankGroups,
    int banksPerGroup,
    long rowBytes,
    int busBits,
    int dataRate,
    int burstLength,
    double tCkNs,
    int tClClocks,
    int tRcdClocks,
    int tRpClocks,
    int tRasClocks,
    int tRrdClocks,
    int tFawClocks) {

  /** Largest sub-cycle denominator tried when a burst is not a whole number of cycles. */
  static final int MAX_TICKS_PER_CYCLE = 1000;

  /** Slack for floating-point noise in ns-to-cycle conversions (14 x 1.0 ns must be 14). */
  private static final double EPSILON = 1e-9;

  public DramDevice {
    Objects.requireNonNull(name, "name");
    if (busBits < 8 || busBits % 8 != 0) {
      throw new IllegalArgumentException(name + ": busBits must be a positive multiple of 8, got "
          + busBits);
    }
    if (dataRate < 1 || burstLength < 1) {
      throw new IllegalArgumentException(name + ": dataRate and burstLength must be >= 1, got "
          + dataRate + " and " + burstLength);
    }
    if (!(tCkNs > 0) || Double.isInfinite(tCkNs)) {
      throw new IllegalArgumentException(name + ": tCkNs must be > 0, got " + tCkNs);
    }
    if (tClClocks < 0 || tRcdClocks < 0 || tRpClocks < 0 || tRasClocks < 0 || tRrdClocks < 0
        || tFawClocks < 0) {
      throw new IllegalArgumentException(name + ": timing parameters must be >= 0");
    }
  }

  /** Bytes one burst moves on one channel. */
  public int burstBytes() {
    return busBits / 8 * burstLength;
  }

  /** Time one burst holds a channel's data bus. */
  public double burstNs() {
    return (double) burstLength / dataRate * tCkNs;
  }

  /** Peak bandwidth over all channels in bytes per ns (= GB/s). */
  public double peakBytesPerNs() {
    return channels * (busBits / 8.0) * dataRate / tCkNs;
  }

  /**
   * This device seen from an accelerator clocked at {@code clockGhz}. Each latency becomes
   * {@code ceil(clocks x tCkNs x clockGhz)} cycles (rounded up: a command can only issue on an
   * accelerator cycle, and rounding down would make the memory faster than its datasheet). A
   * burst's bus time {@code burstNs x clockGhz} is kept exact as a fraction with the smallest
   * denominator up to 1000 that represents it; failing that, in thousandths, rounded up.
   */
  public DramTiming atClock(double clockGhz) {
    if (!(clockGhz > 0) || Double.isInfinite(clockGhz)) {
      throw new IllegalArgumentException(name + ": clock must be > 0 GHz, got " + clockGhz);
    }
    double burstCycles = burstNs() * clockGhz;
    int ticksPerCycle = MAX_TICKS_PER_CYCLE;
    long burstTicks = (long) Math.ceil(burstCycles * MAX_TICKS_PER_CYCLE - EPSILON);
    for (int q = 1; q <= MAX_TICKS_PER_CYCLE; q++) {
      double scaled = burstCycles * q;
      long p = Math.round(scaled);
      if (p >= 1 && Math.abs(scaled - p) <= EPSILON * Math.max(1.0, scaled)) {
        ticksPerCycle = q;
        burstTicks = p;
        break;
      }
    }
    return new DramTiming(channels, bankGroups, banksPerGroup, rowBytes, burstBytes(),
        ticksPerCycle, Math.max(1, burstTicks), cycles(tClClocks, clockGhz),
        cycles(tRcdClocks, clockGhz), cycles(tRpClocks, clockGhz), cycles(tRasClocks, clockGhz),
        cycles(tRrdClocks, clockGhz), cycles(tFawClocks, clockGhz));
  }

  private long cycles(int clocks, double clockGhz) {
    return (long) Math.ceil(clocks * tCkNs * clockGhz - EPSILON);
  }
}
