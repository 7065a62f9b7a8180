package dev.attnsim.sim.cli;

import static dev.attnsim.sim.cli.Cli.attnsim;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.cli.Cli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No command writes over its own input, nor over an existing file without --force, and no
 * failed command leaves a file that looks finished.
 */
class OutputSafetyCliTest {

  @TempDir
  static Path runs;

  @TempDir
  Path tmp;

  private static Path trace;
  private static byte[] traceBytes;

  @BeforeAll
  static void run() throws IOException {
    Path dir = runs.resolve("run");
    Result r = attnsim("run", "--out", dir.toString(), "--engine", "sequential", "--set",
        "workload.kind=gemm", "--set", "workload.gemm.m=32", "--set", "workload.gemm.n=32",
        "--set", "workload.gemm.k=256", "--quiet");
    assertEquals(0, r.code(), r.err());
    trace = dir.resolve("trace.jsonl");
    traceBytes = Files.readAllBytes(trace);
  }

  private static void assertRefused(Result r, String message) {
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out() + r.err());
    assertEquals("attnsim: error: " + message, r.err().strip());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  private void assertNoPartFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".part"))
          .toList());
    }
  }

  @Test
  void exportOntoItsOwnTraceIsRefusedEvenWithForce() throws IOException {
    for (boolean force : new boolean[] {false, true}) {
      Result r = force
          ? attnsim("export", trace.toString(), "--format", "chrome", "-o", trace.toString(),
              "--force")
          : attnsim("export", trace.toString(), "--format", "chrome", "-o", trace.toString());
      assertRefused(r, "-o " + trace + " is the input " + trace + " itself; writing it would "
          + "destroy it (even --force does not), choose another file");
      assertArrayEquals(traceBytes, Files.readAllBytes(trace));
    }
  }

  @Test
  void theInputIsRecognisedThroughSymlinksAndDotSegments() throws IOException {
    Path link = Files.createSymbolicLink(tmp.resolve("link.jsonl"), trace);
    Path dotted = trace.getParent().resolve(".").resolve("..").resolve("run")
        .resolve("trace.jsonl");
    for (Path out : List.of(link, dotted)) {
      Result r = attnsim("export", trace.toString(), "--format", "csv", "-o", out.toString(),
          "--force");
      assertEquals(ExitCodes.BAD_INPUT, r.code(), out.toString());
      assertTrue(r.err().contains("is the input"), r.err());
    }
    // the other way round: reading through the link, writing the real file
    Result r = attnsim("export", link.toString(), "--format", "vcd", "-o", trace.toString(),
        "--force");
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("is the input"), r.err());
    assertArrayEquals(traceBytes, Files.readAllBytes(trace));
  }

  @Test
  void anExistingOutputNeedsForce() throws IOException {
    Path out = Files.writeString(tmp.resolve("notes.json"), "my notes\n");
    Result r = attnsim("export", trace.toString(), "--format", "chrome", "-o", out.toString());
    assertRefused(r, "-o " + out + " already exists; --force replaces it");
    assertEquals("my notes\n", Files.readString(out));

    Result forced = attnsim("export", trace.toString(), "--format", "chrome", "-o",
        out.toString(), "--force");
    assertEquals(0, forced.code(), forced.err());
    assertTrue(Files.readString(out).startsWith("{"), "replaced by the export");
    assertNoPartFiles(tmp);
  }

  @Test
  void aFailedExportLeavesTheOldFileAndNoPartialOne() throws IOException {
    var lines = Files.readAllLines(trace);
    Path bad = tmp.resolve("bad.jsonl");
    Files.write(bad, lines.subList(0, lines.size() / 2)); // no footer: incomplete
    Path out = Files.writeString(tmp.resolve("old.csv"), "old\n");
    Result r = attnsim("export", bad.toString(), "--format", "csv", "-o", out.toString(),
        "--force");
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("incomplete trace"), r.err());
    assertEquals("old\n", Files.readString(out));
    Path fresh = tmp.resolve("fresh.csv");
    assertEquals(ExitCodes.BAD_INPUT, attnsim("export", bad.toString(), "--format", "csv",
        "-o", fresh.toString()).code());
    assertTrue(Files.notExists(fresh));
    assertNoPartFiles(tmp);
  }

  @Test
  void inspectTimelineAndAccuracyCsvFollowTheSameRule() throws IOException {
    Path png = Files.writeString(tmp.resolve("t.png"), "not mine\n");
    assertRefused(attnsim("inspect", trace.toString(), "-o", png.toString()),
        "-o " + png + " already exists; --force replaces it");
    assertEquals("not mine\n", Files.readString(png));
    Result forced = attnsim("inspect", trace.toString(), "--out", png.toString(),
        "--force");
    assertEquals(0, forced.code(), forced.err());
    assertEquals('P', Files.readAllBytes(png)[1]);

    Path conf = Files.writeString(tmp.resolve("acc.conf"),
        "attnsim.workload.transformer { layers = 1, d-model = 32, heads = 2, seq-len = 96 }\n");
    assertRefused(attnsim("accuracy", conf.toString(), "-o", conf.toString(), "--force"),
        "-o " + conf + " is the input " + conf + " itself; writing it would destroy it (even "
            + "--force does not), choose another file");
    Path csv = Files.writeString(tmp.resolve("acc.csv"), "kept\n");
    assertRefused(attnsim("accuracy", conf.toString(), "-o", csv.toString()),
        "-o " + csv + " already exists; --force replaces it");
    assertEquals("kept\n", Files.readString(csv));
  }

  @Test
  void runRefusesAnEarlierRunsDirectoryWithoutForceAndItsInputAlways() throws IOException {
    Path dir = tmp.resolve("out");
    String[] args = {"run", TestConfigs.repo().resolve("config/examples/gemm.conf").toString(),
        "--set", "workload.gemm.m=32", "--set", "workload.gemm.n=32", "--set",
        "workload.gemm.k=256", "--engine", "sequential", "--quiet", "--out", dir.toString()};
    assertEquals(0, attnsim(args).code());
    byte[] summary = Files.readAllBytes(dir.resolve("summary.json"));
    assertRefused(attnsim(args), "--out " + dir + " already holds summary.json (an earlier "
        + "run's?); --force replaces the run outputs there, or choose another directory");
    assertArrayEquals(summary, Files.readAllBytes(dir.resolve("summary.json")));
    String[] forced = java.util.Arrays.copyOf(args, args.length + 1);
    forced[args.length] = "--force";
    assertEquals(0, attnsim(forced).code());

    // a config kept in the output directory under a name the run writes
    Path conf = dir.resolve("config.conf");
    String text = Files.readString(conf);
    Result r = attnsim("run", conf.toString(), "--out", dir.toString(), "--force", "--quiet");
    assertRefused(r, "--out " + dir + ": the run writes " + conf + ", which is its input "
        + conf + " (even --force does not overwrite an input); choose another directory");
    assertEquals(text, Files.readString(conf));

    // --out naming a file
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    String[] onFile = java.util.Arrays.copyOf(args, args.length);
    onFile[args.length - 1] = file.toString();
    assertRefused(attnsim(onFile), "--out " + file + " is a file, not a directory");
  }
}
