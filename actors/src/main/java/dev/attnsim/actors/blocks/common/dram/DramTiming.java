package dev.attnsim.actors.blocks.common.dram;

import dev.attnsim.actors.kernel.Arith;
import java.util.Objects;

/**
 * A {@link DramDevice} seen from the accelerator clock: one DRAM clock lasts exactly
 * {@code cyclesPerClockNum / cyclesPerClockDen} accelerator cycles. Built by
 * {@link DramDevice#atClock(double)}.
 *
 * <p>The {@link DramController} keeps DRAM time in DRAM clocks, as DRAMSim3 does, and meets the
 * accelerator at its ports only. Accelerator cycle {@code t} <i>owns</i> the DRAM clocks that
 * start in it, {@code [firstClock(t), firstClock(t + 1))}: a request arriving at {@code t} is
 * added to its channel's queue at {@code firstClock(t)}, and data complete at DRAM clock
 * {@code c} leave at cycle {@link #cycleAt(long) cycleAt(c)}, the first cycle starting no earlier.
 *
 * @param device the DRAM
 * @param cyclesPerClockNum numerator of the accelerator cycles in one DRAM clock
 * @param cyclesPerClockDen denominator of the same
 */
public record DramTiming(DramDevice device, long cyclesPerClockNum, long cyclesPerClockDen) {

  public DramTiming {
    Objects.requireNonNull(device, "device");
    if (cyclesPerClockNum < 1 || cyclesPerClockDen < 1) {
      throw new IllegalArgumentException("cycles per DRAM clock must be a positive fraction, got "
          + cyclesPerClockNum + "/" + cyclesPerClockDen);
    }
  }

  /** The device clocked with the accelerator, one DRAM clock per cycle (tests). */
  public static DramTiming sameClock(DramDevice device) {
    return new DramTiming(device, 1, 1);
  }

  /** The first DRAM clock that starts in accelerator cycle {@code cycle} or later. */
  public long firstClock(long cycle) {
    if (cyclesPerClockNum == cyclesPerClockDen) {
      return cycle;
    }
    return Arith.ceilDiv(Math.multiplyExact(cycle, cyclesPerClockDen), cyclesPerClockNum);
  }

  /** The accelerator cycle in which DRAM clock {@code clock} starts. */
  public long ownerCycle(long clock) {
    if (cyclesPerClockNum == cyclesPerClockDen) {
      return clock;
    }
    return Math.floorDiv(Math.multiplyExact(clock, cyclesPerClockNum), cyclesPerClockDen);
  }

  /** The first accelerator cycle that starts no earlier than DRAM clock {@code clock}. */
  public long cycleAt(long clock) {
    if (cyclesPerClockNum == cyclesPerClockDen) {
      return clock;
    }
    return Arith.ceilDiv(Math.multiplyExact(clock, cyclesPerClockNum), cyclesPerClockDen);
  }

  public int channels() {
    return device.channels();
  }

  public int burstBytes() {
    return device.burstBytes();
  }

  /** Peak bandwidth over all channels in bytes per accelerator cycle. */
  public double peakBytesPerCycle() {
    return (double) device.channels() * device.busBits() / 8 * 2 * cyclesPerClockDen
        / cyclesPerClockNum;
  }
}
