package dev.attnsim.sim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import dev.attnsim.sim.report.ChartFiles;
import dev.attnsim.sim.report.Palette;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect}'s aggregates against the run's own summary and a naive reading. */
class TraceInspectorTest {

  @TempDir
  static Path tmp;

  private static Path trace;
  private static JsonNode summary;
  private static List<JsonNode> lines;

  @BeforeAll
  static void run() throws IOException {
    var o = TraceFixtures.stallingGemm(tmp.resolve("run"));
    trace = o.trace();
    summary = new ObjectMapper().readTree(o.outDir().resolve("summary.json").toFile());
    lines = TraceFixtures.lines(trace);
  }

  private static InspectReport inspect(Path file, TraceInspector.Options options) {
    try (var r = TraceReader.open(file)) {
      var inspector = new TraceInspector(r.header(), options);
      for (TraceEvent e = r.next(); e != null; e = r.next()) {
        inspector.accept(e);
      }
      return inspector.finish(file, r.footer(), r.incomplete(), r.events());
    }
  }

  @Test
  void wholeRunMatchesTheSummary() {
    InspectReport r = inspect(trace, TraceInspector.Options.all());
    long cycles = summary.get("cycles").asLong();
    assertEquals(cycles, r.windowCycles());
    assertEquals(6, r.blocks().size());
    for (var b : r.blocks()) {
      JsonNode s = summary.get("blocks").get(b.name());
      assertEquals(s.get("busy_cycles").asLong(), b.busyCycles(), b.name());
      assertEquals(s.get("stall_cycles").asLong(), b.stallCycles(), b.name());
      assertEquals(s.get("idle_cycles").asLong(), b.idleCycles(), b.name());
      assertEquals(s.get("tiles_in").asLong(), b.messagesIn(), b.name());
      assertEquals(s.get("tiles_out").asLong(), b.messagesOut(), b.name());
      assertEquals(s.get("bytes_in").asLong(), b.bytesIn(), b.name());
      assertEquals(s.get("bytes_out").asLong(), b.bytesOut(), b.name());
    }
    assertTrue(r.blocks().get(0).stallCycles() > 0, "the fixture must stall");
    assertEquals(List.of("read", "gemm", "accumulate"),
        r.stages().stream().map(InspectReport.StageRow::name).toList());
    var gemm = r.stages().get(1);
    assertEquals(4, gemm.blocks());
    assertEquals(TraceFixtures.count(lines, "busy") / 3, gemm.spans());
  }

  @Test
  void windowAndBlockFiltersClipSpans() {
    long from = 1_000;
    long to = 5_555;
    InspectReport r = inspect(trace, new TraceInspector.Options("dram", from, to, null, 2, 0));
    assertEquals(1, r.blocks().size());
    var dram = r.blocks().get(0);
    assertEquals(TraceFixtures.spanCycles(lines, "dram", "busy", from, to), dram.busyCycles());
    assertEquals(TraceFixtures.spanCycles(lines, "dram", "stall", from, to), dram.stallCycles());
    assertEquals(to - from - dram.busyCycles() - dram.stallCycles(), dram.idleCycles());
    long sends = lines.stream().filter(n -> n.path("ev").asText().equals("send")
        && n.get("from").asText().equals("dram") && n.get("t").asLong() >= from && n.get("t").asLong() < to).count();
    assertEquals(sends, dram.messagesOut());
    assertEquals(List.of("read"), r.stages().stream().map(InspectReport.StageRow::name).toList());
    assertTrue(r.stages().get(0).start() >= from && r.stages().get(0).end() <= to);
  }

  @Test
  void longestStallsAreTheLongestAndSayWhatTheyWaitedFor() {
    InspectReport r = inspect(trace, TraceInspector.Options.all());
    var stalls = r.blocks().get(0).longestStalls();
    assertEquals(3, stalls.size());
    long longest = lines.stream().filter(n -> n.path("ev").asText().equals("stall"))
        .mapToLong(n -> n.get("end").asLong() - n.get("start").asLong()).max().orElseThrow();
    assertEquals(longest, stalls.get(0).cycles());
    assertTrue(stalls.get(0).cycles() >= stalls.get(1).cycles());
    var s = stalls.get(0);
    int lane = Integer.parseInt(s.port().substring(4));
    assertEquals("a credit from lane" + lane + ".in (link " + lane + "): its 2-deep FIFO was "
        + "full", s.waitingFor());
  }

  @Test
  void aTilesLifeHasItsSendArrivalAndDequeue() {
    // the golden trace: tile 2 (dram's third) goes to lane0 over link 0 (depth 1, credit 2)
    var r = inspect(TraceFixtures.golden(), new TraceInspector.Options(null, 0, Long.MAX_VALUE,
        2L, 3, 0));
    var hops = r.tile().hops();
    assertEquals(List.of("send", "recv", "dequeue"), hops.stream().map(h -> h.what()).toList());
    assertEquals(36, hops.get(0).t());
    assertEquals("dram.lane0", hops.get(0).from());
    assertEquals("lane0.in", hops.get(0).at());
    assertEquals(70, hops.get(1).t());
    // lane0 is busy until 112 with tile 0, so tile 2 waits in the FIFO
    assertEquals(112, hops.get(2).t());
    assertTrue(hops.get(2).detail().startsWith("after 42 cycles in the FIFO"), hops.get(2)
        .detail());
    assertEquals("dram", r.tile().creator());
  }

