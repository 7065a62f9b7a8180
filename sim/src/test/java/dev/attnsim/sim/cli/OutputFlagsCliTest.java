package dev.attnsim.sim.cli;

import static dev.attnsim.sim.cli.Cli.attnsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.cli.Cli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One output flag, {@code -o/--out}, on every command that writes a file, the format from the
 * extension (or {@code --format}); the old spellings work for one release, hidden from help, and
 * say that they are going.
 */
class OutputFlagsCliTest {

  @TempDir
  static Path tmp;

  private static Path trace;

  @BeforeAll
  static void run() {
    Path dir = tmp.resolve("run");
    Result r = attnsim("run", TestConfigs.repo().resolve("traces/golden/gemm-small.conf")
        .toString(), "-o", dir.toString(), "--engine", "sequential", "--quiet");
    assertEquals(0, r.code(), r.err());
    assertEquals(dir.toString(), r.out().strip());
    trace = dir.resolve("trace.jsonl");
    assertTrue(Files.exists(trace));
  }

  @Test
  void exportTakesTheFormatFromTheExtension() throws IOException {
    for (String ext : new String[] {"json", "vcd", "csv"}) {
      Path out = tmp.resolve("x." + ext);
      Result r = attnsim("export", trace.toString(), "-o", out.toString());
      assertEquals(0, r.code(), r.err());
      String format = ext.equals("json") ? "chrome" : ext;
      assertTrue(r.out().strip().endsWith("(" + format + ")"), r.out());
    }
    assertTrue(Files.readString(tmp.resolve("x.json")).startsWith("{\"traceEvents\""));
    assertTrue(Files.readString(tmp.resolve("x.vcd")).startsWith("$version"));
    // --format wins over the extension
    Path odd = tmp.resolve("x.txt");
    Result r = attnsim("export", trace.toString(), "--out", odd.toString(), "--format", "csv");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.readString(odd).startsWith("t,ev,block"));
    Result unknown = attnsim("export", trace.toString(), "-o", tmp.resolve("y.dat").toString());
    assertEquals(ExitCodes.BAD_INPUT, unknown.code());
    assertEquals("attnsim: error: -o " + tmp.resolve("y.dat") + ": no format from the extension "
        + "(.json chrome, .vcd vcd, .csv csv, .jsonl jsonl); give --format chrome|vcd|csv|jsonl",
        unknown.err().strip());
    Result none = attnsim("export", trace.toString(), "--format", "csv");
    assertEquals(ExitCodes.BAD_INPUT, none.code());
    assertTrue(none.err().startsWith("attnsim: error: export needs -o/--out FILE"), none.err());
  }

  @Test
  void oldSpellingsStillWorkSayTheyAreGoingAndAreHidden() throws IOException {
    Path vcd = tmp.resolve("old.vcd");
    Result r = attnsim("export", trace.toString(), "--format", "vcd", "--output", vcd.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("attnsim: note: --output is now -o/--out; the old spelling goes in a later "
        + "release", r.err().strip());
    assertTrue(Files.exists(vcd));

    Path png = tmp.resolve("old.png");
    Result t = attnsim("inspect", trace.toString(), "--timeline", png.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.err().contains("--timeline is now -o/--out"), t.err());
    assertTrue(Files.exists(png));

    Result both = attnsim("export", trace.toString(), "-o", tmp.resolve("a.csv").toString(),
        "--output", tmp.resolve("b.csv").toString());
    assertEquals(ExitCodes.BAD_INPUT, both.code());
    assertEquals("attnsim: error: -o/--out and --output both name the output; give -o/--out "
        + "only (--output is its old spelling)", both.err().strip());

    for (String[] c : new String[][] {{"export", "--output"}, {"inspect", "--timeline"},
        {"accuracy", "--csv"}}) {
      Result help = attnsim(c[0], "--help");
      assertTrue(help.out().contains("-o, --out="), c[0] + ": " + help.out());
      assertFalse(help.out().contains(c[1]), c[0] + " help shows " + c[1]);
    }
    assertTrue(attnsim("run", "--help").out().contains("-o, --out=DIR"));
  }

  @Test
  void inspectDrawsTheTimelineAsPngOrSvgByTheExtension() throws IOException {
    Path svg = tmp.resolve("t.svg");
    Result r = attnsim("inspect", trace.toString(), "-o", svg.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.readString(svg).contains("<svg"));
    Path bad = tmp.resolve("t.gif");
    Result g = attnsim("inspect", trace.toString(), "-o", bad.toString());
    assertEquals(ExitCodes.BAD_INPUT, g.code());
    assertEquals("attnsim: error: -o " + bad + ": the timeline is drawn as PNG or SVG; the file "
        + "name must end in .png or .svg", g.err().strip());
  }
}
