package dev.attnsim.sim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attnsim.actors.kernel.BlockStats;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.sim.run.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** {@code summary.json}: the run's figures, one key per concern, in a fixed order. */
public final class Summary {
  private Summary() {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static ObjectNode toJson(Simulation.Outcome o) {
    RunResult r = o.result();
    var s = o.settings();
    ObjectNode root = JSON.createObjectNode();
    root.put("name", s.name());
    root.put("status", r.status().label());
    root.put("cycles", r.cycles());
    root.put("latency_us", round(r.cycles() / s.clockGhz() / 1000.0));
    root.put("clock_ghz", s.clockGhz());
    root.put("engine", s.run().engine().name().toLowerCase(java.util.Locale.ROOT));
    root.put("parallelism", Simulation.parallelism(s));
    root.put("seed", s.run().seed());
    var problems = root.putArray("problems");
    r.problems().forEach(problems::add);

    root.put("latency_ms", round(r.cycles() / s.clockGhz() / 1e6));
    if (s.isGemm()) {
      var w = root.putObject("workload");
      w.put("kind", "gemm");
      w.put("m", s.gemm().m());
      w.put("n", s.gemm().n());
      w.put("k", s.gemm().k());
      w.put("precision", s.gemm().precision().name());
      w.put("macs", s.gemm().macs());
      if (r.cycles() > 0) {
        w.put("macs_per_cycle", round((double) s.gemm().macs() / r.cycles()));
      }
    } else if (o.report() != null) {
      o.report().addTo(root);
    }
    root.put("mode", s.run().mode().label());
    AccuracyTable.addTo(root, o.accuracy(), o.checks());
    if (o.reference() != null) {
      var ref = root.putObject("reference");
      ref.put("worst_rel_error", o.reference().worst());
      var layers = ref.putArray("layer_rel_errors");
      o.reference().layers().forEach(e -> {
        if (e.isNaN()) {
          layers.addNull();
        } else {
          layers.add(e);
        }
      });
    }

    var blocks = root.putObject("blocks");
    for (BlockStats b : r.blocks()) {
      var n = blocks.putObject(b.name());
      n.put("busy_cycles", b.busyCycles());
      n.put("stall_cycles", b.stallCycles());
      n.put("idle_cycles", b.idleCycles(r.cycles()));
      n.put("utilization", round(b.utilization(r.cycles())));
      n.put("events", b.events());
      n.put("tiles_in", b.tilesIn());
      n.put("tiles_out", b.tilesOut());
      n.put("bytes_in", b.bytesIn());
      n.put("bytes_out", b.bytesOut());
      var c = n.putObject("counters");
      b.counters().forEach(c::put);
    }

    var sim = root.putObject("sim");
    sim.put("events", r.events());
    sim.put("wall_seconds", round(o.wallSeconds()));
    sim.put("events_per_second", Math.round(o.eventsPerSecond()));

    var trace = root.putObject("trace");
    if (o.trace() != null) {
      trace.put("path", o.trace().getFileName().toString());
      trace.put("events", o.traceRecords());
    } else {
      trace.putNull("path");
      trace.put("events", 0);
    }
    return root;
  }

  public static void write(Path file, Simulation.Outcome o) {
    try {
      JSON.writeValue(file.toFile(), toJson(o));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Rounds to 6 decimals, so reports do not show float noise. */
  public static double round(double x) {
    return Math.round(x * 1e6) / 1e6;
  }
}
