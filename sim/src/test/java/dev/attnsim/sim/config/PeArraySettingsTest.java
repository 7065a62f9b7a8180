package dev.attnsim.sim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnsim.actors.blocks.common.PeArray;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code attnsim.hardware.rmmu}'s timing keys: the defaults are the model's defaults (SCALE-Sim's
 * conventions), every key reaches the array, and a bad value is a one-line error naming the key.
 */
class PeArraySettingsTest {

  private static PeArray rmmu(String... sets) {
    return ConfigLoader.load(null, List.of(sets)).hardware().rmmu();
  }

  private static void assertError(String expected, String set) {
    var error = assertThrows(ConfigError.class, () -> ConfigLoader.load(null, List.of(set)));
    assertEquals(expected, error.getMessage());
  }

  @Test
  void theDefaultsAreTheModelsDefaults() {
    // reference.conf pipelines folds (the accelerators' arrays); the model's own default is
    // SCALE-Sim's serial folds
    assertEquals(new PeArray.Timing(PeArray.Dataflow.OS, true, true, 256), rmmu().timing());
    assertEquals(new PeArray.Timing(PeArray.Dataflow.OS, false, true, 256),
        rmmu("hardware.rmmu.fold-overlap=false").timing());
    assertEquals(PeArray.Timing.DEFAULT, rmmu("hardware.rmmu.fold-overlap=false").timing());
  }

  @Test
  void everyKeyReachesTheArray() {
    var a = rmmu("hardware.rmmu.dataflow=ws", "hardware.rmmu.fold-overlap=true",
        "hardware.rmmu.pad-edge-folds=false", "hardware.rmmu.outputs-per-cycle=16");
    assertEquals(new PeArray.Timing(PeArray.Dataflow.WS, true, false, 16), a.timing());
    assertEquals(PeArray.Dataflow.IS, rmmu("hardware.rmmu.dataflow=IS").timing().dataflow());
  }

  @Test
  void badValuesNameTheKey() {
    assertError("attnsim.hardware.rmmu.dataflow = \"rs\" (--set) must be one of: os, ws, is",
        "hardware.rmmu.dataflow=rs");
    assertError("attnsim.hardware.rmmu.fold-overlap (--set): expected a boolean, got string "
        + "\"sometimes\"", "hardware.rmmu.fold-overlap=sometimes");
    assertError("attnsim.hardware.rmmu.pad-edge-folds (--set): expected a boolean, got number 2",
        "hardware.rmmu.pad-edge-folds=2");
    assertError("attnsim.hardware.rmmu.outputs-per-cycle = 0 (--set) is out of range: must be "
        + "between 1 and 1048576", "hardware.rmmu.outputs-per-cycle=0");
    assertError("unknown key attnsim.hardware.rmmu.dataflows (--set); did you mean "
        + "attnsim.hardware.rmmu.dataflow?", "hardware.rmmu.dataflows=os");
  }
}
