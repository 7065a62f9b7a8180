package dev.attnsim.actors.compute;

/**
 * The shape of one transformer encoder (or decoder) layer as the hardware sees it.
 *
 * @param seqLen tokens l
 * @param dModel hidden size d
 * @param heads attention heads h; head size {@code d / h}
 * @param ffnHidden FFN inner size (usually 4 d)
 * @param predictDim DSA's projected size k of the prediction path, per head
 * @param causal decoders: query i attends to keys 0..i only
 */
public record LayerShape(
    int seqLen, int dModel, int heads, int ffnHidden, int predictDim, boolean causal) {

  public LayerShape {
    if (seqLen < 1 || dModel < 1 || heads < 1 || ffnHidden < 1 || predictDim < 1) {
      throw new IllegalArgumentException("layer dimensions must be >= 1: l=" + seqLen + " d="
          + dModel + " h=" + heads + " ffn=" + ffnHidden + " k=" + predictDim);
    }
    if (dModel % heads != 0) {
      throw new IllegalArgumentException(
          "d_model " + dModel + " is not a multiple of the " + heads + " heads");
    }
  }

  public int headDim() {
    return dModel / heads;
  }

  /** Keys query {@code q} may attend to before any sparsity. */
  public int keysFor(int q) {
    return causal ? q + 1 : seqLen;
  }

  /** Candidate keys of queries {@code [q0, q0 + rows)}, summed. */
  public long candidates(int q0, int rows) {
    long c = 0;
    for (int i = 0; i < rows; i++) {
      c += keysFor(q0 + i);
    }
    return c;
  }

  /**
   * Keys each query of {@code [q0, q0 + rows)} keeps at a keep ratio: {@link
   * OracleTopK#keepCount} of its candidates, so a causal query near the start keeps fewer.
   */
  public int[] keepCounts(double ratio, int q0, int rows) {
    int[] k = new int[rows];
    for (int i = 0; i < rows; i++) {
      k[i] = OracleTopK.keepCount(ratio, keysFor(q0 + i));
    }
    return k;
  }

  /** (query, key) pairs of one head before any sparsity. */
  public long densePairs() {
    return causal ? (long) seqLen * (seqLen + 1) / 2 : (long) seqLen * seqLen;
  }
}
