package dev.attnsim.actors.blocks.common.dram;

import static dev.attnsim.actors.blocks.common.dram.ScriptedRequester.Req.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.blocks.common.dram.DramPolicy.Page;
import dev.attnsim.actors.blocks.common.dram.DramPolicy.Scheduling;
import dev.attnsim.actors.blocks.common.dram.ScriptedRequester.Req;
import dev.attnsim.actors.kernel.ActorEngine;
import dev.attnsim.actors.kernel.Engine;
import dev.attnsim.actors.kernel.Link;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.SequentialEngine;
import dev.attnsim.actors.kernel.TraceRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The controller on the sequential engine, every figure worked by hand.
 *
 * <p>Unless a test says otherwise: the {@link #SMALL} memory (one channel, one bank group of two
 * banks, 256 B rows, 32 B bursts of 4 cycles, tCL 10, tRCD 8, tRP 6, tRAS 30), default policy
 * (open page, FR-FCFS, {@code row:bank:bankgroup:column:channel}, queue 32), links of latency 1.
 * Address bits: 0-4 byte in burst, 5-7 column, 8 bank, 9 and up row; so address 32 is the same
 * row as 0, 256 is bank 1, and 512 is bank 0 row 1. A request sent at cycle 0 is dequeued at 1;
 * a response leaving at {@code t} reaches its requester at {@code t + 1}.
 */
class DramControllerTest {

  static final DramTiming SMALL = DramTiming.ofCycles(1, 1, 2, 256, 32, 4, 10, 8, 6, 30);

  record Outcome(RunResult result, List<TraceRecord> trace, DramController dram,
      List<ScriptedRequester> requesters) {
    List<Long> arrivals(int requester) {
      return requesters.get(requester).arrivals();
    }

    long counter(String name) {
      return dram.counters().get(name);
    }

    /** The controller's busy spans as {@code [start, end)} pairs. */
    List<List<Long>> busy() {
      return trace.stream().filter(r -> r instanceof TraceRecord.Busy)
          .map(r -> (TraceRecord.Busy) r)
          .map(b -> List.of(b.start(), b.end())).toList();
    }
  }

  static Outcome run(DramTiming timing, DramPolicy policy, int requestDepth, int responseDepth,
      List<ScriptedRequester> requesters) {
    return run(new SequentialEngine(RunLimits.DEFAULT, true), timing, policy, requestDepth,
        responseDepth, requesters);
  }

  static Outcome run(Engine engine, DramTiming timing, DramPolicy policy, int requestDepth,
      int responseDepth, List<ScriptedRequester> requesters) {
    var dram = new DramController(requesters.size(), timing, policy);
    var net = new Netlist().add("dram", dram);
    for (int i = 0; i < requesters.size(); i++) {
      net.add("r" + i, requesters.get(i))
          .connect("r" + i + ".req", "dram.req" + i, 1, requestDepth)
          .connect("dram.resp" + i, "r" + i + ".resp", 1, responseDepth);
    }
    var trace = new ArrayList<TraceRecord>();
    RunResult r = engine.run(net, trace::add, ProgressListener.NONE);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    return new Outcome(r, trace, dram, requesters);
  }

  static Outcome run(DramPolicy policy, Req... script) {
    return run(SMALL, policy, 4, 4, List.of(new ScriptedRequester(List.of(script))));
  }

  static Outcome run(Req... script) {
    return run(DramPolicy.DEFAULT, script);
  }

  /**
   * Idle, closed bank: activate at 1, column at 1 + tRCD = 9, data [9 + tCL, + burst) = [19, 23);
   * the response leaves at 23 and arrives at 24. Latency tRCD + tCL + burst = 22.
   */
  @Test
  void readToAnIdleBankCostsActivateColumnAndBurst() {
    var o = run(read(0, 0, 32));

    assertEquals(List.of(24L), o.arrivals(0));
    assertEquals(1, o.counter("row_misses"));
    assertEquals(0, o.counter("row_hits"));
    assertEquals(22, o.counter("latency_total_cycles"));
    assertEquals(22, o.counter("latency_max_cycles"));
    assertEquals(32, o.counter("bytes_read"));
    assertEquals(1, o.counter("requests"));
    assertEquals(List.of(List.of(19L, 23L)), o.busy());
    assertEquals(4, o.result().block("dram").busyCycles());
  }

