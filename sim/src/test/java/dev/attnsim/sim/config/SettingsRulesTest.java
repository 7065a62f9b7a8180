package dev.attnsim.sim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings' own rules beyond single keys (mask sources, workload kinds, names), what
 * {@code attnsim keys} records of each accessor's check, and the unclosed-bracket finder behind
 * config parse errors, each to the exact message.
 */
class SettingsRulesTest {

  @TempDir
  Path tmp;

  private static SimSettings load(String... sets) {
    return ConfigLoader.load(null, List.of(), List.of(sets));
  }

  private static void assertRefused(String expected, String... sets) {
    assertEquals(expected, assertThrows(ConfigError.class, () -> load(sets)).getMessage());
  }

  /**
   * DOTA's masks: none with detection off; an explicit source as set; {@code auto} is DSA's
   * detector with numbers (functional mode) and the synthetic structure without.
   */
  @Test
  void dotaMaskSourceResolvesAuto() {
    String dota = "hardware.accelerator=dota";
    assertNull(load(dota, "hardware.detection.enabled=false").dotaMaskSource());
    assertEquals(DotaSettings.MaskSourceKind.SYNTHETIC, load(dota).dotaMaskSource());
    assertEquals(DotaSettings.MaskSourceKind.SYNTHETIC, load(dota).maskSource());
    assertEquals(DotaSettings.MaskSourceKind.DSA, load(dota, "run.mode=functional")
        .dotaMaskSource());
    assertEquals(DotaSettings.MaskSourceKind.DSA, load(dota, "workload.masks.source=dsa")
        .dotaMaskSource());
    var s = load(dota);
    assertEquals(List.of(false, false), List.of(s.functional(), s.isGemm()));
    var f = load(dota, "run.mode=functional");
    assertEquals(true, f.functional());
  }

