package dev.attnsim.sim.cli;

import static dev.attnsim.sim.cli.Cli.attnsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.cli.Cli.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code attnsim replay} of corrupt traces: each kind is the one-line error {@code inspect}
 * gives (file, line, reason; exit 2), never "differs at event N" (exit 4), which is kept for a
 * re-run that really diverges.
 */
class ReplayValidationCliTest {

  @TempDir
  static Path tmp;

  private static Path trace;
  private static List<String> lines;

  @BeforeAll
  static void run() throws IOException {
    Path dir = tmp.resolve("run");
    Result r = attnsim("run", TestConfigs.repo().resolve("config/examples/gemm.conf").toString(),
        "--out", dir.toString(), "--engine", "sequential", "--set", "workload.gemm.m=64",
        "--set", "hardware.dram.bandwidth-bytes-per-cycle=512", "--quiet");
    assertEquals(0, r.code(), r.err());
    trace = dir.resolve("trace.jsonl");
    lines = Files.readAllLines(trace);
  }

  /** The 0-based index of the first event line (after {@code from}) that {@code p} accepts. */
  private static int find(int from, Predicate<String> p) {
    for (int i = Math.max(1, from); i < lines.size() - 1; i++) {
      if (p.test(lines.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no such line");
  }

  private static Path write(String name, List<String> content) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, content);
    return p;
  }

  /** replay and inspect both refuse {@code file} with the same one-line error, exit 2. */
  private static void assertCorrupt(Path file, long line, String reason) {
    Result replay = attnsim("replay", file.toString());
    String expected = "attnsim: error: " + file + (line > 0 ? ": line " + line : "") + ": "
        + reason;
    assertEquals(ExitCodes.BAD_INPUT, replay.code(), replay.out() + replay.err());
    assertEquals("", replay.out(), "no divergence report");
    assertEquals(1, replay.err().strip().lines().count(), replay.err());
    assertTrue(replay.err().strip().startsWith(expected), replay.err() + " / " + expected);
    Result inspect = attnsim("inspect", file.toString());
    assertEquals(ExitCodes.BAD_INPUT, inspect.code());
    assertEquals(replay.err(), inspect.err(), "the same error as inspect");
  }

  /** A blank line after the footer is allowed by the reader, and is no divergence either. */
  @Test
  void aBlankLineAfterTheFooterIsStillIdentical() throws IOException {
    var content = new java.util.ArrayList<>(lines);
    content.add("");
    Result r = attnsim("replay", write("blank-end.jsonl", content).toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("identical: " + String.format(java.util.Locale.ROOT, "%,d",
        lines.size() - 2) + " event lines"), r.out());
  }

  @Test
  void anUntouchedTraceIsIdentical() {
    Result r = attnsim("replay", trace.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("identical: "), r.out());
  }

  @Test
  void aWrongFooterCount() throws IOException {
    var c = new ArrayList<>(lines);
    int last = c.size() - 1;
    long n = lines.size() - 2;
    c.set(last, c.get(last).replace("\"events\":" + n, "\"events\":" + (n + 1)));
    assertCorrupt(write("count.jsonl", c), lines.size(), "footer counts " + (n + 1)
        + " events but the trace has " + n);
  }

  /** A line of kind {@code kind} (the first at or after line {@code from}) written twice. */
  @ParameterizedTest
  @CsvSource({"send, 20, send of seq", "busy, 20, busy span [", "stall, 1, stall span ["})
  void aDuplicatedLine(String kind, int from, String reason) throws IOException {
    int at = find(from, l -> l.contains("\"ev\":\"" + kind + "\""));
    var c = new ArrayList<>(lines);
    c.add(at + 1, lines.get(at));
    assertCorrupt(write("dup-" + kind + ".jsonl", c), at + 2, reason);
  }

  @Test
  void aLineMovedLater() throws IOException {
    int at = find(20, l -> l.contains("\"ev\":\"recv\""));
    var c = new ArrayList<>(lines);
    String moved = c.remove(at);
    c.add(at + 30, moved);
    Path p = write("moved.jsonl", c);
    Result r = attnsim("replay", p.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out() + r.err());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("attnsim: error: " + p + ": line "), r.err());
  }

