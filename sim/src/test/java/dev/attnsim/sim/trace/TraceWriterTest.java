package dev.attnsim.sim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import dev.attnsim.actors.kernel.TraceRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written event-line encoder writes exactly the bytes Jackson's generator would. */
class TraceWriterTest {

  @TempDir
  Path dir;

  /** Names with every kind of character JSON escapes, and numbers at the edges of a long. */
  @Test
  void eventLinesAreJacksonsBytes() throws IOException {
    var attrs = new TreeMap<String, Long>();
    attrs.put("head", 3L);
    attrs.put("q\"uote", -1L);
    List<TraceRecord> records = new ArrayList<>();
    records.add(new TraceRecord.Send(0, 1, 2, "dram", "lane0", 7, "OPERANDS", 3072, 34, null));
    records.add(new TraceRecord.Send(Long.MAX_VALUE, 0, 9, "a\\b", "tab\there", -5, "K", 1,
        Long.MIN_VALUE, attrs));
    records.add(new TraceRecord.Receive(12, 3, 4, "lane\u00e9", "in\n", 8, 64));
    records.add(new TraceRecord.Credit(13, 3, "ctl\u0001", "out", 2));
    records.add(new TraceRecord.Busy(14, "rmmu0", 10, 20, "fold", "qk", 4096, "INT8"));
    records.add(new TraceRecord.Busy(15, "rmmu0", 20, 30, "fold", null, 0, null));
    records.add(new TraceRecord.Stall(16, "acc", "out", 5, 16, "credit \u20ac"));

    Path file = dir.resolve("t.jsonl");
    try (var w = new TraceWriter(file, false)) {
      records.forEach(w::accept);
    }
    assertEquals(jackson(records), Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * Numbers at every digit count and at the int/long boundary of the encoder's two digit loops,
   * both signs, written as Jackson writes them; and strings equal but not the same instance, which
   * share the value cache's slot.
   */
  @Test
  void numbersOfEveryLengthAreJacksons() throws IOException {
    List<TraceRecord> records = new ArrayList<>();
    long[] edges = {0, 1, 9, 10, 99, 100, 101, 999, 1000, 99_999, 100_000, 999_999_999,
        1_000_000_000, Integer.MAX_VALUE - 1L, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L,
        9_999_999_999L, 10_000_000_000L, Long.MAX_VALUE - 1, Long.MAX_VALUE};
    int i = 0;
    for (long e : edges) {
      for (long v : new long[] {e, -e, e + 7}) {
        String block = new String("blk" + (i % 3)); // a fresh instance each time
        records.add(new TraceRecord.Busy(v, block, v, -v, "op", null, v, null));
        i++;
      }
    }
    records.add(new TraceRecord.Busy(Long.MIN_VALUE, "blk0", Integer.MIN_VALUE,
        Integer.MIN_VALUE - 1L, "op", null, Long.MIN_VALUE + 1, null));
    Path file = dir.resolve("numbers.jsonl");
    try (var w = new TraceWriter(file, false)) {
      records.forEach(w::accept);
    }
    assertEquals(jackson(records), Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Lines longer in total than the encoder's buffer come out whole and in order. */
  @Test
  void manyLinesSurviveBufferBoundaries() throws IOException {
    List<TraceRecord> records = new ArrayList<>();
    String longName = "x".repeat(70_000); // longer than the buffer itself
    for (int i = 0; i < 3000; i++) {
      records.add(new TraceRecord.Busy(i, i == 1500 ? longName : "block" + (i % 7), i, i + 1,
          "op", null, i, null));
    }
    Path file = dir.resolve("many.jsonl");
    try (var w = new TraceWriter(file, false)) {
      records.forEach(w::accept);
      assertEquals(3000, w.records());
    }
    assertEquals(jackson(records), Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * A write that fails on the writer's thread (a full disk: Linux's {@code /dev/full}) is thrown
   * to the run by a later record or by the footer, naming the file, never lost.
   */
  @Test
  void aFailedWriteOnTheWritersThreadReachesTheRun() {
    Path full = Path.of("/dev/full");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "no /dev/full here");
    var w = new TraceWriter(full, false);
    long[] accepted = {0};
    var error = org.junit.jupiter.api.Assertions.assertThrows(
        java.io.UncheckedIOException.class, () -> {
          for (int i = 0; i < 1_000_000; i++) { // far more than the buffers and queue hold
            w.accept(new TraceRecord.Busy(i, "rmmu0", i, i + 1, "fold", null, 0, null));
            accepted[0]++;
          }
        });
    org.junit.jupiter.api.Assertions.assertTrue(accepted[0] < 1_000_000,
        "a later record reports the failure, not only the footer");
    org.junit.jupiter.api.Assertions.assertTrue(
        error.getMessage().startsWith("cannot write trace /dev/full: "), error.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, w::close);
  }

  /**
   * The header line names the format, versions, engine, seed, mode, blocks and links, and holds
   * the config; the footer comes after every event line, also those of a last, partly filled
   * batch, and counts them.
   */
  @Test
  void headerEventsAndFooterInThatOrder() throws IOException {
    var net = new dev.attnsim.actors.kernel.Netlist()
        .add("src", new Idle(0, 1))
        .add("dst", new Idle(1, 0))
        .connect("src.out0", "dst.in0", 3, 2, 4)
        .freeze();
    Path file = dir.resolve("h.jsonl");
    try (var w = new TraceWriter(file, false)) {
      w.writeHeader(new TraceWriter.Header("9.9.9", "actor", 2, 7, "timing", "{\"k\":1}"), net);
      for (int i = 0; i < TraceWriter.BATCH + 5; i++) {
        w.accept(new TraceRecord.Busy(i, "src", i, i + 1, "op", null, 0, null));
      }
      w.writeFooter(new dev.attnsim.actors.kernel.RunResult(
          dev.attnsim.actors.kernel.RunStatus.OK, 99, 1, List.of(), List.of()));
    }
    var lines = Files.readAllLines(file);
    assertEquals(TraceWriter.BATCH + 7, lines.size());
    assertEquals("{\"format\":\"attnsim-trace\",\"version\":" + TraceFormat.VERSION
        + ",\"attnsim\":\"9.9.9\",\"engine\":\"actor\",\"parallelism\":2,\"seed\":7,"
        + "\"mode\":\"timing\",\"blocks\":[\"src\",\"dst\"],\"links\":[{\"id\":0,"
        + "\"from\":\"src.out0\",\"to\":\"dst.in0\",\"latency\":3,\"depth\":2,"
        + "\"credit_latency\":4}],\"config\":{\"k\":1}}", lines.get(0));
    assertEquals("{\"t\":0,\"ev\":\"busy\",\"block\":\"src\",\"start\":0,\"end\":1,"
        + "\"op\":\"op\"}", lines.get(1));
    assertTrue(lines.get(TraceWriter.BATCH + 5).startsWith("{\"t\":" + (TraceWriter.BATCH + 4)
        + ","), lines.get(TraceWriter.BATCH + 5));
    assertEquals("{\"ev\":\"end\",\"status\":\"ok\",\"events\":" + (TraceWriter.BATCH + 5)
        + ",\"cycles\":99}", lines.get(TraceWriter.BATCH + 6));
  }

  /**
   * Every kind of record, and the awkward ones (escapes, the edges of a long, attributes in a
   * map's own order, strings longer than the writer's buffer, more distinct strings than the
   * binary string table holds), written in binary: their JSON Lines form is the bytes the JSON
   * Lines writer writes for them, header and footer included.
   */
  @Test
  void aBinaryTraceReadsAsTheJsonLinesTheSameRecordsGive() throws IOException {
    var attrs = new TreeMap<String, Long>(java.util.Comparator.reverseOrder());
    attrs.put("addr", 1L << 40);
    attrs.put("write", 1L);
    attrs.put("\u00e9t\u00e9", -7L);
    List<TraceRecord> records = new ArrayList<>();
    records.add(new TraceRecord.Send(0, 1, 2, "dram", "lane0", 7, "OPERANDS", 3072, 34, null));
    records.add(new TraceRecord.Send(5, 0, 9, "a\\b", "tab\there", -5, "K", 1, 2, attrs));
    records.add(new TraceRecord.Send(Long.MAX_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, "x", "y",
        Long.MIN_VALUE, "K", Long.MAX_VALUE, Long.MIN_VALUE, new TreeMap<>()));
    records.add(new TraceRecord.Receive(12, 3, 4, "lane\u00e9", "in\n", 8, 64));
    records.add(new TraceRecord.Credit(13, 3, "ctl\u0001", "out", Integer.MIN_VALUE));
    records.add(new TraceRecord.Busy(14, "rmmu0", 10, 20, "fold", "qk", 4096, "INT8"));
    records.add(new TraceRecord.Busy(15, "rmmu0", 20, 30, "fold", null, 0, null));
    records.add(new TraceRecord.Busy(15, "rmmu0", 20, 30, "fold", "", -1, "\ud83d\ude00"));
    records.add(new TraceRecord.Stall(16, "acc", "out", 5, 16, "credit \u20ac"));
    records.add(new TraceRecord.Busy(17, "x".repeat(70_000), 0, 1, "long", null, 0, null));
    for (int i = 0; i < 5000; i++) { // past the string table: the last ones are literals
      records.add(new TraceRecord.Busy(18 + i, "block" + i, i, i + 1, "op" + (i % 3), null, i,
          null));
    }
    var net = new dev.attnsim.actors.kernel.Netlist()
        .add("src", new Idle(0, 1))
        .add("dst", new Idle(1, 0))
        .connect("src.out0", "dst.in0", 3, 2, 4)
        .freeze();
    Path jsonl = dir.resolve("t.jsonl");
    Path bin = dir.resolve("t.bin");
    for (var encoding : TraceEncoding.values()) {
      try (var w = new TraceWriter(encoding == TraceEncoding.JSONL ? jsonl : bin, encoding,
          false)) {
        w.writeHeader(new TraceWriter.Header("9.9.9", "actor", 2, 7, "timing", "{\"k\":1}"),
            net);
        records.forEach(w::accept);
        w.writeFooter(new dev.attnsim.actors.kernel.RunResult(
            dev.attnsim.actors.kernel.RunStatus.OK, 99, 1, List.of(), List.of()));
      }
    }
    var fromBinary = new StringBuilder();
    try (var lines = TraceLines.open(bin)) {
      assertTrue(lines.binary());
      for (String l = lines.next(); l != null; l = lines.next()) {
        fromBinary.append(l).append('\n');
      }
    }
    assertEquals(Files.readString(jsonl, StandardCharsets.UTF_8), fromBinary.toString());
    assertTrue(Files.readString(jsonl).contains(
        ",\"\u00e9t\u00e9\":-7,\"write\":1,\"addr\":1099511627776}")); // the map's order
    // the 70,000 characters once; each of the 5,000 names once too: under a quarter of the JSON
    assertTrue(Files.size(bin) - 70_000 < (Files.size(jsonl) - 70_000) / 4,
        Files.size(bin) + " bytes against " + Files.size(jsonl));
  }

  /** A block with ports and nothing to do. */
  private record Idle(int ins, int outs) implements dev.attnsim.actors.kernel.Block {
    @Override
    public List<dev.attnsim.actors.kernel.InPort> inputs() {
      return dev.attnsim.actors.kernel.InPort.named(
          java.util.stream.IntStream.range(0, ins).mapToObj(i -> "in" + i).toList());
    }

    @Override
    public List<dev.attnsim.actors.kernel.OutPort> outputs() {
      return dev.attnsim.actors.kernel.OutPort.named(
          java.util.stream.IntStream.range(0, outs).mapToObj(i -> "out" + i).toList());
    }

    @Override
    public void onEvent(dev.attnsim.actors.kernel.Event e,
        dev.attnsim.actors.kernel.BlockContext ctx) {}
  }

  /** What the writer wrote before it had its own encoder: Jackson's generator, field by field. */
  private static String jackson(List<TraceRecord> records) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var json = new JsonFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
      json.setRootValueSeparator(null);
      for (TraceRecord r : records) {
        json.writeStartObject();
        json.writeNumberField("t", r.time());
        if (r instanceof TraceRecord.Send s) {
          json.writeStringField("ev", "send");
          json.writeNumberField("link", s.link());
          json.writeNumberField("seq", s.seq());
          json.writeStringField("from", s.from());
          json.writeStringField("to", s.to());
          json.writeNumberField("tile", s.tile());
          json.writeStringField("kind", s.kind());
          json.writeNumberField("bytes", s.bytes());
          json.writeNumberField("arrive", s.arrive());
          if (s.attributes() != null) {
            for (var a : s.attributes().entrySet()) {
              json.writeNumberField(a.getKey(), a.getValue());
            }
          }
        } else if (r instanceof TraceRecord.Receive v) {
          json.writeStringField("ev", "recv");
          json.writeNumberField("link", v.link());
          json.writeNumberField("seq", v.seq());
          json.writeStringField("block", v.block());
          json.writeStringField("port", v.port());
          json.writeNumberField("tile", v.tile());
          json.writeNumberField("bytes", v.bytes());
        } else if (r instanceof TraceRecord.Credit c) {
          json.writeStringField("ev", "credit");
          json.writeNumberField("link", c.link());
          json.writeStringField("block", c.block());
          json.writeStringField("port", c.port());
          json.writeNumberField("credits", c.credits());
        } else if (r instanceof TraceRecord.Busy b) {
          json.writeStringField("ev", "busy");
          json.writeStringField("block", b.block());
          json.writeNumberField("start", b.start());
          json.writeNumberField("end", b.end());
          json.writeStringField("op", b.op());
          if (b.stage() != null) {
            json.writeStringField("stage", b.stage());
          }
          if (b.macs() != 0) {
            json.writeNumberField("macs", b.macs());
          }
          if (b.precision() != null) {
            json.writeStringField("prec", b.precision());
          }
        } else if (r instanceof TraceRecord.Stall s) {
          json.writeStringField("ev", "stall");
          json.writeStringField("block", s.block());
          json.writeStringField("port", s.port());
          json.writeNumberField("start", s.start());
          json.writeNumberField("end", s.end());
          json.writeStringField("cause", s.cause());
        }
        json.writeEndObject();
        json.writeRaw('\n');
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