  /**
   * The second read (address 32, same row), sent at 30, is dequeued at 31 with the row open: column
   * at 31, data [41, 45), arrival 46. Latency tCL + burst = 14.
   */
  @Test
  void rowHitCostsOnlyColumnLatencyAndBurst() {
    var o = run(read(0, 0, 32), read(30, 32, 32));

    assertEquals(List.of(24L, 46L), o.arrivals(0));
    assertEquals(1, o.counter("row_hits"));
    assertEquals(1, o.counter("row_misses"));
    assertEquals(22 + 14, o.counter("latency_total_cycles"));
  }

  /**
   * Both reads dequeued at 1; the row opens for the first (column ready at 9). At 9 the first
   * issues (data [19, 23)); the second issues at the last cycle that keeps the bus busy,
   * 23 - tCL = 13, so its data follows at once: [23, 27). Arrivals 24 and 28.
   */
  @Test
  void queuedHitsStreamBackToBackOnTheBus() {
    var o = run(read(0, 0, 32), read(0, 32, 32));

    assertEquals(List.of(24L, 28L), o.arrivals(0));
    assertEquals(List.of(List.of(19L, 23L), List.of(23L, 27L)), o.busy());
    assertEquals(1, o.counter("row_hits"));
  }

  /**
   * Address 512 is row 1 of bank 0, where row 0 is open. Sent at 40 (dequeued 41): precharge at 41
   * (tRAS ran out at 1 + 30 = 31, the data at 23), activate at 41 + tRP = 47, column at 55, data
   * [65, 69), arrival 70: latency tRP + tRCD + tCL + burst = 28. Sent at 0 instead, the precharge
   * waits for tRAS: precharge 31, activate 37, column 45, data [55, 59), arrival 60 (without tRAS
   * it would be 52).
   */
  @Test
  void rowConflictPrechargesAfterTrasThenActivates() {
    var late = run(read(0, 0, 32), read(40, 512, 32));
    assertEquals(List.of(24L, 70L), late.arrivals(0));
    assertEquals(1, late.counter("row_conflicts"));
    assertEquals(22 + 28, late.counter("latency_total_cycles"));

    var early = run(read(0, 0, 32), read(0, 512, 32));
    assertEquals(List.of(24L, 60L), early.arrivals(0));
    assertEquals(1, early.counter("row_conflicts"));
    assertEquals(1, early.counter("row_misses"));
  }

  /**
   * A reads row 0 of bank 0 at 0 (arrives 24). At 30, B (row 1, a conflict) and then C (row 0, a
   * hit) are sent; both are dequeued at 31, B older.
   *
   * <p>FR-FCFS: C hits the open row, so the row stays open and C issues at once: data [41, 45),
   * arrival 46. B's precharge then waits for C's data to end: precharge 45, activate 51, column
   * 59, data [69, 73), arrival 74.
   *
   * <p>FCFS: B first: precharge 31, activate 37, column 45, data [55, 59), arrival 60. C now
   * conflicts with B's row; its precharge waits for tRAS: 37 + 30 = 67, activate 73, column 81,
   * data [91, 95), arrival 96.
   */
  @Test
  void frFcfsServesAYoungerRowHitBeforeAnOlderConflictAndFcfsDoesNot() {
    Req[] script = {read(0, 0, 32), read(30, 512, 32), read(30, 32, 32)};

    var fr = run(DramPolicy.DEFAULT, script);
    assertEquals(List.of(24L, 74L, 46L), fr.arrivals(0));
    assertEquals(List.of(1L, 1L, 1L), List.of(fr.counter("row_hits"), fr.counter("row_misses"),
        fr.counter("row_conflicts")));

    var fcfs = run(DramPolicy.DEFAULT.withScheduling(Scheduling.FCFS), script);
    assertEquals(List.of(24L, 60L, 96L), fcfs.arrivals(0));
    assertEquals(List.of(0L, 1L, 2L), List.of(fcfs.counter("row_hits"),
        fcfs.counter("row_misses"), fcfs.counter("row_conflicts")));
  }

