package dev.attnsim.actors.blocks.common.dram;

import java.util.Objects;

/**
 * A DRAM as a DRAMSim3 configuration file describes it: geometry, data bus, the clock period and
 * every timing parameter in DRAM clocks of {@code tCkNs}. {@link #atClock(double)} relates it to
 * the accelerator clock; the {@link DramController} keeps DRAM time in DRAM clocks and converts at
 * its ports only. Presets: {@link DramPresets}.
 *
 * <p>As in DRAMSim3 ({@code configuration.cc}), a burst of {@code burstLength} transfers on a DDR
 * bus occupies it {@code burstLength / 2} clocks, and one burst ({@code busBits / 8 x burstLength}
 * bytes) is the unit of every queue and command.
 *
 * @param name for messages and reports
 * @param dualCommand HBM: a row command (activate, precharge, refresh) and a column command (read,
 *     write) may issue in the same clock on one channel (DRAMSim3 {@code hbm_dual_cmd})
 * @param channels independent channels, each with its own controller, queues and data bus
 * @param ranks ranks per channel; they share the channel's data bus
 * @param bankGroups bank groups per rank
 * @param banksPerGroup banks per bank group
 * @param rowBytes bytes of one row (page) of one bank, as one channel sees it
 * @param busBits data bus width of one channel, in bits (a multiple of 8)
 * @param burstLength transfers per burst (even)
 * @param tCkNs DRAM clock period in ns
 * @param clocks timing parameters, in DRAM clocks
 * @param mapping the configuration's own address mapping (DRAMSim3 {@code address_mapping})
 */
