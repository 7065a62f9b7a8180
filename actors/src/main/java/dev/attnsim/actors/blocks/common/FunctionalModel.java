package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.compute.DsaPredictor;

/**
 * What a functional run computes with and is checked against, supplied by whoever builds the
 * accelerator (the {@code sim} module's golden model). Layers are the blocks' layer indices
 * ({@code layer x batch} runs); implementations map them to the workload's layers. Thread-safe:
 * every lane asks concurrently.
 */
public interface FunctionalModel {

  /**
   * One head's weights as the accelerator holds them: W_Q, W_K, W_V column slices ({@code d x
   * d_head}) and the W_O row slice ({@code d_head x d}) in FX16, and the detector (DSA's
   * projection and fitted weights; null with detection off). Never modified.
   */
  record HeadWeights(double[][] wQ, double[][] wK, double[][] wV, double[][] wO,
      DsaPredictor detector) {}

  /** The layer's input X, {@code l x d}, as the accelerator holds it (FX16). Never modified. */
  double[][] input(int layer);

  /** Head {@code head}'s weights in layer {@code layer}. */
  HeadWeights weights(int layer, int head);

  /**
   * Share of its candidates each query keeps (the selector's top-k: {@link
   * dev.attnsim.actors.compute.LayerShape#keepCounts}).
   */
  double keepRatio();

  /**
   * Where the lanes' arithmetic may run ahead of the blocks that read its results: the machine's
   * spare threads, or null to compute each op's numbers when it starts, on the block's thread.
   * The numbers are the same either way ({@link ComputeOp#value}).
   */
  default dev.attnsim.actors.compute.SpareThreads kernels() {
    return null;
  }

  /**
   * Compares the selector's mask of queries {@code [q0, q0 + keys.length)} with the golden
   * model's.
   *
   * @param tile names the tile in a failure message
   * @param keys the kept keys of each query, ascending
   * @throws FunctionalMismatch naming the tile and the first differing query and key
   */
  void checkMask(String tile, int layer, int head, int q0, int[][] keys);

  /**
   * Compares a completed attention output tile (queries {@code [q0, q0 + rows)}, all {@code d}
   * columns, FX16) with the golden model's, within the datapath's precision.
   *
   * @throws FunctionalMismatch naming the tile, its error and the tolerance
   */
  void checkOutput(String tile, int layer, int q0, double[][] output);

  /** The accelerator's numbers differ from the golden model's: the run fails. */
  final class FunctionalMismatch extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FunctionalMismatch(String message) {
      super(message);
    }
  }
}
