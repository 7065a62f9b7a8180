package dev.attnsim.sim.config;

import com.typesafe.config.Config;

/**
 * How to run: engine, threads, seed, limits and mode ({@code attnsim.run}).
 *
 * @param tolerance functional mode: the largest relative error of an output tile that matches
 * @param accuracy judge the masks after the run when they have numbers behind them
 * @param spareCores whether work outside simulated time (answers worked out ahead, the passes
 *     over heads) may run on the common pool's threads besides the engine's
 */
public record RunSettings(long seed, EngineKind engine, int parallelism, long maxCycles,
    long maxWindowCycles, Mode mode, double tolerance, boolean accuracy, boolean spareCores) {

  /** What tiles carry. */
  public enum Mode {
    /** Shapes only. */
    TIMING,
    /** Real numbers, checked against the golden model. */
    FUNCTIONAL;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The engines a user can choose. */
  public enum EngineKind {
    ACTOR,
    SEQUENTIAL
  }

  static RunSettings from(Config c) {
    return new RunSettings(
        ConfigValidator.longIn(c, "attnsim.run.seed", Long.MIN_VALUE, Long.MAX_VALUE),
        ConfigValidator.enumOf(c, "attnsim.run.engine", EngineKind.class),
        ConfigValidator.intIn(c, "attnsim.run.parallelism", 0, 256),
        ConfigValidator.longIn(c, "attnsim.run.max-cycles", 1, Long.MAX_VALUE / 4),
        ConfigValidator.longIn(c, "attnsim.run.max-window-cycles", 1, 1L << 40),
        ConfigValidator.enumOf(c, "attnsim.run.mode", Mode.class),
        ConfigValidator.doubleIn(c, "attnsim.run.functional.tolerance", 1e-9, 1.0),
        c.getBoolean("attnsim.run.accuracy"),
        c.getBoolean("attnsim.run.spare-cores"));
  }

  /**
   * Threads for the actor engine: the configured count, or when 0 (auto) one in timing mode and
   * one per core but one in functional mode (at least one). Timing-mode events take 0.2-2 µs of
   * host time and a synchronisation window holds a few of them, so handing windows between
   * threads costs more than running blocks side by side wins (measured on 2 cores: the gemm bench
   * 0.34 s on one thread, 1.81 s on two; DOTA-C lra-text l 4096 1.63 s against 2.32 s). In
   * functional mode one core is left to the golden model's answers and the lanes' arithmetic,
   * worked out ahead on the common pool: on 2 cores a functional DOTA-C l 2048 took 5.5-6.9 s
   * on one actor thread and 5.9-8.1 s on two (six runs each, issue 13). Without spare cores
   * ({@code run.spare-cores = false}) auto is one thread: the run keeps to one core.
   */
  public int effectiveParallelism() {
    if (parallelism > 0) {
      return parallelism;
    }
    return mode == Mode.FUNCTIONAL && spareCores
        ? Math.max(1, Runtime.getRuntime().availableProcessors() - 1) : 1;
  }
}
