package dev.attnsim.sim.golden;

import dev.attnsim.actors.compute.Deferred;
import dev.attnsim.actors.compute.SpareThreads;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Answers worked out ahead of the question: pure functions of the run's tensors (a query
 * block's mask, the golden model's answer) that a block will ask for shortly are handed to
 * another thread, and whoever gets to a piece first computes it: the other thread, or the asking
 * thread, which then neither waits for a backlog nor computes a piece twice; while the other
 * thread computes the piece it asked for, the asking thread computes the next ones. When and where a
 * piece is computed changes no answer, so runs stay deterministic (issue 13: these pieces were
 * most of the time of Energon's, Sanger's and FACT's timing runs and of functional runs, on the
 * simulation's one thread).
 *
 * @param <T> what a piece gives
 */
final class Ahead<T> {
  private final SpareThreads spare; // null: nothing ahead, every piece on the asking thread
  // pieces handed ahead and not yet asked for; lookups only, never iterated
  private final ConcurrentHashMap<Object, Deferred<T>> pending = new ConcurrentHashMap<>();

  /** Pieces handed to {@code spare} (null: none, every piece computed when asked for). */
  Ahead(SpareThreads spare) {
    this.spare = spare;
  }

  /** Query blocks of {@code rows} queries (the last cut at the sequence) of one head. */
  interface Blocks<T> {
    T compute(int q0, int rows);
  }

  /** A query block of one head of one run layer: the key of its piece. */
  record BlockKey(int layer, int head, int q0, int rows) {}

  /**
   * The block {@code [q0, q0 + rows)} of head {@code (layer, head)}, after handing the next
   * {@code count} blocks of {@code rows} (up to {@code seqLen}) to the other thread.
   */
  T block(int layer, int head, int q0, int rows, int seqLen, int count, Blocks<T> blocks) {
    for (int j = 1; j <= count && q0 + j * rows < seqLen; j++) {
      int q = q0 + j * rows;
      int n = Math.min(rows, seqLen - q);
      offer(new BlockKey(layer, head, q, n), () -> blocks.compute(q, n));
    }
    int n = Math.min(rows, seqLen - q0);
    return get(new BlockKey(layer, head, q0, n), () -> blocks.compute(q0, n));
  }

  /**
   * Hands the piece {@code key} (a value with {@code equals}, naming everything the piece depends
   * on) to the other thread, unless it is already on its way.
   */
  void offer(Object key, Supplier<T> work) {
    if (spare == null) {
      return;
    }
    pending.computeIfAbsent(key, k -> spare.start(work));
  }

  /** The piece {@code key}: as worked out ahead, or computed now with {@code work}. */
  T get(Object key, Supplier<T> work) {
    Deferred<T> p = pending.remove(key);
    return p == null ? work.get() : p.get();
  }
}
