package dev.attnsim.sim.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading binary traces: every check the JSON Lines reader makes holds for the same trace in
 * binary, with the same reason and the event and byte offset in place of the line; what only the
 * encoding can get wrong is a one-line error too; and no corruption of the bytes escapes as
 * anything but a {@link TraceError} or an incomplete trace.
 */
class BinaryTraceReaderTest {

  @TempDir
  Path tmp;

  private static List<String> golden() throws IOException {
    return Files.readAllLines(TraceFixtures.golden());
  }

  /** The golden trace with an empty config in its header: quick to read a thousand times. */
  private static List<String> goldenWithoutConfig() throws IOException {
    var lines = new ArrayList<>(golden());
    String header = lines.get(0);
    lines.set(0, header.substring(0, header.indexOf(",\"config\":")) + ",\"config\":{}}");
    return lines;
  }

  /** What reading a trace through gives: the error thrown, or the events and what is missing. */
  private record Read(TraceError error, List<TraceEvent> events, TraceError incomplete) {}

  private static Read read(Path file) {
    var events = new ArrayList<TraceEvent>();
    try (var r = TraceReader.open(file)) {
      for (TraceEvent e = r.next(); e != null; e = r.next()) {
        events.add(e);
      }
      return new Read(null, events, r.incomplete());
    } catch (TraceError e) {
      return new Read(e, events, null);
    }
  }

  @Test
  void theGoldenTraceInBinaryReadsAsItsJsonLines() throws IOException {
    Path bin = tmp.resolve("golden.bin");
    TraceFixtures.writeBinary(bin, golden());
    Read plain = read(TraceFixtures.golden());
    Read binary = read(bin);
    assertNull(binary.error());
    assertNull(binary.incomplete());
    assertEquals(75, binary.events().size());
    assertEquals(plain.events(), binary.events());
    try (var lines = TraceLines.open(bin)) {
      assertTrue(lines.binary());
      var got = new ArrayList<String>();
      for (String l = lines.next(); l != null; l = lines.next()) {
        got.add(l);
      }
      assertEquals(golden(), got);
      assertEquals(77, lines.lineNumber());
    }
    // 75 events in about 11 bytes each (JSON Lines: 85), after the header's text
    long events = Files.size(bin) - golden().get(0).length();
    assertTrue(events < 75 * 13, events + " bytes");
  }

  /** Memory requests' attributes (address, direction) and busy spans' stages read back too. */
  @Test
  void theDotaGoldenTraceInBinaryGivesTheSameEvents() throws IOException {
    Path golden = TraceFixtures.golden().resolveSibling("dota-small.jsonl");
    Path bin = tmp.resolve("dota.bin");
    TraceFixtures.writeBinary(bin, Files.readAllLines(golden));
    var expected = read(golden).events();
    var got = read(bin);
    assertNull(got.incomplete());
    assertEquals(expected, got.events());
    assertTrue(got.events().stream().anyMatch(e -> e instanceof TraceEvent.Send s
        && s.address() == 8192 && !s.write()));
    assertTrue(got.events().stream().anyMatch(e -> e instanceof TraceEvent.Busy b
        && "linear".equals(b.stage())));
    // so replay --isolate rebuilds the same requests from either
    var fromJsonl = dev.attnsim.sim.run.Isolate.run(golden, "dram", List.of());
    var fromBinary = dev.attnsim.sim.run.Isolate.run(bin, "dram", List.of());
    assertEquals(80, fromBinary.inputs());
    assertEquals(fromJsonl.outputs(), fromBinary.outputs());
    assertEquals(fromJsonl.replayedBusy(), fromBinary.replayedBusy());
  }

