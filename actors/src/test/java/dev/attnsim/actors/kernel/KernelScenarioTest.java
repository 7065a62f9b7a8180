package dev.attnsim.actors.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.kernel.TestBlocks.ListSink;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole runs of small netlists, on every engine, with figures worked out by hand. */
class KernelScenarioTest {

  static List<Engine> engines() {
    return Engines.all();
  }

  /** The engines held to the sequential engine's results (the sequential engine itself aside). */
  static List<Engine> actorEngines() {
    return Engines.all().stream().filter(e -> e instanceof ActorEngine).toList();
  }

  /**
   * Source emits 5 tiles, one per cycle, into a sink that needs 10 cycles each, over a link of
   * latency 1 and depth 2 (credits return in 1 cycle). Worked timeline: tiles leave at 0, 1, 2,
   * then the source stalls over [3, 12) and [13, 22) while the sink frees slots at 11 and 21;
   * the sink starts tiles at 1, 11, 21, 31, 41 and finishes at 51.
   */
  @ParameterizedTest
  @MethodSource("engines")
  void fastProducerStallsOnSlowConsumerExactly(Engine engine) {
    var net = new Netlist()
        .add("src", new TestBlocks.Source(5, 1))
        .add("sink", new TestBlocks.Sink(10))
        .connect("src.out", "sink.in", 1, 2);
    var trace = new ListSink();

    RunResult r = engine.run(net, trace, ProgressListener.NONE);

    assertEquals(RunStatus.OK, r.status());
    assertEquals(51, r.cycles());
    assertEquals(18, r.block("src").stallCycles());
    assertEquals(5, r.block("src").busyCycles());
    assertEquals(50, r.block("sink").busyCycles());
    assertEquals(51 - 50, r.block("sink").idleCycles(r.cycles()));
    assertEquals(51 - 5 - 18, r.block("src").idleCycles(r.cycles()));
    var stalls = trace.records.stream()
        .filter(x -> x instanceof TraceRecord.Stall)
        .map(x -> (TraceRecord.Stall) x)
        .map(s -> s.start() + "-" + s.end())
        .toList();
    assertEquals(List.of("3-12", "13-22"), stalls);
    var sends = trace.records.stream()
        .filter(x -> x instanceof TraceRecord.Send)
        .map(TraceRecord::time)
        .toList();
    assertEquals(List.of(0L, 1L, 2L, 12L, 22L), sends);
  }

  /** Two blocks that each fill the other's FIFO and never read: a deadlock naming both. */
  @ParameterizedTest
  @MethodSource("engines")
  void creditCycleEndsAsDeadlockNamingTheBlocks(Engine engine) {
    var net = new Netlist()
        .add("a", new TestBlocks.Hoarder())
        .add("b", new TestBlocks.Hoarder())
        .connect("a.out", "b.in", 2, 2)
        .connect("b.out", "a.in", 3, 2);

    RunResult r = engine.run(net, TraceSink.NONE, ProgressListener.NONE);

    assertEquals(RunStatus.DEADLOCK, r.status());
    assertEquals(2, r.problems().size());
    assertEquals("a: 2 tile(s) queued at in (oldest tile 4294967296, DATA); "
        + "waiting for a credit on out -> b since cycle 0", r.problems().get(0));
    assertEquals("b: 2 tile(s) queued at in (oldest tile 0, DATA); "
        + "waiting for a credit on out -> a since cycle 0", r.problems().get(1));
    assertEquals(3, r.cycles());
    assertEquals(3, r.block("a").stallCycles());
  }

  @ParameterizedTest
  @MethodSource("engines")
  void throwingBlockAbortsTheRunNamingIt(Engine engine) {
    var net = new Netlist()
        .add("src", new TestBlocks.Source(10, 4))
        .add("checker", new TestBlocks.Faulty(3))
        .connect("src.out", "checker.in", 2, 4);

    RunResult r = engine.run(net, TraceSink.NONE, ProgressListener.NONE);

    assertEquals(RunStatus.ABORTED, r.status());
    assertEquals(List.of("block checker failed at cycle 10: IllegalStateException "
        + "(parity error in tile 3)"), r.problems());
  }

