package dev.attnsim.sim.cli;

import static dev.attnsim.sim.cli.Cli.attnsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.cli.Cli.Result;
import dev.attnsim.sim.io.IoReasons;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "smaller" list: each mistake is one line that says what is wrong. */
class SmallerErrorsCliTest {

  @TempDir
  Path tmp;

  private static String gemm() {
    return TestConfigs.repo().resolve("traces/golden/gemm-small.conf").toString();
  }

  private static void assertOneLine(Result r, String expected) {
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out() + r.err());
    assertEquals("attnsim: error: " + expected, r.err().strip());
  }

  @Test
  void anOutputDirectoryThatCannotBeMadeSaysWhy() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    Result r = attnsim("run", gemm(), "-o", file.resolve("out").toString(), "--quiet");
    assertOneLine(r, "cannot prepare output directory " + file.resolve("out")
        + ": not a directory (" + file.resolve("out") + ")");
    // permissions cannot be taken from root in a test; the reason is what a user would read
    assertEquals("permission denied (/ro/x)", IoReasons.of(new AccessDeniedException("/ro/x")));
  }

  @Test
  void checkOnADirectorySaysItIsOne() {
    Path dir = TestConfigs.repo().resolve("config");
    assertOneLine(attnsim("check", dir.toString()), "config file " + dir + " is a directory; "
        + "give a .conf file (presets: config/accelerators/, config/workloads/)");
  }

  @Test
  void noTraceWithTraceGzipNamesBoth() {
    assertOneLine(attnsim("run", gemm(), "--no-trace", "--trace-gzip"), "--no-trace and "
        + "--trace-gzip contradict each other: --trace-gzip compresses the trace that --no-trace "
        + "turns off; give one");
  }

  @Test
  void anAbortedGemmRunReportsNoMacsPerCycle() throws IOException {
    Path out = tmp.resolve("aborted");
    Result r = attnsim("run", gemm(), "--set", "run.max-cycles=100", "--no-trace", "-o",
        out.toString(), "--engine", "sequential");
    assertEquals(ExitCodes.INTERNAL, r.code(), r.err());
    assertTrue(r.out().contains("status     aborted"), r.out());
    assertFalse(r.out().contains("MACs/cycle"), r.out());
    assertFalse(Files.readString(out.resolve("summary.json")).contains("macs_per_cycle"));
    Result ok = attnsim("run", gemm(), "--no-trace", "-o", tmp.resolve("ok").toString(),
        "--engine", "sequential");
    assertTrue(ok.out().contains("MACs/cycle"), ok.out());
  }
}
