package dev.attnsim.sim.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.TraceSink;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.config.ConfigLoader;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.golden.GoldenModel;
import dev.attnsim.sim.run.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** What the co-processor accelerators' model tests (Energon, Sanger, FACT) share. */
final class CoprocessorRuns {
  private CoprocessorRuns() {}

  /** A timing run of {@code s}, untraced. */
  static RunResult run(SimSettings s) {
    return Simulation.engine(s).run(Simulation.assemble(s), TraceSink.NONE,
        ProgressListener.NONE);
  }

  /**
   * Preset {@code config/accelerators/<preset>.conf} on one small layer (d 128, 4 heads of 32,
   * FFN 256) of {@code seqLen} tokens on the sequential engine, then {@code more}.
   */
  static SimSettings small(String preset, int seqLen, String... more) {
    var sets = new ArrayList<>(List.of("workload.transformer.layers=1",
        "workload.transformer.d-model=128", "workload.transformer.heads=4",
        "workload.transformer.ffn-hidden=256", "workload.transformer.seq-len=" + seqLen,
        "run.engine=sequential"));
    sets.addAll(List.of(more));
    return ConfigLoader.load(null,
        List.of(TestConfigs.repo().resolve("config/accelerators/" + preset + ".conf")), sets);
  }

  /**
   * A functional run of 2 layers of {@link #small} at l 256 (4 heads x 8 query blocks of 32 per
   * layer), causal or not, checked complete: every mask and output tile, each tile within the
   * tolerance and not exact (FX16 rounds). Returns it for the accelerator's own checks.
   */
  static Functional assertFunctionalRunChecksEverything(String preset, boolean causal,
      BiFunction<SimSettings, GoldenModel, Netlist> build, String... more) {
    var sets = new ArrayList<>(List.of("run.mode=functional", "workload.transformer.layers=2",
        "workload.transformer.causal=" + causal));
    sets.addAll(List.of(more));
    var s = small(preset, 256, sets.toArray(String[]::new));
    var f = functional(s, new GoldenModel(s), build);
    assertEquals(RunStatus.OK, f.result().status(), String.join("; ", f.result().problems()));
    assertEquals(2L * 4 * 8, f.checks().masks());
    assertEquals(2L * 8, f.checks().outputs());
    assertTrue(f.checks().complete());
    assertTrue(f.checks().maxOutputError() > 0 && f.checks().maxOutputError() < 1e-3,
        "error " + f.checks().maxOutputError());
    return f;
  }

  /** A functional run's result and what its golden model checked. */
  record Functional(RunResult result, GoldenModel.Checks checks) {}

  /** A functional run of {@code s} built by {@code build} against {@code golden}. */
  static Functional functional(SimSettings s, GoldenModel golden,
      BiFunction<SimSettings, GoldenModel, Netlist> build) {
    var r = Simulation.engine(s).run(build.apply(s, golden), TraceSink.NONE,
        ProgressListener.NONE);
    return new Functional(r, golden.checks());
  }
}