  /** The corrupt cases of TraceReaderTest, each made in the JSON Lines and then encoded. */
  @Test
  void everyCheckOfTheJsonLinesReaderHoldsForBinaryWithTheEventAndByteNamed() throws IOException {
    var cases = new ArrayList<UnaryOperator<List<String>>>();
    cases.add(l -> replaceFirst(l, "\"t\":34,\"ev\":\"recv\"", "\"t\":1,\"ev\":\"recv\""));
    cases.add(l -> replaceFirst(l, "\"block\":\"lane0\"", "\"block\":\"lane9\""));
    cases.add(l -> replaceFirst(l, "\"link\":1,", "\"link\":7,"));
    cases.add(l -> replaceFirst(l, "\"end\":36,", "\"end\":3,"));
    cases.add(l -> replaceFirst(l, "\"start\":24,", "\"start\":-4,"));
    cases.add(l -> { // a recv missing: the credit after it has no tile to return
      l.remove(5);
      return l;
    });
    cases.add(l -> { // a recv twice
      l.add(6, l.get(5));
      return l;
    });
    cases.add(l -> { // a busy span twice
      l.add(7, l.get(6));
      return l;
    });
    cases.add(l -> { // a stall span twice
      l.add(9, l.get(8));
      return l;
    });
    cases.add(l -> { // a stall of a port no link leaves
      l.set(8, l.get(8).replace("\"port\":\"lane0\"", "\"port\":\"lane9\""));
      return l;
    });
    cases.add(l -> { // a recv before its send
      String send = l.get(2);
      l.set(2, l.get(5).replace("\"t\":34", "\"t\":0"));
      l.set(5, send.replace("\"t\":0", "\"t\":34"));
      return l;
    });
    cases.add(l -> { // an event after the footer
      l.add(l.get(5));
      return l;
    });
    cases.add(l -> { // dram's first busy span missing: only the footer's count says so
      l.remove(1);
      return l;
    });
    cases.add(l -> replaceFirst(l, "\"version\":1", "\"version\":2"));
    cases.add(l -> replaceFirst(l, "\"attnsim-trace\"", "\"chrome-trace\""));
    cases.add(l -> replaceFirst(l, "\"blocks\":[\"dram\",", "\"blocks\":[\"lane0\","));
    cases.add(l -> replaceFirst(l, "\"status\":\"ok\"", "\"status\":7"));
    for (var mutate : cases) {
      List<String> lines = mutate.apply(new ArrayList<>(golden()));
      Path jsonl = tmp.resolve("case.jsonl");
      Files.write(jsonl, lines);
      Path bin = tmp.resolve("case.bin");
      long[] offsets = TraceFixtures.writeBinary(bin, lines);
      TraceError expected = read(jsonl).error();
      assertNotNull(expected, "the JSON Lines reader refuses " + lines);
      TraceError got = read(bin).error();
      assertNotNull(got, expected.getMessage());
      String reason = expected.reason().equals("line after the footer")
          ? "a record after the footer" : expected.reason(); // a binary trace has no lines
      assertEquals(reason, got.reason());
      assertEquals(expected.line(), got.line(), expected.reason());
      int record = (int) expected.line() - 1; // the line's record in the binary file
      String where = record == 0 ? "header"
          : lines.get(record).contains("\"ev\":\"end\"") ? "footer, byte " + offsets[record]
          : record > 0 && lines.get(record - 1).contains("\"ev\":\"end\"") ? "byte "
              + offsets[record]
          : "event " + record + ", byte " + offsets[record];
      assertEquals(bin + ": " + where + ": " + reason, got.getMessage());
    }
  }

  @Test
  void aMissingFooterIsIncompleteAsInJsonLines() throws IOException {
    var lines = new ArrayList<>(golden());
    lines.remove(lines.size() - 1);
    Path bin = tmp.resolve("nofooter.bin");
    TraceFixtures.writeBinary(bin, lines);
    Read r = read(bin);
    assertNull(r.error());
    assertEquals(75, r.events().size());
    assertEquals(bin + ": byte " + Files.size(bin) + ": incomplete trace: no footer after 75 "
        + "events (the run was cut short)", r.incomplete().getMessage());
    assertEquals(77, r.incomplete().line());
  }

  /** Every cut of the events leaves the whole records before it, and says where it stopped. */
  @Test
  void aFileCutAnywhereIsIncompleteWithTheWholeEventsBeforeTheCut() throws IOException {
    Path full = tmp.resolve("full.bin");
    long[] offsets = TraceFixtures.writeBinary(full, goldenWithoutConfig());
    byte[] all = Files.readAllBytes(full);
    Path cut = tmp.resolve("cut.bin");
    for (int length = (int) offsets[1]; length < all.length; length++) {
      Files.write(cut, Arrays.copyOf(all, length));
      Read r = read(cut);
      assertNull(r.error(), "cut at " + length);
      int whole = 0; // records wholly before the cut, the header aside
      while (whole + 2 < offsets.length && offsets[whole + 2] <= length) {
        whole++;
      }
      assertEquals(whole, r.events().size(), "cut at " + length);
      String reason = r.incomplete().reason();
      if (length == offsets[whole + 1]) {
        assertEquals("incomplete trace: no footer after " + whole + " events (the run was cut "
            + "short)", reason);
      } else if (whole + 2 == offsets.length) {
        assertEquals("incomplete trace: the file ends inside the footer, which starts at byte "
            + offsets[whole + 1] + " (cut short after 75 events)", reason);
      } else {
        assertEquals("incomplete trace: the file ends inside event " + (whole + 1) + ", which "
            + "starts at byte " + offsets[whole + 1] + " (cut short after " + whole
            + " events)", reason);
      }
    }
  }

