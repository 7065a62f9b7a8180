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
}
