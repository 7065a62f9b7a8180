package dev.attnsim.sim.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ConfigValidatorTest {

  private static final Config DEFAULTS = parse("defaults.conf", String.join("\n",
      "attnsim {",
      "  hardware {",
      "    lanes = 4",
      "    clock-ghz = 1.5",
      "    enabled = true",
      "    name = npu",
      "  }",
      "  run {",
      "    engine = actor",
      "    policy = fifo",
      "    seed = 42",
      "    tags = [a, b]",
      "  }",
      "  workload {",
      "    overrides {}",
      "    ops = [{ name = x }]",
      "  }",
      "  extra = null",
      "}"));

  enum Engine { ACTOR, SEQUENTIAL }

  enum Policy { FIFO, ROUND_ROBIN }

  private static Config parse(String origin, String text) {
    return ConfigFactory.parseString(text,
        ConfigParseOptions.defaults().setOriginDescription(origin)).resolve();
  }

  private static Config user(String text) {
    return parse("x.conf", text);
  }

  private static void assertError(String expected, Executable executable) {
    ConfigError error = assertThrows(ConfigError.class, executable);
    assertEquals(expected, error.getMessage());
  }

  private static void assertKeysError(String expected, String userText) {
    assertError(expected,
        () -> ConfigValidator.checkKnownKeys(DEFAULTS, user(userText), "attnsim"));
  }

  private static void assertKeysOk(String userText) {
    assertDoesNotThrow(
        () -> ConfigValidator.checkKnownKeys(DEFAULTS, user(userText), "attnsim"));
  }

  // --- checkKnownKeys ----------------------------------------------------------------------

  @Test
  void knownKeysPass() {
    assertKeysOk("attnsim { hardware { lanes = 8, clock-ghz = 2 }, run.engine = sequential }");
    assertDoesNotThrow(() -> ConfigValidator.checkKnownKeys(DEFAULTS, DEFAULTS, "attnsim"));
  }

  @Test
  void keysOutsideTheNamespaceAreIgnored() {
    assertKeysOk("akka.loglevel = DEBUG\nother.whatever = 1");
  }

  @Test
  void unknownKeyWithSuggestion() {
    assertKeysError(
        "unknown key attnsim.hardware.lans (x.conf: 3); did you mean attnsim.hardware.lanes?",
        "attnsim {\n  hardware {\n    lans = 8\n  }\n}");
  }

  @Test
  void unknownKeySuggestionIgnoresCase() {
    assertKeysError(
        "unknown key attnsim.hardware.Lanes (x.conf: 1); did you mean attnsim.hardware.lanes?",
        "attnsim.hardware.Lanes = 8");
  }

  @Test
  void unknownObjectKeyIsReportedOnceWithSuggestion() {
    assertKeysError(
        "unknown key attnsim.hardwar (x.conf: 1); did you mean attnsim.hardware?",
        "attnsim.hardwar { lanes = 8, name = x }");
  }

  @Test
  void unknownKeyFarFromEverythingHasNoSuggestion() {
    assertKeysError("unknown key attnsim.hardware.zzzzzzzzzz (x.conf: 2)",
        "attnsim.hardware.lanes = 8\nattnsim.hardware.zzzzzzzzzz = 1");
  }

  @Test
  void multipleUnknownKeysReportFirstInSortedOrderWithCount() {
    assertKeysError("unknown key attnsim.alpha (x.conf: 3) (and 2 more unknown keys)",
        "attnsim.run.zeta = 1\nattnsim.hardware.lans = 2\nattnsim.alpha = 3");
    assertKeysError(
        "unknown key attnsim.hardware.lans (x.conf: 2); did you mean attnsim.hardware.lanes?"
            + " (and 1 more unknown key)",
        "attnsim.run.zeta = 1\nattnsim.hardware.lans = 2");
  }

  @Test
  void unknownKeysComeBeforeTypeErrors() {
    assertKeysError("unknown key attnsim.run.zeta (x.conf: 2)",
        "attnsim.hardware.lanes = abc\nattnsim.run.zeta = 1");
  }

  @Test
  void unknownKeyFoundInMergedConfig() {
    Config merged = user("attnsim.run.sede = 7").withFallback(DEFAULTS).resolve();
    assertError("unknown key attnsim.run.sede (x.conf: 1); did you mean attnsim.run.seed?",
        () -> ConfigValidator.checkKnownKeys(DEFAULTS, merged, "attnsim"));
  }

  @Test
  void freeFormEmptyObjectAcceptsAnyKey() {
    assertKeysOk("attnsim.workload.overrides { anything = 1, nested.deep.key = [1, 2] }");
  }

  @Test
  void listsAndNullDefaultsAreNotLookedInto() {
    assertKeysOk("attnsim.run.tags = [x, y, z]\n"
        + "attnsim.workload.ops = [{ name = y, bogus = 1 }]\n"
        + "attnsim.extra { whatever = 1 }");
  }

  @Test
  void wrongTypeIsAnError() {
    assertKeysError("attnsim.hardware.lanes (x.conf: 3): expected a number, got string \"abc\"",
        "attnsim {\n  hardware {\n    lanes = \"abc\"\n  }\n}");
    assertKeysError("attnsim.hardware.lanes (x.conf: 1): expected a number, got an object",
        "attnsim.hardware.lanes { a = 1 }");
    assertKeysError("attnsim.hardware.enabled (x.conf: 1): expected a boolean, got string "
        + "\"maybe\"", "attnsim.hardware.enabled = maybe");
    assertKeysError("attnsim.hardware (x.conf: 1): expected an object, got number 5",
        "attnsim.hardware = 5");
    assertKeysError("attnsim.run.tags (x.conf: 1): expected a list, got number 5",
        "attnsim.run.tags = 5");
    assertKeysError("attnsim.hardware.name (x.conf: 1): expected a string, got a list",
        "attnsim.hardware.name = [a]");
    assertKeysError("attnsim.hardware.lanes (x.conf: 1): expected a number, got null",
        "attnsim.hardware.lanes = null");
  }

  @Test
  void valuesTypesafeConvertsAreAccepted() {
    assertKeysOk("attnsim.hardware { lanes = \"4\", clock-ghz = \"2.5\", enabled = \"yes\" }");
    assertKeysOk("attnsim.hardware.name = 7\nattnsim.run.engine = true");
  }

  @Test
  void setOriginIsRenderedAsSet() {
    Config set = parse("--set", "attnsim.hardware.lans = 3");
    assertError("unknown key attnsim.hardware.lans (--set); did you mean attnsim.hardware.lanes?",
        () -> ConfigValidator.checkKnownKeys(DEFAULTS, set, "attnsim"));
    assertError("attnsim.hardware.lans = 3 (--set) is out of range: must be between 4 and 8",
        () -> ConfigValidator.intIn(set, "attnsim.hardware.lans", 4, 8));
  }

  // --- where -------------------------------------------------------------------------------

  @Test
  void whereRendersFileAndLine() {
    assertEquals("config/x.conf: 12",
        ConfigError.where(ConfigOriginFactory.newFile("config/x.conf").withLineNumber(12)));
    assertEquals("config/x.conf", ConfigError.where(ConfigOriginFactory.newFile("config/x.conf")));
    assertEquals("x.conf: 2", ConfigError.where(user("a = 1\nb = 2").getValue("b").origin()));
    assertEquals("--set", ConfigError.where(parse("--set", "a = 1").getValue("a").origin()));
    assertEquals("", ConfigError.where(null));
  }

  // --- range helpers -----------------------------------------------------------------------

  @Test
  void intIn() {
    Config c = user("attnsim.hardware { lanes = 8, zero = 0, quoted = \"16\", big = 3000000000,"
        + " half = 4.5 }");
    assertEquals(8, ConfigValidator.intIn(c, "attnsim.hardware.lanes", 1, 1024));
    assertEquals(16, ConfigValidator.intIn(c, "attnsim.hardware.quoted", 1, 1024));
    assertEquals(8, ConfigValidator.intIn(c, "attnsim.hardware.lanes", 8, 8));
    assertError("attnsim.hardware.zero = 0 (x.conf: 1) is out of range: "
            + "must be between 1 and 1024",
        () -> ConfigValidator.intIn(c, "attnsim.hardware.zero", 1, 1024));
    assertError("attnsim.hardware.lanes = 8 (x.conf: 1) is out of range: must be between 1 and 7",
        () -> ConfigValidator.intIn(c, "attnsim.hardware.lanes", 1, 7));
    assertError("attnsim.hardware.zero = 0 (x.conf: 1) is out of range: must be >= 1",
        () -> ConfigValidator.intIn(c, "attnsim.hardware.zero", 1, Integer.MAX_VALUE));
    assertError("attnsim.hardware.big = 3000000000 (x.conf: 1) is out of range: must be >= 1",
        () -> ConfigValidator.intIn(c, "attnsim.hardware.big", 1, Integer.MAX_VALUE));
    assertError("attnsim.hardware.half (x.conf: 1): expected an integer, got number 4.5",
        () -> ConfigValidator.intIn(c, "attnsim.hardware.half", 1, 1024));
  }

  @Test
  void longIn() {
    Config c = user("attnsim.run { seed = 3000000000, neg = -1 }");
    assertEquals(3_000_000_000L,
        ConfigValidator.longIn(c, "attnsim.run.seed", 0, Long.MAX_VALUE));
    assertError("attnsim.run.neg = -1 (x.conf: 1) is out of range: must be >= 0",
        () -> ConfigValidator.longIn(c, "attnsim.run.neg", 0, Long.MAX_VALUE));
    assertError("attnsim.run.seed = 3000000000 (x.conf: 1) is out of range: "
            + "must be between 0 and 1000",
        () -> ConfigValidator.longIn(c, "attnsim.run.seed", 0, 1000));
    assertError("attnsim.run.seed = 3000000000 (x.conf: 1) is out of range: must be <= 10",
        () -> ConfigValidator.longIn(c, "attnsim.run.seed", Long.MIN_VALUE, 10));
    // a seed past 64 bits: both limits, not a lower bound it is nowhere near
    Config big = user("attnsim.run.seed = 99999999999999999999");
    assertError("attnsim.run.seed = \"99999999999999999999\" (x.conf: 1) is out of range: must be "
            + "between -9223372036854775808 and 9223372036854775807",
        () -> ConfigValidator.longIn(big, "attnsim.run.seed", Long.MIN_VALUE, Long.MAX_VALUE));
  }

  @Test
  void doubleIn() {
    Config c = user("attnsim.hardware { clock-ghz = 1.5, hot = 9.5, neg = -0.25, int = 2 }");
    assertEquals(1.5, ConfigValidator.doubleIn(c, "attnsim.hardware.clock-ghz", 0.5, 4.0));
    assertEquals(2.0, ConfigValidator.doubleIn(c, "attnsim.hardware.int", 0.5, 4.0));
    assertError("attnsim.hardware.hot = 9.5 (x.conf: 1) is out of range: "
            + "must be between 0.5 and 4",
        () -> ConfigValidator.doubleIn(c, "attnsim.hardware.hot", 0.5, 4.0));
    assertError("attnsim.hardware.neg = -0.25 (x.conf: 1) is out of range: must be >= 0",
        () -> ConfigValidator.doubleIn(c, "attnsim.hardware.neg", 0, Double.MAX_VALUE));
    assertError("attnsim.hardware.hot = 9.5 (x.conf: 1) is out of range: must be <= 1",
        () -> ConfigValidator.doubleIn(c, "attnsim.hardware.hot", Double.NEGATIVE_INFINITY, 1));
  }

  @Test
  void helpersReportWrongTypes() {
    Config c = user("attnsim.hardware { lanes = abc, obj { a = 1 }, nil = null }\n"
        + "attnsim.run = 5");
    assertError("attnsim.hardware.lanes (x.conf: 1): expected a number, got string \"abc\"",
        () -> ConfigValidator.intIn(c, "attnsim.hardware.lanes", 1, 8));
    assertError("attnsim.hardware.lanes (x.conf: 1): expected a number, got string \"abc\"",
        () -> ConfigValidator.longIn(c, "attnsim.hardware.lanes", 1, 8));
    assertError("attnsim.hardware.lanes (x.conf: 1): expected a number, got string \"abc\"",
        () -> ConfigValidator.doubleIn(c, "attnsim.hardware.lanes", 1, 8));
    assertError("attnsim.hardware.obj (x.conf: 1): expected a string, got an object",
        () -> ConfigValidator.string(c, "attnsim.hardware.obj"));
    assertError("attnsim.hardware.nil (x.conf: 1): expected a number, got null",
        () -> ConfigValidator.intIn(c, "attnsim.hardware.nil", 1, 8));
    assertError("attnsim.run (x.conf: 2): expected an object, got number 5",
        () -> ConfigValidator.string(c, "attnsim.run.engine"));
  }

  @Test
  void helpersReportMissingKeys() {
    Config c = user("attnsim {\n  hardware {\n    lanes = 1\n  }\n}");
    assertError("missing key attnsim.hardware.width in x.conf: 2",
        () -> ConfigValidator.intIn(c, "attnsim.hardware.width", 1, 8));
    assertError("missing key nothing.here",
        () -> ConfigValidator.string(c, "nothing.here"));
  }

  @Test
  void stringConvertsScalars() {
    Config c = user("attnsim.hardware { name = npu, lanes = 4 }");
    assertEquals("npu", ConfigValidator.string(c, "attnsim.hardware.name"));
    assertEquals("4", ConfigValidator.string(c, "attnsim.hardware.lanes"));
  }

  // --- enumOf ------------------------------------------------------------------------------

  @Test
  void enumOfIgnoresCaseAndAcceptsDashes() {
    Config c = user("attnsim.run { engine = Actor, other = SEQUENTIAL, policy = round-robin }");
    assertEquals(Engine.ACTOR, ConfigValidator.enumOf(c, "attnsim.run.engine", Engine.class));
    assertEquals(Engine.SEQUENTIAL,
        ConfigValidator.enumOf(c, "attnsim.run.other", Engine.class));
    assertEquals(Policy.ROUND_ROBIN,
        ConfigValidator.enumOf(c, "attnsim.run.policy", Policy.class));
  }

  @Test
  void enumOfTypoListsAllowedValues() {
    Config c = user("attnsim.run {\n  engine = \"actr\"\n}");
    assertError("attnsim.run.engine = \"actr\" (x.conf: 2) must be one of: actor, sequential",
        () -> ConfigValidator.enumOf(c, "attnsim.run.engine", Engine.class));
    Config policy = user("attnsim.run.policy = round_robbin");
    assertError("attnsim.run.policy = \"round_robbin\" (x.conf: 1) must be one of: "
            + "fifo, round_robin",
        () -> ConfigValidator.enumOf(policy, "attnsim.run.policy", Policy.class));
  }

  @Test
  void enumOfASubsetListsOnlyTheAcceptedValues() {
    Config c = user("attnsim.run { a = fifo, b = oops }");
    assertError("attnsim.run.a = \"fifo\" (x.conf: 1) must be one of: round_robin",
        () -> ConfigValidator.enumOf(c, "attnsim.run.a", Policy.class,
            java.util.List.of(Policy.ROUND_ROBIN)));
    assertError("attnsim.run.b = \"oops\" (x.conf: 1) must be one of: round_robin",
        () -> ConfigValidator.enumOf(c, "attnsim.run.b", Policy.class,
            java.util.List.of(Policy.ROUND_ROBIN)));
  }

  @Test
  void precisionErrorsListOnlyWhatTheKeyAccepts() {
    var e = assertThrows(ConfigError.class, () -> dev.attnsim.sim.TestConfigs.defaults(
        "hardware.detection.precision=foo"));
    assertEquals("attnsim.hardware.detection.precision = \"foo\" (--set) must be one of: int2, "
        + "int4, int8", e.getMessage());
    var g = assertThrows(ConfigError.class, () -> dev.attnsim.sim.TestConfigs.defaults(
        "workload.gemm.precision=int32"));
    assertEquals("attnsim.workload.gemm.precision = \"int32\" (--set) must be one of: fx16, "
        + "int8, int4, int2", g.getMessage());
  }
}
