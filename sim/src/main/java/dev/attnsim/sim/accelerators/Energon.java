package dev.attnsim.sim.accelerators;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import dev.attnsim.actors.blocks.common.Stage;
import dev.attnsim.actors.compute.QkRule;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.sim.assembly.EnergonAssembly;
import dev.attnsim.sim.config.DotaSettings;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.run.Simulation;
import java.util.List;
import java.util.Locale;

/**
 * Energon (seeds 000, 002): {@link EnergonAssembly}; page {@code actors/docs/energon.md}. Its
 * masks are always its own filter's, on the run's tensors.
 */
final class Energon implements Accelerator {

  @Override
  public String name() {
    return "energon";
  }

  @Override
  public String describe(SimSettings s) {
    var e = s.energon();
    var rounds = new StringBuilder();
    for (int b : e.keyBits()) {
      rounds.append(rounds.length() == 0 ? "" : " then ")
          .append("INT").append(e.queryBits()).append(" x INT").append(b);
    }
    return String.format(Locale.ROOT, "Energon, %s filtering at alpha %s, attention unit %,d "
            + "INT16 MACs/cycle, %d lanes of %d x %d PEs for linear and FFN", rounds,
        e.alpha(), e.attentionMacsPerCycle(), s.hardware().lanes(),
        s.hardware().rmmu().rows(), s.hardware().rmmu().cols());
  }

  @Override
  public List<String> stages() {
    return List.of(Stage.LINEAR.label(), Stage.FILTER.label(), Stage.ATTENTION.label(),
        Stage.FFN.label());
  }

  @Override
  public DotaSettings.MaskSourceKind maskSource(SimSettings s) {
    return DotaSettings.MaskSourceKind.ENERGON;
  }

  /** Its masks are its own filter's: another {@code workload.masks.source} is refused. */
  @Override
  public void check(Config root, SimSettings s) {
    Accelerator.requireOwnMasks(root, s, name());
  }

  @Override
  public QkRule<boolean[][]> functionalMasks(SimSettings s) {
    var filter = s.energon().filter();
    return (q, k, q0, rows, allowed) -> filter.filter(q, k, q0, rows, allowed).mask();
  }

  @Override
  public Netlist assemble(SimSettings s, Simulation.Inputs in) {
    return EnergonAssembly.build(s, in.golden(), in.predictor());
  }

  @Override
  public String keptPairsBlocks() {
    return EnergonAssembly.ATTENTION;
  }

  private static long counter(RunResult r, String block, String name) {
    return r.block(block).counters().getOrDefault(name, 0L);
  }

  /** {@code filter}: per round, pairs scored (candidates in), survivors out, DRAM bytes. */
  @Override
  public void addSections(ObjectNode root, RunResult r, SimSettings s) {
    var rounds = root.putObject("filter").putArray("rounds");
    var keyBits = s.energon().keyBits();
    for (int i = 0; i < keyBits.size(); i++) {
      var n = rounds.addObject();
      n.put("round", i);
      n.put("precision", "int" + s.energon().queryBits() + " x int" + keyBits.get(i));
      n.put("pairs_scored", counter(r, EnergonAssembly.FILTER, "round" + i + ".pairs_scored"));
      n.put("survivors", counter(r, EnergonAssembly.SELECTOR, "round" + i + ".survivors"));
      n.put("dram_bytes", counter(r, EnergonAssembly.FILTER, "round" + i + ".dram_bytes"));
    }
  }

  @Override
  public String terminalLines(RunResult r, SimSettings s) {
    var sb = new StringBuilder();
    var keyBits = s.energon().keyBits();
    for (int i = 0; i < keyBits.size(); i++) {
      long in = counter(r, EnergonAssembly.FILTER, "round" + i + ".pairs_scored");
      long out = counter(r, EnergonAssembly.SELECTOR, "round" + i + ".survivors");
      sb.append(String.format(Locale.ROOT, "%-10s round %d (INT%d x INT%d): %,d pairs in, %,d "
              + "kept (%.1f%%), %,d bytes of K planes%n", i == 0 ? "filter" : "", i,
          s.energon().queryBits(), keyBits.get(i), in, out, in == 0 ? 0.0 : 100.0 * out / in,
          counter(r, EnergonAssembly.FILTER, "round" + i + ".dram_bytes")));
    }
    return sb.toString();
  }
}
