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
 *
 * <p>Pieces come in two kinds. Those {@link #start}ed are wanted soon (what decides timing, such
 * as a selector's mask); those started {@link #later} only at a stage's end (the sums an
 * accumulator checks, and the ops they rest on). A spare thread takes the oldest piece wanted
 * soon, else the oldest wanted later; a waiting reader helps only with pieces wanted soon, since
 * a later piece (a whole chain of ops) could keep it long after its own value is there.
 */
public final class SpareThreads {
  private final Executor executor;
  // pieces offered and not yet taken by a reader or a helper; polled and removed, never iterated
  private final Queue<Deferred<?>> offered = new ConcurrentLinkedQueue<>();
  // pieces wanted later, for the spare threads only; a piece a reader took stays until polled
  private final Queue<Deferred<?>> later = new ConcurrentLinkedQueue<>();
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

  /** {@code work} handed to the spare threads, wanted soon. */
  public <T> Deferred<T> start(Supplier<T> work) {
    return hand(work, offered);
  }

  /**
   * {@code work} handed to the spare threads, wanted only later: they take it when nothing
   * {@link #start}ed waits, and readers waiting for other pieces never help with it.
   */
  public <T> Deferred<T> later(Supplier<T> work) {
    return hand(work, later);
  }

  private <T> Deferred<T> hand(Supplier<T> work, Queue<Deferred<?>> queue) {
    HANDED_OVER.incrementAndGet();
    var d = new Deferred<>(work, this);
    queue.add(d);
    executor.execute(this::runOne); // one task a piece: each runs the most wanted piece left
    return d;
  }

  /** A spare thread's task: the oldest piece wanted soon, else the oldest wanted later. */
  private void runOne() {
    Deferred<?> d = offered.poll();
    while (d == null) {
      d = later.poll();
      if (d == null) {
        return; // its readers took them all
      }
      if (d.isClaimed()) {
        d = null;
      }
    }
    d.run();
  }

  /**
   * Pieces handed to spare threads in this JVM so far: a run that raised the count used them
   * ({@code bench} names such rows' threads {@code 1+1}).
   */
  public static long handedOver() {
    return HANDED_OVER.get();
  }

  /**
   * {@code d} is being read: no helper need take it any more. A piece wanted later stays in its
   * queue (removing it would walk a stage's worth of pieces) until a spare thread polls and skips
   * it.
   */
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