  /**
   * A stop request (Ctrl-C) ends the run interrupted, at a point where its records are a prefix
   * of the whole run's; a run nobody asks to stop is unchanged.
   */
  @ParameterizedTest
  @MethodSource("engines")
  void aStopRequestEndsTheRunInterruptedWithAPrefixOfItsRecords(Engine template) {
    var fullSink = new TestBlocks.ListSink();
    Engine whole = Engines.like(template, RunLimits.DEFAULT, true, 1 << 20);
    RunResult full = whole.run(stopAt(null, 0), fullSink, ProgressListener.NONE);
    assertEquals(RunStatus.OK, full.status());

    Engine engine = Engines.like(template, RunLimits.DEFAULT, true, 4);
    var sink = new TestBlocks.ListSink();
    RunResult r = engine.run(stopAt(engine, 30), sink, ProgressListener.NONE);
    assertEquals(RunStatus.INTERRUPTED, r.status());
    assertEquals(1, r.problems().size());
    assertTrue(r.problems().get(0).startsWith("interrupted at cycle "), r.problems().get(0));
    assertTrue(r.cycles() >= 30 && r.cycles() < full.cycles(), r.cycles() + " of " + full.cycles());
    assertTrue(!sink.records.isEmpty() && sink.records.size() < fullSink.records.size());
    assertEquals(fullSink.records.subList(0, sink.records.size()), sink.records,
        "the interrupted run's records are the whole run's first ones");

    Engine early = Engines.like(template, RunLimits.DEFAULT, true, 4);
    early.requestStop(); // before the run starts: it stops at once
    assertEquals(RunStatus.INTERRUPTED, early.run(stopAt(null, 0), TraceSink.NONE,
        ProgressListener.NONE).status());
  }

  /** Source and sink, plus a block that asks {@code engine} to stop at cycle {@code at}. */
  private static Netlist stopAt(Engine engine, long at) {
    return new Netlist()
        .add("src", new TestBlocks.Source(40, 3))
        .add("sink", new TestBlocks.Sink(4))
        .connect("src.out", "sink.in", 1, 2)
        .add("stopper", new Block() {
          @Override
          public List<InPort> inputs() {
            return List.of();
          }

          @Override
          public List<OutPort> outputs() {
            return List.of();
          }

          @Override
          public void onEvent(Event e, BlockContext ctx) {
            if (engine == null) {
              return; // the whole run: the stopper does nothing
            }
            if (ctx.now() < at) {
              ctx.wakeAt(at);
            } else {
              engine.requestStop();
            }
          }
        });
  }

  /** A block out of heap aborts the run naming it (an engine thread must not die of it). */
  @ParameterizedTest
  @MethodSource("engines")
  void aBlockOutOfMemoryAbortsTheRunNamingItAndTheHeap(Engine engine) {
    var net = new Netlist().add("hungry", new Block() {
      @Override
      public List<InPort> inputs() {
        return List.of();
      }

      @Override
      public List<OutPort> outputs() {
        return List.of();
      }

      @Override
      public void onEvent(Event e, BlockContext ctx) {
        throw new OutOfMemoryError("Java heap space");
      }
    });

    RunResult r = engine.run(net, TraceSink.NONE, ProgressListener.NONE);

    assertEquals(RunStatus.ABORTED, r.status());
    assertEquals(1, r.problems().size());
    assertTrue(r.problems().get(0).startsWith("block hungry failed at cycle 0: "
        + "IllegalStateException (out of memory: the JVM's heap of "), r.problems().get(0));
  }

