package dev.attnsim.actors.compute;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Independent pieces of work shared between the calling thread and the common fork-join pool's
 * workers. A parallel stream started on an actor's thread forks into the actor system's pool
 * (one thread in timing mode, so it ran one piece after another); here the caller takes pieces
 * itself and the common pool's workers take the rest, whoever calls. Pieces must write disjoint
 * results: the order they run in is not fixed, so nothing order-dependent may come of it.
 */
public final class Parallel {
  private Parallel() {}

  /**
   * Runs {@code body(i)} for {@code i} in {@code [0, n)}, each exactly once, then returns; with
   * {@code spareCores} false, all on the calling thread.
   */
  public static void forEach(int n, boolean spareCores, IntConsumer body) {
    int helpers = spareCores ? Math.min(n - 1, ForkJoinPool.getCommonPoolParallelism()) : 0;
    if (helpers < 1) {
      for (int i = 0; i < n; i++) {
        body.accept(i);
      }
      return;
    }
    var next = new AtomicInteger();
    Runnable take = () -> {
      for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
        body.accept(i);
      }
    };
    var helping = new ArrayList<CompletableFuture<Void>>(helpers);
    for (int h = 0; h < helpers; h++) {
      helping.add(CompletableFuture.runAsync(take, ForkJoinPool.commonPool()));
    }
    RuntimeException failure = null;
    try {
      take.run();
    } catch (RuntimeException e) {
      next.set(n); // the helpers stop taking pieces
      failure = e;
    }
    for (var f : helping) {
      try {
        f.join();
      } catch (CompletionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : e;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
