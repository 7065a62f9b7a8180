package dev.attnsim.sim.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attnsim.actors.kernel.BlockStats;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.sim.accelerators.Accelerator;
import dev.attnsim.sim.config.EnergyTable;
import dev.attnsim.sim.config.SimSettings;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of a transformer run on any accelerator, derived from its blocks' statistics by
 * rules written once: latency per stage ({@link StageAccounting}), DRAM traffic and its purposes
 * (every block's {@code dram_bytes.<purpose>} counters), MACs per precision (every block's {@code
 * macs.<precision>}) against the dense equivalent, attention sparsity, energy per block and in
 * total, area when configured. The accelerator adds its own sections ({@link
 * Accelerator#addSections}).
 */
public final class TransformerReport {
  private final RunResult r;
  private final SimSettings s;
  private final Accelerator accelerator;
  private final Map<String, StageAccounting.Figures> stages;

  public TransformerReport(RunResult result, SimSettings settings) {
    this.r = result;
    this.s = settings;
    this.accelerator = settings.accelerator();
    this.stages = StageAccounting.of(result, accelerator.stages());
  }

  private long sum(String counter) {
    long total = 0;
    for (BlockStats b : r.blocks()) {
      total += b.counters().getOrDefault(counter, 0L);
    }
    return total;
  }

  private long dram(String counter) {
    return r.block("dram").counters().getOrDefault(counter, 0L);
  }

  /** Per stage (then {@link StageAccounting#NONE}): busy cycles and critical-path share. */
  public Map<String, StageAccounting.Figures> stages() {
    return stages;
  }

  /** Busy cycles per stage, without {@link StageAccounting#NONE}. */
  public Map<String, Long> stageCycles() {
    var m = new LinkedHashMap<String, Long>();
    stages.forEach((k, v) -> {
      if (!k.equals(StageAccounting.NONE)) {
        m.put(k, v.busyCycles());
      }
    });
    return m;
  }

  public Map<Precision, Long> macs() {
    var m = new EnumMap<Precision, Long>(Precision.class);
    for (Precision p : Precision.OPERANDS) {
      long v = sum("macs." + p.label());
      if (v > 0) {
        m.put(p, v);
      }
    }
    return m;
  }

  /** MACs the same layers take with full attention and no prediction (DOTA-F). */
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
    long kept = 0;
    for (BlockStats b : r.blocks()) {
      if (b.name().startsWith(accelerator.keptPairsBlocks())) {
        kept += b.counters().getOrDefault("kept_pairs", 0L);
      }
    }
    return kept;
  }

  public double omittedFraction() {
    return pairsTotal() == 0 ? 0 : 1.0 - (double) pairsKept() / pairsTotal();
  }

  /** Energy of one block in pJ: compute (MACs, comparisons, softmax, additions), SRAM, DRAM. */
  private double[] blockEnergy(BlockStats b) {
    EnergyTable e = s.energy();
    var c = b.counters();
    double compute = 0;
    for (Precision p : Precision.OPERANDS) {
      compute += c.getOrDefault("macs." + p.label(), 0L) * e.macPj().get(p);
    }
    compute += c.getOrDefault("comparisons", 0L) * e.comparePj();
    compute += c.getOrDefault("softmax_elements", 0L) * e.softmaxPjPerElement();
    compute += c.getOrDefault("elements_added", 0L) * e.accumulatePjPerElement();
    double sram = c.getOrDefault("sram_bytes", 0L) * e.sramPjPerByte();
    double dramPj = b.name().equals("dram")
        ? (c.getOrDefault("bytes_read", 0L) + c.getOrDefault("bytes_written", 0L))
            * e.dramPjPerByte() : 0;
    return new double[] {compute, sram, dramPj};
  }

  /** Energy in pJ: total, compute, sram, dram. */
  public Map<String, Double> energyPj() {
    double[] t = new double[3];
    for (BlockStats b : r.blocks()) {
      double[] e = blockEnergy(b);
      for (int i = 0; i < 3; i++) {
        t[i] += e[i];
      }
    }
    var m = new LinkedHashMap<String, Double>();
    m.put("total", t[0] + t[1] + t[2]);
    m.put("compute", t[0]);
    m.put("sram", t[1]);
    m.put("dram", t[2]);
    return m;
  }

  /** DRAM bytes by purpose (weights, activations, qkv, qk_planes, kv), in name order. */
  public Map<String, Long> dramBytesByPurpose() {
    var m = new TreeMap<String, Long>();
    for (BlockStats b : r.blocks()) {
      b.counters().forEach((k, v) -> {
        if (k.startsWith("dram_bytes.")) {
          m.merge(k.substring("dram_bytes.".length()), v, Long::sum);
        }
      });
    }
    return m;
  }

  /** Adds this run's figures to {@code summary.json}'s root. */
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
    var accel = root.putObject("accelerator");
    accel.put("name", accelerator.name());
    accel.put("description", accelerator.describe(s));
    var masks = s.maskSource();
    accel.put("masks", masks == null ? "dense" : masks.name().toLowerCase(Locale.ROOT));
    if (s.areaMm2() > 0) {
      accel.put("area_mm2", s.areaMm2());
    }

    var st = root.putObject("stages");
    st.put("rule", "busy_cycles: cycles in which any block works on the stage (stages overlap); "
        + "share: each cycle split equally among the stages busy in it, over the run's cycles");
    stages.forEach((k, v) -> {
      var n = st.putObject(k);
      n.put("busy_cycles", v.busyCycles());
      n.put("share", Summary.round(v.share()));
    });

    var dram = root.putObject("dram");
    long read = dram("bytes_read");
    long written = dram("bytes_written");
    dram.put("preset", s.dram().preset().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    dram.put("model", s.dram().model().key());
    dram.put("bytes_read", read);
    dram.put("bytes_written", written);
    var purposes = dram.putObject("bytes_by_purpose");
    dramBytesByPurpose().forEach(purposes::put);
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
    long union = sum("union_keys");
    if (union > 0) {
      sparsity.put("kv_reuse", Summary.round((double) pairsKept() / union));
    }
    long capacity = sum("capacity_macs");
    if (capacity > 0) {
      sparsity.put("attention_pe_utilization", Summary.round(
          (double) sum("useful_macs") / capacity));
    }

    var energy = root.putObject("energy_pj");
    energyPj().forEach((k, v) -> energy.put(k, Math.round(v)));
    var perBlock = energy.putObject("blocks");
    for (BlockStats b : r.blocks()) {
      double[] e = blockEnergy(b);
      if (e[0] + e[1] + e[2] > 0) {
        perBlock.put(b.name(), Math.round(e[0] + e[1] + e[2]));
      }
    }
    if (s.areaMm2() > 0 && r.cycles() > 0) {
      double seconds = r.cycles() / (s.clockGhz() * 1e9);
      var area = root.putObject("area");
      area.put("mm2", s.areaMm2());
      area.put("dense_equivalent_gops_per_mm2", Summary.round(
          2.0 * denseEquivalentMacs() / seconds / 1e9 / s.areaMm2()));
      area.put("energy_uj_per_mm2", Summary.round(energyPj().get("total") * 1e-6
          / s.areaMm2()));
    }
    accelerator.addSections(root, r, s);
  }

  /** A few lines for the terminal summary. */
  public String terminalLines() {
    var sb = new StringBuilder();
    var w = s.transformer();
    sb.append(String.format(Locale.ROOT, "%-10s %s: %d layer(s) x %d token(s), d %d, %d heads,"
            + " FFN %d%s%n", "workload", w.model(), w.layerRuns(), w.seqLen(), w.dModel(),
        w.heads(), w.ffnHidden(), w.causal() ? ", causal" : ""));
    var busy = new java.util.ArrayList<String>();
    var shares = new java.util.ArrayList<String>();
    for (var e : stages.entrySet()) {
      if (!e.getKey().equals(StageAccounting.NONE)) {
        busy.add(String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue().busyCycles()));
      }
      shares.add(String.format(Locale.ROOT, "%s %.1f%%", e.getKey(),
          100 * e.getValue().share()));
    }
    sb.append(String.format(Locale.ROOT, "%-10s busy cycles: %s%n", "stages",
        String.join("  ", busy)));
    sb.append(String.format(Locale.ROOT, "%-10s share of the run's cycles: %s%n", "",
        String.join("  ", shares)));
    sb.append(accelerator.terminalLines(r, s));
    sb.append(String.format(Locale.ROOT, "%-10s %.1f%% of attention pairs omitted, %,d MACs "
            + "executed vs %,d dense%n", "sparsity", 100 * omittedFraction(),
        macs().values().stream().mapToLong(Long::longValue).sum(), denseEquivalentMacs()));
    double bytes = dram("bytes_read") + dram("bytes_written");
    sb.append(String.format(Locale.ROOT, "%-10s %,.0f bytes, %.1f GB/s, row hits %,d / misses "
            + "%,d / conflicts %,d%n", "dram", bytes,
        r.cycles() == 0 ? 0 : bytes / r.cycles() * s.clockGhz(), dram("row_hits"),
        dram("row_misses"), dram("row_conflicts")));
    var purposes = new java.util.ArrayList<String>();
    dramBytesByPurpose().forEach((k, v) -> purposes.add(String.format(Locale.ROOT, "%s %,d",
        k, v)));
    sb.append(String.format(Locale.ROOT, "%-10s by purpose: %s%n", "",
        String.join("  ", purposes)));
    var e = energyPj();
    sb.append(String.format(Locale.ROOT, "%-10s %.3f mJ (compute %.0f%%, sram %.0f%%, dram "
            + "%.0f%%)%n", "energy", e.get("total") * 1e-9,
        100 * e.get("compute") / e.get("total"), 100 * e.get("sram") / e.get("total"),
        100 * e.get("dram") / e.get("total")));
    return sb.toString();
  }
}
