package dev.attnsim.actors.blocks.common.dram;

/**
 * A fixed set of a channel's bank indices as bits: what {@link java.util.BitSet} does for the
 * channel's searches, without its checks and its growth (a channel's banks are fixed; 16 or 32 of
 * them fit one word). The channel's round-robin search and {@code nextClock} walk these bits every
 * tick: {@code BitSet}'s own code was 8 % of a long DOTA run (issue 13).
 */
final class BankSet {
  private final long[] words;

  /** An empty set of {@code banks} banks. */
  BankSet(int banks) {
    words = new long[(banks + 63) >>> 6];
  }

  boolean get(int bank) {
    return (words[bank >>> 6] & (1L << bank)) != 0;
  }

  void set(int bank) {
    words[bank >>> 6] |= 1L << bank;
  }

  void clear(int bank) {
    words[bank >>> 6] &= ~(1L << bank);
  }

  void set(int bank, boolean member) {
    if (member) {
      set(bank);
    } else {
      clear(bank);
    }
  }

  /** Adds banks {@code [0, banks)}. */
  void setFirst(int banks) {
    for (int b = 0; b < banks; b++) {
      set(b);
    }
  }

  /** The least bank at or after {@code from} in the set, or -1. */
  int nextSetBit(int from) {
    int w = from >>> 6;
    if (w >= words.length) {
      return -1;
    }
    long word = words[w] & (-1L << from);
    while (word == 0) {
      if (++w == words.length) {
        return -1;
      }
      word = words[w];
    }
    return (w << 6) + Long.numberOfTrailingZeros(word);
  }

  /** Whether some bank is in both sets (of the same size). */
  boolean intersects(BankSet other) {
    for (int i = 0; i < words.length; i++) {
      if ((words[i] & other.words[i]) != 0) {
        return true;
      }
    }
    return false;
  }
}
