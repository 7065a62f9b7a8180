package dev.attnsim.sim.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.trace.TraceEncoding;
import dev.attnsim.sim.trace.TraceExporter;
import dev.attnsim.sim.trace.TraceWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every golden config run with {@code trace.format = binary}: its trace converted to JSON Lines
 * is, byte for byte, the JSON Lines trace the same config writes (the header the JSON Lines
 * writer writes for it, then the golden trace's event lines and footer, which the golden tests
 * hold the JSON Lines writer to), in a fraction of the bytes.
 */
class BinaryGoldenTraceTest {

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"gemm-small", "dota-small", "energon-small", "sanger-small",
      "fact-small"})
  void aBinaryRunConvertsToTheJsonLinesTraceOfItsConfig(String name) throws IOException {
    String conf = "traces/golden/" + name + ".conf";
    var binary = TestConfigs.file(conf, "run.engine=sequential", "trace.format=binary");
    var o = Simulation.run(binary, tmp.resolve("run"), ProgressListener.NONE);
    assertEquals("trace.bin", o.trace().getFileName().toString());
    Path converted = tmp.resolve(name + ".jsonl");
    var r = TraceExporter.export(o.trace(), TraceExporter.Format.JSONL, converted);
    assertEquals(o.traceRecords() + 2, r.written());

    // the header the JSON Lines writer writes for the same config, then the golden lines
    var jsonl = TestConfigs.file(conf, "run.engine=sequential");
    assertEquals(TraceEncoding.JSONL, jsonl.trace().format());
    Path header = tmp.resolve("header.jsonl");
    try (var w = new TraceWriter(header, false)) {
      w.writeHeader(Simulation.header(jsonl, Simulation.engine(jsonl)),
          Simulation.assemble(jsonl));
    }
    byte[] goldenBytes = Files.readAllBytes(TestConfigs.repo().resolve("traces/golden/" + name
        + ".jsonl"));
    int afterGoldenHeader = indexOf(goldenBytes, (byte) '\n') + 1;
    var expected = new ByteArrayOutputStream();
    expected.writeBytes(Files.readAllBytes(header));
    expected.write(goldenBytes, afterGoldenHeader, goldenBytes.length - afterGoldenHeader);
    assertArrayEquals(expected.toByteArray(), Files.readAllBytes(converted),
        () -> "first difference at byte " + mismatch(expected.toByteArray(), converted));

    // the events in a sixth of the bytes or less (about 12 bytes an event against 94-96)
    long headerBytes = Files.size(header);
    long binaryEvents = Files.size(o.trace()) - headerBytes;
    long jsonEvents = goldenBytes.length - afterGoldenHeader;
    assertTrue(binaryEvents * 6 < jsonEvents, name + ": " + binaryEvents + " bytes of events "
        + "against " + jsonEvents + " in JSON Lines");
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static String mismatch(byte[] expected, Path got) {
    try {
      byte[] g = Files.readAllBytes(got);
      int i = java.util.Arrays.mismatch(expected, g);
      int from = Math.max(0, i - 40);
      return i + ": expected ..." + new String(expected, from, Math.min(80, expected.length
          - from), StandardCharsets.UTF_8) + "... got ..." + new String(g, from,
          Math.min(80, g.length - from), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
