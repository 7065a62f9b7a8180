package dev.attnsim.sim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnsim.actors.kernel.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every key of the co-processors' settings reaches its own field (each set to a value of its
 * own, so that two keys swapped or one dropped shows), and the checks beyond a key's range say
 * what is wrong, at their edges.
 */
class AcceleratorSettingsTest {

  private static SimSettings load(String accelerator, String... sets) {
    var all = new ArrayList<>(List.of("hardware.accelerator=" + accelerator));
    all.addAll(List.of(sets));
    return ConfigLoader.load(null, List.of(), all);
  }

  private static void assertRefused(String expected, String accelerator, String... sets) {
    var e = assertThrows(ConfigError.class, () -> load(accelerator, sets));
    assertEquals(expected, e.getMessage());
  }

  @Test
  void sangerKeysReachTheirFields() {
    String k = "hardware.sanger.";
    var s = load("sanger", k + "prediction.bits=3", k + "prediction.threshold=0.25",
        k + "prediction.macs-per-cycle=11", k + "prediction.elements-per-cycle=12",
        k + "prediction.k-buffer-bytes=13", k + "pack.piece-width=14",
        k + "pack.pieces-per-cycle=15", k + "array.rows=16", k + "array.cols=17",
        k + "array.exp-cycles=18", k + "array.kv-buffer-bytes=19", k + "window-blocks=20")
        .sanger();
    assertEquals(new SangerSettings(3, 0.25, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), s);
    assertEquals(3, s.predictor().bits());
    assertEquals(0.0, load("sanger", k + "prediction.threshold=0").sanger().threshold());
    assertRefused("attnsim.hardware.sanger.prediction.threshold = 1 (--set) must be below 1 (a "
        + "probability above it is kept)", "sanger", k + "prediction.threshold=1");
  }

  @Test
  void factKeysReachTheirFields() {
    String k = "hardware.fact.";
    var f = load("fact", k + "prediction.bits=9", k + "prediction.keep-ratio=0.5",
        k + "prediction.decide-gap=0.125", k + "prediction.ffn-ratio=2",
        k + "prediction.log-macs-per-cycle=21", k + "prediction.topk-elements-per-cycle=22",
        k + "prediction.x-buffer-bytes=23", k + "ffn.low-precision=int4",
        k + "attention.macs-per-cycle=24", k + "attention.softmax-elements-per-cycle=25",
        k + "attention.softmax-pipeline-cycles=26", k + "attention.kv-buffer-bytes=27",
        k + "window-blocks=28").fact();
    assertEquals(new FactSettings(9, 0.5, 0.125, 2.0, 21, 22, 23, Precision.INT4, 24, 25, 26, 27,
        28), f);
    assertEquals(Precision.INT8, load("fact", k + "ffn.low-precision=int8").fact()
        .ffnLowPrecision());
    assertEquals(1.0, load("fact", k + "prediction.keep-ratio=1").fact().keepRatio());
    assertRefused("attnsim.hardware.fact.prediction.keep-ratio = 0 (--set) must be above 0 "
        + "(each query keeps a share of its candidates)", "fact", k + "prediction.keep-ratio=0");
  }

  @Test
  void energonKeysReachTheirFieldsAndKeyBitsAreChecked() {
    String k = "hardware.energon.";
    var e = load("energon", k + "query-bits=6", k + "key-bits=[1, 3, 6]", k + "alpha=0.5",
        k + "filter.macs-per-cycle.int8=31", k + "filter.macs-per-cycle.int4=32",
        k + "filter.macs-per-cycle.int2=33", k + "selector.elements-per-cycle=34",
        k + "attention.macs-per-cycle=35", k + "attention.softmax-elements-per-cycle=36",
        k + "attention.softmax-pipeline-cycles=37", k + "attention.kv-buffer-bytes=38",
        k + "filter.plane-buffer-bytes=39", k + "window-blocks=40").energon();
    assertEquals(new EnergonSettings(6, List.of(1, 3, 6), 0.5, Map.of(Precision.INT8, 31L,
        Precision.INT4, 32L, Precision.INT2, 33L), 34, 35, 36, 37, 38, 39, 40), e);
    String why = " (--set) must list 1 to 3 rounds, got ";
    assertRefused("attnsim.hardware.energon.key-bits = [...]" + why + "4", "energon",
        k + "key-bits=[1, 2, 3, 4]");
    assertRefused("attnsim.hardware.energon.key-bits = [...]" + why + "0", "energon",
        k + "key-bits=[]");
    String each = " (--set) each round's width must be between 1 and query-bits (4) and wider "
        + "than the round before";
    assertRefused("attnsim.hardware.energon.key-bits = [...]" + each, "energon",
        k + "query-bits=4", k + "key-bits=[0]");
    assertRefused("attnsim.hardware.energon.key-bits = [...]" + each, "energon",
        k + "query-bits=4", k + "key-bits=[5]");
    assertRefused("attnsim.hardware.energon.key-bits = [...]" + each, "energon",
        k + "query-bits=4", k + "key-bits=[2, 2]");
    assertRefused("attnsim.hardware.energon.key-bits = [...]" + each, "energon",
        k + "query-bits=4", k + "key-bits=[3, 2]");
    assertEquals(List.of(1, 4), load("energon", k + "query-bits=4", k + "key-bits=[1, 4]")
        .energon().keyBits());
    assertRefused("attnsim.hardware.energon.key-bits = [...] (--set) must be a list of whole "
        + "numbers, one per round, e.g. [2, 4]", "energon", k + "key-bits=[a, b]");
  }
}
