package dev.attnsim.sim.accelerators;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import dev.attnsim.actors.compute.QkRule;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.sim.config.ConfigValidator;
import dev.attnsim.sim.config.DotaSettings;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.run.Simulation;
import java.util.List;

/**
 * One accelerator behind the seam every transformer run goes through: its name (the value of
 * {@code hardware.accelerator}), how it describes itself, where its masks come from, the
 * netlist it builds, its stages, and what its reports add to the common figures. {@code
 * Simulation}, the reports, {@code check} and the CLI ask {@link Accelerators} for the entry and
 * never name an accelerator. Adding one: its blocks in {@code actors/.../blocks/<name>}, its
 * settings record, an assembly, a page {@code actors/docs/<name>.md}, presets, and one line in
 * {@link Accelerators}.
 */
public interface Accelerator {

  /** The registry name, {@code hardware.accelerator}'s value. */
  String name();

  /** One phrase for the banner: what runs, with its main settings. */
  String describe(SimSettings s);

  /** The stages its busy spans are tagged with, in the order reports list them. */
  List<String> stages();

  /**
   * Which predictor's masks the run needs from the tensors (built once by {@link
   * Simulation#inputs} and judged by the accuracy pass), or null when none (dense, or masks
   * with no numbers behind them).
   */
  DotaSettings.MaskSourceKind maskSource(SimSettings s);

  /**
   * Checks what only this accelerator knows about the settings of a transformer run (for
   * example which modes and mask sources it supports), throwing a {@code ConfigError} that names
   * the key. {@code root} is the resolved config, for origins.
   */
  void check(Config root, SimSettings s);

  /**
   * The rule the golden model decides a functional run's masks with, on the Q and K the lanes
   * hold (the accelerator's own predictor), or null when the golden model knows them otherwise
   * (DOTA: DSA's detector, or dense).
   */
  default QkRule<boolean[][]> functionalMasks(SimSettings s) {
    return null;
  }

  /**
   * What {@link #functionalMasks}' rule gets as Q and K, made from the accelerator's X and one
   * head's FX16 W_Q or W_K: null (the default) for the lanes' {@code Q} and {@code K}, {@code X
   * W} rounded to FX16 per row; FACT's predictor decides before Q and K exist, from its
   * leading-one projections {@code Q^} and {@code K^}.
   */
  default java.util.function.BinaryOperator<double[][]> functionalMaskOperands(SimSettings s) {
    return null;
  }

  /**
   * For an accelerator whose masks are always its own predictor's: refuses another {@code
   * workload.masks.source}, naming the key.
   */
  static void requireOwnMasks(Config root, SimSettings s, String name) {
    if (s.dota().maskSource() != DotaSettings.MaskSourceKind.AUTO) {
      throw ConfigValidator.invalid(root, "attnsim.workload.masks.source", "cannot be used "
          + "with attnsim.hardware.accelerator = " + name + ": its masks are its own "
          + "predictor's (set auto)");
    }
  }

  /** The netlist of a transformer run, on the run's inputs. */
  Netlist assemble(SimSettings s, Simulation.Inputs in);

  /**
   * The name prefix of the blocks whose {@code kept_pairs} counters add up to the (query, key)
   * pairs attention computed, each counted once.
   */
  String keptPairsBlocks();

  /** Adds the accelerator's own figures to {@code summary.json} (none by default). */
  default void addSections(ObjectNode root, RunResult r, SimSettings s) {}

  /** Lines of its own for the terminal summary, each ending in a newline (none by default). */
  default String terminalLines(RunResult r, SimSettings s) {
    return "";
  }
}
