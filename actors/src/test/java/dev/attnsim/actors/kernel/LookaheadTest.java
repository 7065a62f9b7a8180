package dev.attnsim.actors.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LookaheadTest {

  /** {@code min emit[p] + dist[p][b]} over every block, as the definition reads. */
  private static long full(Lookahead la, int b, long[] emit) {
    long h = Lookahead.INF;
    for (int p = 0; p < emit.length; p++) {
      if (emit[p] != Lookahead.INF && la.dist(p, b) != Lookahead.INF) {
        h = Math.min(h, emit[p] + la.dist(p, b));
      }
    }
    return h;
  }

  @Test
  void distancesFollowDataAndCreditPaths() {
    var net = new Netlist()
        .add("a", new TestBlocks.Source(1, 1))
        .add("r", new TestBlocks.Relay())
        .add("z", new TestBlocks.Sink(1))
        .connect("a.out", "r.in", 3, 2, 2)
        .connect("r.out", "z.in", 5, Link.UNBOUNDED)
        .freeze();
    var la = new Lookahead(net);

    assertEquals(3, la.dist(0, 1));
    assertEquals(8, la.dist(0, 2));
    assertEquals(2, la.dist(1, 0));
    assertEquals(5, la.dist(0, 0)); // a -> r -> credit back to a
    assertEquals(Lookahead.INF, la.dist(2, 0)); // unbounded link: no credit path back
    assertEquals(Lookahead.INF, la.dist(2, 2));
    assertEquals(2, net.minLatency());

    long inf = Lookahead.INF;
    // a has an event at 10, r at 4: r's cycle via a's credit (4 + 2 + 3) bounds r; z hears at 4 + 5.
    long[] next = {10, 4, inf};
    assertEquals(9, full(la, 1, next));
    assertEquals(6, full(la, 0, next));
    assertEquals(9, full(la, 2, next));
    assertEquals(9, la.horizon(1, next, Long.MIN_VALUE, Long.MIN_VALUE));
    // the pruned search gives the same when asked with the window's start and a next event
    assertEquals(9, la.horizon(1, next, 4, 4));
    assertEquals(6, la.horizon(0, next, 4, 4));
    assertTrue(la.horizon(0, next, 4, 10) <= 10, "a block whose next event is at 10 waits");
  }

  /**
   * On random netlists and emit times, the pruned horizon is the full minimum whenever it is
   * above the block's next event, and at most that event otherwise, so the same blocks take
   * part in a window with the same ends.
   */
  @Test
  void thePrunedHorizonDecidesAsTheFullMinimum() {
    var rnd = new java.util.SplittableRandom(13);
    for (int trial = 0; trial < 300; trial++) {
      int n = 2 + rnd.nextInt(10);
      var net = new Netlist();
      for (int b = 0; b < n; b++) {
        net.add("b" + b, new TestBlocks.Relay());
      }
      // a ring keeps every port connected once; its latencies and credits vary
      for (int b = 0; b < n; b++) {
        net.connect("b" + b + ".out", "b" + (b + 1) % n + ".in", 1 + rnd.nextInt(6),
            rnd.nextInt(3) == 0 ? Link.UNBOUNDED : 1 + rnd.nextInt(3), 1 + rnd.nextInt(6));
      }
      net.freeze();
      var la = new Lookahead(net);
      long t = rnd.nextInt(100);
      long[] emit = new long[n];
      long[] next = new long[n];
      for (int b = 0; b < n; b++) {
        boolean idle = rnd.nextInt(4) == 0;
        next[b] = idle ? Lookahead.INF : t + rnd.nextInt(20);
        emit[b] = idle ? Lookahead.INF : next[b] + rnd.nextInt(3) * rnd.nextInt(10);
      }
      for (int b = 0; b < n; b++) {
        long full = full(la, b, emit);
        long pruned = la.horizon(b, emit, t, next[b]);
        if (next[b] < full) {
          assertEquals(full, pruned, "trial " + trial + " block " + b);
        } else {
          assertTrue(pruned <= next[b], "trial " + trial + " block " + b);
        }
      }
    }
  }
}