  @Test
  void twoSendsOfOneLinkSwapped() throws IOException {
    int a = find(20, l -> l.contains("\"ev\":\"send\",\"link\":0,"));
    int b = find(a + 1, l -> l.contains("\"ev\":\"send\",\"link\":0,"));
    var c = new ArrayList<>(lines);
    String first = c.get(a);
    String second = c.get(b);
    // same times, so that only the seq order gives the swap away
    c.set(a, second.replaceFirst("\"t\":\\d+", first.substring(0, first.indexOf(',')).replace(
        "{", "")));
    c.set(b, first.replaceFirst("\"t\":\\d+", second.substring(0, second.indexOf(','))
        .replace("{", "")));
    assertCorrupt(write("swapped.jsonl", c), a + 1, "send of seq");
  }

  /**
   * The trace with the first {@code kind} line at or after line 10 edited: replace {@code
   * regex} by {@code replacement}; asserts it is corrupt at that line for {@code reason}.
   */
  private static void assertEditCorrupt(String kind, String regex, String replacement,
      String reason) throws IOException {
    int at = find(10, l -> l.contains("\"ev\":\"" + kind + "\""));
    var c = new ArrayList<>(lines);
    c.set(at, c.get(at).replaceFirst(regex, replacement));
    assertCorrupt(write("edit-" + kind + ".jsonl", c), at + 1, reason);
  }

  @Test
  void aFieldOfTheWrongType() throws IOException {
    assertEditCorrupt("recv", "\"bytes\":(\\d+)", "\"bytes\":\"$1\"",
        "field \"bytes\" must be an integer");
  }

  @Test
  void anUnknownLink() throws IOException {
    assertEditCorrupt("credit", "\"link\":\\d+", "\"link\":99",
        "unknown link 99 (not in the header)");
  }

  @Test
  void anUnknownBlock() throws IOException {
    assertEditCorrupt("busy", "\"block\":\"\\w+\"", "\"block\":\"lane9\"",
        "unknown block \"lane9\" (not in the header)");
  }

  @Test
  void aSpanEndingBeforeItStarts() throws IOException {
    String busy = lines.get(find(10, l -> l.contains("\"ev\":\"busy\"")));
    long start = Long.parseLong(busy.replaceFirst(".*\"start\":(\\d+).*", "$1"));
    assertEditCorrupt("busy", "\"end\":\\d+", "\"end\":" + (start - 1),
        "span ends at " + (start - 1) + ", before its start " + start);
  }

  @Test
  void twoTracesConcatenated() throws IOException {
    var c = new ArrayList<>(lines);
    c.addAll(lines);
    assertCorrupt(write("twice.jsonl", c), lines.size() + 1, "line after the footer");
  }

  @Test
  void aGzipTraceWithAFlippedBit() throws IOException {
    Path gz = tmp.resolve("flipped.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(trace));
    }
    byte[] bytes = Files.readAllBytes(gz);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(gz, bytes);
    Result r = attnsim("replay", gz.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out() + r.err());
    assertEquals("", r.out());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("attnsim: error: " + gz + ": line "), r.err());
    assertEquals(r.err(), attnsim("inspect", gz.toString()).err());
  }

  @Test
  void aTraceCutInTheMiddleOfALineComparesWhatItHasThenExits2() throws IOException {
    Path cut = tmp.resolve("cut.jsonl");
    Files.writeString(cut, String.join("\n", lines.subList(0, 300)) + "\n"
        + lines.get(300).substring(0, 25));
    Result r = attnsim("replay", cut.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out() + r.err());
    assertEquals(String.format(Locale.ROOT, "incomplete: the %,d event lines the trace has match "
        + "the replay", 299), r.out().substring(0, r.out().indexOf(" (")));
    assertEquals("attnsim: error: " + cut + ": line 301: incomplete trace: the last line is cut "
        + "short after 299 events", r.err().strip());
  }

  @Test
  void anIncompleteTraceThatDivergesIsADivergence() throws IOException {
    int at = find(100, l -> l.contains("\"ev\":\"busy\""));
    var c = new ArrayList<>(lines.subList(0, 300));
    c.set(at, c.get(at).replaceFirst("\"op\":\"", "\"op\":\"x"));
    Result r = attnsim("replay", write("cut-tampered.jsonl", c).toString());
    assertEquals(ExitCodes.REPLAY_DIFFERS, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("differs at event " + (at - 1) + " (line " + (at + 1) + ")"),
        r.out());
  }
}