  @Test
  void stagesGroupByStageWhenPresentElseByOp() throws IOException {
    var out = new ArrayList<String>();
    for (String l : Files.readAllLines(TraceFixtures.golden())) {
      if (l.contains("\"block\":\"lane1\"") && l.contains("\"busy\"")) {
        l = l.replace("\"op\":\"gemm\"", "\"op\":\"gemm\",\"stage\":\"attention\"");
      }
      out.add(l);
    }
    Path p = tmp.resolve("staged.jsonl");
    Files.write(p, out);
    var r = inspect(p, TraceInspector.Options.all());
    assertEquals(List.of("read", "gemm", "attention", "accumulate"),
        r.stages().stream().map(InspectReport.StageRow::name).toList());
    assertEquals(312, r.stages().get(1).busyCycles()); // lane0's gemm
    assertEquals(312, r.stages().get(2).busyCycles()); // lane1's, now "attention"
    assertNull(r.incomplete());
  }

  @Test
  void anIncompleteTraceIsReportedOnAsFarAsItGoes() throws IOException {
    var all = Files.readAllLines(trace);
    Path p = tmp.resolve("half.jsonl");
    Files.write(p, all.subList(0, all.size() / 2));
    var r = inspect(p, TraceInspector.Options.all());
    assertNull(r.footer());
    assertTrue(r.incomplete().startsWith("incomplete trace: no footer"), r.incomplete());
    assertEquals(all.size() / 2 - 1, r.events());
    var half = all.subList(0, all.size() / 2).stream().skip(1).map(l -> {
      try {
        return new ObjectMapper().readTree(l);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).toList();
    assertEquals(TraceFixtures.spanCycles(half, "lane2", "busy", 0, Long.MAX_VALUE),
        r.blocks().get(3).busyCycles());
  }

  @Test
  void timelinePngHasARowPerBlockWithBusyAndStallColours() throws IOException {
    var options = new TraceInspector.Options(null, 0, Long.MAX_VALUE, null, 3,
        TimelinePlot.BINS);
    InspectReport r;
    TraceInspector inspector;
    try (var reader = TraceReader.open(trace)) {
      inspector = new TraceInspector(reader.header(), options);
      for (TraceEvent e = reader.next(); e != null; e = reader.next()) {
        inspector.accept(e);
      }
      r = inspector.finish(trace, reader.footer(), null, reader.events());
    }
    Path png = tmp.resolve("plots/timeline.png");
    var names = r.header().blocks();
    TimelinePlot.write(png, ChartFiles.Format.PNG, inspector.bins(), names,
        List.of(0, 1, 2, 3, 4, 5), r.to(), "test", 1.0);
    int firstBusy = Palette.stage(inspector.bins().stages().get(0), 0).getRGB() & 0xffffff;
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(TimelinePlot.WIDTH, img.getWidth());
    int stallRed = 0;
    int readBlue = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        stallRed += rgb == 0xD62728 ? 1 : 0;
        readBlue += rgb == firstBusy ? 1 : 0;
      }
    }
    assertTrue(stallRed > 100, "stall pixels: " + stallRed);
    assertTrue(readBlue > 1000, "busy (read) pixels: " + readBlue);

    Path svg = tmp.resolve("plots/timeline.svg");
    TimelinePlot.write(svg, ChartFiles.Format.SVG, inspector.bins(), names,
        List.of(0, 1, 2, 3, 4, 5), r.to(), "test", 1.0);
    String text = Files.readString(svg);
    assertTrue(text.contains("<svg"), text.substring(0, 200));
    assertTrue(text.contains("rgb(214,39,40)"), "stall red in the svg");
  }

  @Test
  void timelineBinsKeepEveryCycleWhileTheyCoarsen() {
    var bins = new TimelineBins(1, 100, 4);
    bins.addBusy(0, "x", 100, 103);
    bins.addStall(0, 103, 107);
    bins.addBusy(0, "x", 107, 150); // past 8 bins of 1 cycle: coarsens to 8 cycles a bin
    assertEquals(8, bins.binCycles());
    double busy = 0;
    double stall = 0;
    for (int i = 0; i < bins.capacity(); i++) {
      busy += bins.busy(0, 0, i);
      stall += bins.stall(0, i);
    }
    assertEquals(46, busy);
    assertEquals(4, stall);
    assertEquals(3 + 1, bins.busy(0, 0, 0)); // [100,108): busy 100-103 and 107-108
  }
}
