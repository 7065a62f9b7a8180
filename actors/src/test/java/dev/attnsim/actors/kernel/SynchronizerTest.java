package dev.attnsim.actors.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import akka.actor.testkit.typed.javadsl.BehaviorTestKit;
import akka.actor.testkit.typed.javadsl.TestInbox;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The synchronizer on its own, driven message by message (BehaviorTestKit): the block actors it
 * spawns are inboxes, so the test decides in which order their reports arrive.
 */
class SynchronizerTest {
  private static final long INF = Lookahead.INF;

  private static BlockRunner.Keyed busy(long time, int channel, String block) {
    return new BlockRunner.Keyed(time, channel, 0,
        new TraceRecord.Busy(time, block, time, time + 1, "op", null, 0, null));
  }

  private static BlockFailure failure(String block, long time, int channel) {
    return new BlockFailure(block, new Envelope(time, channel, 0, 0, null),
        new IllegalStateException("broken at " + time));
  }

  /**
   * Three blocks fail in one window and report in another order than their failures': b (at
   * cycle 5), a (3), c (4). The run ends with the earliest, a's: its trace holds, in key order,
   * exactly the records up to and including a's failing event, and it stops at cycle 3.
   */
  @Test
  void theEarliestOfSeveralFailuresInOneWindowEndsTheRun() {
    var net = new Netlist()
        .add("a", new TestBlocks.Spinner())
        .add("b", new TestBlocks.Spinner())
        .add("c", new TestBlocks.Spinner())
        .freeze();
    var engine = new ActorEngine(1, RunLimits.DEFAULT, true);
    var sink = new TestBlocks.ListSink();
    TestInbox<Synchronizer.Done> result = TestInbox.create();
    var kit = BehaviorTestKit.create(engine.behavior(net, engine.runners(net), sink,
        ProgressListener.NONE, new AtomicLong(), result.getRef()));

    kit.run(new Synchronizer.WindowDone(1, 7, INF, Long.MIN_VALUE, List.of(),
        List.of(busy(2, 1, "b"), busy(5, 1, "b"), busy(6, 1, "b")), 0, failure("b", 5, 1)));
    kit.run(new Synchronizer.WindowDone(0, 4, INF, Long.MIN_VALUE, List.of(),
        List.of(busy(1, 0, "a"), busy(3, 0, "a"), busy(3, 2, "a")), 0, failure("a", 3, 0)));
    kit.run(new Synchronizer.WindowDone(2, 5, INF, Long.MIN_VALUE, List.of(),
        List.of(busy(4, 2, "c")), 0, failure("c", 4, 2)));
    for (int b = 0; b < 3; b++) {
      kit.run(new Synchronizer.Finished(b));
    }

    var done = result.receiveMessage();
    assertNull(done.error());
    assertEquals(RunStatus.ABORTED, done.result().status());
    assertEquals(List.of("block a failed at cycle 3: IllegalStateException (broken at 3)"),
        done.result().problems());
    assertEquals(3, done.result().cycles());
    assertEquals(List.of(busy(1, 0, "a").record(), busy(2, 1, "b").record(),
        busy(3, 0, "a").record()), sink.records);
  }
}
