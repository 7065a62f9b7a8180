package dev.attnsim.sim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.attnsim.sim.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports parsed back and checked against the trace they came from. */
class TraceExporterTest {

  @TempDir
  static Path tmp;

  private static Path trace;
  private static List<JsonNode> lines;
  private static JsonNode summary;

  @BeforeAll
  static void run() throws IOException {
    var o = TraceFixtures.stallingGemm(tmp.resolve("run"), "clock-ghz=1.25");
    trace = o.trace();
    lines = TraceFixtures.lines(trace);
    summary = new ObjectMapper().readTree(o.outDir().resolve("summary.json").toFile());
  }

  @Test
  void chromeHasATrackPerBlockAndAnEventPerSpanInMicroseconds() throws IOException {
    Path out = tmp.resolve("trace.json");
    var result = TraceExporter.export(trace, TraceExporter.Format.CHROME, out);
    JsonNode root = new ObjectMapper().readTree(out.toFile());
    ArrayNode events = (ArrayNode) root.get("traceEvents");
    Map<Integer, String> threads = new HashMap<>();
    long busy = 0;
    long stalls = 0;
    JsonNode firstStall = null;
    for (JsonNode e : events) {
      if (e.get("name").asText().equals("thread_name")) {
        threads.put(e.get("tid").asInt(), e.get("args").get("name").asText());
      }
      if (e.get("ph").asText().equals("X")) {
        if (e.get("cat").asText().equals("stall")) {
          stalls++;
          firstStall = firstStall == null ? e : firstStall;
        } else {
          busy++;
        }
      }
    }
    assertEquals(Map.of(0, "dram", 1, "lane0", 2, "lane1", 3, "lane2", 4, "lane3", 5, "acc"),
        threads);
    assertEquals(TraceFixtures.count(lines, "busy"), busy);
    assertEquals(TraceFixtures.count(lines, "stall"), stalls);
    assertEquals(busy + stalls, result.written());
    JsonNode stallLine = lines.stream().filter(n -> n.path("ev").asText().equals("stall"))
        .findFirst().orElseThrow();
    assertEquals("stall " + stallLine.get("port").asText(), firstStall.get("name").asText());
    // 1.25 GHz: 0.8 ns per cycle
    assertEquals(stallLine.get("start").asLong() * 0.0008, firstStall.get("ts").asDouble(), 1e-9);
    assertEquals((stallLine.get("end").asLong() - stallLine.get("start").asLong()) * 0.0008,
        firstStall.get("dur").asDouble(), 1e-9);
    assertEquals(0, firstStall.get("tid").asInt());
    assertEquals("ok", root.get("otherData").get("status").asText());
  }

  /** Per VCD identifier: cycles at 1 and the value-change times, checked to never go back. */
  private static Map<String, Long> highTime(List<String> vcd, long psPerUnit, long end) {
    Map<String, Long> high = new HashMap<>();
    Map<String, Long> rose = new HashMap<>();
    long time = -1;
    boolean inDefinitions = true;
    for (String l : vcd) {
      if (inDefinitions) {
        inDefinitions = !l.equals("$enddefinitions $end");
        continue;
      }
      if (l.startsWith("#")) {
        long t = Long.parseLong(l.substring(1));
        assertTrue(t > time, "time " + t + " after " + time);
        time = t;
      } else if (l.startsWith("1")) {
        assertFalse(rose.containsKey(l.substring(1)), "rises twice: " + l + " at " + time);
        rose.put(l.substring(1), time);
      } else if (l.startsWith("0") && rose.containsKey(l.substring(1))) {
        String id = l.substring(1);
        high.merge(id, (time - rose.remove(id)) / psPerUnit, Long::sum);
      }
    }
    assertEquals(end * psPerUnit, time);
    assertTrue(rose.isEmpty(), "still high at the end: " + rose);
    return high;
  }

  @Test
  void vcdHasAWirePairPerBlockWhoseHighTimesAreBusyAndStallCycles() throws IOException {
    Path out = tmp.resolve("trace.vcd");
    TraceExporter.export(trace, TraceExporter.Format.VCD, out);
    List<String> vcd = Files.readAllLines(out);
    assertTrue(vcd.contains("$timescale 1 ps $end"), "1.25 GHz: 800 ps per cycle");
    assertTrue(vcd.contains("$scope module lane3 $end"));
    assertTrue(vcd.contains("$var wire 1 ! busy $end"));
    assertTrue(vcd.contains("$var wire 1 \" stall $end"));
    Map<String, Long> high = highTime(vcd, 800, summary.get("cycles").asLong());
    String[] blocks = {"dram", "lane0", "lane1", "lane2", "lane3", "acc"};
    for (int b = 0; b < blocks.length; b++) {
      JsonNode s = summary.get("blocks").get(blocks[b]);
      assertEquals(s.get("busy_cycles").asLong(), high.getOrDefault(VcdExporter.id(2 * b), 0L),
          blocks[b] + " busy");
      assertEquals(s.get("stall_cycles").asLong(), high.getOrDefault(VcdExporter.id(2 * b + 1),
          0L), blocks[b] + " stall");
    }
    assertTrue(summary.get("blocks").get("dram").get("stall_cycles").asLong() > 0);
  }

  @Test
  void csvHasARowPerEventWithTheTracesValues() throws IOException {
    // the gemm trace, and DOTA's golden trace, whose memory requests carry addr and write
    Path dota = TestConfigs.repo().resolve("traces/golden/dota-small.jsonl");
    for (Path source : List.of(trace, dota)) {
      var json = TraceFixtures.lines(source);
      Path out = tmp.resolve("trace.csv");
      TraceExporter.export(source, TraceExporter.Format.CSV, out);
      List<String> rows = Files.readAllLines(out);
      assertEquals(CsvExporter.COLUMNS, rows.get(0));
      assertEquals(json.size() - 2, rows.size() - 1);
      List<String> columns = List.of(CsvExporter.COLUMNS.split(","));
      for (int i = 1; i < rows.size(); i++) {
        String[] cells = rows.get(i).split(",", -1);
        assertEquals(columns.size(), cells.length, rows.get(i));
        JsonNode n = json.get(i);
        n.fieldNames().forEachRemaining(f -> assertTrue(columns.contains(f),
            "field " + f + " of " + n + " has no column"));
        for (int c = 0; c < columns.size(); c++) {
          JsonNode v = n.get(columns.get(c));
          assertEquals(v == null ? "" : v.asText(), cells[c], columns.get(c) + " of row " + i);
        }
      }
    }
  }

  @Test
  void aBadTraceLeavesNoOutput() throws IOException {
    var all = Files.readAllLines(trace);
    Path cut = tmp.resolve("cut.jsonl");
    Files.write(cut, all.subList(0, all.size() - 1));
    Path out = tmp.resolve("cut.json");
    var e = assertThrows(TraceError.class, () -> TraceExporter.export(cut,
        TraceExporter.Format.CHROME, out));
    assertTrue(e.reason().startsWith("incomplete trace: no footer"), e.reason());
    assertFalse(Files.exists(out));
  }
}
