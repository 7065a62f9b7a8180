package dev.attnsim.sim.assembly;

import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunResult;
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