  /**
   * The trace of an aborted run ends with the event that failed, on every engine. Links: 0 is
   * s2 -> drain (a tile a cycle), 1 is src -> checker (latency 2: tiles sent at 0, 4, 8 arrive at
   * 2, 6, 10). The checker fails on its third tile, at key (10, 1, 2): drain's arrival at (10, 0,
   * 9) comes before it and is traced; the receive of the failing event is the last line, and
   * nothing at a later key (s2's send at 10 is a wake-up, channel 4 + 0) is written.
   */
  @ParameterizedTest
  @MethodSource("engines")
  void abortedRunTraceEndsWithTheFailingEvent(Engine engine) {
    var net = new Netlist()
        .add("s2", new TestBlocks.Source(50, 1))
        .add("drain", new TestBlocks.Sink(1))
        .add("src", new TestBlocks.Source(10, 4))
        .add("checker", new TestBlocks.Faulty(3))
        .connect("s2.out", "drain.in", 1, 2)
        .connect("src.out", "checker.in", 2, 4);
    var trace = new ListSink();

    RunResult r = engine.run(net, trace, ProgressListener.NONE);

    assertEquals(RunStatus.ABORTED, r.status());
    assertEquals(List.of("block checker failed at cycle 10: IllegalStateException "
        + "(parity error in tile 3)"), r.problems());
    var last = trace.records.get(trace.records.size() - 1);
    assertEquals(new TraceRecord.Receive(10, 1, 2, "checker", "in", (2L << 32) | 2, 8), last);
    var atTen = trace.records.stream().filter(x -> x.time() == 10).toList();
    assertEquals(List.of(new TraceRecord.Receive(10, 0, 9, "drain", "in", 9, 8), last), atTen);
    assertEquals(10, r.cycles());
  }

  /** A trace sink that fails (a full disk, say) ends the run with its own error, not a result. */
  @ParameterizedTest
  @MethodSource("engines")
  void failingTraceSinkEndsTheRunWithItsError(Engine engine) {
    var net = new Netlist()
        .add("src", new TestBlocks.Source(5, 1))
        .add("sink", new TestBlocks.Sink(10))
        .connect("src.out", "sink.in", 1, 2);
    var written = new ArrayList<TraceRecord>();
    TraceSink failsOnTheFifth = rec -> {
      if (written.size() == 4) {
        throw new IllegalStateException("disk full");
      }
      written.add(rec);
    };

    var e = assertThrows(IllegalStateException.class,
        () -> engine.run(net, failsOnTheFifth, ProgressListener.NONE));

    assertEquals("disk full", e.getMessage());
    assertEquals(4, written.size());
  }

  /**
   * A consumer that never reads: src (starting at cycle 7) sends at 7 and 8 over a link of
   * latency 5 and depth 2, then stalls from cycle 9 for good. The last event is the second
   * tile's arrival at 13, so the open stall counts 13 - 9 = 4 cycles.
   */
  @ParameterizedTest
  @MethodSource("engines")
  void deadlockCountsAStallStartedLateUpToTheLastCycle(Engine engine) {
    var net = new Netlist()
        .add("src", new TestBlocks.Source(5, 1, 7))
        .add("deaf", new TestBlocks.Deaf())
        .connect("src.out", "deaf.in", 5, 2);

    RunResult r = engine.run(net, TraceSink.NONE, ProgressListener.NONE);

    assertEquals(RunStatus.DEADLOCK, r.status());
    assertEquals(List.of("src: waiting for a credit on out -> deaf since cycle 9; 3 tiles unsent",
        "deaf: 2 tile(s) queued at in (oldest tile 0, DATA)"), r.problems());
    assertEquals(13, r.cycles());
    assertEquals(4, r.block("src").stallCycles());
    assertEquals(2, r.block("src").busyCycles());
  }

