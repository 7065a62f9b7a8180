package dev.attnsim.sim.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attnsim.actors.blocks.common.Stage;
import dev.attnsim.actors.kernel.BlockStats;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.sim.config.SimSettings;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of a DOTA run, derived from its blocks' statistics: latency per stage, DRAM
 * traffic, MACs per precision against the dense equivalent, attention sparsity, energy.
 */
public final class DotaReport {
  private final RunResult r;
  private final SimSettings s;

  public DotaReport(RunResult result, SimSettings settings) {
    this.r = result;
    this.s = settings;
  }

  private long sum(String prefix, String counter) {
    long total = 0;
    for (BlockStats b : r.blocks()) {
      if (b.name().startsWith(prefix)) {
        total += b.counters().getOrDefault(counter, 0L);
      }
    }
    return total;
  }

  private long max(String prefix, String counter) {
    long m = 0;
    for (BlockStats b : r.blocks()) {
      if (b.name().startsWith(prefix)) {
        m = Math.max(m, b.counters().getOrDefault(counter, 0L));
      }
    }
    return m;
  }

  private long dram(String counter) {
    return r.block("dram").counters().getOrDefault(counter, 0L);
  }

  /**
   * Cycles per stage: the longest lane's span of each stage, summed over layers; detection is
   * the longest lane's RMMU time on detection (it overlaps the attention stage's span).
   */
  public Map<String, Long> stageCycles() {
    var m = new LinkedHashMap<String, Long>();
    m.put(Stage.LINEAR.label(), max("ctl", "stage.linear"));
    m.put(Stage.DETECTION.label(), max("rmmu", "busy.detect"));
    m.put(Stage.ATTENTION.label(), max("ctl", "stage.attention"));
    m.put(Stage.FFN.label(), max("ctl", "stage.ffn"));
    return m;
  }

  public Map<Precision, Long> macs() {
    var m = new EnumMap<Precision, Long>(Precision.class);
    for (Precision p : Precision.OPERANDS) {
      long v = sum("rmmu", "macs." + p.label());
      if (v > 0) {
        m.put(p, v);
      }
    }
    return m;
  }

  /** MACs the same layers take with full attention and no detection (DOTA-F). */
  public long denseEquivalentMacs() {
    var w = s.transformer();
    long l = w.seqLen();
    long d = w.dModel();
    long pairs = w.shape(1).densePairs();
    long perLayer = l * 3 * d * d + 2 * w.heads() * pairs * w.headDim() + l * d * d
        + 2 * l * w.ffnHidden() * d;
    return perLayer * w.layerRuns();
  }

  public long pairsTotal() {
    var w = s.transformer();
    return w.shape(1).densePairs() * w.heads() * w.layerRuns();
  }

  public long pairsKept() {
    return sum("sched", "kept_pairs");
  }

  public double omittedFraction() {
    return pairsTotal() == 0 ? 0 : 1.0 - (double) pairsKept() / pairsTotal();
  }

  /** Energy in pJ: compute, sram, dram. */
  public Map<String, Double> energyPj() {
    var e = s.energy();
    double compute = 0;
    for (var m : macs().entrySet()) {
      compute += m.getValue() * e.macPj().get(m.getKey());
    }
    compute += sum("sel", "comparisons") * e.comparePj();
    compute += sum("smx", "elements") * e.softmaxPjPerElement();
    compute += r.block("acc").counters().getOrDefault("elements_added", 0L)
        * e.accumulatePjPerElement();
    double sram = sum("ctl", "sram_bytes") * e.sramPjPerByte();
    double dramPj = (dram("bytes_read") + dram("bytes_written")) * e.dramPjPerByte();
    var m = new LinkedHashMap<String, Double>();
    m.put("total", compute + sram + dramPj);
    m.put("compute", compute);
    m.put("sram", sram);
    m.put("dram", dramPj);
    return m;
  }

