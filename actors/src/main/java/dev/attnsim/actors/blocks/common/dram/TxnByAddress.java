package dev.attnsim.actors.blocks.common.dram;

/**
 * Transactions by burst address, for look-ups only (never iterated): open addressing with linear
 * probing over a mixed hash. Burst addresses of one channel share their low bits, so {@code
 * HashMap<Long, Txn>} put them in the same bins, turned them into trees and boxed every key; this
 * map does neither.
 */
final class TxnByAddress {
  private long[] keys = new long[64];
  private DramChannel.Txn[] values = new DramChannel.Txn[64];
  private int size;

  int size() {
    return size;
  }

  DramChannel.Txn get(long address) {
    int mask = keys.length - 1;
    for (int i = slot(address, mask); values[i] != null; i = (i + 1) & mask) {
      if (keys[i] == address) {
        return values[i];
      }
    }
    return null;
  }

  boolean containsKey(long address) {
    return get(address) != null;
  }

  /** Maps {@code address} to {@code txn} (non-null), replacing any earlier value. */
  void put(long address, DramChannel.Txn txn) {
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = slot(address, mask);
    while (values[i] != null) {
      if (keys[i] == address) {
        values[i] = txn;
        return;
      }
      i = (i + 1) & mask;
    }
    keys[i] = address;
    values[i] = txn;
    size++;
  }

  void remove(long address) {
    int mask = keys.length - 1;
    int i = slot(address, mask);
    while (values[i] != null && keys[i] != address) {
      i = (i + 1) & mask;
    }
    if (values[i] == null) {
      return;
    }
    size--;
    // Backward-shift deletion keeps every probe chain unbroken without tombstones.
    int hole = i;
    for (int j = (hole + 1) & mask; values[j] != null; j = (j + 1) & mask) {
      int home = slot(keys[j], mask);
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    values[hole] = null;
  }

  private void grow() {
    long[] oldKeys = keys;
    DramChannel.Txn[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new DramChannel.Txn[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != null) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing: high bits depend on every key bit
    return (int) (h >>> 40) & mask;
  }
}
