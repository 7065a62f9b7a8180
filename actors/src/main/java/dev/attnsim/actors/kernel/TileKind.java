package dev.attnsim.actors.kernel;

/** What a tile holds, in the vocabulary of a transformer layer. */
public enum TileKind {
  /** Layer input activations. */
  X,
  /** Weights. */
  W,
  Q,
  K,
  V,
  /** Both operands of one GEMM fold (a row panel of A and a column panel of B). */
  OPERANDS,
  SCORES,
  MASK,
  PROBABILITIES,
  /** A lane's partial sum, to be reduced by an accumulator. */
  PARTIAL,
  OUTPUT,
  /** Anything else (tests, synthetic pipelines). */
  DATA
}
