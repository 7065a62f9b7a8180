package dev.attnsim.actors.blocks.common.dram;

/**
 * Data-bus spans waiting to be reported, smallest {@code (start, end, write)} first: a binary
 * heap over two {@code long} arrays, so that a burst costs no allocation and no comparator chain.
 */
final class SpanHeap {
  private long[] start = new long[64];
  private long[] endKind = new long[64]; // end * 2 + (write ? 1 : 0): orders by end, then kind
  private int size;

  boolean isEmpty() {
    return size == 0;
  }

  void add(long startCycle, long endCycle, boolean write) {
    if (size == start.length) {
      start = java.util.Arrays.copyOf(start, size * 2);
      endKind = java.util.Arrays.copyOf(endKind, size * 2);
    }
    long s = startCycle;
    long e = endCycle * 2 + (write ? 1 : 0);
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(s, e, start[parent], endKind[parent])) {
        break;
      }
      start[i] = start[parent];
      endKind[i] = endKind[parent];
      i = parent;
    }
    start[i] = s;
    endKind[i] = e;
  }

  long peekStart() {
    return start[0];
  }

  long peekEnd() {
    return endKind[0] >> 1;
  }

  boolean peekWrite() {
    return (endKind[0] & 1) == 1;
  }

  void poll() {
    long s = start[--size];
    long e = endKind[size];
    int i = 0;
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && less(start[right], endKind[right], start[child], endKind[child])) {
        child = right;
      }
      if (!less(start[child], endKind[child], s, e)) {
        break;
      }
      start[i] = start[child];
      endKind[i] = endKind[child];
      i = child;
    }
    start[i] = s;
    endKind[i] = e;
  }

  private static boolean less(long s1, long e1, long s2, long e2) {
    return s1 < s2 || (s1 == s2 && e1 < e2);
  }
}