  /**
   * Closed page: the first read auto-precharges at max(activate 1 + tRAS, data end 23) = 31 and
   * the bank may activate again at 31 + tRP = 37. The second read (same row, sent at 30,
   * dequeued 31) is a miss: activate 37, column 45, data [55, 59), arrival 60. Open page serves
   * it as a hit: data [41, 45), arrival 46. Sent at 40 instead, it activates at once (41): column
   * 49, data [59, 63), arrival 64, latency tRCD + tCL + burst = 22.
   */
  @Test
  void closedPageMakesEveryAccessAMiss() {
    var closed = DramPolicy.DEFAULT.withPage(Page.CLOSED);

    var o = run(closed, read(0, 0, 32), read(30, 32, 32));
    assertEquals(List.of(24L, 60L), o.arrivals(0));
    assertEquals(2, o.counter("row_misses"));
    assertEquals(0, o.counter("row_hits"));

    assertEquals(List.of(24L, 46L), run(read(0, 0, 32), read(30, 32, 32)).arrivals(0));

    var late = run(closed, read(0, 0, 32), read(40, 32, 32));
    assertEquals(List.of(24L, 64L), late.arrivals(0));
    assertEquals(22 + 22, late.counter("latency_total_cycles"));
  }

  /**
   * Five reads to banks 0-4 (eight banks: bank = address bits 8-10), all dequeued at 1, with
   * tRRD 3 and tFAW 20: activations at 1, 4, 7, 10 and, the fifth waiting for the four-activate
   * window, max(13, 1 + 20) = 21. Columns ready at 9, 12, 15, 18, 29; the bus serves them at 9,
   * 13, 17, 21 (back to back: data [19, 35)) and 29 (data [39, 43)). Arrivals 24, 28, 32, 36,
   * 44. Without the limits all five activate at 1 and stream back to back: the last arrives at 40.
   */
  @Test
  void activationsRespectTrrdAndTheFourActivateWindow() {
    var eightBanks = DramTiming.ofCycles(1, 1, 8, 256, 32, 4, 10, 8, 6, 30);
    Req[] script = {read(0, 0, 32), read(0, 256, 32), read(0, 512, 32), read(0, 768, 32),
        read(0, 1024, 32)};

    var limited = run(eightBanks.withActivationLimits(3, 20), DramPolicy.DEFAULT, 8, 8,
        List.of(new ScriptedRequester(List.of(script))));
    assertEquals(List.of(24L, 28L, 32L, 36L, 44L), limited.arrivals(0));
    assertEquals(5, limited.counter("row_misses"));

    var free = run(eightBanks, DramPolicy.DEFAULT, 8, 8,
        List.of(new ScriptedRequester(List.of(script))));
    assertEquals(List.of(24L, 28L, 32L, 36L, 40L), free.arrivals(0));
  }

  /**
   * 128 B at 0: four bursts of row 0, one column run, data [19, 35), arrival 36: 1 miss + 3 hits.
   * 128 B at 192 spans a row boundary: columns 6-7 of bank 0 and 0-1 of bank 1, two runs whose
   * banks activate in parallel at 1; bank 0's run moves [19, 27), bank 1's [27, 35): arrival 36.
   */
  @Test
  void multiBurstRequestsAreServedAsTheirBursts() {
    var one = run(read(0, 0, 128));
    assertEquals(List.of(36L), one.arrivals(0));
    assertEquals(4, one.counter("bursts"));
    assertEquals(List.of(3L, 1L), List.of(one.counter("row_hits"), one.counter("row_misses")));
    assertEquals(List.of(List.of(19L, 35L)), one.busy());

    var split = run(read(0, 192, 128));
    assertEquals(List.of(36L), split.arrivals(0));
    assertEquals(List.of(2L, 2L), List.of(split.counter("row_hits"),
        split.counter("row_misses")));
    assertEquals(List.of(List.of(19L, 27L), List.of(27L, 35L)), split.busy());

    var partial = run(read(0, 30, 4)); // bytes 30..33 straddle two bursts of row 0
    assertEquals(List.of(28L), partial.arrivals(0));
    assertEquals(2, partial.counter("bursts"));
    assertEquals(4, partial.counter("bytes_read"));
  }