  /** Any one byte of the events and footer inverted: a TraceError or a trace that reads. */
  @Test
  void noCorruptByteEscapesAsAnythingButATraceError() throws IOException {
    Path full = tmp.resolve("full.bin");
    long[] offsets = TraceFixtures.writeBinary(full, goldenWithoutConfig());
    byte[] all = Files.readAllBytes(full);
    Path bad = tmp.resolve("bad.bin");
    int errors = 0;
    for (int at = (int) offsets[1]; at < all.length; at++) {
      byte[] b = all.clone();
      b[at] = (byte) ~b[at];
      Files.write(bad, b);
      try {
        errors += read(bad).error() != null ? 1 : 0;
      } catch (RuntimeException e) {
        fail("byte " + at + " inverted: " + e, e);
      }
    }
    assertTrue(errors > (all.length - offsets[1]) / 2, errors + " errors");
  }

  /** The bytes of a binary trace: magic, version, the golden header, then what a test writes. */
  private static final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes() throws IOException {
      out.write(BinaryTrace.MAGIC);
      out.write(BinaryTrace.ENCODING_VERSION);
      text('H', golden().get(0));
    }

    Bytes raw(int... bytes) {
      for (int b : bytes) {
        out.write(b);
      }
      return this;
    }

    Bytes unsigned(long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) (v & 0x7f) | 0x80);
        v >>>= 7;
      }
      out.write((int) v);
      return this;
    }

    Bytes signed(long v) {
      return unsigned((v << 1) ^ (v >> 63));
    }

    Bytes define(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      unsigned(BinaryTrace.STRING_DEFINE).unsigned(b.length);
      out.writeBytes(b);
      return this;
    }

    Bytes text(int tag, String json) {
      byte[] b = json.getBytes(StandardCharsets.UTF_8);
      raw(tag).unsigned(b.length);
      out.writeBytes(b);
      return this;
    }

    long size() {
      return out.size();
    }

    Path write(Path file) throws IOException {
      Files.write(file, out.toByteArray());
      return file;
    }
  }

  @Test
  void whatOnlyTheEncodingCanGetWrongIsAOneLineErrorNamingEventAndByte() throws IOException {
    var ok = new Bytes();
    long first = ok.size();
    ok.raw(BinaryTrace.BUSY).signed(0).define("dram").signed(0).signed(12).define("read")
        .unsigned(0).signed(0).unsigned(0);
    long second = ok.size();
    assertEquals(new TraceEvent.Busy(0, 0, 0, 12, "read", null, 0, null),
        read(ok.text('E', "{\"ev\":\"end\",\"status\":\"ok\",\"events\":1,\"cycles\":12}")
            .write(tmp.resolve("ok.bin"))).events().get(0));

    var tag = new Bytes().raw(0x7f);
    assertError(tag.write(tmp.resolve("tag.bin")), 2, "event 1, byte " + first,
        "unknown record tag 0x7f");
    var header = new Bytes().raw('H').unsigned(2).raw('{', '}');
    assertError(header.write(tmp.resolve("twice.bin")), 2, "event 1, byte " + first,
        "a second header");
    var id = new Bytes().raw(BinaryTrace.BUSY).signed(0).define("dram").signed(0).signed(12)
        .unsigned(BinaryTrace.STRING_ID + 1); // the table holds id 0 only
    assertError(id.write(tmp.resolve("id.bin")), 2, "event 1, byte " + first,
        "string id 1 is not defined (1 strings are)");
    var absent = new Bytes().raw(BinaryTrace.BUSY).signed(0).unsigned(0);
    assertError(absent.write(tmp.resolve("absent.bin")), 2, "event 1, byte " + first,
        "busy record without \"block\"");
    var varint = new Bytes().raw(BinaryTrace.BUSY, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0x7f);
    assertError(varint.write(tmp.resolve("varint.bin")), 2, "event 1, byte " + first,
        "malformed varint (more than 64 bits) at byte " + (first + 10));
    var utf8 = new Bytes().raw(BinaryTrace.BUSY).signed(0).unsigned(BinaryTrace.STRING_DEFINE)
        .unsigned(2).raw(0xc3, 0x28);
    assertError(utf8.write(tmp.resolve("utf8.bin")), 2, "event 1, byte " + first,
        "a string is not valid UTF-8");
    var length = new Bytes().raw(BinaryTrace.BUSY).signed(0).unsigned(BinaryTrace.STRING_DEFINE)
        .unsigned(1 << 20);
    assertError(length.write(tmp.resolve("length.bin")), 2, "event 1, byte " + first,
        "a table string of 1048576 bytes (at most 1024)");
    var footer = new Bytes().raw('E').unsigned(3).raw('{', 'x', '}');
    assertTrue(read(footer.write(tmp.resolve("footer.bin"))).error().getMessage().startsWith(
        tmp.resolve("footer.bin") + ": footer, byte " + first + ": malformed JSON: "));

    // a cut varint: the tile id 4294967296 needs 5 bytes, the file ends after 2 of them
    var cut = new Bytes();
    cut.raw(BinaryTrace.BUSY).signed(0).define("dram").signed(0).signed(12).define("read")
        .unsigned(0).signed(0).unsigned(0);
    cut.raw(BinaryTrace.SEND).signed(0).signed(0).signed(0).unsigned(BinaryTrace.STRING_ID)
        .define("lane0").raw(0x80, 0x80);
    Read r = read(cut.write(tmp.resolve("cutvarint.bin")));
    assertEquals(1, r.events().size());
    assertEquals(tmp.resolve("cutvarint.bin") + ": byte " + Files.size(tmp.resolve(
        "cutvarint.bin")) + ": incomplete trace: the file ends inside event 2, which starts at "
        + "byte " + second + " (cut short after 1 events)", r.incomplete().getMessage());
  }

  private static void assertError(Path file, long line, String where, String reason) {
    TraceError e = read(file).error();
    assertNotNull(e, file.toString());
    assertEquals(file + ": " + where + ": " + reason, e.getMessage());
    assertEquals(line, e.line(), e.getMessage());
  }

  @Test
  void aWrongMagicOrEncodingVersionOrNoHeaderIsRefusedAtOnce() throws IOException {
    byte[] good = new Bytes().out.toByteArray();
    byte[] magic = good.clone();
    magic[3] = 'X';
    Path m = tmp.resolve("magic.bin");
    Files.write(m, magic);
    var e = assertThrows(TraceError.class, () -> TraceReader.open(m));
    assertEquals(m + ": byte 0: not an attnsim trace: the first byte says binary trace, but the "
        + "magic bytes are 89 41 54 58 0d 0a 1a 0a, not 89 41 54 52 0d 0a 1a 0a; "
        + TraceReader.WHAT_A_TRACE_IS, e.getMessage());
    byte[] version = good.clone();
    version[8] = 2;
    Path v = tmp.resolve("version.bin");
    Files.write(v, version);
    e = assertThrows(TraceError.class, () -> TraceReader.open(v));
    assertEquals(v + ": byte 8: unsupported binary trace encoding version 2 (this attnsim reads "
        + "version 1)", e.getMessage());
    Path none = tmp.resolve("none.bin");
    byte[] noHeader = Arrays.copyOf(good, 10);
    noHeader[9] = BinaryTrace.BUSY;
    Files.write(none, noHeader);
    e = assertThrows(TraceError.class, () -> TraceReader.open(none));
    assertEquals(none + ": byte 9: no header: the first record's tag is busy, not the header's "
        + "'H'", e.getMessage());
    Path empty = tmp.resolve("empty.bin");
    Files.write(empty, Arrays.copyOf(good, 9));
    e = assertThrows(TraceError.class, () -> TraceReader.open(empty));
    assertEquals(empty + ": byte 9: incomplete trace: the file ends before the header is "
        + "complete (file cut short)", e.getMessage());
  }

  @Test
  void gzipAroundABinaryTraceIsRecognisedAndACutOneIsIncomplete() throws IOException {
    var o = TraceFixtures.stallingGemm(tmp.resolve("gz"), "trace.format=binary",
        "trace.gzip=true", "workload.gemm.m=256");
    assertEquals("trace.bin.gz", o.trace().getFileName().toString());
    var plain = TraceFixtures.stallingGemm(tmp.resolve("plain"), "trace.gzip=true",
        "workload.gemm.m=256");
    Read gz = read(o.trace());
    assertNull(gz.incomplete());
    assertEquals(read(plain.trace()).events(), gz.events());
    try (var lines = TraceLines.open(o.trace())) {
      assertTrue(lines.gzip() && lines.binary());
    }
    byte[] bytes = Files.readAllBytes(o.trace());
    Path cut = tmp.resolve("cut.bin.gz");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length * 2 / 3));
    Read r = read(cut);
    assertNull(r.error());
    assertTrue(r.events().size() > 100 && r.events().size() < o.traceRecords(),
        "" + r.events().size());
    assertTrue(r.incomplete().reason().startsWith("incomplete trace: the gzip stream stops "
        + "after " + r.events().size() + " events"), r.incomplete().reason());
    assertArrayEquals(jsonl(plain.trace()), jsonl(o.trace()));
  }

  /** The JSON Lines form of a trace, as TraceLines gives it. */
  private static byte[] jsonl(Path trace) {
    var out = new StringBuilder();
    try (var lines = TraceLines.open(trace)) {
      for (String l = lines.next(); l != null; l = lines.next()) {
        out.append(l).append('\n');
      }
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> replaceFirst(List<String> lines, String from, String to) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(from)) {
        lines.set(i, lines.get(i).replace(from, to));
        return lines;
      }
    }
    throw new AssertionError("no line has " + from);
  }
}
