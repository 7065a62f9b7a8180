package dev.attnsim.actors.blocks.common.dram;

/**
 * A fixed set of a channel's bank indices as bits: what {@link java.util.BitSet} does for the
 * channel's searches, without its checks and its growth (a channel's banks are fixed; 16 or 32 of
 * them fit one word). The channel's round-robin search and {@code nextClock} walk these bits every
 * tick, a word at a time: {@code BitSet}'s own code was 8 % of a long DOTA run, and a call per
 * bank found still 6 % (issue 13).
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

  /** Word {@code i} of the set: banks {@code 64 i} to {@code 64 i + 63}, as bits. */
  long word(int i) {
    return words[i];
  }

  /**
   * The banks of {@code [from, end)} in word {@code i} as bits (0 where the word lies outside),
   * for loops that walk the set a word at a time.
   */
  long wordIn(int i, int from, int end) {
    int base = i << 6;
    if (end <= base || from >= base + 64) {
      return 0;
    }
    long bits = words[i];
    if (from > base) {
      bits &= -1L << (from - base);
    }
    if (end < base + 64) {
      bits &= (1L << (end - base)) - 1;
    }
    return bits;
  }

  /** How many words the set has. */
  int words() {
    return words.length;
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
