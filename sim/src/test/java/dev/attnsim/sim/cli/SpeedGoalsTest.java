package dev.attnsim.sim.cli;

import static dev.attnsim.sim.cli.Cli.attnsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --goals}: what it refuses, how it reads a child JVM's figure, and that a child
 * started from the tests' class path runs. The whole report takes minutes, so it is run by hand
 * (README, *Performance*), not here.
 */
class SpeedGoalsTest {

  @TempDir
  Path dir;

  @Test
  void goalsMeasureFixedRunsAndSayWhichOptionsToDrop() {
    var r = attnsim("bench", "--goals", "--accelerator", "dota-c", "--set",
        "workload.transformer.seq-len=64", "--engines", "actor");
    assertEquals(2, r.code(), r.out());
    assertEquals("attnsim: error: --goals measures fixed runs; drop --accelerator, --set, "
        + "--engines", r.err().strip());
    var alone = attnsim("bench", "--long", "--events", "2000");
    assertEquals(2, alone.code(), alone.out());
    assertEquals("attnsim: error: --long goes with --goals", alone.err().strip());
  }

  @Test
  void aChildsFigureIsTheTimeItsCommandPrinted() {
    String run = String.join("\n", "status     ok",
        "sim        107,035 simulator events in 1.55 s (69,259 events/s, actor engine, 1 thread)",
        "outputs    traces/runs/x");
    var c = SpeedGoals.parse(run, 0, 3.25, SpeedGoals.SIM_LINE);
    assertEquals(1.55, c.seconds());
    assertEquals(3.25, c.wallSeconds());
    assertNull(c.failure());
    var a = SpeedGoals.parse("Z  relative error\nwall 14.8 s\n", 0, 15.4, SpeedGoals.WALL_LINE);
    assertEquals(14.8, a.seconds());
    // a child that failed (out of memory, a bad key) is its exit code and last line
    var failed = SpeedGoals.parse("sim        1 simulator events in 0.10 s\n"
        + "attnsim: java.lang.OutOfMemoryError: Java heap space\n", 1, 2.0, SpeedGoals.SIM_LINE);
    assertTrue(Double.isNaN(failed.seconds()));
    assertEquals("exit 1: attnsim: java.lang.OutOfMemoryError: Java heap space",
        failed.failure());
    assertEquals("exit 0: no output", SpeedGoals.parse("", 0, 1, SpeedGoals.WALL_LINE).failure());
  }

  @Test
  void aGoalsLineNamesTargetFigureAndVerdict() {
    String line = SpeedGoals.line(new SpeedGoals.Goal("actor / sequential engine, gemm bench",
        "<= 2x", "3.02x", SpeedGoals.Verdict.NOT_MET));
    assertEquals("actor / sequential engine, gemm bench" + " ".repeat(16) + "<= 2x"
        + " ".repeat(4) + "3.02x" + " ".repeat(28) + "not met", line);
    assertEquals(SpeedGoals.HEADER.indexOf("target"), line.indexOf("<= 2x"));
    assertEquals(SpeedGoals.HEADER.indexOf("verdict"), line.indexOf("not met"));
  }

  /** The child JVM starts from this JVM's class path, with a 1 GiB heap, and its time is read. */
  @Test
  void aChildJvmRunsTheCommandAndItsTimeIsRead() throws Exception {
    var goals = new SpeedGoals(new PrintWriter(new StringWriter()), 1, false);
    Path out = dir.resolve("run");
    var c = goals.child(List.of("run", "--accelerator", "dota-c", "--workload", "lra-text",
        "--set", "workload.transformer.seq-len=64", "--set", "workload.transformer.layers=1",
        "--no-trace", "--out", out.toString()), SpeedGoals.SIM_LINE);
    assertNull(c.failure());
    assertTrue(c.seconds() > 0 && c.seconds() < c.wallSeconds(), c.toString());
    assertTrue(Files.isRegularFile(out.resolve("summary.json")), "the child wrote its run");
    var bad = goals.child(List.of("run", "--set", "hardware.lanes=0", "--no-trace", "--out",
        dir.resolve("bad").toString()), SpeedGoals.SIM_LINE);
    assertTrue(bad.failure().startsWith("exit 2: attnsim: "), bad.failure());
    assertTrue(bad.failure().contains("hardware.lanes"), bad.failure());
  }
}
