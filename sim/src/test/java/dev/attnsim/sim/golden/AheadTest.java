package dev.attnsim.sim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnsim.actors.compute.SpareThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Pieces by key: handed ahead once, taken by the asker; how pieces are shared out is {@code
 * SpareThreadsTest}'s. */
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
   * A mask source ahead: asking for queries 0-31 of a head hands blocks 32, 64, 96 and 128 (the
   * next four, none past l = 160) to the other thread; the next ask takes block 32 as worked out
   * there, and every block is the source's own, computed once.
   */
  @Test
  void masksAheadAreTheSourcesOwnBlocksWorkedOutOnce() {
    var shape = new dev.attnsim.actors.compute.LayerShape(160, 64, 4, 64, 8, false);
    var synthetic = new dev.attnsim.actors.compute.SyntheticMasks(shape, 7, 0.25, 2, 4, 0.5, 0.5);
    var asked = new ArrayList<Integer>();
    dev.attnsim.actors.compute.MaskSource counted = (layer, head, q0, rows) -> {
      asked.add(q0);
      return synthetic.block(layer, head, q0, rows);
    };
    var other = new Held();
    var masks = new AheadMasks(counted, 160, new SpareThreads(other));

    var first = masks.block(1, 2, 0, 32);
    assertEquals(4, other.tasks.size());
    other.tasks.get(0).run(); // the other thread works out block 32
    var second = masks.block(1, 2, 32, 32);

    assertEquals(List.of(0, 32), asked);
    for (var pair : List.of(List.of(first, synthetic.block(1, 2, 0, 32)),
        List.of(second, synthetic.block(1, 2, 32, 32)))) {
      assertEquals(pair.get(1).unionKeys(), pair.get(0).unionKeys());
      assertEquals(java.util.Arrays.toString(pair.get(1).kept()),
          java.util.Arrays.toString(pair.get(0).kept()));
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
