package dev.attnsim.sim.accelerators;

import dev.attnsim.actors.blocks.common.Stage;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.sim.assembly.DotaAssembly;
import com.typesafe.config.Config;
import dev.attnsim.sim.config.ConfigValidator;
import dev.attnsim.sim.config.DotaSettings;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.run.Simulation;
import java.util.List;
import java.util.Locale;

/** DOTA (seed 004, section 6): {@link DotaAssembly}; page {@code actors/docs/dota.md}. */
final class Dota implements Accelerator {

  @Override
  public String name() {
    return "dota";
  }

  @Override
  public String describe(SimSettings s) {
    var d = s.dota();
    String accel = !d.detection() ? "DOTA-F (detection off)"
        : String.format(Locale.ROOT, "DOTA, %s detection keeping %.1f%%", d.detectPrecision(),
            100 * d.keepRatio());
    return String.format(Locale.ROOT, "%s, %d lanes of %d x %d PEs", accel,
        s.hardware().lanes(), s.hardware().rmmu().rows(), s.hardware().rmmu().cols());
  }

  @Override
  public List<String> stages() {
    return List.of(Stage.LINEAR.label(), Stage.DETECTION.label(), Stage.ATTENTION.label(),
        Stage.FFN.label());
  }

  @Override
  public DotaSettings.MaskSourceKind maskSource(SimSettings s) {
    return s.dotaMaskSource();
  }

  /** Functional runs compute DSA's masks: no other mask source goes with them. */
  @Override
  public void check(Config root, SimSettings s) {
    var d = s.dota();
    if (s.functional() && d.detection() && d.maskSource() != DotaSettings.MaskSourceKind.AUTO
        && d.maskSource() != DotaSettings.MaskSourceKind.DSA) {
      throw ConfigValidator.invalid(root, "attnsim.workload.masks.source", "cannot be used "
          + "with attnsim.run.mode = functional: DOTA's detector computes dsa masks (set auto "
          + "or dsa)");
    }
  }

  @Override
  public Netlist assemble(SimSettings s, Simulation.Inputs in) {
    return DotaAssembly.build(s, in.golden(), in.predictor());
  }

  @Override
  public String keptPairsBlocks() {
    return "sched";
  }
}
