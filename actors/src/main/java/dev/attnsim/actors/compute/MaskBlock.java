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
 */
public record MaskBlock(int layer, int head, int q0, int[] kept, long candidates, int unionKeys,
    java.util.BitSet union) {

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
