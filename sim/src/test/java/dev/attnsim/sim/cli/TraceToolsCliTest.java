package dev.attnsim.sim.cli;

import static dev.attnsim.sim.cli.Cli.attnsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.cli.Cli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inspect, replay and export as a user meets them: outputs, one-line errors, exit codes. */
class TraceToolsCliTest {

  @TempDir
  static Path tmp;

  private static Path trace;

  @BeforeAll
  static void run() {
    Path dir = tmp.resolve("run");
    Result r = attnsim("run", TestConfigs.repo().resolve("config/examples/gemm.conf").toString(),
        "--out", dir.toString(), "--engine", "sequential", "--set", "workload.gemm.m=64",
        "--set", "hardware.dram.bandwidth-bytes-per-cycle=512", "--quiet");
    assertEquals(0, r.code(), r.err());
    trace = dir.resolve("trace.jsonl");
  }

  @Test
  void inspectPrintsBlocksStagesAndStalls() {
    Result r = attnsim("inspect", trace.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("status     ok, "), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("lane3 ")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("accumulate ")), r.out());
    assertTrue(r.out().contains("a credit from lane"), r.out());
    assertEquals("", r.err());
    // trace lines are "event lines", not the simulator's events; a stage's span is its extent
    assertTrue(r.out().lines().anyMatch(l -> l.matches("status     ok, .* cycles .*, [\\d,]+ "
        + "event lines")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("stage +spans +blocks +start +end +extent"
        + " +busy cycles")), r.out());
    assertTrue(r.out().contains("\nextent: end - start of the stage's spans, as a share of the "
        + "window's cycles"), r.out());
  }

  @Test
  void runNamesSimulatorEventsAndSharesOfTheRunsCycles() {
    Result r = attnsim("run", TestConfigs.repo().resolve("traces/golden/dota-small.conf")
        .toString(), "--no-trace", "--engine", "sequential", "-o", tmp.resolve("named")
        .toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("sim +[\\d,]+ simulator events in .*")),
        r.out());
    assertTrue(r.out().contains("share of the run's cycles: linear"), r.out());
  }

  @Test
  void inspectJsonWithFilters() throws IOException {
    Result r = attnsim("inspect", trace.toString(), "--json", "--block", "lane1", "--from",
        "500", "--to", "2500");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals(2000, j.get("window").get("cycles").asLong());
    assertEquals(1, j.get("blocks").size());
    JsonNode lane1 = j.get("blocks").get(0);
    assertEquals("lane1", lane1.get("name").asText());
    assertEquals(2000, lane1.get("busy_cycles").asLong() + lane1.get("stall_cycles").asLong()
        + lane1.get("idle_cycles").asLong());
    assertTrue(j.get("complete").asBoolean());
  }

  @Test
  void inspectTileAndTimeline() throws IOException {
    Result r = attnsim("inspect", trace.toString(), "--tile", "lane0#0");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("tile 4294967296 (lane0 #0)"), r.out());
    assertTrue(r.out().contains("send     lane0.out -> acc.lane0"), r.out());
    Path png = tmp.resolve("t.png");
    Result t = attnsim("inspect", trace.toString(), "-o", png.toString());
    assertEquals(0, t.code(), t.err());
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
    assertEquals("\u0089PNG", new String(head, java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  @Test
  void inspectOfAnIncompleteTraceReportsAndExits2() throws IOException {
    var lines = Files.readAllLines(trace);
    Path cut = tmp.resolve("cut.jsonl");
    Files.writeString(cut, String.join("\n", lines.subList(0, 500)) + "\n"
        + lines.get(500).substring(0, 30));
    Result r = attnsim("inspect", cut.toString());
    assertEquals(2, r.code());
    assertTrue(r.out().contains("status     INCOMPLETE: incomplete trace: the last line is cut "
        + "short after 499 events"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("lane0 ")), r.out());
    assertEquals("attnsim: error: " + cut + ": line 501: incomplete trace: the last line is cut "
        + "short after 499 events", r.err().strip());
  }

  @Test
  void corruptTracesAreOneLineErrorsWithExit2() throws IOException {
    var lines = new ArrayList<>(Files.readAllLines(trace));
    lines.set(0, lines.get(0).replace("\"version\":1", "\"version\":7"));
    Path v7 = tmp.resolve("v7.jsonl");
    Files.write(v7, lines);
    for (String verb : List.of("inspect", "replay", "export")) {
      Result r = verb.equals("export")
          ? attnsim(verb, v7.toString(), "--format", "csv", "-o", tmp.resolve("o.csv").toString())
          : attnsim(verb, v7.toString());
      assertEquals(2, r.code(), verb);
      assertEquals("attnsim: error: " + v7 + ": line 1: unsupported trace format version 7 (this "
          + "attnsim reads version 1)", r.err().strip(), verb);
    }
    assertFalse(Files.exists(tmp.resolve("o.csv")));
    Result missing = attnsim("inspect", tmp.resolve("nope.jsonl").toString());
    assertEquals(2, missing.code());
    assertEquals("attnsim: error: " + tmp.resolve("nope.jsonl") + ": no such file",
        missing.err().strip());
  }

  @Test
  void badOptionsAreExit2() {
    assertEquals(2, attnsim("inspect", trace.toString(), "--block", "lane9").code());
    assertEquals(2, attnsim("inspect", trace.toString(), "--from", "10", "--to", "5").code());
    assertEquals(2, attnsim("inspect", trace.toString(), "--tile", "x#1").code());
    Result f = attnsim("export", trace.toString(), "--format", "svg", "-o", "x");
    assertEquals(2, f.code());
    assertTrue(f.err().contains("expected chrome, vcd, csv or jsonl, got 'svg'"), f.err());
  }

  @Test
  void exportWritesEachFormat() throws IOException {
    for (String format : List.of("chrome", "vcd", "csv")) {
      Path out = tmp.resolve("out." + format);
      Result r = attnsim("export", trace.toString(), "--format", format, "-o", out.toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().startsWith(out + ": "), r.out());
      assertTrue(Files.size(out) > 1000, format);
    }
  }

  @Test
  void replayOfAnUntouchedTraceIsIdentical() {
    Result r = attnsim("replay", trace.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("identical: "), r.out());
    assertTrue(r.out().contains("sequential engine"), r.out());
  }

  @Test
  void replayFindsTheFirstDivergentEvent() throws IOException {
    var lines = new ArrayList<>(Files.readAllLines(trace));
    int at = 40;
    while (!lines.get(at).contains("\"ev\":\"busy\"")) {
      at++;
    }
    String original = lines.get(at);
    // a well-formed trace the simulator no longer gives: another op name
    lines.set(at, original.replaceFirst("\"op\":\"", "\"op\":\"x"));
    Path tampered = tmp.resolve("tampered.jsonl");
    Files.write(tampered, lines);
    Result r = attnsim("replay", tampered.toString(), "--engine", "sequential");
    assertEquals(ExitCodes.REPLAY_DIFFERS, r.code(), r.err());
    var out = r.out().lines().toList();
    JsonNode n = new ObjectMapper().readTree(original);
    assertEquals("differs at event " + (at - 1) + " (line " + (at + 1) + "): t="
        + n.get("t").asLong() + " block=" + n.get("block").asText(), out.get(0));
    assertEquals("  expected " + lines.get(at), out.get(1));
    assertEquals("  got      " + original, out.get(2));
  }

  @Test
  void replayReadsGzipAndRefusesAnIncompleteRecording() throws IOException {
    Path dir = tmp.resolve("gz");
    Result run = attnsim("run", "--out", dir.toString(), "--engine", "sequential", "--set",
        "workload.gemm.m=32", "--set", "workload.gemm.n=32", "--set", "workload.gemm.k=256",
        "--trace-gzip", "--quiet");
    assertEquals(0, run.code(), run.err());
    Result r = attnsim("replay", dir.resolve("trace.jsonl.gz").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("identical: "), r.out());

    var lines = Files.readAllLines(trace);
    Path cut = tmp.resolve("nofooter.jsonl");
    Files.write(cut, lines.subList(0, lines.size() - 1));
    Result c = attnsim("replay", cut.toString());
    assertEquals(2, c.code(), c.out());
    assertTrue(c.out().startsWith("incomplete: the " + String.format(java.util.Locale.ROOT, "%,d",
        lines.size() - 2) + " event lines the trace has match the replay"), c.out());
    assertEquals("attnsim: error: " + cut + ": line " + lines.size() + ": incomplete trace: no "
        + "footer after " + (lines.size() - 2) + " events (the run was cut short)",
        c.err().strip());
  }
}
