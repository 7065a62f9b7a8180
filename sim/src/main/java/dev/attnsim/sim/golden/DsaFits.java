package dev.attnsim.sim.golden;

import dev.attnsim.actors.compute.DsaPredictor;
import dev.attnsim.sim.config.SimSettings;
import java.util.SplittableRandom;

/**
 * The one place a head's DSA prediction path is fitted from a run's settings, so that {@code
 * attnsim accuracy}, timing runs with DSA masks and the functional co-simulation all predict
 * with the same projection and weights: {@code k = hardware.detection.sigma x d_head}, operands
 * at {@code hardware.detection.precision}, projection seeded by the run seed, layer and head.
 */
public final class DsaFits {
  private DsaFits() {}

  /** The projection's seed for one head: a function of the run seed, layer and head only. */
  public static long seed(long runSeed, int layer, int head) {
    return new SplittableRandom(runSeed).split().nextLong() + 31L * layer + head;
  }

  /** Head {@code head} of layer {@code layer}, fitted to that head's W_Q and W_K slices. */
  public static DsaPredictor fit(SimSettings s, int layer, int head, double[][] wQ,
      double[][] wK) {
    var w = s.transformer();
    return DsaPredictor.fit(wQ, wK, s.dota().predictDim(w.headDim()),
        s.dota().detectPrecision().bits(), seed(s.run().seed(), layer, head));
  }
}
