package dev.attnsim.sim.config;

import com.typesafe.config.Config;
import dev.attnsim.actors.blocks.common.dram.AddressMapping;
import dev.attnsim.actors.blocks.common.dram.DramPolicy;
import dev.attnsim.actors.blocks.common.dram.DramPresets;
import dev.attnsim.actors.blocks.common.dram.DramTiming;

/**
 * {@code attnsim.hardware.dram} for the banked controller of the transformer accelerators: a
 * device preset (converted to cycles at the accelerator clock) and the controller's policy.
 */
public record DramSettings(Preset preset, DramPolicy policy) {

  /** DRAM devices with their datasheet timings (DRAMSim3's HBM2 and DDR4-3200 configs). */
  public enum Preset {
    HBM2,
    DDR4_3200
  }

  static DramSettings from(Config c) {
    String p = "attnsim.hardware.dram.";
    AddressMapping mapping;
    String text = ConfigValidator.string(c, p + "address-mapping");
    try {
      mapping = AddressMapping.parse(text);
    } catch (IllegalArgumentException e) {
      throw ConfigValidator.invalid(c, p + "address-mapping", "is not a mapping: "
          + e.getMessage());
    }
    var policy = new DramPolicy(
        ConfigValidator.enumOf(c, p + "page-policy", DramPolicy.Page.class),
        ConfigValidator.enumOf(c, p + "scheduling", DramPolicy.Scheduling.class),
        mapping,
        ConfigValidator.intIn(c, p + "queue-depth", 1, 1 << 16));
    return new DramSettings(ConfigValidator.enumOf(c, p + "preset", Preset.class), policy);
  }

  /** The device's timing in accelerator cycles. */
  public DramTiming timing(double clockGhz) {
    return preset == Preset.HBM2 ? DramPresets.hbm2(clockGhz) : DramPresets.ddr4_3200(clockGhz);
  }
}
