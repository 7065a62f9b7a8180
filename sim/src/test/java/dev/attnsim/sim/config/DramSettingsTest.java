package dev.attnsim.sim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.blocks.common.dram.AddressMapping;
import dev.attnsim.actors.blocks.common.dram.DramController;
import dev.attnsim.actors.blocks.common.dram.DramModel;
import dev.attnsim.actors.blocks.common.dram.DramPolicy;
import dev.attnsim.actors.blocks.common.dram.DramPresets;
import dev.attnsim.actors.blocks.common.dram.FastDramController;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code hardware.dram}: reference.conf's devices are DramPresets', keys are validated. */
class DramSettingsTest {

  private static DramSettings load(String... sets) {
    return ConfigLoader.load(null, List.of(), List.of(sets)).dram();
  }

  /** The devices written out in reference.conf (with their sources) equal the Java presets. */
  @Test
  void referenceConfDevicesAreDramsim3sConfigurations() {
    var hbm = load();
    assertEquals(DramPresets.HBM2, hbm.device());
    assertEquals(DramPolicy.defaults(DramPresets.HBM2), hbm.policy());
    var ddr4 = load("hardware.dram.preset=ddr4-3200");
    assertEquals(DramPresets.DDR4_3200, ddr4.device());
    assertEquals(DramPolicy.defaults(DramPresets.DDR4_3200), ddr4.policy());
    assertEquals(DramModel.DRAMSIM3, hbm.model());
  }

  /** {@code model} picks the controller block; an unknown model is refused by key, with the two. */
  @Test
  void theModelPicksTheControllerBlock() {
    assertTrue(load().controller(2, 1.0) instanceof DramController);
    var fast = load("hardware.dram.model=fast");
    assertEquals(DramModel.FAST, fast.model());
    assertTrue(fast.controller(2, 1.0) instanceof FastDramController);
    assertEquals(2, fast.controller(2, 1.0).inputs().size());
    var e = assertThrows(ConfigError.class, () -> load("hardware.dram.model=ramulator"));
    assertTrue(e.getMessage().startsWith("attnsim.hardware.dram.model = \"ramulator\"")
        && e.getMessage().contains("dramsim3, fast"), e.getMessage());
  }

  @Test
  void overridesReachDeviceAndPolicy() {
    var s = load("hardware.dram.preset=ddr4-3200", "hardware.dram.devices.ddr4-3200.tck-ns=0.625",
        "hardware.dram.address-mapping=rorabgbachco", "hardware.dram.read-queue-entries=64",
        "hardware.dram.refresh=none", "hardware.dram.intake=one");
    assertEquals(0.625, s.device().tCkNs());
    assertEquals(AddressMapping.parse("row:rank:bankgroup:bank:channel:column"),
        s.policy().mapping());
    assertEquals(64, s.policy().readQueueEntries());
    assertEquals(DramPolicy.Refresh.NONE, s.policy().refresh());
    assertEquals(DramPolicy.Intake.ONE, s.policy().intake());
    assertEquals(List.of(5L, 8L), List.of(s.timing(1.0).cyclesPerClockNum(),
        s.timing(1.0).cyclesPerClockDen()));
  }

  @Test
  void badValuesNameTheKey() {
    var e = assertThrows(ConfigError.class,
        () -> load("hardware.dram.devices.hbm2.row-bytes=3000"));
    assertTrue(e.getMessage().startsWith("attnsim.hardware.dram.devices.hbm2.row-bytes = 3000"),
        e.getMessage());
    var m = assertThrows(ConfigError.class, () -> load("hardware.dram.address-mapping=rorobg"));
    assertTrue(m.getMessage().contains("is not a mapping"), m.getMessage());
    var q = assertThrows(ConfigError.class, () -> load("hardware.dram.queue-depth=32"));
    assertTrue(q.getMessage().contains("queue-depth"), q.getMessage());
  }

  /** A refresh longer than its interval would queue refreshes for ever: refused, by key. */
  @Test
  void aRefreshLongerThanItsIntervalIsRefused() {
    var r = assertThrows(ConfigError.class,
        () -> load("hardware.dram.devices.hbm2.trfc=3900", "hardware.dram.devices.hbm2.trefi=3900"));
    assertTrue(r.getMessage().startsWith("attnsim.hardware.dram.devices.hbm2.trfc = 3900 (--set) must be "
        + "less than trefi (3900)"), r.getMessage());
    load("hardware.dram.devices.hbm2.trfc=3899", "hardware.dram.devices.hbm2.trefi=3900");
    // HBM2: 1 rank x 4 groups x 4 banks = 16 turns of trefib
    var b = assertThrows(ConfigError.class, () -> load("hardware.dram.devices.hbm2.trefib=10",
        "hardware.dram.devices.hbm2.trfcb=160"));
    assertTrue(b.getMessage().startsWith("attnsim.hardware.dram.devices.hbm2.trfcb = 160 (--set) must be "
        + "less than trefib x the banks (160)"), b.getMessage());
    load("hardware.dram.devices.hbm2.trefib=10", "hardware.dram.devices.hbm2.trfcb=159");
  }
}