  /** Adds this run's DOTA figures to {@code summary.json}'s root. */
  public void addTo(ObjectNode root) {
    var w = s.transformer();
    var work = root.putObject("workload");
    work.put("kind", "transformer");
    work.put("model", w.model());
    work.put("layers", w.layers());
    work.put("d_model", w.dModel());
    work.put("heads", w.heads());
    work.put("ffn_hidden", w.ffnHidden());
    work.put("seq_len", w.seqLen());
    work.put("batch", w.batch());
    work.put("causal", w.causal());
    root.put("accelerator", s.dota().detection() ? "dota" : "dota (detection off: DOTA-F)");

    var stages = root.putObject("stages");
    stageCycles().forEach((k, v) -> {
      var st = stages.putObject(k);
      st.put("cycles", v);
      st.put("share", Summary.round(r.cycles() == 0 ? 0 : (double) v / r.cycles()));
    });

    var dram = root.putObject("dram");
    long read = dram("bytes_read");
    long written = dram("bytes_written");
    dram.put("preset", s.dram().preset().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    dram.put("bytes_read", read);
    dram.put("bytes_written", written);
    double bytesPerCycle = r.cycles() == 0 ? 0 : (double) (read + written) / r.cycles();
    dram.put("bandwidth_gb_per_s", Summary.round(bytesPerCycle * s.clockGhz()));
    long peak = Math.round(s.dram().timing(s.clockGhz()).peakBytesPerCycle()
        * s.clockGhz());
    dram.put("peak_gb_per_s", peak);
    long requests = dram("requests");
    dram.put("requests", requests);
    dram.put("row_hits", dram("row_hits"));
    dram.put("row_misses", dram("row_misses"));
    dram.put("row_conflicts", dram("row_conflicts"));
    dram.put("latency_avg_cycles", Summary.round(requests == 0 ? 0
        : (double) dram("latency_total_cycles") / requests));
    dram.put("latency_max_cycles", dram("latency_max_cycles"));

    var macs = root.putObject("macs");
    long executed = 0;
    for (var m : macs().entrySet()) {
      macs.put(m.getKey().name().toLowerCase(Locale.ROOT), m.getValue());
      executed += m.getValue();
    }
    macs.put("executed", executed);
    macs.put("dense_equivalent", denseEquivalentMacs());

    var sparsity = root.putObject("sparsity");
    sparsity.put("pairs_total", pairsTotal());
    sparsity.put("pairs_kept", pairsKept());
    sparsity.put("omitted_fraction", Summary.round(omittedFraction()));
    long union = sum("sched", "union_keys");
    sparsity.put("kv_reuse", Summary.round(union == 0 ? 0 : (double) pairsKept() / union));
    long capacity = sum("sched", "capacity_macs");
    sparsity.put("attention_pe_utilization", Summary.round(capacity == 0 ? 0
        : (double) sum("sched", "useful_macs") / capacity));

    var energy = root.putObject("energy_pj");
    energyPj().forEach((k, v) -> energy.put(k, Math.round(v)));
  }

  /** A few lines for the terminal summary. */
  public String terminalLines() {
    var sb = new StringBuilder();
    var w = s.transformer();
    sb.append(String.format(Locale.ROOT, "%-10s %s: %d layer(s) x %d token(s), d %d, %d heads,"
            + " FFN %d%s%n", "workload", w.model(), w.layerRuns(), w.seqLen(), w.dModel(),
        w.heads(), w.ffnHidden(), w.causal() ? ", causal" : ""));
    var stages = new java.util.ArrayList<String>();
    for (var e : stageCycles().entrySet()) {
      stages.add(String.format(Locale.ROOT, "%s %,d (%.1f%%)", e.getKey(), e.getValue(),
          r.cycles() == 0 ? 0.0 : 100.0 * e.getValue() / r.cycles()));
    }
    sb.append(String.format(Locale.ROOT, "%-10s %s%n", "stages", String.join("  ", stages)));
    sb.append(String.format(Locale.ROOT, "%-10s %.1f%% of attention pairs omitted, %,d MACs "
            + "executed vs %,d dense%n", "sparsity", 100 * omittedFraction(),
        macs().values().stream().mapToLong(Long::longValue).sum(), denseEquivalentMacs()));
    double bytes = dram("bytes_read") + dram("bytes_written");
    sb.append(String.format(Locale.ROOT, "%-10s %,.0f bytes, %.1f GB/s, row hits %,d / misses "
            + "%,d / conflicts %,d%n", "dram", bytes,
        r.cycles() == 0 ? 0 : bytes / r.cycles() * s.clockGhz(), dram("row_hits"),
        dram("row_misses"), dram("row_conflicts")));
    var e = energyPj();
    sb.append(String.format(Locale.ROOT, "%-10s %.3f mJ (compute %.0f%%, sram %.0f%%, dram "
            + "%.0f%%)%n", "energy", e.get("total") * 1e-9,
        100 * e.get("compute") / e.get("total"), 100 * e.get("sram") / e.get("total"),
        100 * e.get("dram") / e.get("total")));
    return sb.toString();
  }
}