  /** A block claiming two overlapping busy spans would corrupt busy totals and the trace. */
  @ParameterizedTest
  @MethodSource("engines")
  void overlappingBusySpansAbortTheRun(Engine engine) {
    var net = new Netlist().add("twice", new Block() {
      @Override
      public List<InPort> inputs() {
        return List.of();
      }

      @Override
      public List<OutPort> outputs() {
        return List.of();
      }

      @Override
      public void onEvent(Event e, BlockContext ctx) {
        ctx.busy(0, 10, "first", 0, null);
        ctx.busy(5, 12, "second", 0, null);
      }
    });

    RunResult r = engine.run(net, TraceSink.NONE, ProgressListener.NONE);

    assertEquals(RunStatus.ABORTED, r.status());
    assertEquals(List.of("block twice failed at cycle 0: IllegalArgumentException (twice: busy "
        + "span [5, 12) overlaps the previous one, which ends at 10)"), r.problems());
  }

  @ParameterizedTest
  @MethodSource("engines")
  void runawayBlockIsStoppedByTheCycleLimit(Engine template) {
    Engine engine = Engines.like(template, new RunLimits(1000), false, 64);
    var net = new Netlist().add("spin", new TestBlocks.Spinner());

    RunResult r = engine.run(net, TraceSink.NONE, ProgressListener.NONE);

    assertEquals(RunStatus.ABORTED, r.status());
    assertTrue(r.problems().get(0).startsWith("simulated time passed the limit of 1000 cycles"),
        r.problems().get(0));
  }

  @ParameterizedTest
  @MethodSource("engines")
  void brokenLookaheadPromiseAbortsTheRun(Engine engine) {
    var net = new Netlist()
        .add("src", new TestBlocks.Source(3, 2))
        .add("liar", new TestBlocks.Liar())
        .add("sink", new TestBlocks.Sink(1))
        .connect("src.out", "liar.in", 1, 4)
        .connect("liar.out", "sink.in", 1, 4);

    RunResult r = engine.run(net, TraceSink.NONE, ProgressListener.NONE);

    assertEquals(RunStatus.ABORTED, r.status());
    assertEquals(List.of("block liar failed at cycle 2: IllegalStateException (liar promised "
        + "nothing would leave before cycle 11 but a tile sent on out leaves at cycle 2)"),
        r.problems());
  }

  /** A returning credit does not void a promise: a block that sends on it breaks its word. */
  @ParameterizedTest
  @MethodSource("engines")
  void aReturningCreditLeavesAPromiseStanding(Engine engine) {
    var net = new Netlist()
        .add("liar", new TestBlocks.CreditLiar())
        .add("sink", new TestBlocks.Sink(1))
        .connect("liar.out", "sink.in", 1, 1);

    RunResult r = engine.run(net, TraceSink.NONE, ProgressListener.NONE);

    assertEquals(RunStatus.ABORTED, r.status());
    assertEquals(List.of("block liar failed at cycle 2: IllegalStateException (liar promised "
        + "nothing would leave before cycle 100 but a tile sent on out leaves at cycle 2)"),
        r.problems());
  }

  /**
   * A tile's arrival voids a promise: the reactor forwards each of the source's tiles (arriving
   * at 1, 3, 5) at once although it promised 10 quiet cycles after the previous one, and every
   * engine runs it to the same end.
   */
  @ParameterizedTest
  @MethodSource("engines")
  void aTilesArrivalVoidsAPromise(Engine engine) {
    var sink = new TestBlocks.Sink(1);
    var net = new Netlist()
        .add("src", new TestBlocks.Source(3, 2))
        .add("reactor", new TestBlocks.Reactor())
        .add("sink", sink)
        .connect("src.out", "reactor.in", 1, 4)
        .connect("reactor.out", "sink.in", 1, 4);

    RunResult r = engine.run(net, TraceSink.NONE, ProgressListener.NONE);

    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    assertEquals(List.of(2L, 4L, 6L), sink.seen.stream()
        .map(x -> Long.parseLong(x.substring(0, x.indexOf(':')))).toList());
  }