public record DramDevice(
    String name,
    boolean dualCommand,
    int channels,
    int ranks,
    int bankGroups,
    int banksPerGroup,
    long rowBytes,
    int busBits,
    int burstLength,
    double tCkNs,
    Clocks clocks,
    AddressMapping mapping) {

  /** Largest denominator tried when expressing tCK in accelerator cycles as a fraction. */
  static final long MAX_DENOMINATOR = 1_000_000;

  /**
   * Timing parameters in DRAM clocks, named as DRAMSim3's {@code [timing]} section names them.
   *
   * @param al additive latency
   * @param cl CAS (read) latency
   * @param cwl CAS write latency
   * @param tRcdRd activate to read
   * @param tRcdWr activate to write
   * @param tRp precharge to activate
   * @param tRas activate to precharge
   * @param tRrdS activate to activate, different bank groups of a rank
   * @param tRrdL activate to activate, same bank group
   * @param tFaw window in which a rank may activate at most four times
   * @param tCcdS column to column, different bank groups
   * @param tCcdL column to column, same bank group
   * @param tWtrS end of write data to read, different bank groups
   * @param tWtrL end of write data to read, same bank group
   * @param tWr write recovery: end of write data to precharge
   * @param tRtp read to precharge
   * @param tRtrs rank to rank switch on the data bus
   * @param tRfc refresh (all banks of a rank) to activate
   * @param tRefi refresh interval of a rank
   * @param tRfcb per-bank refresh to activate of that bank
   * @param tRefib per-bank refresh interval
   */
  public record Clocks(int al, int cl, int cwl, int tRcdRd, int tRcdWr, int tRp, int tRas,
      int tRrdS, int tRrdL, int tFaw, int tCcdS, int tCcdL, int tWtrS, int tWtrL, int tWr,
      int tRtp, int tRtrs, int tRfc, int tRefi, int tRfcb, int tRefib) {

    public Clocks {
      int[] all = {al, cl, cwl, tRcdRd, tRcdWr, tRp, tRas, tRrdS, tRrdL, tFaw, tCcdS, tCcdL,
          tWtrS, tWtrL, tWr, tRtp, tRtrs, tRfc, tRefi, tRfcb, tRefib};
      for (int i = 0; i < all.length; i++) {
        if (all[i] < 0) {
          // named from the arguments: in a compact constructor the fields are not set yet
          throw new IllegalArgumentException("DRAM timing parameters must be >= 0, got "
              + Clocks.class.getRecordComponents()[i].getName() + " = " + all[i]);
        }
      }
    }

    /** A builder starting from all zeros (no constraint at all). */
    public static Builder builder() {
      return new Builder(new Clocks(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0));
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    /** Read latency RL = AL + CL. */
    public int readLatency() {
      return al + cl;
    }

    /** Write latency WL = AL + CWL. */
    public int writeLatency() {
      return al + cwl;
    }

    /** Sets parameters by name; each setter returns the builder. */
    public static final class Builder {
      private int al;
      private int cl;
      private int cwl;
      private int tRcdRd;
      private int tRcdWr;
      private int tRp;
      private int tRas;
      private int tRrdS;
      private int tRrdL;
      private int tFaw;
      private int tCcdS;
      private int tCcdL;
      private int tWtrS;
      private int tWtrL;
      private int tWr;
      private int tRtp;
      private int tRtrs;
      private int tRfc;
      private int tRefi;
      private int tRfcb;
      private int tRefib;

      private Builder(Clocks c) {
        al = c.al;
        cl = c.cl;
        cwl = c.cwl;
        tRcdRd = c.tRcdRd;
        tRcdWr = c.tRcdWr;
        tRp = c.tRp;
        tRas = c.tRas;
        tRrdS = c.tRrdS;
        tRrdL = c.tRrdL;
        tFaw = c.tFaw;
        tCcdS = c.tCcdS;
        tCcdL = c.tCcdL;
        tWtrS = c.tWtrS;
        tWtrL = c.tWtrL;
        tWr = c.tWr;
        tRtp = c.tRtp;
        tRtrs = c.tRtrs;
        tRfc = c.tRfc;
        tRefi = c.tRefi;
        tRfcb = c.tRfcb;
        tRefib = c.tRefib;
      }

      public Builder al(int v) {
        al = v;
        return this;
      }

      public Builder cl(int v) {
        cl = v;
        return this;
      }

      public Builder cwl(int v) {
        cwl = v;
        return this;
      }

      /** tRCD for reads and writes alike (DDR4's single tRCD). */
      public Builder tRcd(int v) {
        tRcdRd = v;
        tRcdWr = v;
        return this;
      }

      public Builder tRcdRd(int v) {
        tRcdRd = v;
        return this;
      }

      public Builder tRcdWr(int v) {
        tRcdWr = v;
        return this;
      }

      public Builder tRp(int v) {
        tRp = v;
        return this;
      }

      public Builder tRas(int v) {
        tRas = v;
        return this;
      }

      public Builder tRrdS(int v) {
        tRrdS = v;
        return this;
      }

      public Builder tRrdL(int v) {
        tRrdL = v;
        return this;
      }

      public Builder tFaw(int v) {
        tFaw = v;
        return this;
      }

      public Builder tCcdS(int v) {
        tCcdS = v;
        return this;
      }

      public Builder tCcdL(int v) {
        tCcdL = v;
        return this;
      }

      public Builder tWtrS(int v) {
        tWtrS = v;
        return this;
      }

      public Builder tWtrL(int v) {
        tWtrL = v;
        return this;
      }

      public Builder tWr(int v) {
        tWr = v;
        return this;
      }

      public Builder tRtp(int v) {
        tRtp = v;
        return this;
      }

      public Builder tRtrs(int v) {
        tRtrs = v;
        return this;
      }

      public Builder tRfc(int v) {
        tRfc = v;
        return this;
      }

      public Builder tRefi(int v) {
        tRefi = v;
        return this;
      }

      public Builder tRfcb(int v) {
        tRfcb = v;
        return this;
      }

      public Builder tRefib(int v) {
        tRefib = v;
        return this;
      }

      public Clocks build() {
        return new Clocks(al, cl, cwl, tRcdRd, tRcdWr, tRp, tRas, tRrdS, tRrdL, tFaw, tCcdS,
            tCcdL, tWtrS, tWtrL, tWr, tRtp, tRtrs, tRfc, tRefi, tRfcb, tRefib);
      }
    }
  }

  public DramDevice {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(clocks, "clocks");
    Objects.requireNonNull(mapping, "mapping");
    powerOfTwo(name, "channels", channels);
    powerOfTwo(name, "ranks", ranks);
    powerOfTwo(name, "bankGroups", bankGroups);
    powerOfTwo(name, "banksPerGroup", banksPerGroup);
    powerOfTwo(name, "rowBytes", rowBytes);
    if (busBits < 8 || busBits % 8 != 0) {
      throw new IllegalArgumentException(name + ": busBits must be a positive multiple of 8, got "
          + busBits);
    }
    if (burstLength < 2 || burstLength % 2 != 0) {
      throw new IllegalArgumentException(name + ": burstLength must be even and >= 2, got "
          + burstLength);
    }
    powerOfTwo(name, "burst bytes (busBits / 8 x burstLength)", (long) busBits / 8 * burstLength);
    if (rowBytes < (long) busBits / 8 * burstLength) {
      throw new IllegalArgumentException(name + ": rowBytes (" + rowBytes
          + ") must hold at least one burst (" + busBits / 8 * burstLength + " B)");
    }
    if (!(tCkNs > 0) || Double.isInfinite(tCkNs)) {
      throw new IllegalArgumentException(name + ": tCkNs must be > 0, got " + tCkNs);
    }
  }

  /** Bytes one burst moves on one channel: one transaction of the controller. */
  public int burstBytes() {
    return busBits / 8 * burstLength;
  }

  /** DRAM clocks one burst holds a channel's data bus (DRAMSim3 {@code burst_cycle}). */
  public int burstClocks() {
    return burstLength / 2;
  }

  public int banksPerRank() {
    return bankGroups * banksPerGroup;
  }

  public int banksPerChannel() {
    return ranks * banksPerRank();
  }

  /** Bursts (columns of burst size) in one row. */
  public long burstsPerRow() {
    return rowBytes / burstBytes();
  }

  /** Peak bandwidth over all channels in bytes per ns (= GB/s): every bus busy. */
  public double peakBytesPerNs() {
    return channels * (busBits / 8.0) * 2 / tCkNs;
  }

  /** This device with another clock period (timings stay in clocks). */
  public DramDevice withTCkNs(double ns) {
    return new DramDevice(name, dualCommand, channels, ranks, bankGroups, banksPerGroup, rowBytes,
        busBits, burstLength, ns, clocks, mapping);
  }

  /** This device with other timing parameters. */
  public DramDevice withClocks(Clocks c) {
    return new DramDevice(name, dualCommand, channels, ranks, bankGroups, banksPerGroup, rowBytes,
        busBits, burstLength, tCkNs, c, mapping);
  }

  /**
   * This device seen from an accelerator clocked at {@code clockGhz}: one DRAM clock lasts
   * {@code tCkNs x clockGhz} accelerator cycles, kept exact as the fraction with the smallest
   * denominator (up to {@value #MAX_DENOMINATOR}) that equals it to within 1e-9 (0.63 ns at 1 GHz:
   * 63/100 cycle).
   */
  public DramTiming atClock(double clockGhz) {
    if (!(clockGhz > 0) || Double.isInfinite(clockGhz)) {
      throw new IllegalArgumentException(name + ": clock must be > 0 GHz, got " + clockGhz);
    }
    long[] f = fraction(tCkNs * clockGhz);
    if (f == null) {
      throw new IllegalArgumentException(name + ": tCK " + tCkNs + " ns at " + clockGhz
          + " GHz is not a fraction of accelerator cycles with a denominator up to "
          + MAX_DENOMINATOR);
    }
    return new DramTiming(this, f[0], f[1]);
  }

  /** {@code {p, q}} with {@code p / q == x} to 1e-9 relative, smallest q, by continued fractions. */
  static long[] fraction(double x) {
    long p0 = 0;
    long q0 = 1;
    long p1 = 1;
    long q1 = 0;
    double r = x;
    for (int i = 0; i < 64; i++) {
      long a = (long) Math.floor(r);
      long p2 = a * p1 + p0;
      long q2 = a * q1 + q0;
      if (q2 > MAX_DENOMINATOR) {
        return null;
      }
      if (p2 > 0 && Math.abs((double) p2 / q2 - x) <= 1e-9 * Math.max(1.0, x)) {
        return new long[] {p2, q2};
      }
      double frac = r - a;
      if (frac < 1e-12) {
        return p2 > 0 ? new long[] {p2, q2} : null;
      }
      r = 1 / frac;
      p0 = p1;
      q0 = q1;
      p1 = p2;
      q1 = q2;
    }
    return null;
  }

  private static void powerOfTwo(String name, String what, long value) {
    if (value < 1 || Long.bitCount(value) != 1) {
      throw new IllegalArgumentException(name + ": " + what + " must be a power of two >= 1, got "
          + value);
    }
  }
}
