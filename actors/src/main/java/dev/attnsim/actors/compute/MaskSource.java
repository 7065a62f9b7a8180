package dev.attnsim.actors.compute;

/**
 * Where the attention mask comes from. Timing runs need, for each block of queries, how many keys
 * each keeps and how many distinct keys the block touches. Implementations are pure and
 * deterministic: the same arguments always give the same block, in any call order.
 */
public interface MaskSource {

  /** The mask of queries {@code [q0, q0 + rows)} of one head of one layer. */
  MaskBlock block(int layer, int head, int q0, int rows);

  /** Keeps every candidate key: dense attention (DOTA-F). */
  static MaskSource dense(LayerShape shape) {
    return (layer, head, q0, rows) -> {
      int n = Math.min(rows, shape.seqLen() - q0);
      int[] kept = new int[n];
      long candidates = 0;
      for (int i = 0; i < n; i++) {
        kept[i] = shape.keysFor(q0 + i);
        candidates += kept[i];
      }
      return new MaskBlock(layer, head, q0, kept, candidates, shape.keysFor(q0 + n - 1), null);
    };
  }
}
