package dev.attnsim.sim.config;

import com.typesafe.config.Config;

/** How to run: engine, threads, seed and limits ({@code attnsim.run}). */
public record RunSettings(
    long seed, EngineKind engine, int parallelism, long maxCycles, long maxWindowCycles) {

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
        ConfigValidator.longIn(c, "attnsim.run.max-window-cycles", 1, 1L << 40));
  }

  /** Threads for the actor engine: the configured count, or one per core when 0. */
  public int effectiveParallelism() {
    return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
  }
}
