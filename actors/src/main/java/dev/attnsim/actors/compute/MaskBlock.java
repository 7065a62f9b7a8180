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
   * <p>A row is first packed into words of 64 keys without a branch per key, and its kept keys
   * are then read off the words' set bits; the union is or-ed in a word at a time.
   * Which keys a row keeps is a coin toss for the branch predictor; the two passes with a branch
   * before were 7-9 % of both threads' time in a functional DOTA run (issue 13).
   *
   * @param candidates keys the block's queries could attend to, summed
   */
  public static MaskBlock of(int layer, int head, int q0, boolean[][] mask, long candidates) {
    int n = mask.length;
    int width = 0;
    for (boolean[] row : mask) {
      width = Math.max(width, row.length);
    }
    int[] kept = new int[n];
    int[][] keys = new int[n][];
    long[] words = new long[(width + 63) >>> 6];
    long[] rowWords = new long[words.length];
    for (int i = 0; i < n; i++) {
      boolean[] row = mask[i];
      int c = 0;
      for (int w = 0; w < row.length; w += 64) {
        int end = Math.min(row.length, w + 64);
        long bits = 0;
        for (int j = w; j < end; j++) {
          bits |= (row[j] ? 1L : 0L) << j; // the shift is taken mod 64
        }
        rowWords[w >>> 6] = bits;
        words[w >>> 6] |= bits;
        c += Long.bitCount(bits);
      }
      int[] k = new int[c];
      c = 0;
      for (int w = 0, used = (row.length + 63) >>> 6; w < used; w++) {
        for (long bits = rowWords[w]; bits != 0; bits &= bits - 1) {
          k[c++] = (w << 6) + Long.numberOfTrailingZeros(bits);
        }
      }
      keys[i] = k;
      kept[i] = c;
    }
    var union = java.util.BitSet.valueOf(words);
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
