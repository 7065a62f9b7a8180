package dev.attnsim.actors.compute;

/**
 * A predictor's decision on one head's Q and K for query rows {@code [q0, q0 + rows)} over the
 * candidates {@code allowed} (null: every key): Energon's filter, Sanger's predicted mask. The
 * hardware applies it to the Q and K its lanes computed and the golden model to the same
 * numbers, so their masks can be compared exactly.
 */
@FunctionalInterface
public interface QkRule<T> {
  T apply(double[][] q, double[][] k, int q0, int rows, boolean[][] allowed);
}
