package dev.attnsim.sim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading traces back: the format's fields, forward compatibility, and every corrupt case. */
class TraceReaderTest {

  @TempDir
  Path tmp;

  private static List<TraceEvent> readAll(TraceReader r) {
    var events = new ArrayList<TraceEvent>();
    for (TraceEvent e = r.next(); e != null; e = r.next()) {
      events.add(e);
    }
    return events;
  }

  private Path write(String name, List<String> lines) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, lines);
    return p;
  }

  private static List<String> goldenLines() throws IOException {
    return Files.readAllLines(TraceFixtures.golden());
  }

  @Test
  void readsTheGoldenTrace() {
    try (var r = TraceReader.open(TraceFixtures.golden())) {
      TraceHeader h = r.header();
      assertEquals(List.of("dram", "lane0", "lane1", "acc"), h.blocks());
      assertEquals(4, h.links().size());
      assertEquals("lane0", h.links().get(0).toBlock());
      assertEquals(1, h.links().get(0).depth());
      assertEquals(1.0, h.clockGhz());
      assertEquals("gemm-small", h.runName());
      assertTrue(h.configJson().contains("\"lanes\":2"), h.configJson());
      List<TraceEvent> events = readAll(r);
      assertEquals(75, events.size());
      assertNull(r.incomplete());
      assertEquals(new TraceFooter("ok", 75, 368), r.footer());
      assertEquals(new TraceEvent.Busy(0, 0, 0, 12, "read", null, 0, null), events.get(0));
      var stalls = events.stream().filter(e -> e instanceof TraceEvent.Stall).toList();
      assertEquals(new TraceEvent.Stall(114, 0, "lane0", 60, 114, "no-credit"), stalls.get(1));
    }
  }

  @Test
  void unknownFieldsAreIgnoredAndStageIsRead() throws IOException {
    var lines = new ArrayList<String>();
    for (String l : goldenLines()) {
      // a newer writer: an extra field of every JSON type on every line, a stage on busy lines
      String extra = "\"zz\":{\"a\":[1,2.5,null,true]},\"zs\":\"x\"," + (l.contains("\"busy\"")
          ? "\"stage\":\"linear\"," : "");
      lines.add("{" + extra + l.substring(1));
    }
    Path p = write("newer.jsonl", lines);
    try (var r = TraceReader.open(p); var g = TraceReader.open(TraceFixtures.golden())) {
      List<TraceEvent> got = readAll(r);
      List<TraceEvent> expected = readAll(g);
      assertEquals(expected.size(), got.size());
      for (int i = 0; i < got.size(); i++) {
        if (expected.get(i) instanceof TraceEvent.Busy b) {
          assertEquals("linear", ((TraceEvent.Busy) got.get(i)).stage());
          assertEquals("linear", ((TraceEvent.Busy) got.get(i)).stageOrOp());
          assertEquals(b.op(), ((TraceEvent.Busy) got.get(i)).op());
        } else {
          assertEquals(expected.get(i), got.get(i));
        }
      }
      assertNull(r.incomplete());
    }
  }

  @Test
  void eventsOfUnknownKindsAreKeptAsOther() throws IOException {
    var lines = new ArrayList<>(goldenLines());
    lines.add(3, "{\"t\":12,\"ev\":\"refresh\",\"block\":\"dram\",\"bank\":3}");
    lines.set(lines.size() - 1, lines.get(lines.size() - 1).replace("75", "76"));
    try (var r = TraceReader.open(write("other.jsonl", lines))) {
      var events = readAll(r);
      assertEquals(new TraceEvent.Other(12, "refresh"), events.get(2));
      assertNull(r.incomplete());
    }
  }

  @Test
  void aFileCutInTheMiddleOfALineIsIncompleteWithItsEventsUsable() throws IOException {
    byte[] all = Files.readAllBytes(TraceFixtures.golden());
    String text = new String(all, StandardCharsets.UTF_8);
    // 2000 characters into the events, whatever the header's length (it holds the config)
    int cut = text.indexOf("\"ev\":\"send\"", text.indexOf('\n') + 2000);
    Path p = tmp.resolve("cut.jsonl");
    Files.write(p, java.util.Arrays.copyOf(all, cut));
    try (var r = TraceReader.open(p)) {
      var events = readAll(r);
      assertTrue(events.size() > 10 && events.size() < 75, "" + events.size());
      assertNull(r.footer());
      TraceError e = r.incomplete();
      assertNotNull(e);
      assertEquals(events.size() + 2, e.line());
      assertTrue(e.getMessage().startsWith(p + ": line " + (events.size() + 2)
          + ": incomplete trace: the last line is cut short"), e.getMessage());
    }
  }

  @Test
  void aMissingFooterIsIncomplete() throws IOException {
    var lines = goldenLines();
    Path p = write("nofooter.jsonl", lines.subList(0, lines.size() - 1));
    try (var r = TraceReader.open(p)) {
      assertEquals(75, readAll(r).size());
      assertEquals(p + ": line 77: incomplete trace: no footer after 75 events (the run was "
          + "cut short)", r.incomplete().getMessage());
    }
  }

  @Test
  void aMalformedLineIsAnErrorNamingItsLine() throws IOException {
    var lines = new ArrayList<>(goldenLines());
    lines.set(9, lines.get(9).replaceFirst(",", ",,")); // line 10
    Path p = write("bad.jsonl", lines);
    try (var r = TraceReader.open(p)) {
      var e = assertThrows(TraceError.class, () -> readAll(r));
      assertEquals(10, e.line());
      assertTrue(e.getMessage().startsWith(p + ": line 10: malformed JSON: "), e.getMessage());
      assertTrue(!e.getMessage().contains("\n"));
    }
  }

  @Test
  void brokenInvariantsAreErrors() throws IOException {
    var cases = List.of(
        new String[] {"\"t\":34,\"ev\":\"recv\"", "\"t\":1,\"ev\":\"recv\"", "time goes backwards"},
        new String[] {"\"block\":\"lane0\"", "\"block\":\"lane9\"", "unknown block \"lane9\""},
        new String[] {"\"link\":1,", "\"link\":7,", "unknown link 7"},
        new String[] {"\"end\":36,", "\"end\":3,", "span ends at 3, before its start 24"},
        new String[] {"\"bytes\":3072", "\"bytes\":\"3072\"", "field \"bytes\" must be an "
            + "integer"},
        new String[] {"\"op\":\"read\"", "\"opx\":\"read\"", "\"busy\" line without \"op\""});
    for (String[] c : cases) {
      var lines = new ArrayList<>(goldenLines());
      int at = -1;
      for (int i = 1; i < lines.size() && at < 0; i++) {
        if (lines.get(i).contains(c[0])) {
          at = i;
        }
      }
      lines.set(at, lines.get(at).replaceFirst(java.util.regex.Pattern.quote(c[0]), c[1]));
      Path p = write("case.jsonl", lines);
      try (var r = TraceReader.open(p)) {
        var e = assertThrows(TraceError.class, () -> readAll(r), c[2]);
        assertEquals(at + 1, e.line(), c[2]);
        assertTrue(e.reason().contains(c[2]), e.reason() + " / " + c[2]);
      }
    }
  }

  @Test
  void aLineAfterTheFooterAndAWrongEventCountAreErrors() throws IOException {
    var lines = new ArrayList<>(goldenLines());
    lines.add(lines.get(5));
    var e = assertThrows(TraceError.class, () -> readAll(TraceReader.open(write("after.jsonl",
        lines))));
    assertEquals("line after the footer", e.reason());
    var lines2 = new ArrayList<>(goldenLines());
    lines2.remove(1); // dram's first busy span: nothing else gives it away
    var e2 = assertThrows(TraceError.class, () -> readAll(TraceReader.open(write("count.jsonl",
        lines2))));
    assertEquals("footer counts 75 events but the trace has 74", e2.reason());
  }

  @Test
  void duplicatedMissingOrReorderedLinesAreErrorsAtTheirLine() throws IOException {
    var golden = goldenLines();
    // golden lines 6-8 (indices 5-7): recv link 0 seq 0, busy lane0, credit link 0
    var missingRecv = new ArrayList<>(golden);
    missingRecv.remove(5);
    var e = assertThrows(TraceError.class, () -> readAll(TraceReader.open(write("m.jsonl",
        missingRecv))));
    assertEquals(7, e.line());
    assertEquals("credit number 1 on link 0 after 0 tiles received on it (a duplicated, missing "
        + "or out-of-order line)", e.reason());
    var twiceRecv = new ArrayList<>(golden);
    twiceRecv.add(6, golden.get(5));
    e = assertThrows(TraceError.class, () -> readAll(TraceReader.open(write("d.jsonl",
        twiceRecv))));
    assertEquals(7, e.line());
    assertEquals("recv of seq 0 on link 0 where seq 1 comes next (a duplicated, missing or "
        + "out-of-order line)", e.reason());
    var twiceBusy = new ArrayList<>(golden);
    twiceBusy.add(7, golden.get(6));
    e = assertThrows(TraceError.class, () -> readAll(TraceReader.open(write("b.jsonl",
        twiceBusy))));
    assertEquals(8, e.line());
    assertEquals("busy span [34, 112) of lane0 overlaps its previous one, which ends at 112 (a "
        + "duplicated or out-of-order line)", e.reason());
    var twiceStall = new ArrayList<>(golden); // line 9: dram.lane0 stalls [24, 36)
    twiceStall.add(9, golden.get(8));
    e = assertThrows(TraceError.class, () -> readAll(TraceReader.open(write("s.jsonl",
        twiceStall))));
    assertEquals(10, e.line());
    assertEquals("stall span [24, 36) of dram.lane0 overlaps its previous one, which ends at 36 "
        + "(a duplicated or out-of-order line)", e.reason());
    var noSuchPort = new ArrayList<>(golden);
    noSuchPort.set(8, golden.get(8).replace("\"port\":\"lane0\"", "\"port\":\"lane9\""));
    e = assertThrows(TraceError.class, () -> readAll(TraceReader.open(write("p.jsonl",
        noSuchPort))));
    assertEquals(9, e.line());
    assertEquals("stall of dram.lane9: the header has no link leaving that port", e.reason());
    var recvFirst = new ArrayList<>(golden);
    recvFirst.set(2, golden.get(5).replace("\"t\":34", "\"t\":0"));
    recvFirst.set(5, golden.get(2).replace("\"t\":0", "\"t\":34"));
    e = assertThrows(TraceError.class, () -> readAll(TraceReader.open(write("r.jsonl",
        recvFirst))));
    assertEquals(3, e.line());
    assertEquals("recv of seq 0 on link 0 before its send (a duplicated, missing or out-of-order "
        + "line)", e.reason());
  }

  @Test
  void anUnknownVersionOrFormatIsRefused() throws IOException {
    var lines = new ArrayList<>(goldenLines());
    lines.set(0, lines.get(0).replace("\"version\":1", "\"version\":2"));
    Path p = write("v2.jsonl", lines);
    var e = assertThrows(TraceError.class, () -> TraceReader.open(p));
    assertEquals(p + ": line 1: unsupported trace format version 2 (this attnsim reads version "
        + "1)", e.getMessage());
    lines.set(0, lines.get(0).replace("attnsim-trace", "chrome-trace"));
    var e2 = assertThrows(TraceError.class, () -> TraceReader.open(write("f.jsonl", lines)));
    assertEquals("unknown trace format \"chrome-trace\" (expected \"attnsim-trace\")",
        e2.reason());
    var e3 = assertThrows(TraceError.class, () -> TraceReader.open(write("empty.jsonl",
        List.of())));
    assertEquals("empty file, no header", e3.reason());
    var e4 = assertThrows(TraceError.class, () -> TraceReader.open(write("csv.jsonl",
        List.of("t,ev,block", "1,busy,dram"))));
    assertEquals("not an attnsim trace: its first line is not JSON; " + WHAT, e4.reason());
    // a run's other outputs, and JSON that is not a trace, say what they are
    var e6 = assertThrows(TraceError.class, () -> TraceReader.open(write("summary.json",
        List.of("{", "  \"name\" : \"default\"", "}"))));
    assertEquals("not an attnsim trace: the run's summary; " + WHAT, e6.reason());
    var e7 = assertThrows(TraceError.class, () -> TraceReader.open(write("other.json",
        List.of("{", "  \"traceEvents\" : []", "}"))));
    assertEquals("not an attnsim trace: a JSON document whose first line is no trace header; "
        + WHAT, e7.reason());
    var e8 = assertThrows(TraceError.class, () -> TraceReader.open(write("one.json",
        List.of("{\"a\": 1}"))));
    assertEquals("not an attnsim trace: a JSON document whose first line is no trace header; "
        + WHAT, e8.reason());
    var e5 = assertThrows(TraceError.class, () -> TraceReader.open(tmp.resolve("none.jsonl")));
    assertEquals(tmp.resolve("none.jsonl") + ": no such file", e5.getMessage());
  }

  private static final String WHAT = "a trace is the trace.jsonl or trace.bin (or either .gz) "
      + "that attnsim run writes in its output directory";

  private Path gzipOfGolden() throws IOException {
    Path gz = tmp.resolve("trace.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(TraceFixtures.golden()));
    }
    return gz;
  }

  @Test
  void gzipIsRecognisedByItsMagicBytes() throws IOException {
    Path gz = gzipOfGolden();
    Path renamed = Files.copy(gz, tmp.resolve("trace-no-suffix"));
    try (var a = TraceReader.open(renamed); var b = TraceReader.open(TraceFixtures.golden())) {
      assertEquals(readAll(b), readAll(a));
      assertNull(a.incomplete());
    }
    Path fake = write("plain.jsonl.gz", goldenLines());
    var e = assertThrows(TraceError.class, () -> TraceReader.open(fake));
    assertEquals("named .gz but not gzip-compressed", e.reason());
  }

  @Test
  void aCorruptGzipStreamIsAnError() throws IOException {
    byte[] gz = Files.readAllBytes(gzipOfGolden());
    for (int i = gz.length - 8; i < gz.length - 4; i++) { // the trailer's CRC-32
      gz[i] = (byte) ~gz[i];
    }
    Path p = tmp.resolve("broken.jsonl.gz");
    Files.write(p, gz);
    var e = assertThrows(TraceError.class, () -> {
      try (var r = TraceReader.open(p)) {
        readAll(r);
      }
    });
    assertTrue(e.reason().startsWith("broken gzip stream: "), e.getMessage());
    assertTrue(e.line() > 0, e.getMessage());
  }

  @Test
  void aCutGzipStreamIsIncomplete() throws IOException {
    // large enough for several deflate blocks, so that the first ones decode
    var o = TraceFixtures.stallingGemm(tmp.resolve("gz"), "trace.gzip=true",
        "workload.gemm.m=512");
    byte[] gz = Files.readAllBytes(o.trace());
    Path p = tmp.resolve("cut.jsonl.gz");
    Files.write(p, java.util.Arrays.copyOf(gz, gz.length * 2 / 3));
    try (var r = TraceReader.open(p)) {
      var events = readAll(r);
      assertTrue(events.size() > 100 && events.size() < o.traceRecords(), "" + events.size());
      assertTrue(r.incomplete().reason().startsWith("incomplete trace: the gzip stream stops "
          + "after"), r.incomplete().reason());
    }
  }
}
