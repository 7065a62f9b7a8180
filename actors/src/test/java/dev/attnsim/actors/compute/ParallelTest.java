package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

  private static void assertEachOnce(int n) {
    var runs = new AtomicIntegerArray(n);
    Parallel.forEach(n, true, runs::incrementAndGet);
    for (int i = 0; i < n; i++) {
      assertEquals(1, runs.get(i), "piece " + i + " of " + n);
    }
  }

  @Test
  void everyPieceRunsOnceWhoeverCalls() throws Exception {
    for (int n : new int[] {0, 1, 2, 7, 1000}) {
      assertEachOnce(n);
    }
    // from a thread of another fork-join pool, as an actor's thread is
    var other = new ForkJoinPool(1);
    try {
      other.submit(() -> assertEachOnce(500)).get();
    } finally {
      other.shutdown();
    }
  }

  /**
   * From inside the common pool with every worker busy (an answer worked out ahead that shares
   * its own pieces): the helpers it queued may never start, and the call still returns.
   */
  @Test
  void callersInsideABusyCommonPoolDoNotWaitForever() throws Exception {
    int workers = ForkJoinPool.getCommonPoolParallelism();
    var outer = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Void>>();
    for (int w = 0; w < workers; w++) {
      outer.add(java.util.concurrent.CompletableFuture.runAsync(() -> assertEachOnce(300),
          ForkJoinPool.commonPool()));
    }
    for (var f : outer) {
      f.get(60, java.util.concurrent.TimeUnit.SECONDS); // a deadlock fails here, not a hang
    }
  }

  /**
   * A piece failing on a helper thread fails the call too, with its own exception: the caller's
   * first piece waits until a helper has taken one (and thrown).
   */
  @Test
  void aPieceFailingElsewhereFailsTheCall() {
    Thread caller = Thread.currentThread();
    var helperRan = new java.util.concurrent.CountDownLatch(1);
    var e = assertThrows(IllegalStateException.class, () -> Parallel.forEach(100, true, i -> {
      if (Thread.currentThread() != caller) {
        helperRan.countDown();
        throw new IllegalStateException("not on the caller");
      }
      try {
        helperRan.await(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException x) {
        Thread.currentThread().interrupt();
      }
    }));
    assertEquals("not on the caller", e.getMessage());
  }

  /** Without spare cores every piece runs on the caller, in order. */
  @Test
  void withoutSpareCoresEveryPieceRunsOnTheCaller() {
    Thread caller = Thread.currentThread();
    var order = new java.util.ArrayList<Integer>();
    Parallel.forEach(200, false, i -> {
      assertEquals(caller, Thread.currentThread(), "piece " + i);
      order.add(i);
    });
    assertEquals(java.util.stream.IntStream.range(0, 200).boxed().toList(), order);
  }

  @Test
  void aFailingPieceFailsTheCall() {
    var e = assertThrows(IllegalStateException.class, () -> Parallel.forEach(100, true, i -> {
      if (i == 37) {
        throw new IllegalStateException("piece 37");
      }
    }));
    assertEquals("piece 37", e.getMessage());
  }
}