  /**
   * 256 B = 8 bursts. One channel: [19, 51), arrival 52. Two channels (channel = address bit 5):
   * four bursts each, in parallel, [19, 35) on both buses, arrival 36; the trace shows one span.
   */
  @Test
  void channelsServeTheirBurstsInParallel() {
    var one = run(read(0, 0, 256));
    assertEquals(List.of(52L), one.arrivals(0));

    var twoChannels = DramTiming.ofCycles(2, 1, 2, 256, 32, 4, 10, 8, 6, 30);
    var two = run(twoChannels, DramPolicy.DEFAULT, 4, 4,
        List.of(new ScriptedRequester(List.of(read(0, 0, 256)))));
    assertEquals(List.of(36L), two.arrivals(0));
    assertEquals(List.of(List.of(19L, 35L)), two.busy());
    assertEquals(16, two.counter("bus_busy_cycles_max"));
    assertEquals(2, two.counter("row_misses"));
  }

  /** A write is timed like a read and counted as written bytes, with a dram-write span. */
  @Test
  void writesAreTimedLikeReads() {
    var o = run(new Req(0, 0, 64, true));
    assertEquals(List.of(28L), o.arrivals(0));
    assertEquals(64, o.counter("bytes_written"));
    assertEquals(0, o.counter("bytes_read"));
    var busy = o.trace().stream().filter(r -> r instanceof TraceRecord.Busy)
        .map(r -> ((TraceRecord.Busy) r).op()).toList();
    assertEquals(List.of("dram-write"), busy);
  }

  /**
   * Three reads of row 0 sent as fast as a depth-1 request link allows. Queue depth 1: the
   * requester sends at 0, stalls until the credit at 2, sends, and stalls again until 10: the
   * second request waits in the link until the first leaves the queue (column issued at 9),
   * is dequeued at 9 and its credit is back at 10. Stall 2 + 8 = 10 cycles. Queue depth 8: both
   * stalls last 2 cycles (dequeue on arrival), 4 in all. The bus is the bottleneck either way:
   * data [19, 23), [23, 27), [27, 31), arrivals 24, 28, 32.
   */
  @Test
  void aFullQueueLeavesRequestsInTheLinkAndStallsTheRequester() {
    Req[] script = {read(0, 0, 32), read(0, 32, 32), read(0, 64, 32)};

    var shallow = run(SMALL, DramPolicy.DEFAULT.withQueueDepth(1), 1, 4,
        List.of(new ScriptedRequester(List.of(script))));
    assertEquals(List.of(24L, 28L, 32L), shallow.arrivals(0));
    assertEquals(List.of(0L, 2L, 10L), shallow.requesters().get(0).sent());
    assertEquals(10, shallow.result().block("r0").stallCycles());

    var deep = run(SMALL, DramPolicy.DEFAULT.withQueueDepth(8), 1, 4,
        List.of(new ScriptedRequester(List.of(script))));
    assertEquals(List.of(24L, 28L, 32L), deep.arrivals(0));
    assertEquals(List.of(0L, 2L, 4L), deep.requesters().get(0).sent());
    assertEquals(4, deep.result().block("r0").stallCycles());
  }

