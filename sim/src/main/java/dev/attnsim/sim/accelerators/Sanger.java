package dev.attnsim.sim.accelerators;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import dev.attnsim.actors.blocks.common.Stage;
import dev.attnsim.actors.compute.QkRule;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.sim.assembly.SangerAssembly;
import dev.attnsim.sim.config.ConfigValidator;
import dev.attnsim.sim.config.DotaSettings;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.run.Simulation;
import java.util.List;
import java.util.Locale;

/**
 * Sanger (seed 001): {@link SangerAssembly}; page {@code actors/docs/sanger.md}. Its masks are
 * always its own predictor's, on the run's tensors.
 */
final class Sanger implements Accelerator {

  @Override
  public String name() {
    return "sanger";
  }

  @Override
  public String describe(SimSettings s) {
    var g = s.sanger();
    return String.format(Locale.ROOT, "Sanger, INT%d prediction at T %s, pack and split into "
            + "%d-wide pieces, %d x %d score-stationary array, %d lanes of %d x %d PEs for "
            + "linear and FFN", g.bits(), g.threshold(), g.pieceWidth(), g.arrayRows(),
        g.arrayCols(), s.hardware().lanes(), s.hardware().rmmu().rows(),
        s.hardware().rmmu().cols());
  }

  @Override
  public List<String> stages() {
    return List.of(Stage.LINEAR.label(), Stage.PREDICTION.label(), Stage.ATTENTION.label(),
        Stage.FFN.label());
  }

  @Override
  public DotaSettings.MaskSourceKind maskSource(SimSettings s) {
    return DotaSettings.MaskSourceKind.SANGER;
  }

  @Override
  public QkRule<boolean[][]> functionalMasks(SimSettings s) {
    return s.sanger().predictor()::mask;
  }

  /** Its masks are its own predictor's: another {@code workload.masks.source} is refused. */
  @Override
  public void check(Config root, SimSettings s) {
    Accelerator.requireOwnMasks(root, s, name());
  }

  @Override
  public Netlist assemble(SimSettings s, Simulation.Inputs in) {
    return SangerAssembly.build(s, in.golden(), in.predictor());
  }

  @Override
  public String keptPairsBlocks() {
    return SangerAssembly.ARRAY;
  }

  private static long counter(RunResult r, String block, String name) {
    return r.block(block).counters().getOrDefault(name, 0L);
  }

  /**
   * {@code prediction} (pairs scored and kept, K bytes) and {@code pack_split} (pieces, segments,
   * PE slot fill with and without pack and split, the array's passes and utilisation).
   */
  @Override
  public void addSections(ObjectNode root, RunResult r, SimSettings s) {
    var p = root.putObject("prediction");
    p.put("precision", "int" + s.sanger().bits());
    p.put("threshold", s.sanger().threshold());
    p.put("pairs_scored", counter(r, SangerAssembly.PREDICTION, "pairs_scored"));
    p.put("pairs_kept", counter(r, SangerAssembly.PREDICTION, "pairs_kept"));
    p.put("dram_bytes", counter(r, SangerAssembly.PREDICTION,
        "dram_bytes.k_int" + s.sanger().bits()));
    var f = fill(r, s);
    var k = root.putObject("pack_split");
    k.put("pieces", counter(r, SangerAssembly.PACK, "pieces"));
    k.put("pieces_kept", counter(r, SangerAssembly.PACK, "pieces_kept"));
    k.put("segments", counter(r, SangerAssembly.PACK, "segments"));
    k.put("segments_unpacked", counter(r, SangerAssembly.PACK, "segments_unpacked"));
    k.put("slot_fill", f[0]);
    k.put("slot_fill_unpacked", f[1]);
    k.put("array_passes", counter(r, SangerAssembly.ARRAY, "passes"));
    k.put("array_utilisation", f[2]);
  }

  /** PE slot fill with and without pack and split, and the array's utilisation over passes. */
  private static double[] fill(RunResult r, SimSettings s) {
    double slots = counter(r, SangerAssembly.PACK, "slots_filled");
    double cols = s.sanger().arrayCols();
    double segments = counter(r, SangerAssembly.PACK, "segments");
    double unpacked = counter(r, SangerAssembly.PACK, "segments_unpacked");
    double pe = counter(r, SangerAssembly.ARRAY, "pe_slots");
    return new double[] {segments == 0 ? 0 : slots / (segments * cols),
        unpacked == 0 ? 0 : slots / (unpacked * cols), pe == 0 ? 0 : slots / pe};
  }

  @Override
  public String terminalLines(RunResult r, SimSettings s) {
    long in = counter(r, SangerAssembly.PREDICTION, "pairs_scored");
    long out = counter(r, SangerAssembly.PREDICTION, "pairs_kept");
    var f = fill(r, s);
    return String.format(Locale.ROOT, "%-10s INT%d x INT%d, T %s: %,d pairs in, %,d kept "
            + "(%.1f%%), %,d bytes of K%n%-10s %,d segments, PE slot fill %.2f (%.2f without "
            + "pack and split), array utilisation %.2f%n", "prediction", s.sanger().bits(),
        s.sanger().bits(), s.sanger().threshold(), in, out, in == 0 ? 0.0 : 100.0 * out / in,
        counter(r, SangerAssembly.PREDICTION, "dram_bytes.k_int" + s.sanger().bits()),
        "pack", counter(r, SangerAssembly.PACK, "segments"), f[0], f[1], f[2]);
  }
}
