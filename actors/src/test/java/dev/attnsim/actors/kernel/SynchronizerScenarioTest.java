package dev.attnsim.actors.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The synchronizer and block actors inside one shared actor system (a static ActorTestKit), with
 * a TestProbe standing in for whoever waits for the run.
 */
class SynchronizerScenarioTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static Synchronizer.Done run(Netlist net, TraceSink sink) {
    var engine = new ActorEngine(2, RunLimits.DEFAULT, true);
    TestProbe<Synchronizer.Done> probe = testKit.createTestProbe();
    testKit.spawn(engine.behavior(net, engine.runners(net), sink, ProgressListener.NONE,
        new AtomicLong(), probe.getRef()));
    return probe.expectMessageClass(Synchronizer.Done.class, Duration.ofSeconds(10));
  }

  /** Same figures as the producer/consumer scenario, now reported to a probe. */
  @Test
  void stallsAreReportedToTheProbe() {
    var net = new Netlist()
        .add("src", new TestBlocks.Source(5, 1))
        .add("sink", new TestBlocks.Sink(10))
        .connect("src.out", "sink.in", 1, 2);

    Synchronizer.Done done = run(net, TraceSink.NONE);

    assertNull(done.error());
    assertEquals(RunStatus.OK, done.result().status());
    assertEquals(51, done.result().cycles());
    assertEquals(18, done.result().block("src").stallCycles());
  }

  /** Two runs side by side in one actor system do not disturb each other. */
  @Test
  void concurrentRunsInOneSystemGiveTheSequentialTraces() {
    var reference = new TestBlocks.ListSink();
    new SequentialEngine(RunLimits.DEFAULT, true)
        .run(KernelScenarioTest.fanIn(), reference, ProgressListener.NONE);
    var engineA = new ActorEngine(2, RunLimits.DEFAULT, true);
    var engineB = new ActorEngine(2, RunLimits.DEFAULT, true);
    var netA = KernelScenarioTest.fanIn();
    var netB = KernelScenarioTest.fanIn();
    var sinkA = new TestBlocks.ListSink();
    var sinkB = new TestBlocks.ListSink();
    TestProbe<Synchronizer.Done> probeA = testKit.createTestProbe();
    TestProbe<Synchronizer.Done> probeB = testKit.createTestProbe();
    testKit.spawn(engineA.behavior(netA, engineA.runners(netA), sinkA, ProgressListener.NONE,
        new AtomicLong(), probeA.getRef()));
    testKit.spawn(engineB.behavior(netB, engineB.runners(netB), sinkB, ProgressListener.NONE,
        new AtomicLong(), probeB.getRef()));

    probeA.expectMessageClass(Synchronizer.Done.class, Duration.ofSeconds(10));
    probeB.expectMessageClass(Synchronizer.Done.class, Duration.ofSeconds(10));
    assertEquals(reference.records, sinkA.records);
    assertEquals(reference.records, sinkB.records);
  }

  /** A sink that fails (a full disk, say) ends the run with that error, not a hang. */
  @Test
  void failingTraceSinkEndsTheRunWithItsError() {
    var net = new Netlist()
        .add("src", new TestBlocks.Source(5, 1))
        .add("sink", new TestBlocks.Sink(10))
        .connect("src.out", "sink.in", 1, 2);

    Synchronizer.Done done = run(net, r -> {
      throw new IllegalStateException("disk full");
    });

    assertEquals("disk full", done.error().getMessage());
    assertNull(done.result());
  }

}
