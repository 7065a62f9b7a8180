package dev.attnsim.actors.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kernel pieces on their own: stage intervals, run limits, the netlist, progress reports. */
class KernelPartsTest {

  /**
   * A span starting inside or at the end of the stage's last interval extends it; one starting
   * before its start or after its end opens another; empty spans and spans of no stage are not
   * kept. A stage with more intervals than the first array holds keeps them all.
   */
  @Test
  void stageSpansMergeIntoIntervals() {
    var s = new StageSpans();
    s.add("a", 0, 10);
    s.add("a", 10, 15); // starts at the end: [0, 15)
    s.add("a", 12, 14); // inside: unchanged
    s.add("a", 20, 25);
    s.add("a", 20, 30); // starts at the start: [20, 30)
    s.add("a", 19, 21); // before the last interval's start: a new interval
    s.add("b", 5, 5);
    s.add("b", 7, 6);
    s.add(null, 0, 3);
    for (int i = 0; i < 5; i++) {
      s.add("c", 10L * i, 10L * i + 1);
    }

    var m = s.snapshot();
    assertEquals(List.of("a", "c"), List.copyOf(m.keySet()));
    assertArrayEquals(new long[] {0, 15, 20, 30, 19, 21}, m.get("a"));
    assertArrayEquals(new long[] {0, 1, 10, 11, 20, 21, 30, 31, 40, 41}, m.get("c"));
  }

  @Test
  void runLimitsOfOneCycleAreTheSmallest() {
    assertEquals(1, new RunLimits(1).maxCycles());
    var e = assertThrows(IllegalArgumentException.class, () -> new RunLimits(0));
    assertEquals("maxCycles must be >= 1, got 0", e.getMessage());
  }

  @Test
  void freezingTwiceReturnsTheSameNetlist() {
    var net = new Netlist().add("spin", new TestBlocks.Spinner());
    assertSame(net, net.freeze());
    assertSame(net, net.freeze());
    assertEquals(List.of("spin"), net.blockNames());
  }

  /** A block doing one unit of work per cycle for 70,000 cycles. */
  private static final class Worker implements Block {
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
      ctx.completeWork(1);
      if (ctx.now() < 69_999) {
        ctx.wakeAt(ctx.now() + 1);
      }
    }
  }

  /**
   * The sequential engine reports progress every 65,536 events (here: 65,536 units done, event at
   * cycle 65,535) and once at the end (all 70,000, at the run's last cycle).
   */
  @Test
  void sequentialEngineReportsProgressEvery65536EventsAndAtTheEnd() {
    var net = new Netlist().add("w", new Worker()).totalWork(70_000);
    var calls = new ArrayList<String>();

    new SequentialEngine(RunLimits.DEFAULT, false).run(net, TraceSink.NONE,
        (done, total, cycle) -> calls.add(done + "/" + total + "@" + cycle));

    assertEquals(List.of("65536/70000@65535", "70000/70000@69999"), calls);
  }
}
