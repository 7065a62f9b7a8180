package dev.attnsim.sim.accelerators;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import dev.attnsim.actors.blocks.common.Stage;
import dev.attnsim.actors.compute.FactHead;
import dev.attnsim.actors.compute.QkRule;
import dev.attnsim.actors.kernel.BlockStats;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.sim.assembly.FactAssembly;
import dev.attnsim.sim.config.DotaSettings;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.run.Simulation;
import java.util.List;
import java.util.Locale;
import java.util.function.BinaryOperator;

/**
 * FACT (seed 003): {@link FactAssembly}; page {@code actors/docs/fact.md}. Its masks are always
 * its own eager prediction's, on the run's tensors.
 */
final class Fact implements Accelerator {

  @Override
  public String name() {
    return "fact";
  }

  @Override
  public String describe(SimSettings s) {
    var f = s.fact();
    return String.format(Locale.ROOT, "FACT, INT%d leading-one eager prediction keeping %s%%, "
            + "gap %s, FFN %s below %s x the average selection, attention array %,d FX16 "
            + "MACs/cycle, %d lanes of %d x %d PEs for QKV and FFN", f.bits(),
        fmt(100 * f.keepRatio()), fmt(f.decideGap()), f.ffnLowPrecision().name(),
        fmt(f.ffnRatio()), f.attentionMacsPerCycle(), s.hardware().lanes(),
        s.hardware().rmmu().rows(), s.hardware().rmmu().cols());
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  @Override
  public List<String> stages() {
    return List.of(Stage.PREDICTION.label(), Stage.LINEAR.label(), Stage.ATTENTION.label(),
        Stage.FFN.label());
  }

  @Override
  public DotaSettings.MaskSourceKind maskSource(SimSettings s) {
    return DotaSettings.MaskSourceKind.FACT;
  }

  /** Its masks are its own prediction's: another {@code workload.masks.source} is refused. */
  @Override
  public void check(Config root, SimSettings s) {
    Accelerator.requireOwnMasks(root, s, name());
  }

  @Override
  public QkRule<boolean[][]> functionalMasks(SimSettings s) {
    var fact = s.fact().predictor();
    double gap = s.fact().decideGap();
    return (qHat, kHat, q0, rows, allowed) -> FactHead.attendedMask(fact, qHat, kHat, q0, rows,
        allowed, gap);
  }

  @Override
  public BinaryOperator<double[][]> functionalMaskOperands(SimSettings s) {
    return s.fact().predictor()::project;
  }

  @Override
  public Netlist assemble(SimSettings s, Simulation.Inputs in) {
    return FactAssembly.build(s, in.golden(), in.predictor());
  }

  @Override
  public String keptPairsBlocks() {
    return FactAssembly.ATTENTION;
  }

  private static long counter(RunResult r, String block, String name) {
    return r.block(block).counters().getOrDefault(name, 0L);
  }

  /** A lane counter summed over the lanes ({@code ctl<i>}). */
  private static long lanes(RunResult r, String name) {
    long sum = 0;
    for (BlockStats b : r.blocks()) {
      if (b.name().startsWith("ctl")) {
        sum += b.counters().getOrDefault(name, 0L);
      }
    }
    return sum;
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }

  /**
   * {@code eager_prediction} (heads, pairs scored and selected, decided queries, K/V rows no
   * query needs, log-MACs, busy cycles, DRAM bytes), {@code qkv_generation} (Q and K/V rows
   * generated and skipped, over heads and layers) and {@code ffn_precision} (tokens and RMMU
   * cycles at each precision).
   */
  @Override
  public void addSections(ObjectNode root, RunResult r, SimSettings s) {
    var f = s.fact();
    String e = FactAssembly.EAGER;
    var p = root.putObject("eager_prediction");
    p.put("precision", "int" + f.bits() + " leading-one");
    p.put("keep_ratio", f.keepRatio());
    p.put("decide_gap", f.decideGap());
    p.put("heads", counter(r, e, "heads"));
    p.put("queries", counter(r, e, "queries"));
    p.put("pairs_scored", counter(r, e, "pairs_scored"));
    p.put("pairs_selected", counter(r, e, "pairs_selected"));
    p.put("decided_queries", counter(r, e, "decided_queries"));
    p.put("decided_share", share(counter(r, e, "decided_queries"), counter(r, e, "queries")));
    p.put("kv_rows_unneeded", counter(r, e, "kv_rows_unneeded"));
    p.put("log_macs", counter(r, e, "log_macs"));
    p.put("busy_cycles", r.block(e).busyCycles());
    p.put("dram_bytes", counter(r, e, "dram_bytes.x") + counter(r, e, "dram_bytes.weights_lo")
        + counter(r, e, "dram_bytes.mask"));
    var g = root.putObject("qkv_generation");
    long tokens = lanes(r, "qkv.tokens");
    long q = lanes(r, "qkv.q_rows");
    long kv = lanes(r, "qkv.kv_rows");
    g.put("rows", tokens);
    g.put("q_rows_generated", q);
    g.put("q_rows_skipped", tokens - q);
    g.put("kv_rows_generated", kv);
    g.put("kv_rows_skipped", tokens - kv);
    g.put("kv_skipped_share", share(tokens - kv, tokens));
    var ffn = root.putObject("ffn_precision");
    String low = f.ffnLowPrecision().label();
    long full = counter(r, "ctl0", "ffn.tokens.fx16");
    long lowTokens = counter(r, "ctl0", "ffn.tokens." + low);
    ffn.put("low_precision", low);
    ffn.put("tokens_full", full);
    ffn.put("tokens_low", lowTokens);
    ffn.put("low_share", share(lowTokens, full + lowTokens));
    ffn.put("rmmu_cycles_full", lanes(r, "ffn.cycles.fx16"));
    ffn.put("rmmu_cycles_low", lanes(r, "ffn.cycles." + low));
  }

  @Override
  public String terminalLines(RunResult r, SimSettings s) {
    var f = s.fact();
    String e = FactAssembly.EAGER;
    long scored = counter(r, e, "pairs_scored");
    long selected = counter(r, e, "pairs_selected");
    long queries = counter(r, e, "queries");
    long decided = counter(r, e, "decided_queries");
    long tokens = lanes(r, "qkv.tokens");
    long q = lanes(r, "qkv.q_rows");
    long kv = lanes(r, "qkv.kv_rows");
    String low = f.ffnLowPrecision().label();
    long full = counter(r, "ctl0", "ffn.tokens.fx16");
    long lowTokens = counter(r, "ctl0", "ffn.tokens." + low);
    return String.format(Locale.ROOT, "%-10s INT%d leading-one, top %s%%: %,d pairs scored, "
            + "%,d selected (%.1f%%), %,d of %,d queries decided (%.1f%%)%n"
            + "%-10s K/V rows generated %,d of %,d (%.1f%% skipped), Q rows %,d (%.1f%% "
            + "skipped)%n%-10s %,d tokens FX16, %,d %s (%.1f%%); RMMU cycles FX16 %,d, %s %,d%n",
        "eager", f.bits(), fmt(100 * f.keepRatio()), scored, selected,
        100 * share(selected, scored), decided, queries, 100 * share(decided, queries),
        "qkv", kv, tokens, 100 * share(tokens - kv, tokens), q, 100 * share(tokens - q, tokens),
        "ffn", full, lowTokens, low.toUpperCase(Locale.ROOT),
        100 * share(lowTokens, full + lowTokens), lanes(r, "ffn.cycles.fx16"),
        low.toUpperCase(Locale.ROOT), lanes(r, "ffn.cycles." + low));
  }
}
