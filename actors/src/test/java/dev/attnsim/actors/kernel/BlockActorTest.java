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
   * Two senders' batches reach the sink in the opposite order of their timestamps, and before
   * the window opens: the sink still handles them in key order (time, then link id).
   */
  @Test
  void handlesEnvelopesInKeyOrderNotMailboxOrder() {
    var sink = new TestBlocks.Sink(1, 2);
    var net = new Netlist()
        .add("a", new TestBlocks.Source(0, 1))
        .add("b", new TestBlocks.Source(0, 1))
        .add("sink", sink)
        .connect("a.out", "sink.in", 1, Link.UNBOUNDED)
        .connect("b.out", "sink.in1", 1, Link.UNBOUNDED)
        .freeze();
    var runner = new BlockRunner(net, 2, false);
    var kit = BehaviorTestKit.create(BlockActor.create(runner, 3));
    TestInbox<BlockActor.Command> peerA = TestInbox.create();
    TestInbox<BlockActor.Command> peerB = TestInbox.create();
    TestInbox<Synchronizer.Command> sync = TestInbox.create();
    kit.run(new BlockActor.Connect(List.of(peerA.getRef(), peerB.getRef(), kit.getRef()),
        sync.getRef()));

    kit.run(new BlockActor.Advance(100, 2)); // stashed: only 0 of 2 batches received
    assertEquals(List.of(), sync.getAllReceived());
    kit.run(new BlockActor.Deliver(List.of(new Envelope(9, 1, 0, 2, tile(20)))));
    kit.run(new BlockActor.Deliver(List.of(
        new Envelope(9, 0, 1, 2, tile(11)), new Envelope(5, 0, 0, 2, tile(10)))));

    assertEquals(List.of("5:in:10", "9:in:11", "9:in1:20"), sink.seen);
    var done = (Synchronizer.WindowDone) sync.receiveMessage();
    assertEquals(2, done.block());
    assertEquals(Lookahead.INF, done.nextWake());
    assertEquals(Lookahead.INF, done.nextTile());
  }
}