  /** An aborted run (the cycle limit) still gives the sequential engine's result and trace. */
  @ParameterizedTest
  @MethodSource("actorEngines")
  void cycleLimitStopsEveryEngineAtTheSameEvent(Engine template) {
    for (long limit : new long[] {2, 13, 57, 300}) {
      var reference = new ListSink();
      RunResult expected = new SequentialEngine(new RunLimits(limit), true)
          .run(fanIn(), reference, ProgressListener.NONE);
      Engine engine = Engines.like(template, new RunLimits(limit), true,
          ActorEngine.DEFAULT_MAX_WINDOW_CYCLES);
      var got = new ListSink();
      RunResult r = engine.run(fanIn(), got, ProgressListener.NONE);

      assertEquals(RunStatus.ABORTED, r.status());
      assertEquals(expected, r, "limit " + limit);
      assertEquals(reference.records, got.records, "limit " + limit);
    }
  }

  /**
   * A block alone in its windows runs on (BlockActor.Advance), but no further than another
   * block could reach it: a ticker busy every cycle until a tile tells it to stop is alone while
   * a source waits to send that tile at 50 (latency 1), so the ticker's run-on must stop at 51.
   * Run on past it, the ticker would tick on to 120 before it met the tile.
   */
  @ParameterizedTest
  @MethodSource("actorEngines")
  void aLoneBlockRunsOnNoFurtherThanAnotherCouldReachIt(Engine engine) {
    Supplier<Netlist> net = () -> new Netlist()
        .add("late", new TestBlocks.Source(1, 1, 50))
        .add("ticker", new TestBlocks.Ticker(120))
        .connect("late.out", "ticker.in", 1, 1, 1);
    var reference = new ListSink();
    RunResult expected = new SequentialEngine(RunLimits.DEFAULT, true)
        .run(net.get(), reference, ProgressListener.NONE);
    var got = new ListSink();
    RunResult r = engine.run(net.get(), got, ProgressListener.NONE);
    assertEquals(RunStatus.OK, r.status(), String.join("; ", r.problems()));
    assertEquals(expected, r);
    assertEquals(reference.records, got.records);
    assertEquals(52, expected.cycles()); // the tile arrives at 51, in the tick [51, 52)
  }

  /** Three sources of different rates merge into one sink through relays of different latency. */
  static Netlist fanIn() {
    return new Netlist()
        .add("s0", new TestBlocks.Source(40, 3))
        .add("s1", new TestBlocks.Source(30, 5, 7))
        .add("s2", new TestBlocks.Source(50, 1))
        .add("r0", new TestBlocks.Relay())
        .add("r2", new TestBlocks.Relay())
        .add("sink", new TestBlocks.Sink(2, 3))
        .connect("s0.out", "r0.in", 4, 2)
        .connect("r0.out", "sink.in", 1, 1)
        .connect("s1.out", "sink.in1", 9, 3)
        .connect("s2.out", "r2.in", 2, 1, 5)
        .connect("r2.out", "sink.in2", 3, 2)
        .totalWork(120);
  }

  @ParameterizedTest
  @MethodSource("actorEngines")
  void everyEngineGivesTheSequentialTrace(Engine engine) {
    Supplier<Netlist> net = KernelScenarioTest::fanIn;
    var reference = new ListSink();
    RunResult expected = new SequentialEngine(RunLimits.DEFAULT, true)
        .run(net.get(), reference, ProgressListener.NONE);
    for (int repeat = 0; repeat < 3; repeat++) {
      var got = new ListSink();
      RunResult r = engine.run(net.get(), got, ProgressListener.NONE);
      assertEquals(RunStatus.OK, r.status());
      assertEquals(expected, r);
      assertEquals(reference.records, got.records);
    }
    assertTrue(reference.records.size() > 600, "trace has " + reference.records.size());
  }
}
