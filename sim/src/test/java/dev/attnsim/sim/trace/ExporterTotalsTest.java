package dev.attnsim.sim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attnsim.actors.kernel.BlockStats;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.run.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every exporter (chrome, vcd, csv) must say what the run's {@code blocks.csv} says: per block,
 * the same busy and the same stall cycles. Checked on the committed golden traces (against a
 * re-run of their config) and on the default DOTA run, whose schedulers stall while the RMMUs
 * work (a stall line follows the credit that ends it: the VCD export once wrote such stalls late
 * and lost 2,245 of sched0's stall cycles).
 */
class ExporterTotalsTest {

  @TempDir
  Path tmp;

  /** Busy and stall cycles per block. */
  record Totals(Map<String, Long> busy, Map<String, Long> stall) {
    static Totals empty() {
      return new Totals(new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    void add(String block, boolean isStall, long cycles) {
      (isStall ? stall : busy).merge(block, cycles, Long::sum);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gemm-small", "dota-small", "energon-small", "sanger-small"})
  void everyExporterAgreesWithBlockStatsOnTheGoldenTraces(String name) throws IOException {
    var s = TestConfigs.file("traces/golden/" + name + ".conf", "run.engine=sequential",
        "trace.enabled=false");
    var o = Simulation.run(s, tmp.resolve("run"), ProgressListener.NONE);
    assertAllAgree(TestConfigs.repo().resolve("traces/golden/" + name + ".jsonl"),
        o.result().blocks(), o.result().cycles());
  }

  @Test
  void everyExporterAgreesWithBlocksCsvOnTheDefaultRunWhoseSchedulersStall()
      throws IOException {
    var s = TestConfigs.defaults("run.engine=sequential");
    var o = Simulation.run(s, tmp.resolve("run"), ProgressListener.NONE);
    long sched0Stall = o.result().blocks().stream()
        .filter(b -> b.name().equals("sched0")).findFirst().orElseThrow().stallCycles();
    assertTrue(sched0Stall > 10_000, "sched0 stalls: " + sched0Stall);
    // blocks.csv as written, not BlockStats: the file a user compares with
    var csv = Files.readAllLines(o.outDir().resolve(Simulation.BLOCKS));
    List<String> head = List.of(csv.get(0).split(","));
    var blocks = new java.util.ArrayList<BlockStats>();
    for (BlockStats b : o.result().blocks()) {
      String[] row = csv.stream().filter(l -> l.startsWith(b.name() + ",")).findFirst()
          .orElseThrow().split(",");
      assertEquals(b.busyCycles(), Long.parseLong(row[head.indexOf("busy_cycles")]));
      assertEquals(b.stallCycles(), Long.parseLong(row[head.indexOf("stall_cycles")]));
      blocks.add(b);
    }
    assertAllAgree(o.trace(), blocks, o.result().cycles());
  }

  @Test
  void vcdUnitsAreWholeAndNamedAtAnyClock() throws IOException {
    assertEquals(new VcdExporter.Timescale("1 ns", 1, null), VcdExporter.timescale(1.0));
    assertEquals(new VcdExporter.Timescale("1 ns", 2, null), VcdExporter.timescale(0.5));
    assertEquals(new VcdExporter.Timescale("1 ps", 800, null), VcdExporter.timescale(1.25));
    assertEquals(new VcdExporter.Timescale("1 ps", 500, null), VcdExporter.timescale(2.0));
    assertEquals(new VcdExporter.Timescale("1 fs", 312_500, null),
        VcdExporter.timescale(3.2));
    var odd = VcdExporter.timescale(0.7);
    assertEquals("1 fs", odd.unit());
    assertEquals(1_428_571, odd.unitsPerCycle());
    assertEquals("one cycle = 1428571 fs (the clock period 1428571.429 fs rounded to whole fs)",
        odd.comment());
    assertNull(VcdExporter.timescale(1.6).rounding()); // 625 ps

    var o = TraceFixtures.stallingGemm(tmp.resolve("run"), "clock-ghz=0.7");
    Path vcd = tmp.resolve("t.vcd");
    TraceExporter.export(o.trace(), TraceExporter.Format.VCD, vcd);
    var lines = Files.readAllLines(vcd);
    assertTrue(lines.contains("$timescale 1 fs $end"), lines.get(2));
    assertTrue(lines.get(1).contains("one cycle = 1428571 fs"), lines.get(1));
    assertAllAgree(o.trace(), o.result().blocks(), o.result().cycles());
  }

  private void assertAllAgree(Path trace, List<BlockStats> blocks, long cycles)
      throws IOException {
    var expected = Totals.empty();
    for (BlockStats b : blocks) {
      expected.add(b.name(), false, b.busyCycles());
      expected.add(b.name(), true, b.stallCycles());
    }
    for (var format : TraceExporter.Format.values()) {
      Path out = tmp.resolve("export." + format);
      var result = TraceExporter.export(trace, format, out);
      assertNull(result.note(), format + ": " + result.note());
      Totals got = switch (format) {
        case CHROME -> chrome(out);
        case CSV -> csv(out);
        case VCD -> vcd(out, blocks, cycles);
        case JSONL -> jsonl(out);
      };
      for (BlockStats b : blocks) {
        assertEquals(b.busyCycles(), got.busy().getOrDefault(b.name(), 0L),
            format + " busy of " + b.name() + " in " + trace.getFileName());
        assertEquals(b.stallCycles(), got.stall().getOrDefault(b.name(), 0L),
            format + " stall of " + b.name() + " in " + trace.getFileName());
      }
    }
  }

  private static Totals chrome(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    Map<Integer, String> threads = new HashMap<>();
    var t = Totals.empty();
    for (JsonNode e : root.get("traceEvents")) {
      if (e.get("name").asText().equals("thread_name")) {
        threads.put(e.get("tid").asInt(), e.get("args").get("name").asText());
      }
    }
    for (JsonNode e : root.get("traceEvents")) {
      if (e.get("ph").asText().equals("X")) {
        JsonNode a = e.get("args");
        t.add(threads.get(e.get("tid").asInt()), e.get("cat").asText().equals("stall"),
            a.get("end_cycle").asLong() - a.get("start_cycle").asLong());
      }
    }
    return t;
  }

  private static Totals csv(Path file) throws IOException {
    var rows = Files.readAllLines(file);
    List<String> head = List.of(rows.get(0).split(","));
    int ev = head.indexOf("ev");
    int block = head.indexOf("block");
    int start = head.indexOf("start");
    int end = head.indexOf("end");
    var t = Totals.empty();
    for (String r : rows.subList(1, rows.size())) {
      String[] c = r.split(",", -1);
      if (c[ev].equals("busy") || c[ev].equals("stall")) {
        t.add(c[block], c[ev].equals("stall"), Long.parseLong(c[end]) - Long.parseLong(c[start]));
      }
    }
    return t;
  }

  /** Busy and stall spans of the JSON Lines, each line parsed on its own. */
  private static Totals jsonl(Path file) {
    var t = Totals.empty();
    for (JsonNode n : TraceFixtures.lines(file)) {
      String ev = n.path("ev").asText();
      if (ev.equals("busy") || ev.equals("stall")) {
        t.add(n.get("block").asText(), ev.equals("stall"), n.get("end").asLong()
            - n.get("start").asLong());
      }
    }
    return t;
  }

  /** High time of each wire, from the value changes in file order, in cycles. */
  private static Totals vcd(Path file, List<BlockStats> blocks, long cycles) throws IOException {
    var lines = Files.readAllLines(file);
    long unitsPerCycle = Long.parseLong(lines.get(1).replaceAll(".*one cycle = (\\d+) .*", "$1"));
    Map<String, Long> rose = new HashMap<>();
    Map<String, Long> high = new HashMap<>();
    long time = 0;
    boolean definitions = true;
    for (String l : lines) {
      if (definitions) {
        definitions = !l.equals("$enddefinitions $end");
      } else if (l.startsWith("#")) {
        long next = Long.parseLong(l.substring(1));
        assertTrue(next > time || next == 0, "time " + next + " after " + time);
        time = next;
      } else if (l.startsWith("1")) {
        assertNull(rose.put(l.substring(1), time), "rises twice: " + l);
      } else if (l.startsWith("0") && rose.containsKey(l.substring(1))) {
        high.merge(l.substring(1), time - rose.remove(l.substring(1)), Long::sum);
      }
    }
    assertTrue(rose.isEmpty(), "still high at the end: " + rose);
    assertEquals(cycles * unitsPerCycle, time, "the dump ends at the run's last cycle");
    var t = Totals.empty();
    for (int b = 0; b < blocks.size(); b++) {
      long busy = high.getOrDefault(VcdExporter.id(2 * b), 0L);
      long stall = high.getOrDefault(VcdExporter.id(2 * b + 1), 0L);
      assertEquals(0, busy % unitsPerCycle);
      t.add(blocks.get(b).name(), false, busy / unitsPerCycle);
      t.add(blocks.get(b).name(), true, stall / unitsPerCycle);
    }
    return t;
  }
}
