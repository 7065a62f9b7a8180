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
    addParameters(root.putObject("parameters"), o);
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
      if (r.cycles() > 0 && r.status() == dev.attnsim.actors.kernel.RunStatus.OK) {
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

    if (!s.isGemm()) {
      addLayers(root, r);
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

  /**
   * What ran on what, the figures a reader would otherwise dig out of {@code config.conf}: the
   * hardware (accelerator, lanes, PE array, precisions, DRAM, SRAM, clock) and the workload
   * (shape, batch), the mode and the engine.
   */
  static void addParameters(ObjectNode p, Simulation.Outcome o) {
    var s = o.settings();
    var h = s.hardware();
    p.put("accelerator", s.isGemm() ? "gemm pipeline" : s.accelerator().name());
    p.put("lanes", h.lanes());
    var array = p.putObject("array");
    array.put("rows", h.rmmu().rows());
    array.put("cols", h.rmmu().cols());
    array.put("dataflow", h.rmmu().timing().dataflow().name().toLowerCase(java.util.Locale.ROOT));
    var precisions = p.putArray("precisions");
    if (s.isGemm()) {
      precisions.add(s.gemm().precision().label());
    } else if (o.report() != null) {
      o.report().macs().keySet().forEach(pr -> precisions.add(pr.label())); // those that ran
    }
    if (!s.isGemm() && s.accelerator().name().equals("dota") && s.dota().detection()) {
      p.put("detection_precision", s.dota().detectPrecision().label());
    }
    if (s.isGemm()) {
      p.put("dram_bandwidth_bytes_per_cycle", h.dramBandwidthBytesPerCycle());
    } else {
      p.put("dram", s.dram().preset().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }
    p.put("sram_bytes", s.dota().sramBytes());
    p.put("clock_ghz", s.clockGhz());
    if (s.isGemm()) {
      p.put("workload", "gemm");
    } else {
      var w = s.transformer();
      p.put("workload", w.model());
      p.put("seq_len", w.seqLen());
      p.put("layers", w.layers());
      p.put("heads", w.heads());
      p.put("d_model", w.dModel());
      p.put("ffn_hidden", w.ffnHidden());
      p.put("batch", w.batch());
      p.put("causal", w.causal());
    }
    p.put("mode", s.run().mode().label());
    p.put("engine", s.run().engine().name().toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * Per layer and stage, when the first lane began it and the last one finished it ({@code
   * layer.<i>.<stage>.start} and {@code .end} of the lane controllers), and the cycles between:
   * a layer's stages overlap across lanes, so these spans are not a partition of the run.
   * Nothing when no block reports them.
   */
  static void addLayers(ObjectNode root, RunResult r) {
    var spans = new java.util.TreeMap<Integer, java.util.Map<String, long[]>>();
    for (BlockStats b : r.blocks()) {
      b.counters().forEach((key, v) -> {
        String[] k = key.split("\\.");
        if (k.length != 4 || !k[0].equals("layer")) {
          return;
        }
        int layer = Integer.parseInt(k[1]);
        long[] se = spans.computeIfAbsent(layer, x -> new java.util.LinkedHashMap<>())
            .computeIfAbsent(k[2], x -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
        if (k[3].equals("start")) {
          se[0] = Math.min(se[0], v);
        } else if (k[3].equals("end")) {
          se[1] = Math.max(se[1], v);
        }
      });
    }
    if (spans.isEmpty()) {
      return;
    }
    var layers = root.putArray("layers");
    spans.forEach((layer, stages) -> {
      var l = layers.addObject();
      l.put("layer", layer);
      var st = l.putObject("stages");
      for (var stage : dev.attnsim.actors.blocks.common.Stage.values()) { // the layer's order
        long[] se = stages.get(stage.label());
        if (se == null || se[0] == Long.MAX_VALUE || se[1] == Long.MIN_VALUE) {
          continue;
        }
        var n = st.putObject(stage.label());
        n.put("start_cycle", se[0]);
        n.put("end_cycle", se[1]);
        n.put("cycles", se[1] - se[0]);
      }
    });
  }

  public static void write(Path file, Simulation.Outcome o) {
    try {
      JSON.writeValue(file.toFile(), toJson(o));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": "
          + dev.attnsim.sim.io.IoReasons.of(e), e);
    }
  }

  /** Rounds to 6 decimals, so reports do not show float noise. */
  public static double round(double x) {
    return Math.round(x * 1e6) / 1e6;
  }
}
