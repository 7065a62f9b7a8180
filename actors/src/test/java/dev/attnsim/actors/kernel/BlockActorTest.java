package dev.attnsim.actors.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.BehaviorTestKit;
import akka.actor.testkit.typed.javadsl.TestInbox;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The actor wrapper on its own, driven message by message. */
class BlockActorTest {

  private static Tile tile(long id) {
    return Tile.of(id, TileKind.DATA, Precision.INT8, 1, 1, 1);
  }

  /**
   * Two senders' envelopes reach the sink in the opposite order of their timestamps: the sink
   * still handles them in key order (time, then link id), and reports what it did.
   */
  @Test
  void handlesEnvelopesInKeyOrderNotDeliveryOrder() {
    var sink = new TestBlocks.Sink(1, 2);
    var net = new Netlist()
        .add("a", new TestBlocks.Source(0, 1))
        .add("b", new TestBlocks.Source(0, 1))
        .add("sink", sink)
        .connect("a.out", "sink.in", 1, Link.UNBOUNDED)
        .connect("b.out", "sink.in1", 1, Link.UNBOUNDED)
        .freeze();
    var runner = new BlockRunner(net, 2, false);
    var kit = BehaviorTestKit.create(BlockActor.create(runner));
    TestInbox<Synchronizer.Command> sync = TestInbox.create();
    kit.run(new BlockActor.Connect(sync.getRef(), distTo(net, runner.index())));

    kit.run(new BlockActor.Advance(100, List.of(new Envelope(9, 1, 0, 2, tile(20)),
        new Envelope(9, 0, 1, 2, tile(11)), new Envelope(5, 0, 0, 2, tile(10))), NOT_ALONE,
        Lookahead.INF));

    assertEquals(List.of("5:in:10", "9:in:11", "9:in1:20"), sink.seen);
    var done = (Synchronizer.WindowDone) sync.receiveMessage();
    assertEquals(2, done.block());
    assertEquals(Lookahead.INF, done.nextWake());
    assertEquals(Lookahead.INF, done.nextTile());
    assertEquals(List.of(), done.sent());
  }

  private static final long NOT_ALONE = Long.MIN_VALUE;

  /** {@code dist[p][b]} for every block {@code p}, as the synchronizer hands it over. */
  private static long[] distTo(Netlist net, int b) {
    var la = new Lookahead(net);
    long[] d = new long[net.blockCount()];
    for (int p = 0; p < d.length; p++) {
      d[p] = la.dist(p, b);
    }
    return d;
  }

  /**
   * Alone in its window, a block runs on past its end up to the others' bound, lowered by what
   * it sends (a tile arriving at x could be answered by a credit at x + 1), and its own emit plus
   * its shortest cycle: here a source of 5 tiles, one a cycle, 2 cycles from a sink that returns
   * credits in 1 (its cycle: 3). Given the window [0, 1), it handles cycles 0 to 2: its first
   * tile arrives at 2, so nothing can reach it before 3. Not alone, it stops at its end.
   */
  @Test
  void aBlockAloneRunsOnWhileNothingItSentCanComeBack() {
    assertEquals(List.of(2L, 3L, 4L), sentAlone(Lookahead.INF, Lookahead.INF));
    // the others' bound and the cap hold it back as well
    assertEquals(List.of(2L, 3L), sentAlone(2, Lookahead.INF));
    assertEquals(List.of(2L, 3L), sentAlone(Lookahead.INF, 2));
    assertEquals(List.of(2L), sentAlone(NOT_ALONE, Lookahead.INF));
  }

  /** Arrival times of what the source sends in the window [0, 1) with {@code others}. */
  private static List<Long> sentAlone(long others, long cap) {
    var net = new Netlist()
        .add("src", new TestBlocks.Source(5, 1))
        .add("sink", new TestBlocks.Sink(5, 1))
        .connect("src.out", "sink.in", 2, 5, 1)
        .freeze();
    var kit = BehaviorTestKit.create(BlockActor.create(new BlockRunner(net, 0, false)));
    TestInbox<Synchronizer.Command> sync = TestInbox.create();
    kit.run(new BlockActor.Connect(sync.getRef(), distTo(net, 0)));
    kit.run(new BlockActor.Advance(1, List.of(), others, cap));
    var done = (Synchronizer.WindowDone) sync.receiveMessage();
    return done.sent().stream().map(Envelope::time).toList();
  }

  /** What a window sends leaves with its report, and the next window starts with nothing. */
  @Test
  void reportsWhatItSentWithTheWindow() {
    var net = new Netlist()
        .add("src", new TestBlocks.Source(3, 1))
        .add("sink", new TestBlocks.Sink(3, 1))
        .connect("src.out", "sink.in", 2, Link.UNBOUNDED)
        .freeze();
    var runner = new BlockRunner(net, 0, false);
    var kit = BehaviorTestKit.create(BlockActor.create(runner));
    TestInbox<Synchronizer.Command> sync = TestInbox.create();
    kit.run(new BlockActor.Connect(sync.getRef(), distTo(net, runner.index())));

    kit.run(new BlockActor.Advance(1, List.of(), NOT_ALONE, Lookahead.INF));
    var first = (Synchronizer.WindowDone) sync.receiveMessage();
    kit.run(new BlockActor.Advance(Lookahead.INF, List.of(), NOT_ALONE, Lookahead.INF));
    var second = (Synchronizer.WindowDone) sync.receiveMessage();

    // tiles leave at cycles 0, 1, 2 and arrive 2 cycles later, all for the sink (block 1)
    assertEquals(List.of(2L), first.sent().stream().map(Envelope::time).toList());
    assertEquals(List.of(3L, 4L), second.sent().stream().map(Envelope::time).toList());
    assertEquals(List.of(1, 1, 1), java.util.stream.Stream.concat(first.sent().stream(),
        second.sent().stream()).map(Envelope::dest).toList());
    assertEquals(1, first.nextWake());
    assertEquals(Lookahead.INF, second.nextWake());
  }
}
