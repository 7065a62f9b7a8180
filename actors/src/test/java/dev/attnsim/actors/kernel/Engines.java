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
}