  /**
   * Actor threads: as set, or auto (0): one in timing mode, one per core but one (at least one)
   * in functional mode, whose golden answers take the other core.
   */
  @Test
  void autoParallelismIsOneThreadForTimingAndTheCoresButOneForNumbers() {
    assertEquals(1, load().run().effectiveParallelism());
    assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
        load("run.mode=functional").run().effectiveParallelism());
    assertEquals(3, load("run.parallelism=3").run().effectiveParallelism());
    assertEquals(3, load("run.parallelism=3", "run.mode=functional").run()
        .effectiveParallelism());
    // kept to the engine's threads, auto is one thread in either mode
    assertTrue(load().run().spareCores());
    assertFalse(load("run.spare-cores=false").run().spareCores());
    assertEquals(1, load("run.spare-cores=false", "run.mode=functional").run()
        .effectiveParallelism());
    assertEquals(2, load("run.spare-cores=false", "run.mode=functional", "run.parallelism=2")
        .run().effectiveParallelism());
  }

  @Test
  void workloadKindsAndNamesAreChecked() {
    var gemm = load("workload.kind=gemm", "workload.gemm.k=4", "hardware.lanes=4");
    assertEquals(List.of(true, false), List.of(gemm.isGemm(), gemm.functional()));
    assertRefused("attnsim.workload.gemm.k = 3 is smaller than attnsim.hardware.lanes = 4: "
        + "every lane needs a slice of k", "workload.kind=gemm", "workload.gemm.k=3",
        "hardware.lanes=4");
    assertRefused("attnsim.run.mode = functional needs a transformer workload: "
        + "attnsim.workload.kind = gemm carries no numbers", "workload.kind=gemm",
        "run.mode=functional");
    assertRefused("attnsim.name = \"a b\" (--set) must be letters, digits, '.', '_' or '-'",
        "name=a b");
    assertEquals("run-1.x_y", load("name=run-1.x_y").name());
    assertRefused("attnsim.hardware.accelerator = \"eyeriss\" (--set) is not an accelerator; known: "
        + "dota, energon, sanger, fact", "hardware.accelerator=eyeriss");
    // a transformer run refuses another accelerator's settings, and its own checks apply
    assertRefused("attnsim.hardware.sanger.array.rows = 8 (--set) is set but "
        + "attnsim.hardware.accelerator = dota: sanger's settings do nothing there (remove it, "
        + "or set attnsim.hardware.accelerator = sanger)", "hardware.accelerator=dota",
        "hardware.sanger.array.rows=8");
    assertRefused("attnsim.workload.masks.source = \"dsa\" (--set) cannot be used with "
        + "attnsim.hardware.accelerator = sanger: its masks are its own predictor's (set auto)",
        "hardware.accelerator=sanger", "workload.masks.source=dsa");
  }

  /** What each accessor records for {@code attnsim keys}: its type and its range in words. */
  @Test
  void accessorsRecordTheirChecks() {
    var c = ConfigFactory.parseString("a { i = 3, i2 = 3, i3 = 3, i4 = 3, l = 4, l2 = 4, "
        + "d = 0.5, d2 = 0.5, d3 = 0.5, d4 = 0.5, s = x, e = fcfs }");
    var checks = ConfigValidator.recordingChecks(() -> {
      ConfigValidator.intIn(c, "a.i", 1, 5);
      ConfigValidator.intIn(c, "a.i2", 1, Integer.MAX_VALUE);
      ConfigValidator.intIn(c, "a.i3", Integer.MIN_VALUE, 5);
      ConfigValidator.intIn(c, "a.i4", Integer.MIN_VALUE, Integer.MAX_VALUE);
      ConfigValidator.longIn(c, "a.l", 2, Long.MAX_VALUE);
      ConfigValidator.longIn(c, "a.l2", Long.MIN_VALUE, 7);
      ConfigValidator.doubleIn(c, "a.d", 0.25, 1.5);
      ConfigValidator.doubleIn(c, "a.d2", Double.NEGATIVE_INFINITY, 2);
      ConfigValidator.doubleIn(c, "a.d3", 0, Double.MAX_VALUE);
      ConfigValidator.doubleIn(c, "a.d4", -Double.MAX_VALUE, Double.POSITIVE_INFINITY);
      ConfigValidator.string(c, "a.s");
      ConfigValidator.enumOf(c, "a.e", DramPolicyScheduling.class);
    });
    assertEquals(Map.ofEntries(
        Map.entry("a.i", new ConfigValidator.Check("int", "between 1 and 5")),
        Map.entry("a.i2", new ConfigValidator.Check("int", ">= 1")),
        Map.entry("a.i3", new ConfigValidator.Check("int", "<= 5")),
        Map.entry("a.i4", new ConfigValidator.Check("int", null)),
        Map.entry("a.l", new ConfigValidator.Check("long", ">= 2")),
        Map.entry("a.l2", new ConfigValidator.Check("long", "<= 7")),
        Map.entry("a.d", new ConfigValidator.Check("number", "between 0.25 and 1.5")),
        Map.entry("a.d2", new ConfigValidator.Check("number", "<= 2")),
        Map.entry("a.d3", new ConfigValidator.Check("number", ">= 0")),
        Map.entry("a.d4", new ConfigValidator.Check("number", null)),
        Map.entry("a.s", new ConfigValidator.Check("string", null)),
        Map.entry("a.e", new ConfigValidator.Check("enum", "one of: fr_fcfs, fcfs"))), checks);
    // outside recordingChecks nothing is kept
    ConfigValidator.noteCheck("a.x", "int", null);
    assertEquals(Map.of(), ConfigValidator.recordingChecks(() -> { }));
  }

  /** An enum for the checks above. */
  enum DramPolicyScheduling { FR_FCFS, FCFS }

  private String unclosed(String text) throws IOException {
    Path p = tmp.resolve("c" + System.nanoTime() + ".conf");
    Files.writeString(p, text);
    String message = Brackets.unclosed(p);
    return message == null ? null : message.substring(p.toString().length());
  }

  /**
   * The bracket a parse error at the end of a file points at: the first one never closed, with
   * the others, skipping brackets in comments and strings (one-line, triple-quoted spanning
   * lines, with escaped quotes, or cut at the line's end).
   */
  @Test
  void unclosedBracketsAreFoundWhereTheyOpen() throws IOException {
    assertEquals(": line 1: this '{' is never closed: the file ends at line 2 without its '}'",
        unclosed("a {\n  b = 1\n"));
    assertEquals(": line 1: this '{' is never closed: the file ends at line 1 without its '}'",
        unclosed("a {"));
    assertEquals(": line 1: this '{' is never closed (nor is the '[' of line 2): the file ends "
        + "at line 2 without its '}'", unclosed("a {\n b [\n"));
    assertEquals(": line 2: this '[' is never closed (nor is the '{' of line 3, the '[' of line "
        + "4): the file ends at line 4 without its ']'", unclosed("x = 1\n[\n{\n[\n"));
    assertEquals(": line 1: this '{' is never closed: the file ends at line 7 without its '}'",
        unclosed("a {\n # }\n // }\n s = \"}\"\n t = \"\"\"\n}\n\"\"\"\n"));
    assertEquals(": line 2: this '{' is never closed: the file ends at line 2 without its '}'",
        unclosed("s = \"a\\\"}\"\n{"));
    assertEquals(": line 2: this '{' is never closed: the file ends at line 3 without its '}'",
        unclosed("s = \"abc\n{\nx\n"));
    assertEquals(": line 1: this '{' is never closed: the file ends at line 3 without its '}'",
        unclosed("a {\n\"\"\"\nx\n"));
    assertEquals(": line 3: this '{' is never closed: the file ends at line 3 without its '}'",
        unclosed("a / b\n/\n{"));
    assertNull(unclosed("a { b = [1, 2] }\n"));
    assertNull(unclosed("a }\n"));
    assertNull(unclosed("a [ }\n"));
    assertNull(unclosed("a { ]\n"));
    assertNull(Brackets.unclosed(tmp.resolve("none.conf")));
  }
}
