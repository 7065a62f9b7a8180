package dev.attnsim.actors.compute;

/**
 * Which keys the queries of one block keep, as the hardware needs it: how many per query (the
 * work of each PE row) and how many distinct keys the block touches (the K/V rows to fetch).
 *
 * @param q0 first query of the block
 * @param kept kept keys per query, {@code kept[i]} for query {@code q0 + i}
 * @param candidates keys each query could attend to, summed over the block
 * @param unionKeys distinct keys kept by at least one query of the block
 */
public record MaskBlock(int layer, int head, int q0, int[] kept, long candidates, int unionKeys) {

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
