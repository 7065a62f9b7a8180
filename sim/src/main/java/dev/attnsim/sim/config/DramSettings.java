package dev.attnsim.sim.config;

import com.typesafe.config.Config;
import dev.attnsim.actors.blocks.common.dram.AddressMapping;
import dev.attnsim.actors.blocks.common.dram.DramDevice;
import dev.attnsim.actors.blocks.common.dram.DramModel;
import dev.attnsim.actors.blocks.common.dram.DramPolicy;
import dev.attnsim.actors.blocks.common.dram.DramTiming;
import dev.attnsim.actors.kernel.Block;
import java.util.Locale;

/**
 * {@code attnsim.hardware.dram} for the DRAM controller of the transformer accelerators: the
 * device (a preset whose every parameter lives in {@code hardware.dram.devices.<preset>}) and the
 * controller's policy and model.
 */
public record DramSettings(Preset preset, DramDevice device, DramPolicy policy, DramModel model) {

  /** DRAM devices after DRAMSim3's stock configurations. */
  public enum Preset {
    HBM2,
    DDR4_3200;

    /** The preset's name in config files: {@code hbm2}, {@code ddr4-3200}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private static final String P = "attnsim.hardware.dram.";

  static DramSettings from(Config c) {
    Preset preset = ConfigValidator.enumOf(c, P + "preset", Preset.class);
    DramDevice device = device(c, preset);
    AddressMapping mapping = device.mapping();
    String text = ConfigValidator.string(c, P + "address-mapping");
    if (!text.trim().equalsIgnoreCase("preset")) {
      try {
        mapping = AddressMapping.parse(text);
      } catch (IllegalArgumentException e) {
        throw ConfigValidator.invalid(c, P + "address-mapping", "is not a mapping: "
            + e.getMessage());
      }
    }
    var policy = new DramPolicy(
        ConfigValidator.enumOf(c, P + "page-policy", DramPolicy.Page.class),
        ConfigValidator.enumOf(c, P + "scheduling", DramPolicy.Scheduling.class),
        mapping,
        ConfigValidator.intIn(c, P + "read-queue-entries", 1, 1 << 16),
        ConfigValidator.intIn(c, P + "write-buffer-entries", 1, 1 << 16),
        ConfigValidator.intIn(c, P + "command-queue-entries", 1, 1 << 16),
        ConfigValidator.intIn(c, P + "row-hit-cap", 0, 1 << 16),
        ConfigValidator.intIn(c, P + "write-drain-threshold", 0, 1 << 16),
        ConfigValidator.enumOf(c, P + "refresh", DramPolicy.Refresh.class),
        ConfigValidator.enumOf(c, P + "intake", DramPolicy.Intake.class));
    return new DramSettings(preset, device, policy,
        ConfigValidator.enumOf(c, P + "model", DramModel.class));
  }

  /** The preset's device from {@code hardware.dram.devices.<preset>}, every key validated. */
  static DramDevice device(Config c, Preset preset) {
    String d = P + "devices." + preset.key() + ".";
    int big = 1 << 30;
    var clocks = new DramDevice.Clocks(
        ConfigValidator.intIn(c, d + "al", 0, big),
        ConfigValidator.intIn(c, d + "cl", 0, big),
        ConfigValidator.intIn(c, d + "cwl", 0, big),
        ConfigValidator.intIn(c, d + "trcd-rd", 0, big),
        ConfigValidator.intIn(c, d + "trcd-wr", 0, big),
        ConfigValidator.intIn(c, d + "trp", 0, big),
        ConfigValidator.intIn(c, d + "tras", 0, big),
        ConfigValidator.intIn(c, d + "trrd-s", 0, big),
        ConfigValidator.intIn(c, d + "trrd-l", 0, big),
        ConfigValidator.intIn(c, d + "tfaw", 0, big),
        ConfigValidator.intIn(c, d + "tccd-s", 0, big),
        ConfigValidator.intIn(c, d + "tccd-l", 0, big),
        ConfigValidator.intIn(c, d + "twtr-s", 0, big),
        ConfigValidator.intIn(c, d + "twtr-l", 0, big),
        ConfigValidator.intIn(c, d + "twr", 0, big),
        ConfigValidator.intIn(c, d + "trtp", 0, big),
        ConfigValidator.intIn(c, d + "trtrs", 0, big),
        ConfigValidator.intIn(c, d + "trfc", 0, big),
        ConfigValidator.intIn(c, d + "trefi", 0, big),
        ConfigValidator.intIn(c, d + "trfcb", 0, big),
        ConfigValidator.intIn(c, d + "trefib", 0, big));
    AddressMapping mapping;
    try {
      mapping = AddressMapping.parse(ConfigValidator.string(c, d + "address-mapping"));
    } catch (IllegalArgumentException e) {
      throw ConfigValidator.invalid(c, d + "address-mapping", "is not a mapping: "
          + e.getMessage());
    }
    int channels = powerOfTwo(c, d + "channels");
    int ranks = powerOfTwo(c, d + "ranks");
    int groups = powerOfTwo(c, d + "bank-groups");
    int banks = powerOfTwo(c, d + "banks-per-group");
    // A refresh must end before the next one of the same rank (bank) falls due, or the refresh
    // queue grows without end and the run never finishes (issue 14's tests found it accepted).
    if (clocks.tRefi() > 0 && clocks.tRfc() >= clocks.tRefi()) {
      throw ConfigValidator.invalid(c, d + "trfc", "must be less than trefi ("
          + clocks.tRefi() + "): a rank refreshes every trefi clocks and is busy trfc");
    }
    long bankTurn = (long) ranks * groups * banks * clocks.tRefib();
    if (clocks.tRefib() > 0 && clocks.tRfcb() >= bankTurn) {
      throw ConfigValidator.invalid(c, d + "trfcb", "must be less than trefib x the banks ("
          + bankTurn + "): each bank's turn comes every that many clocks and it is busy trfcb");
    }
    int rowBytes = powerOfTwo(c, d + "row-bytes");
    int busBits = ConfigValidator.intIn(c, d + "bus-bits", 8, 1 << 16);
    if (busBits % 8 != 0) {
      throw ConfigValidator.invalid(c, d + "bus-bits", "must be a multiple of 8");
    }
    int burstLength = ConfigValidator.intIn(c, d + "burst-length", 2, 1 << 10);
    if (burstLength % 2 != 0) {
      throw ConfigValidator.invalid(c, d + "burst-length", "must be even (a DDR bus moves two "
          + "transfers per clock)");
    }
    long burstBytes = (long) busBits / 8 * burstLength;
    if (Long.bitCount(burstBytes) != 1 || burstBytes > rowBytes) {
      throw ConfigValidator.invalid(c, d + "burst-length", "gives bursts of " + burstBytes
          + " B (bus-bits / 8 x burst-length), which must be a power of two no larger than "
          + "row-bytes (" + rowBytes + ")");
    }
    double tck = ConfigValidator.doubleIn(c, d + "tck-ns", Double.MIN_VALUE, 1e6);
    var device = new DramDevice(preset == Preset.HBM2 ? "HBM2" : "DDR4-3200",
        c.getBoolean(d + "dual-command"), channels, ranks, groups, banks, rowBytes, busBits,
        burstLength, tck, clocks, mapping);
    double clockGhz = ConfigValidator.doubleIn(c, "attnsim.clock-ghz", Double.MIN_VALUE, 1e6);
    try {
      device.atClock(clockGhz);
    } catch (IllegalArgumentException e) {
      throw ConfigValidator.invalid(c, d + "tck-ns", "cannot be timed against clock-ghz = "
          + clockGhz + ": " + e.getMessage());
    }
    return device;
  }

  private static int powerOfTwo(Config c, String path) {
    int v = ConfigValidator.intIn(c, path, 1, 1 << 30);
    if (Integer.bitCount(v) != 1) {
      throw ConfigValidator.invalid(c, path, "must be a power of two");
    }
    return v;
  }

  /** The device's timing against the accelerator clock. */
  public DramTiming timing(double clockGhz) {
    return device.atClock(clockGhz);
  }

  /** The DRAM controller block of {@link #model()} with {@code requesters} ports. */
  public Block controller(int requesters, double clockGhz) {
    return model.controller(requesters, timing(clockGhz), policy);
  }
}
