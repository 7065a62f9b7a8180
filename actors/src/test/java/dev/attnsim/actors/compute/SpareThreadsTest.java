package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SpareThreadsTest {

  /** Waits for {@code latch} (at most 20 s), as a piece held on another thread does. */
  private static void await(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A piece that, once a thread claims it, counts {@code started} down and holds that thread
   * until {@code release}, then gives 1.
   */
  private static Deferred<Integer> holding(SpareThreads spare, CountDownLatch started,
      CountDownLatch release) {
    return spare.start(() -> {
      started.countDown();
      await(release);
      return 1;
    });
  }

  /** Counts {@code latch} down from another thread, 200 ms from now. */
  private static void releaseSoon(CountDownLatch latch) {
    new Thread(() -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      latch.countDown();
    }).start();
  }

  @Test
  void aPieceIsComputedOnceByWhoeverGetsToItFirst() {
    var held = new ArrayList<Runnable>(); // the test decides when "a spare thread" runs a piece
    var spare = new SpareThreads(held::add);
    var runs = new AtomicInteger();
    Deferred<Integer> early = spare.start(() -> runs.incrementAndGet() * 10);
    Deferred<Integer> late = spare.start(() -> 7);
    held.get(0).run(); // the spare thread gets to the first piece
    assertEquals(10, early.get());
    assertEquals(1, runs.get());
    assertEquals(7, late.get()); // unclaimed: its reader computes it
    held.get(1).run(); // too late: nothing left to do
    assertEquals(7, late.get());
    assertNull(SpareThreads.commonPool(false));
  }

  @Test
  void aFailingPieceFailsItsReaderWithItsOwnException() {
    var spare = new SpareThreads(r -> { });
    Deferred<Integer> bad = spare.start(() -> {
      throw new IllegalArgumentException("no such row");
    });
    var e = assertThrows(IllegalArgumentException.class, bad::get);
    assertEquals("no such row", e.getMessage());
    Deferred<Integer> worse = spare.start(() -> {
      throw new AssertionError("broken invariant");
    });
    assertEquals("broken invariant", assertThrows(AssertionError.class, worse::get).getMessage());
  }

  /**
   * A piece its reader has taken is no longer kept for helpers: a run reads hundreds of
   * thousands of pieces whose values the queue would otherwise hold.
   */
  @Test
  void aPieceReadIsNoLongerOffered() {
    var spare = new SpareThreads(r -> { }); // no spare thread ever gets to them
    var pieces = new ArrayList<Deferred<Integer>>();
    for (int i = 0; i < 100; i++) {
      int value = i;
      pieces.add(spare.start(() -> value));
    }
    assertEquals(100, spare.offered());
    for (int i = 0; i < 100; i++) {
      assertEquals(i, pieces.get(i).get());
    }
    assertEquals(0, spare.offered());
  }

  /**
   * A reader whose piece is in progress elsewhere computes other offered pieces meanwhile; but a
   * piece that waits for one it needs does not: the piece it might help with (an output
   * projection) can need the very piece being computed below it (the SpMM), and its thread would
   * wait for itself. Here SpMM's SDDMM is held on another thread, and the output projection that
   * reads the SpMM is offered; the SpMM waits instead of helping, and all three give their
   * values.
   */
  @Test
  void aPieceWaitingForWhatItNeedsDoesNotHelpWithPiecesThatNeedIt() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      var held = new ArrayList<Runnable>();
      var spare = new SpareThreads(held::add);
      var started = new CountDownLatch(1);
      var release = new CountDownLatch(1);
      Deferred<Integer> sddmm = holding(spare, started, release);
      var other = new Thread(held.get(0)); // claims the SDDMM and holds it
      other.start();
      started.await(20, TimeUnit.SECONDS);
      @SuppressWarnings("unchecked")
      Deferred<Integer>[] spmm = new Deferred[1];
      spmm[0] = spare.start(() -> sddmm.get() + 1);
      Deferred<Integer> projection = spare.start(() -> spmm[0].get() * 10);
      releaseSoon(release);
      held.get(1).run(); // this thread computes the SpMM, which waits for the SDDMM
      assertEquals(2, spmm[0].get());
      assertEquals(20, projection.get());
      other.join();
    });
  }

  /** A reader at the top (inside no piece) helps: the offered pieces get done meanwhile. */
  @Test
  void aReaderOutsideAnyPieceHelpsWhileItWaits() throws Exception {
    var held = new ArrayList<Runnable>(); // the test decides when "a spare thread" runs a piece
    var spare = new SpareThreads(held::add);
    var started = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var helpedOn = new ArrayList<Thread>();
    Deferred<Integer> slow = holding(spare, started, release);
    Deferred<Integer> next = spare.start(() -> {
      helpedOn.add(Thread.currentThread());
      release.countDown(); // the slow piece may finish once this one is done
      return 2;
    });
    var other = new Thread(held.get(0));
    other.start();
    started.await(20, TimeUnit.SECONDS);
    assertEquals(1, slow.get()); // waits, computing the next piece meanwhile
    assertEquals(List.of(Thread.currentThread()), helpedOn);
    assertEquals(2, next.get());
    other.join();
  }

  /**
   * A spare thread takes the oldest piece wanted soon before any wanted later; a later piece its
   * reader took is skipped, never computed twice.
   */
  @Test
  void spareThreadsTakePiecesWantedSoonFirst() {
    var held = new ArrayList<Runnable>(); // the test decides when "a spare thread" runs a task
    var spare = new SpareThreads(held::add);
    var order = new ArrayList<String>();
    spare.later(() -> order.add("later"));
    spare.start(() -> order.add("soon"));
    var runs = new AtomicInteger();
    Deferred<Integer> read = spare.later(runs::incrementAndGet);
    held.get(0).run(); // the first task: the piece wanted soon, though handed over second
    assertEquals(List.of("soon"), order);
    assertEquals(1, read.get()); // its reader computes the third piece
    held.get(1).run();
    assertEquals(List.of("soon", "later"), order);
    held.get(2).run(); // the third piece is taken: nothing left, nothing computed twice
    assertEquals(1, runs.get());
    assertEquals(0, spare.offered());
  }

  /**
   * A reader waiting for its piece helps with pieces wanted soon only: a piece wanted later (a
   * chain of ops) stays for the spare threads, however long the wait.
   */
  @Test
  void aWaitingReaderDoesNotHelpWithPiecesWantedLater() throws Exception {
    var held = new ArrayList<Runnable>();
    var spare = new SpareThreads(held::add);
    var started = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    Deferred<Integer> slow = holding(spare, started, release);
    var laterRuns = new AtomicInteger();
    Deferred<Integer> chain = spare.later(laterRuns::incrementAndGet);
    var other = new Thread(held.get(0)); // claims the slow piece and holds it
    other.start();
    started.await(20, TimeUnit.SECONDS);
    releaseSoon(release);
    assertEquals(1, slow.get()); // waits without taking the later piece
    assertEquals(0, laterRuns.get());
    held.get(1).run(); // a spare thread gets to it
    assertEquals(1, chain.get());
    assertEquals(1, laterRuns.get());
    other.join();
  }
}
