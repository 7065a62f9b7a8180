package dev.attnsim.actors.compute;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

/**
 * Threads beside a simulation's own that take pure work off it: each piece is a {@link Deferred}
 * handed to the executor, and computed once by whoever gets to it first. A reader that finds its
 * piece in progress on another thread computes other pieces offered here meanwhile, oldest
 * first, instead of waiting idle; so the work shares itself out between the simulation's thread
 * and the spare ones whichever is behind (issue 13: the golden model's answers and the lanes'
 * arithmetic of a functional run).
 */
public final class SpareThreads {
  private final Executor executor;
  // pieces offered and not yet taken by a reader or a helper; polled and removed, never iterated
  private final Queue<Deferred<?>> offered = new ConcurrentLinkedQueue<>();
  /** Pieces handed over in this JVM, by any instance: whether a run used spare threads. */
  private static final java.util.concurrent.atomic.AtomicLong HANDED_OVER =
      new java.util.concurrent.atomic.AtomicLong();

  public SpareThreads(Executor executor) {
    this.executor = java.util.Objects.requireNonNull(executor, "executor");
  }

  /**
   * Whether a run may use spare threads: {@code allowed} (a run's {@code run.spare-cores}) and
   * the machine has a core to spare.
   */
  public static boolean available(boolean allowed) {
    return allowed && Runtime.getRuntime().availableProcessors() > 1;
  }

  /**
   * The common pool's threads when they are {@link #available}, else null: no spare threads,
   * every piece on its reader.
   */
  public static SpareThreads commonPool(boolean allowed) {
    return available(allowed) ? new SpareThreads(ForkJoinPool.commonPool()) : null;
  }

  /** {@code work} handed to the spare threads. */
  public <T> Deferred<T> start(Supplier<T> work) {
    HANDED_OVER.incrementAndGet();
    var d = new Deferred<>(work, this);
    offered.add(d);
    executor.execute(d);
    return d;
  }

  /**
   * Pieces handed to spare threads in this JVM so far: a run that raised the count used them
   * ({@code bench} names such rows' threads {@code 1+1}).
   */
  public static long handedOver() {
    return HANDED_OVER.get();
  }

  /** {@code d} is being read: no helper need take it any more. */
  void withdraw(Deferred<?> d) {
    offered.remove(d);
  }

  /** Pieces offered and not yet taken by a reader or a helper (tests). */
  int offered() {
    return offered.size();
  }

  /** Computes offered pieces, oldest first, until {@code awaited} is done or none is left. */
  void helpUntil(Deferred<?> awaited) {
    for (Deferred<?> other = offered.poll(); !awaited.isDone() && other != null;
        other = offered.poll()) {
      other.run();
    }
  }
}
