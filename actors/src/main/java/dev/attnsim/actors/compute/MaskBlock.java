package dev.attnsim.actors.compute;

/**
 * Which keys the queries of one block keep, as the hardware needs it: how many per query (the
 * work of each PE row) and how many distinct keys the block touches (the K/V rows to fetch).
 *
 * @param q0 first query of the block
 * @param kept kept keys per query, {@code kept[i]} for query {@code q0 + i}
 * @param candidates keys each query could attend to, summed over the block
 * @param unionKeys distinct keys kept by at least one query of the block
 * @param union those keys as a bit set, or null when they are all keys below {@code unionKeys}
 * @param keys functional mode: the kept keys of each query in ascending order ({@code keys[i]}
 *     for query {@code q0 + i}); null in timing mode, where only the counts matter
 */
public record MaskBlock(int layer, int head, int q0, int[] kept, long candidates, int unionKeys,
    java.util.BitSet union, int[][] keys) {

  /** A timing-mode block: counts and union only. */
  public MaskBlock(int layer, int head, int q0, int[] kept, long candidates, int unionKeys,
      java.util.BitSet union) {
    this(layer, head, q0, kept, candidates, unionKeys, union, null);
  }

  /**
   * The block of a boolean mask ({@code mask[i][j]}: query {@code q0 + i} keeps key {@code j}),
   * with its keys listed.
   *
   * @param candidates keys the block's queries could attend to, summed
   */
  public static MaskBlock of(int layer, int head, int q0, boolean[][] mask, long candidates) {
    int n = mask.length;
    int[] kept = new int[n];
    int[][] keys = new int[n][];
    var union = new java.util.BitSet();
    for (int i = 0; i < n; i++) {
      int c = 0;
      for (boolean b : mask[i]) {
        c += b ? 1 : 0;
      }
      keys[i] = new int[c];
      c = 0;
      for (int j = 0; j < mask[i].length; j++) {
        if (mask[i][j]) {
          keys[i][c++] = j;
          union.set(j);
        }
      }
      kept[i] = c;
    }
    return new MaskBlock(layer, head, q0, kept, candidates, union.cardinality(), union, keys);
  }

  /** Distinct kept keys with index {@code >= from}: the K/V rows to fetch when rows below are on chip. */
  public int unionFrom(int from) {
    if (union == null) {
      return Math.max(0, unionKeys - from);
    }
    return from >= union.length() ? 0 : union.get(Math.max(0, from), union.length()).cardinality();
  }

  public int queries() {
    return kept.length;
  }

  public long keptPairs() {
    long s = 0;
    for (int k : kept) {
      s += k;
    }
    return s;
  }
}
