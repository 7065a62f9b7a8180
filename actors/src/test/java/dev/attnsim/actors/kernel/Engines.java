package dev.attnsim.actors.kernel;

import java.util.List;

/** The engines every scenario runs on. */
final class Engines {
  private Engines() {}

  static List<Engine> all() {
    return List.of(
        new SequentialEngine(RunLimits.DEFAULT, true),
        new ActorEngine(1, RunLimits.DEFAULT, true),
        new ActorEngine(2, RunLimits.DEFAULT, true),
        new ActorEngine(4, RunLimits.DEFAULT, true));
  }

  /** An engine of {@code template}'s kind and thread count with other limits and tracing. */
  static Engine like(Engine template, RunLimits limits, boolean tracing, long maxWindowCycles) {
    return template instanceof ActorEngine a
        ? new ActorEngine(a.parallelism(), limits, tracing, maxWindowCycles)
        : new SequentialEngine(limits, tracing);
  }
}
