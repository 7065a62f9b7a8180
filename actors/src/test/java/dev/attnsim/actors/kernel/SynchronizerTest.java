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
   * Two blocks fail in one window and report in the opposite order of their failures: the run
   * ends with the earlier failure (a at cycle 3, not b at 5), its trace holds, in key order,
   * exactly the records up to and including a's failing event, and it stops at cycle 3.
   */
  @Test
  void theEarliestOfTwoFailuresInOneWindowEndsTheRun() {
    var net = new Netlist()
        .add("a", new TestBlocks.Spinner())
        .add("b", new TestBlocks.Spinner())
        .freeze();
    var engine = new ActorEngine(1, RunLimits.DEFAULT, true);
    var sink = new TestBlocks.ListSink();
    TestInbox<Synchronizer.Done> result = TestInbox.create();
    var kit = BehaviorTestKit.create(engine.behavior(net, engine.runners(net), sink,
        ProgressListener.NONE, new AtomicLong(), result.getRef()));
    long[] none = {0, 0};
    long[] noArrival = {INF, INF};

    // b reports first: it failed at (5, 1); its records at (2, 1) and (5, 1) and (6, 1).
    kit.run(new Synchronizer.WindowDone(1, 7, Long.MIN_VALUE, none, noArrival,
        List.of(busy(2, 1, "b"), busy(5, 1, "b"), busy(6, 1, "b")), 0, failure("b", 5, 1)));
    // then a: failed at (3, 0), after records at (1, 0) and (3, 0), with one at (3, 2) too.
    kit.run(new Synchronizer.WindowDone(0, 4, Long.MIN_VALUE, none, noArrival,
        List.of(busy(1, 0, "a"), busy(3, 0, "a"), busy(3, 2, "a")), 0, failure("a", 3, 0)));
    kit.run(new Synchronizer.Finished(0));
    kit.run(new Synchronizer.Finished(1));

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
