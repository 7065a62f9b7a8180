package dev.attnsim.sim.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.run.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Traces for the trace tools' tests, written by real runs, and a naive reference reading. */
public final class TraceFixtures {
  private TraceFixtures() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The committed golden trace: 4 blocks, 75 events, DRAM stalling three times on lane0. */
  public static Path golden() {
    return TestConfigs.repo().resolve("traces/golden/gemm-small.jsonl");
  }

  /**
   * The gemm example at m=64, 4 lanes, DRAM at 512 B/cycle so that it stalls on full lane FIFOs,
   * run on the sequential engine into {@code dir}.
   */
  public static Simulation.Outcome stallingGemm(Path dir, String... more) {
    var sets = new ArrayList<>(List.of("run.engine=sequential", "workload.gemm.m=64",
        "hardware.dram.bandwidth-bytes-per-cycle=512"));
    sets.addAll(Arrays.asList(more));
    var s = TestConfigs.file("config/examples/gemm.conf", sets.toArray(String[]::new));
    return Simulation.run(s, dir, ProgressListener.NONE);
  }

  /** Every line of a plain trace parsed with a plain ObjectMapper (small traces only). */
  public static List<JsonNode> lines(Path trace) {
    try {
      var out = new ArrayList<JsonNode>();
      for (String l : Files.readAllLines(trace)) {
        out.add(MAPPER.readTree(l));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Busy (0) or stall (1) cycles of a block inside {@code [from, to)}, summed naively. */
  public static long spanCycles(List<JsonNode> lines, String block, String ev, long from,
      long to) {
    long sum = 0;
    for (JsonNode n : lines) {
      if (ev.equals(n.path("ev").asText()) && block.equals(n.path("block").asText())) {
        long s = Math.max(from, n.get("start").asLong());
        long e = Math.min(to, n.get("end").asLong());
        sum += Math.max(0, e - s);
      }
    }
    return sum;
  }

  public static long count(List<JsonNode> lines, String ev) {
    return lines.stream().filter(n -> ev.equals(n.path("ev").asText())).count();
  }

  /**
   * A binary trace of the given JSON Lines (header, event lines, and a footer where the lines have
   * one), each line as the binary writer encodes the record it stands for: the JSON Lines given
   * corrupt make the binary trace corrupt the same way.
   *
   * @return the offset of each line's record in the file (the header's first: after the magic)
   */
  public static long[] writeBinary(Path file, List<String> lines) {
    var bytes = new java.io.ByteArrayOutputStream();
    var encoder = new BinaryTraceEncoder(bytes);
    long[] offsets = new long[lines.size()];
    try {
      encoder.drain();
      for (int i = 0; i < lines.size(); i++) {
        offsets[i] = bytes.size();
        String line = lines.get(i);
        byte[] text = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (i == 0) {
          encoder.header(text);
        } else if (line.contains("\"ev\":\"end\"")) {
          encoder.footer(text);
        } else {
          encoder.event(record(MAPPER.readTree(line)));
        }
        encoder.drain();
      }
      Files.write(file, bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return offsets;
  }

  /** The trace record an event line stands for; a send's fields past its own are attributes. */
  public static dev.attnsim.actors.kernel.TraceRecord record(JsonNode n) {
    long t = n.get("t").asLong();
    return switch (n.get("ev").asText()) {
      case "send" -> {
        var attributes = new java.util.TreeMap<String, Long>();
        n.fields().forEachRemaining(f -> {
          if (!List.of("t", "ev", "link", "seq", "from", "to", "tile", "kind", "bytes", "arrive")
              .contains(f.getKey())) {
            attributes.put(f.getKey(), f.getValue().asLong());
          }
        });
        yield new dev.attnsim.actors.kernel.TraceRecord.Send(t, n.get("link").asInt(),
            n.get("seq").asLong(), n.get("from").asText(), n.get("to").asText(),
            n.get("tile").asLong(), n.get("kind").asText(), n.get("bytes").asLong(),
            n.get("arrive").asLong(), attributes.isEmpty() ? null : attributes);
      }
      case "recv" -> new dev.attnsim.actors.kernel.TraceRecord.Receive(t, n.get("link").asInt(),
          n.get("seq").asLong(), n.get("block").asText(), n.get("port").asText(),
          n.get("tile").asLong(), n.get("bytes").asLong());
      case "credit" -> new dev.attnsim.actors.kernel.TraceRecord.Credit(t, n.get("link").asInt(),
          n.get("block").asText(), n.get("port").asText(), n.get("credits").asInt());
      case "busy" -> new dev.attnsim.actors.kernel.TraceRecord.Busy(t, n.get("block").asText(),
          n.get("start").asLong(), n.get("end").asLong(), n.get("op").asText(),
          n.hasNonNull("stage") ? n.get("stage").asText() : null, n.path("macs").asLong(0),
          n.hasNonNull("prec") ? n.get("prec").asText() : null);
      case "stall" -> new dev.attnsim.actors.kernel.TraceRecord.Stall(t, n.get("block").asText(),
          n.get("port").asText(), n.get("start").asLong(), n.get("end").asLong(),
          n.get("cause").asText());
      default -> throw new IllegalArgumentException("no record for " + n);
    };
  }
}
