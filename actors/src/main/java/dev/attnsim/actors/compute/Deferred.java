package dev.attnsim.actors.compute;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A value computed once, by whoever gets to it first: one of the {@link SpareThreads} it was
 * handed to, or its first reader, which then neither waits for their backlog nor computes the
 * value twice. Only for pure work (a function of values that no longer change), so when and
 * where it runs changes nothing of the result, and runs stay deterministic.
 *
 * @param <T> the value
 */
public final class Deferred<T> implements Runnable {
  private final AtomicBoolean claimed = new AtomicBoolean();
  private final CompletableFuture<T> result = new CompletableFuture<>();
  // dropped once computed: the operands it holds (a chain of earlier pieces' values) can go
  private Supplier<T> work;
  private final SpareThreads owner;
  /**
   * How many pieces the thread is computing, one inside another. A thread helps with other pieces
   * only while it computes none: a piece helped in under one still being computed could need that
   * one (an output projection under the SpMM it reads), and would wait for its own thread. Without
   * that, a thread waits only for what its own pieces need, which never leads back to them.
   */
  private static final ThreadLocal<int[]> COMPUTING = ThreadLocal.withInitial(() -> new int[1]);

  Deferred(Supplier<T> work, SpareThreads owner) {
    this.work = java.util.Objects.requireNonNull(work, "work");
    this.owner = java.util.Objects.requireNonNull(owner, "owner");
  }

  /** Computes the value unless someone has claimed it already. */
  @Override
  public void run() {
    if (claimed.compareAndSet(false, true)) {
      int[] depth = COMPUTING.get();
      depth[0]++;
      try {
        result.complete(work.get());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      } finally {
        work = null; // only the thread that claimed it reads it
        depth[0]--;
      }
    }
  }

  /** Whether someone has started computing it (or has computed it). */
  boolean isClaimed() {
    return claimed.get();
  }

  /** Whether the value (or its failure) is there. */
  boolean isDone() {
    return result.isDone();
  }

  /**
   * The value: computed here if no one has claimed it; else, while the thread that claimed it
   * works, other pieces offered to the same {@link SpareThreads} are computed here (unless this
   * thread is inside a piece of its own), then the value is waited for. The work's exception is
   * rethrown as it was thrown.
   */
  public T get() {
    owner.withdraw(this);
    run();
    if (!isDone() && COMPUTING.get()[0] == 0) {
      owner.helpUntil(this);
    }
    return join();
  }

  /** Waits for the value of work someone has claimed. */
  private T join() {
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
