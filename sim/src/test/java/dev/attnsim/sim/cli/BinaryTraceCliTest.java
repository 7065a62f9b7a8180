package dev.attnsim.sim.cli;

import static dev.attnsim.sim.cli.Cli.attnsim;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.cli.Cli.Result;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A binary trace as a user meets it: {@code run --trace-format binary} writes trace.bin, and
 * {@code export}, {@code inspect} and {@code replay} give on it what they give on the JSON Lines
 * trace of the same run; a corrupt one is the usual one-line error.
 */
class BinaryTraceCliTest {

  @TempDir
  static Path tmp;

  private static Path jsonl;
  private static Path binary;

  private static Result run(Path dir, String... more) {
    var args = new java.util.ArrayList<>(List.of("run", TestConfigs.repo().resolve(
        "config/examples/gemm.conf").toString(), "--out", dir.toString(), "--engine",
        "sequential", "--set", "workload.gemm.m=64", "--set",
        "hardware.dram.bandwidth-bytes-per-cycle=512", "--quiet"));
    args.addAll(List.of(more));
    return attnsim(args.toArray(String[]::new));
  }

  @BeforeAll
  static void runBoth() {
    Result j = run(tmp.resolve("jsonl"));
    assertEquals(0, j.code(), j.err());
    jsonl = tmp.resolve("jsonl/trace.jsonl");
    Result b = run(tmp.resolve("binary"), "--trace-format", "binary");
    assertEquals(0, b.code(), b.err());
    binary = tmp.resolve("binary/trace.bin");
  }

