package dev.attnsim.sim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User config files: includes, the short form outside attnsim { }, empty files, syntax errors. */
class ConfigFilesTest {

  @TempDir
  Path tmp;

  private Path file(String name, String text) throws IOException {
    Path p = tmp.resolve(name);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, text);
  }

  private static String error(Path file) {
    return assertThrows(ConfigError.class, () -> ConfigLoader.load(file, List.of()))
        .getMessage();
  }

  @Test
  void aMissingIncludeNamesItAndTheIncludingFile() throws IOException {
    Path plain = file("a.conf", "include \"missing.conf\"\nattnsim.hardware.lanes = 2\n");
    assertEquals(plain + ": include \"missing.conf\": no file " + tmp.resolve("missing.conf"),
        error(plain));
    Path required = file("b.conf", "include required(\"gone.conf\")\nhardware.lanes = 2\n");
    assertEquals(required + ": include required(\"gone.conf\"): no file "
        + tmp.resolve("gone.conf"), error(required));
    // nested: the inner include is relative to the file that makes it
    file("sub/inner.conf", "include \"deeper.conf\"\n");
    Path outer = file("outer.conf", "include \"sub/inner.conf\"\n");
    assertEquals(tmp.resolve("sub/inner.conf") + ": include \"deeper.conf\": no file "
        + tmp.resolve("sub/deeper.conf"), error(outer));
  }

  @Test
  void includesResolveRelativeToTheIncludingFile() throws IOException {
    file("sub/lanes.conf", "attnsim.hardware.lanes = 3\ninclude \"rows\"\n");
    file("sub/rows.conf", "hardware.rmmu.rows = 8\n");
    Path top = file("top.conf", "include \"sub/lanes.conf\"\n");
    SimSettings s = ConfigLoader.load(top, List.of());
    assertEquals(3, s.hardware().lanes());
    assertEquals(8, s.hardware().rmmu().rows());
  }

  @Test
  void keysOutsideAttnsimAreTakenAsUnderIt() throws IOException {
    Path f = file("short.conf", "hardware.lanes = 2\nrun { seed = 7 }\n");
    SimSettings s = ConfigLoader.load(f, List.of());
    assertEquals(2, s.hardware().lanes());
    assertEquals(7, s.run().seed());
    assertEquals("short", s.name());
    Path both = file("both.conf", "hardware.lanes = 2\nattnsim.hardware.lanes = 3\n");
    assertEquals(3, ConfigLoader.load(both, List.of()).hardware().lanes(), "the full form wins");
    Path typo = file("typo.conf", "# a comment\nhardware.lans = 2\n");
    assertEquals("unknown key attnsim.hardware.lans (" + typo + ": 2); did you mean "
        + "attnsim.hardware.lanes?", error(typo));
    Path akka = file("akka.conf", "akka.loglevel = DEBUG\n");
    assertEquals("unknown key attnsim.akka (" + akka + ": 1)", error(akka));
  }

  @Test
  void aFileThatSetsNothingIsRefused() throws IOException {
    for (String text : List.of("", "\n\n  \n", "# only a comment\n// and another\n", "{ }\n")) {
      Path f = file("empty.conf", text);
      assertEquals(f + " sets no keys", error(f), text);
    }
  }

  @Test
  void anUnclosedBraceSaysWhichAndWhere() throws IOException {
    Path f = file("open.conf", "attnsim {\n  # a { in a comment\n  name = \"a { b\"\n"
        + "  hardware {\n    lanes = 2\n  }\n");
    assertEquals(f + ": line 1: this '{' is never closed: the file ends at line 6 without its "
        + "'}'", error(f));
    Path two = file("two.conf", "attnsim {\n  hardware {\n    lanes = 2\n");
    assertEquals(two + ": line 1: this '{' is never closed (nor is the '{' of line 2): the file "
        + "ends at line 3 without its '}'", error(two));
    // a string cut at its line's end still counts that line
    Path cut = file("cut.conf", "attnsim {\n  name = \"a\n  hardware {\n    lanes = 2\n");
    assertEquals(cut + ": line 1: this '{' is never closed (nor is the '{' of line 3): the file "
        + "ends at line 4 without its '}'", Brackets.unclosed(cut));
  }
}
