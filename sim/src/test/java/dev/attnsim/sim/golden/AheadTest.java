package dev.attnsim.sim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnsim.actors.compute.SpareThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class AheadTest {

  /** Runs nothing until told: the test decides when "the other thread" gets to a piece. */
  private static final class Held implements java.util.concurrent.Executor {
    final List<Runnable> tasks = new ArrayList<>();

    @Override
    public void execute(Runnable r) {
      tasks.add(r);
    }
  }

  /** Without spare threads ({@code run.spare-cores = false}) nothing is handed ahead. */
  @Test
  void withoutSpareThreadsEveryPieceIsComputedByTheAsker() {
    Thread asker = Thread.currentThread();
    assertNull(SpareThreads.commonPool(false));
    var ahead = new Ahead<Thread>(null);
    ahead.offer("next", () -> {
      throw new AssertionError("a piece offered without spare cores ran");
    });
    assertEquals(asker, ahead.get("next", Thread::currentThread));
    var blocks = new ArrayList<Integer>();
    assertEquals(asker, ahead.block(0, 0, 0, 8, 64, 4, (q0, rows) -> {
      blocks.add(q0);
      return Thread.currentThread();
    }));
    assertEquals(List.of(0), blocks, "only the block asked for");
  }

  @Test
  void aPieceIsComputedOnceByWhoeverGetsToItFirst() {
    var runs = new AtomicIntegerArray(4);
    var other = new Held();
    var ahead = new Ahead<Integer>(new SpareThreads(other));
    for (int k = 0; k < 4; k++) {
      int key = k;
      ahead.offer(key, () -> {
        runs.incrementAndGet(key);
        return key * 10;
      });
    }
    ahead.offer(0, () -> -1); // already on its way: the first work stands
    assertEquals(4, other.tasks.size());
    other.tasks.get(1).run(); // the other thread does piece 1
    assertEquals(10, ahead.get(1, () -> -1));
    assertEquals(0, ahead.get(0, () -> -1)); // unclaimed: computed by the asker
    other.tasks.get(0).run(); // too late: nothing to do
    assertEquals(7, ahead.get(9, () -> 7)); // never offered: computed now
    for (int k = 0; k < 2; k++) {
      assertEquals(1, runs.get(k), "piece " + k);
    }
    assertEquals(30, ahead.get(3, () -> -1));
  }

  /**
   * While the other thread computes the piece asked for (held until released), the asker may
   * compute the pieces offered after it: whoever computes what, each piece runs once and every
   * answer is its own.
   */
  @Test
  void theAskerHelpsWithOtherPiecesWhileItWaits() throws Exception {
    var started = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var runs = new AtomicIntegerArray(3);
    var ahead = new Ahead<Integer>(new SpareThreads(r -> new Thread(r).start()));
    ahead.offer(0, () -> {
      started.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      runs.incrementAndGet(0);
      return 0;
    });
    started.await(10, TimeUnit.SECONDS); // piece 0 is claimed by the other thread
    new Thread(() -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      release.countDown();
    }).start();
    ahead.offer(1, () -> {
      runs.incrementAndGet(1);
      return 1;
    });
    ahead.offer(2, () -> {
      runs.incrementAndGet(2);
      return 2;
    });
    assertEquals(0, ahead.get(0, () -> -1));
    assertEquals(1, ahead.get(1, () -> -1));
    assertEquals(2, ahead.get(2, () -> -1));
    for (int k = 0; k < 3; k++) {
      assertEquals(1, runs.get(k), "piece " + k);
    }
  }

  @Test
  void aFailingPieceFailsTheAsker() {
    var other = new Held();
    var ahead = new Ahead<Integer>(new SpareThreads(other));
    ahead.offer("bad", () -> {
      throw new IllegalArgumentException("no such block");
    });
    other.tasks.get(0).run();
    var e = assertThrows(IllegalArgumentException.class, () -> ahead.get("bad", () -> 0));
    assertEquals("no such block", e.getMessage());
  }
}
