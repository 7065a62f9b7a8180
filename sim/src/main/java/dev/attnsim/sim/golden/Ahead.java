package dev.attnsim.sim.golden;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
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
  /** One piece: computed once, by whoever claims it first. */
  private static final class Piece<T> implements Runnable {
    final AtomicBoolean claimed = new AtomicBoolean();
    final CompletableFuture<T> result = new CompletableFuture<>();
    final Supplier<T> work;

    Piece(Supplier<T> work) {
      this.work = work;
    }

    @Override
    public void run() {
      if (claimed.compareAndSet(false, true)) {
        try {
          result.complete(work.get());
        } catch (Throwable t) {
          result.completeExceptionally(t);
        }
      }
    }

    T get(java.util.Queue<Piece<?>> offered) {
      run(); // not claimed yet: compute it here
      // claimed by the other thread and not done: compute other pieces meanwhile, oldest first
      for (Piece<?> other = offered.poll(); !result.isDone() && other != null;
          other = offered.poll()) {
        other.run();
      }
      try {
        return result.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw e;
      }
    }
  }

  private final Executor executor; // null: nothing ahead, every piece on the asking thread
  // pieces handed ahead and not yet asked for; lookups only, never iterated
  private final ConcurrentHashMap<Object, Piece<T>> pending = new ConcurrentHashMap<>();
  // the same pieces in the order they were offered, for an asking thread to help with
  private final java.util.Queue<Piece<?>> offered =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  Ahead(Executor executor) {
    this.executor = executor;
  }

  /**
   * Pieces on the common pool when the run may use spare cores ({@code run.spare-cores}) and the
   * machine has one, else on the asker.
   */
  static <T> Ahead<T> onSpareCores(boolean spareCores) {
    return new Ahead<>(spareCores && Runtime.getRuntime().availableProcessors() > 1
        ? java.util.concurrent.ForkJoinPool.commonPool() : null);
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
    if (executor == null) {
      return;
    }
    pending.computeIfAbsent(key, k -> {
      var p = new Piece<>(work);
      offered.add(p);
      executor.execute(p);
      return p;
    });
  }

  /** The piece {@code key}: as worked out ahead, or computed now with {@code work}. */
  T get(Object key, Supplier<T> work) {
    Piece<T> p = pending.remove(key);
    if (p == null) {
      return work.get();
    }
    offered.remove(p); // asked for: no one holds it for helping any more (its result is out)
    return p.get(offered);
  }
}
