package dev.attnsim.actors.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LookaheadTest {

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
    assertEquals(9, la.horizon(1, next));
    assertEquals(6, la.horizon(0, next));
    assertEquals(9, la.horizon(2, next));
  }
}