  @Test
  void runWritesTraceBinAndTheSummarySaysSo() throws IOException {
    assertTrue(Files.exists(binary));
    assertFalse(Files.exists(tmp.resolve("binary/trace.jsonl")));
    var summary = new ObjectMapper().readTree(tmp.resolve("binary/summary.json").toFile());
    var jsonSummary = new ObjectMapper().readTree(tmp.resolve("jsonl/summary.json").toFile());
    assertEquals("trace.bin", summary.get("trace").get("path").asText());
    assertEquals(jsonSummary.get("trace").get("events"), summary.get("trace").get("events"));
    assertEquals(1179, summary.get("trace").get("events").asLong());
    assertTrue(Files.size(binary) * 5 < Files.size(jsonl), Files.size(binary) + " bytes");
    // the resolved config says how the trace was written; the trace's header does not
    assertTrue(Files.readString(tmp.resolve("binary/config.conf")).contains("format=binary"));

    Path gz = tmp.resolve("gz");
    Result r = run(gz, "--trace-format=binary", "--trace-gzip");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(gz.resolve("trace.bin.gz")));
    Path gzJsonl = tmp.resolve("gz-jsonl");
    assertEquals(0, run(gzJsonl, "--trace-gzip").code());
    Path converted = tmp.resolve("from-gz.jsonl");
    Result e = attnsim("export", gz.resolve("trace.bin.gz").toString(), "-o",
        converted.toString());
    assertEquals(0, e.code(), e.err());
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gzJsonl.resolve(
        "trace.jsonl.gz")))) {
      assertArrayEquals(in.readAllBytes(), Files.readAllBytes(converted));
    }
    // a run into a directory that held a binary trace removes it with the other outputs
    assertEquals(0, run(gz, "--force").code());
    assertFalse(Files.exists(gz.resolve("trace.bin.gz")));
  }

  @Test
  void exportToJsonLinesGivesTheJsonLinesTraceOfTheSameRun() throws IOException {
    Path out = tmp.resolve("converted.jsonl");
    Result r = attnsim("export", binary.toString(), "-o", out.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(out + ": 1,179 events -> 1,181 lines (jsonl)", r.out().strip());
    assertArrayEquals(Files.readAllBytes(jsonl), Files.readAllBytes(out));
    Path named = tmp.resolve("converted.txt");
    assertEquals(0, attnsim("export", binary.toString(), "-o", named.toString(), "--format",
        "jsonl").code());
    assertArrayEquals(Files.readAllBytes(jsonl), Files.readAllBytes(named));
    Path again = tmp.resolve("again.jsonl"); // a JSON Lines trace exports as itself
    assertEquals(0, attnsim("export", jsonl.toString(), "-o", again.toString()).code());
    assertArrayEquals(Files.readAllBytes(jsonl), Files.readAllBytes(again));
    // export's guarantees: never over the trace, nor over a file without --force
    Result self = attnsim("export", binary.toString(), "-o", binary.toString(), "--format",
        "jsonl", "--force");
    assertEquals(2, self.code());
    assertTrue(self.err().contains("is the input"), self.err());
    assertEquals(2, attnsim("export", binary.toString(), "-o", out.toString()).code());
  }

  @Test
  void inspectAndTheOtherExportsGiveWhatTheyGiveOnTheJsonLinesTrace() throws IOException {
    Result b = attnsim("inspect", binary.toString());
    Result j = attnsim("inspect", jsonl.toString());
    assertEquals(0, b.code(), b.err());
    assertEquals(j.out().replace(jsonl.toString(), binary.toString()), b.out());
    Result bt = attnsim("inspect", binary.toString(), "--tile", "dram#4", "--json");
    Result jt = attnsim("inspect", jsonl.toString(), "--tile", "dram#4", "--json");
    var mapper = new ObjectMapper();
    var bj = (ObjectNode) mapper.readTree(bt.out());
    var jj = (ObjectNode) mapper.readTree(jt.out());
    assertEquals(binary.toString(), bj.remove("trace").asText());
    jj.remove("trace");
    assertEquals(jj, bj);
    for (String format : List.of("chrome", "vcd", "csv")) {
      Path fromBinary = tmp.resolve("b." + format);
      Path fromJsonl = tmp.resolve("j." + format);
      assertEquals(0, attnsim("export", binary.toString(), "--format", format, "-o",
          fromBinary.toString()).code());
      assertEquals(0, attnsim("export", jsonl.toString(), "--format", format, "-o",
          fromJsonl.toString()).code());
      assertArrayEquals(Files.readAllBytes(fromJsonl), Files.readAllBytes(fromBinary), format);
    }
  }

  @Test
  void replayOfABinaryTraceIsIdentical() {
    Result b = attnsim("replay", binary.toString());
    assertEquals(0, b.code(), b.err());
    assertTrue(b.out().startsWith("identical: 1,179 event lines and the footer match (replayed "
        + "on the sequential engine in "), b.out());
  }

  @Test
  void aCorruptBinaryTraceIsAOneLineErrorAndExit2InEveryTool() throws IOException {
    byte[] bytes = Files.readAllBytes(binary);
    int at = bytes.length - 200; // an event record's tag or field, near the end
    bytes[at] = (byte) 0x7f;
    Path bad = tmp.resolve("bad.bin");
    Files.write(bad, bytes);
    for (String verb : List.of("inspect", "replay", "export")) {
      Result r = verb.equals("export")
          ? attnsim(verb, bad.toString(), "-o", tmp.resolve("bad.jsonl").toString())
          : attnsim(verb, bad.toString());
      assertEquals(2, r.code(), verb + ": " + r.err());
      assertTrue(r.err().matches("attnsim: error: " + java.util.regex.Pattern.quote(bad
          .toString()) + ": event \\d+, byte \\d+: [^\\n]+\\n"), verb + ": " + r.err());
    }
    assertFalse(Files.exists(tmp.resolve("bad.jsonl")));
    Result debug = attnsim("inspect", bad.toString(), "--debug");
    assertEquals(2, debug.code());
    assertTrue(debug.err().contains("\tat dev.attnsim.sim.trace."), debug.err());

    // cut short: inspect reports on what it has, export refuses
    Path cut = tmp.resolve("cut.bin");
    Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(binary),
        (int) Files.size(binary) - 100));
    Result i = attnsim("inspect", cut.toString());
    assertEquals(2, i.code());
    assertTrue(i.out().contains("status     INCOMPLETE: incomplete trace: the file ends inside "
        + "event "), i.out());
    assertTrue(i.err().startsWith("attnsim: error: " + cut + ": byte " + Files.size(cut)
        + ": incomplete trace: "), i.err());
    Result x = attnsim("export", cut.toString(), "-o", tmp.resolve("cut.jsonl").toString());
    assertEquals(2, x.code());
    assertFalse(Files.exists(tmp.resolve("cut.jsonl")));
  }

  @Test
  void theFormatIsAConfigKeyAndARunOption() {
    Result bad = run(tmp.resolve("xml"), "--trace-format", "xml");
    assertEquals(2, bad.code());
    assertEquals("attnsim: error: attnsim.trace.format = \"xml\" (--trace-format) must be one "
        + "of: jsonl, binary", bad.err().strip());
    Result set = attnsim("check", "--set", "trace.format=protobuf");
    assertEquals(2, set.code());
    assertEquals("attnsim: error: attnsim.trace.format = \"protobuf\" (--set) must be one of: "
        + "jsonl, binary", set.err().strip());
    assertEquals(0, attnsim("check", "--set", "trace.format=binary").code());
    Result both = run(tmp.resolve("both"), "--no-trace", "--trace-format", "binary");
    assertEquals(2, both.code());
    assertTrue(both.err().startsWith("attnsim: error: --no-trace and --trace-format contradict "
        + "each other"), both.err());
    assertFalse(Files.exists(tmp.resolve("both")));
  }

  @Test
  void benchNamesTheEncodingOfEachTracedRow() {
    Result r = attnsim("bench", "--events", "1000", "--engines", "sequential", "--trace",
        "off,on,binary", "--repeat", "1");
    assertEquals(0, r.code(), r.err());
    var rows = r.out().lines().filter(l -> l.startsWith("sequential ")).toList();
    assertEquals(3, rows.size(), r.out());
    assertTrue(rows.get(0).matches("sequential\\s+off\\s.*\\s0\\s+\\d+$"), rows.get(0));
    assertTrue(rows.get(1).matches("sequential\\s+jsonl\\s.*"), rows.get(1));
    assertTrue(rows.get(2).matches("sequential\\s+binary\\s.*"), rows.get(2));
    long jsonBytes = traceBytes(rows.get(1));
    long binaryBytes = traceBytes(rows.get(2));
    assertTrue(binaryBytes > 0 && binaryBytes * 5 < jsonBytes, binaryBytes + " / " + jsonBytes);
    Result bad = attnsim("bench", "--events", "1000", "--trace", "gzip");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--trace takes off, on and/or binary, got gzip"), bad.err());
  }

  /** The trace bytes column of a bench row: the second-to-last. */
  private static long traceBytes(String row) {
    String[] cells = row.trim().split("\\s+");
    return Long.parseLong(cells[cells.length - 2].replace(",", ""));
  }
}