  /**
   * Requester 0 (reads at 0 and 32) takes no response before cycle 100 through a depth-1 response
   * link; requester 1 reads bank 1. All three requests arrive at 1 and are dequeued round-robin:
   * r0's first, r1's, r0's second. Both banks activate at 1; data [19, 23), [23, 27), [27, 31).
   * r0's first response arrives at 24 and fills its link; its second is due at 31 but waits for
   * the credit that comes back at 101 (r0 dequeues at 100), arriving at 102: a 70-cycle stall on
   * resp0 only. r1's response arrives on time at 28.
   */
  @Test
  void aBlockedResponsePortDelaysOnlyItsOwnResponses() {
    var r0 = new ScriptedRequester(List.of(read(0, 0, 32), read(0, 32, 32)).iterator(), 100);
    var r1 = new ScriptedRequester(List.of(read(0, 256, 32)));

    var o = run(SMALL, DramPolicy.DEFAULT, 4, 1, List.of(r0, r1));

    assertEquals(List.of(24L, 102L), o.arrivals(0));
    assertEquals(List.of(28L), o.arrivals(1));
    assertEquals(70, o.result().block("dram").stallCycles());
    assertEquals((23 - 1) + (27 - 1) + (101 - 1), o.counter("latency_total_cycles"));
    assertEquals(100, o.counter("latency_max_cycles"));
  }

  /**
   * DDR4-3200 at 1 GHz: tCL = tRCD = 14 cycles, a 64 B burst takes 2.5 cycles. Two reads of one row
   * dequeued at 1: activate 1, column 15, data [29, 31.5); the second issues at floor(31.5 - 14) =
   * 17 and moves [31.5, 34). Responses leave at ceil(31.5) = 32 and 34 and arrive at 33 and 35.
   * The second busy span starts where the first (rounded out to [29, 32)) ended.
   */
  @Test
  void fractionalBurstTimeIsKeptExact() {
    var o = run(DramPresets.ddr4_3200(1.0), DramPolicy.DEFAULT, 4, 4,
        List.of(new ScriptedRequester(List.of(read(0, 0, 64), read(0, 64, 64)))));

    assertEquals(List.of(33L, 35L), o.arrivals(0));
    assertEquals(List.of(List.of(29L, 32L), List.of(32L, 34L)), o.busy());
    assertEquals(5, o.counter("bus_busy_cycles_max"));
  }

  /** The same scripted traffic gives the same arrivals on the actor engine. */
  @Test
  void actorEngineAgreesWithTheSequentialEngine() {
    Req[] script = {read(0, 0, 32), read(0, 512, 64), read(3, 32, 200), read(5, 256, 32),
        read(40, 1024, 1)};
    var seq = run(SMALL, DramPolicy.DEFAULT, 2, 1,
        List.of(new ScriptedRequester(List.of(script)), new ScriptedRequester(List.of(script))));
    var act = run(new ActorEngine(2, RunLimits.DEFAULT, true), SMALL, DramPolicy.DEFAULT, 2, 1,
        List.of(new ScriptedRequester(List.of(script)), new ScriptedRequester(List.of(script))));

    assertEquals(seq.arrivals(0), act.arrivals(0));
    assertEquals(seq.arrivals(1), act.arrivals(1));
    assertEquals(seq.dram().counters(), act.dram().counters());
    assertEquals(seq.trace(), act.trace());
  }

  @Test
  void badRequestsAbortTheRunNamingTheController() {
    var dram = new DramController(1, SMALL);
    var net = new Netlist().add("dram", dram)
        .add("r0", new ScriptedRequester(List.of(read(0, 0, 0))))
        .connect("r0.req", "dram.req0", 1, 1)
        .connect("dram.resp0", "r0.resp", 1, Link.UNBOUNDED);
    RunResult r = new SequentialEngine(RunLimits.DEFAULT, false)
        .run(net, rec -> {}, ProgressListener.NONE);
    assertEquals(RunStatus.ABORTED, r.status());
    assertTrue(r.problems().get(0).contains("dram"), r.problems().toString());
    assertTrue(r.problems().get(0).contains("needs >= 1"), r.problems().toString());

    assertThrows(IllegalArgumentException.class, () -> new DramController(0, SMALL));
    assertThrows(IllegalArgumentException.class,
        () -> DramPolicy.DEFAULT.withQueueDepth(0));
  }
}
