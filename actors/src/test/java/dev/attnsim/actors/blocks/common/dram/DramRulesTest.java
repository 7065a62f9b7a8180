package dev.attnsim.actors.blocks.common.dram;

import static dev.attnsim.actors.blocks.common.dram.DramControllerTest.NO_REFRESH;
import static dev.attnsim.actors.blocks.common.dram.DramControllerTest.RRGBCC;
import static dev.attnsim.actors.blocks.common.dram.DramControllerTest.SMALL;
import static dev.attnsim.actors.blocks.common.dram.DramControllerTest.SMALL_CLOCKS;
import static dev.attnsim.actors.blocks.common.dram.DramControllerTest.run;
import static dev.attnsim.actors.blocks.common.dram.DramControllerTest.write;
import static dev.attnsim.actors.blocks.common.dram.ScriptedRequester.Req.read;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnsim.actors.blocks.common.dram.DramController.CommandRecord;
import dev.attnsim.actors.blocks.common.dram.DramPolicy.Page;
import dev.attnsim.actors.blocks.common.dram.DramPolicy.Refresh;
import dev.attnsim.actors.blocks.common.dram.DramPolicy.Scheduling;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.SequentialEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * More of the controller's rules, clock for clock, on the devices of {@link DramControllerTest}
 * (its {@code SMALL} device and conventions: a request sent at 0 is added at 1, ACT at 2, RD at
 * 2 + tRCD = 8, data complete RD + RL + burst = RD + 14, arrival one later). Each figure is one a
 * controller breaking the rule would get wrong.
 */
class DramRulesTest {

  /** SMALL with two ranks: rank = address bit 11, rows from bit 12. */
  static final DramDevice TWO_RANKS =
      new DramDevice("ranks", false, 1, 2, 2, 2, 512, 64, 8, 1.0, SMALL_CLOCKS, RRGBCC);

  /** SMALL with two channels: channel = address bit 9, banks from bit 10. */
  static final DramDevice TWO_CHANNELS =
      new DramDevice("channels", false, 2, 1, 2, 2, 512, 64, 8, 1.0, SMALL_CLOCKS, RRGBCC);

  /** One bank group of two banks (bank = bit 9), SMALL's clocks: only the _S timings apply. */
  static final DramDevice ONE_GROUP =
      new DramDevice("one group", false, 1, 1, 1, 2, 512, 64, 8, 1.0, SMALL_CLOCKS, RRGBCC);

  private static List<List<Integer>> bankGroupsAndBanks(DramControllerTest.Outcome o,
      String command) {
    return o.commands().stream().filter(c -> c.command().equals(command))
        .map(c -> List.of(c.rank(), c.bankGroup(), c.bank())).toList();
  }

  /**
   * A0 (row 0), X (row 1), A1 (row 0) in one bank. FR-FCFS: A1 hits the open row and overtakes X
   * (RD 8, 14); X may precharge only once no hit is queued: PRE max(2 + tRAS, 14 + tRTP) = 22,
   * ACT 28, RD 34. FCFS keeps the order, so X's precharge may not wait for A1's hit: PRE 22,
   * ACT 28, RD X 34, then A1 reopens row 0: PRE max(28 + tRAS, 34 + tRTP) = 48, ACT 54, RD 60.
   * (Before the fix, FCFS let X wait for A1 and A1 for X: the run deadlocked.)
   */
  @Test
  void fcfsServesEachBanksAccessesInArrivalOrder() {
    var frfcfs = run(read(0, 0, 64), read(0, 2048, 64), read(0, 64, 64));
    assertEquals(List.of(8L, 14L, 34L), frfcfs.clocks("RD"));
    assertEquals(List.of(23L, 49L, 29L), frfcfs.arrivals(0));

    var fcfs = run(SMALL, NO_REFRESH.withScheduling(Scheduling.FCFS), read(0, 0, 64),
        read(0, 2048, 64), read(0, 64, 64));
    assertEquals(List.of(2L, 28L, 54L), fcfs.clocks("ACT"));
    assertEquals(List.of(22L, 48L), fcfs.clocks("PRE"));
    assertEquals(List.of(8L, 34L, 60L), fcfs.clocks("RD"));
    assertEquals(List.of(23L, 49L, 75L), fcfs.arrivals(0));
    assertEquals(2, fcfs.counter("precharges"));
    assertEquals(3, fcfs.counter("activates"));
    assertEquals(2, fcfs.counter("requests_conflict"));
    assertEquals(47 + 73, fcfs.counter("latency_conflict_total_cycles"));
    assertEquals(73, fcfs.counter("latency_max_cycles"));
  }

  /**
   * Two reads of one burst merge: one ACT and one RD serve both (arrivals 23, 23), each counted a
   * miss. A read of a buffered write is served from the buffer: both responses leave at 2 (a hit
   * read of latency 1, a posted write); the write alone goes to the bank. A second write of a
   * buffered burst merges: one WR, counted a hit.
   */
  @Test
  void readsMergeAndAreForwardedAndWritesMerge() {
    var merged = run(read(0, 0, 64), read(0, 0, 64));
    assertEquals(List.of(23L, 23L), merged.arrivals(0));
    assertEquals(List.of(8L), merged.clocks("RD"));
    assertEquals(List.of(2L, 2L, 2L, 128L), List.of(merged.counter("bursts"),
        merged.counter("row_misses"), merged.counter("requests_miss"),
        merged.counter("bytes_read")));
    assertEquals(42, merged.counter("latency_total_cycles"));
    assertEquals(4, merged.counter("bus_busy_cycles_max"));

    var forwarded = run(write(0, 0, 64), read(0, 0, 64));
    assertEquals(List.of(3L, 3L), forwarded.arrivals(0));
    assertEquals(List.of(8L), forwarded.clocks("WR"));
    assertEquals(List.of(), forwarded.clocks("RD"));
    assertEquals(List.of(1L, 1L, 1L, 1L), List.of(forwarded.counter("row_hits"),
        forwarded.counter("row_misses"), forwarded.counter("requests_hit"),
        forwarded.counter("requests_miss")));
    assertEquals(1, forwarded.counter("latency_hit_total_cycles"));
    assertEquals(64, forwarded.counter("bytes_read"));

    var writes = run(write(0, 0, 64), write(0, 0, 64));
    assertEquals(List.of(3L, 3L), writes.arrivals(0));
    assertEquals(List.of(8L), writes.clocks("WR"));
    assertEquals(List.of(1L, 1L, 1L, 1L), List.of(writes.counter("row_hits"),
        writes.counter("row_misses"), writes.counter("requests_hit"),
        writes.counter("requests_miss")));
    assertEquals(128, writes.counter("bytes_written"));
  }

  /**
   * 100 bytes from address 10 are bursts 0 and 1: RD 8 and 14 (tCCD_L), the response when the
   * second is complete, 28, arriving at 29; a miss then a hit, the request a miss of latency 27;
   * bytes as requested, the bus busy 2 bursts.
   */
  @Test
  void aRequestCoversItsBurstsAndAnswersWithTheLast() {
    var o = run(read(0, 10, 100));
    assertEquals(List.of(8L, 14L), o.clocks("RD"));
    assertEquals(List.of(29L), o.arrivals(0));
    assertEquals(List.of(2L, 100L, 1L, 1L), List.of(o.counter("bursts"),
        o.counter("bytes_read"), o.counter("row_hits"), o.counter("row_misses")));
    assertEquals(List.of(1L, 27L, 27L), List.of(o.counter("requests_miss"),
        o.counter("latency_miss_max_cycles"), o.counter("latency_max_cycles")));
    assertEquals(8, o.counter("bus_busy_cycles_max"));
    assertEquals(List.of(List.of(18L, 22L), List.of(24L, 28L)), o.busy());
  }

  /**
   * 128 bytes from 448: burst 7 on channel 0, burst 8 on channel 1. Wide intake hands both over
   * at clock 1 (both channels ACT 2, RD 8, arrival 23); intake ONE one per clock, so channel 1's
   * burst is added at 2: ACT 3, RD 9, arrival 24.
   */
  @Test
  void intakeOneHandsOverOneBurstPerPortAndClock() {
    var wide = run(TWO_CHANNELS, NO_REFRESH, read(0, 448, 128));
    assertEquals(List.of(2L, 2L), wide.clocks("ACT"));
    assertEquals(List.of(0, 1), wide.commands().stream().filter(c -> c.command().equals("ACT"))
        .map(CommandRecord::channel).toList());
    assertEquals(List.of(23L), wide.arrivals(0));
    assertEquals(2, wide.counter("row_misses"));
    assertEquals(List.of(List.of(18L, 22L)), wide.busy()); // both channels, one span

    var one = run(TWO_CHANNELS, NO_REFRESH.withIntake(DramPolicy.Intake.ONE),
        read(0, 448, 128));
    assertEquals(List.of(2L, 3L), one.clocks("ACT"));
    assertEquals(List.of(8L, 9L), one.clocks("RD"));
    assertEquals(List.of(24L), one.arrivals(0));
    assertEquals(22, one.counter("latency_total_cycles"));
  }

  /**
   * Two ranks, tREFI 100. Staggered: a rank every 50, in turn. After the first read (ACT 2, RD 8)
   * the controller is idle; the read sent at 250 (rank 0) catches the refreshes up: rank 0 at 50
   * (PRE 50 closes the open row, REF tRP later at 56), rank 1 at 100, rank 0 at 150, rank 1 at
   * 200, rank 0 at 250, which holds the read's ACT to 250 + tRFC = 280 (RD 286, arrival 301);
   * rank 1 again at 300. Simultaneous: every 100, rank 0 each time: PRE 100, REF 106, REF 200;
   * the read activates at 252 (arrival 273).
   */
  @Test
  void rankRefreshIsStaggeredOrSimultaneous() {
    var staggered = run(TWO_RANKS, DramPolicy.defaults(TWO_RANKS), read(0, 0, 64),
        read(250, 64, 64));
    assertEquals(List.of(50L), staggered.clocks("PRE"));
    assertEquals(List.of(56L, 100L, 150L, 200L, 250L, 300L), staggered.clocks("REF"));
    assertEquals(List.of(0, 1, 0, 1, 0, 1), staggered.commands().stream()
        .filter(c -> c.command().equals("REF")).map(CommandRecord::rank).toList());
    assertEquals(List.of(2L, 280L), staggered.clocks("ACT"));
    assertEquals(List.of(23L, 301L), staggered.arrivals(0));
    assertEquals(6, staggered.counter("refreshes"));

    var simultaneous = run(TWO_RANKS,
        DramPolicy.defaults(TWO_RANKS).withRefresh(Refresh.RANK_SIMULTANEOUS), read(0, 0, 64),
        read(250, 64, 64));
    assertEquals(List.of(100L), simultaneous.clocks("PRE"));
    assertEquals(List.of(106L, 200L), simultaneous.clocks("REF"));
    assertEquals(List.of(0, 0), simultaneous.commands().stream()
        .filter(c -> c.command().equals("REF")).map(CommandRecord::rank).toList());
    assertEquals(List.of(2L, 252L), simultaneous.clocks("ACT"));
    assertEquals(List.of(23L, 273L), simultaneous.arrivals(0));
  }

  /**
   * Per-bank refresh every 50 (tRFCb 20) on two ranks of 2 x 2 banks: bank groups first, then
   * banks, then ranks (DRAMSim3's order): rank 0's (group, bank) (0, 0) (its open row precharged
   * at 50, REFB 56), (1, 0) 100, (0, 1) 150, (1, 1) 200, then rank 1's (0, 0) 250 and (1, 0)
   * 300. Rank 0 bank 0's read sent at 310 is not held (its refresh ended at 76): ACT 312.
   * With one rank the turn comes back to (0, 0) at 250, holding a read sent at 260 to 270.
   */
  @Test
  void perBankRefreshTakesBankGroupsThenBanksThenRanks() {
    var clocks = SMALL_CLOCKS.toBuilder().tRefib(50).tRfcb(20).build();
    var ranks = TWO_RANKS.withClocks(clocks);
    var o = run(ranks, DramPolicy.defaults(ranks).withRefresh(Refresh.BANK_STAGGERED),
        read(0, 0, 64), read(310, 64, 64));
    assertEquals(List.of(56L, 100L, 150L, 200L, 250L, 300L), o.clocks("REFB"));
    assertEquals(List.of(List.of(0, 0, 0), List.of(0, 1, 0), List.of(0, 0, 1), List.of(0, 1, 1),
        List.of(1, 0, 0), List.of(1, 1, 0)), bankGroupsAndBanks(o, "REFB"));
    assertEquals(List.of(2L, 312L), o.clocks("ACT"));
    assertEquals(List.of(23L, 333L), o.arrivals(0));

    var one = SMALL.withClocks(clocks);
    var wrapped = run(one, DramPolicy.defaults(one).withRefresh(Refresh.BANK_STAGGERED),
        read(0, 0, 64), read(260, 64, 64));
    assertEquals(List.of(56L, 100L, 150L, 200L, 250L), wrapped.clocks("REFB"));
    assertEquals(List.of(0, 0, 0), bankGroupsAndBanks(wrapped, "REFB").get(4));
    assertEquals(List.of(2L, 270L), wrapped.clocks("ACT"));
    assertEquals(List.of(23L, 291L), wrapped.arrivals(0));
  }

  /**
   * Two ranks sharing the data bus: a read of rank 1 after one of rank 0 waits burst + tRTRS =
   * 5 (RD 8, 13; ACTs 2 and 3, ranks do not constrain each other's activations); a write after a
   * write of the other rank waits a burst (WR 8, 12).
   */
  @Test
  void switchingRanksCostsTheBusTurnaround() {
    var reads = run(TWO_RANKS, NO_REFRESH, read(0, 0, 64), read(0, 2048, 64));
    assertEquals(List.of(2L, 3L), reads.clocks("ACT"));
    assertEquals(List.of(8L, 13L), reads.clocks("RD"));
    assertEquals(List.of(23L, 28L), reads.arrivals(0));
    assertEquals(List.of(List.of(18L, 22L), List.of(23L, 27L)), reads.busy());

    var writes = run(TWO_RANKS, NO_REFRESH, write(0, 0, 64), write(0, 2048, 64));
    assertEquals(List.of(8L, 12L), writes.clocks("WR"));
    assertEquals(List.of(List.of(16L, 20L), List.of(20L, 24L)), writes.busy());
  }

  /**
   * Closed page. A write with auto-precharge at 8 lets its bank activate again at 8 + WL + burst
   * + tWR + tRP = 34 (tRC from 2 allows 28): a read sent at 10 reads at 40, arrival 55. A read
   * with auto-precharge at 98 lets a refresh due at 100 start at 98 + AL + tRTP + tRP = 107, and
   * the next ACT waits tRFC: 137.
   */
  @Test
  void closedPageTimesTheAutoPrechargeOfWritesAndBeforeRefresh() {
    var afterWrite = run(SMALL, NO_REFRESH.withPage(Page.CLOSED), write(0, 0, 64),
        read(10, 64, 64));
    assertEquals(List.of(2L, 34L), afterWrite.clocks("ACT"));
    assertEquals(List.of(40L), afterWrite.clocks("RD"));
    assertEquals(List.of(3L, 55L), afterWrite.arrivals(0));

    var refresh = run(SMALL, DramPolicy.defaults(SMALL).withPage(Page.CLOSED), read(90, 0, 64),
        read(120, 64, 64));
    assertEquals(List.of(107L), refresh.clocks("REF"));
    assertEquals(List.of(92L, 137L), refresh.clocks("ACT"));
    assertEquals(List.of(113L, 158L), refresh.arrivals(0));
  }

  /**
   * One bank group: every delay is the _S one. ACT bank 1 at 2 + tRRD_S = 4; reads 4 apart
   * (tCCD_S): 8, 12, 16. A read after a write: WR 8 + WL + burst + tWTR_S = 22. Writes: 8, 12.
   */
  @Test
  void oneBankGroupTakesTheShortDelays() {
    var reads = run(ONE_GROUP, NO_REFRESH, read(0, 0, 64), read(0, 64, 64), read(0, 512, 64));
    assertEquals(List.of(2L, 4L), reads.clocks("ACT"));
    assertEquals(List.of(8L, 12L, 16L), reads.clocks("RD"));
    assertEquals(List.of(23L, 31L, 27L), reads.arrivals(0));

    var writeThenRead = run(ONE_GROUP, NO_REFRESH, write(0, 0, 64), read(8, 64, 64));
    assertEquals(List.of(8L), writeThenRead.clocks("WR"));
    assertEquals(List.of(22L), writeThenRead.clocks("RD"));

    var writes = run(ONE_GROUP, NO_REFRESH, write(0, 0, 128));
    assertEquals(List.of(8L, 12L), writes.clocks("WR"));
  }

  /**
   * Eight reads of bank 1 and four writes of bank 0 arrive together. A write buffer of 4 is full,
   * so it drains first (WR 8, 14, 20, 26; reads from 42, the read's response at 99); one of 5 is
   * not, so the reads go first (RD 8..50, response at 65) and the writes when nothing else is
   * left (WR 58..76).
   */
  @Test
  void aFullWriteBufferDrainsBeforeQueuedReads() {
    var full = run(SMALL, NO_REFRESH.withQueues(32, 4), read(0, 512, 512), write(0, 0, 256));
    assertEquals(List.of(8L, 14L, 20L, 26L), full.clocks("WR"));
    assertEquals(42L, full.clocks("RD").get(0));
    assertEquals(List.of(99L, 3L), full.arrivals(0));

    var room = run(SMALL, NO_REFRESH.withQueues(32, 5), read(0, 512, 512), write(0, 0, 256));
    assertEquals(List.of(8L, 14L, 20L, 26L, 32L, 38L, 44L, 50L), room.clocks("RD"));
    assertEquals(List.of(58L, 64L, 70L, 76L), room.clocks("WR"));
    assertEquals(List.of(65L, 3L), room.arrivals(0));
  }

  /**
   * Writes drain while reads wait once the buffer holds more than the threshold and every
   * command queue is empty: two writes and a read (bank 1) at threshold 1 write first (WR 8, 14,
   * the read's ACT 5, RD 30); at threshold 2 the read goes first (RD 8) and the writes after it
   * (WR 16, 22).
   */
  @Test
  void writesDrainPastTheThresholdWhenTheCommandQueuesAreEmpty() {
    var one = run(SMALL, NO_REFRESH.withWriteDrainThreshold(1), write(0, 0, 128),
        read(0, 512, 64));
    assertEquals(List.of(8L, 14L), one.clocks("WR"));
    assertEquals(List.of(30L), one.clocks("RD"));
    assertEquals(List.of(3L, 45L), one.arrivals(0));

    var two = run(SMALL, NO_REFRESH.withWriteDrainThreshold(2), write(0, 0, 128),
        read(0, 512, 64));
    assertEquals(List.of(8L), two.clocks("RD"));
    assertEquals(List.of(16L, 22L), two.clocks("WR"));
    assertEquals(List.of(3L, 23L), two.arrivals(0));
  }

  /**
   * What the controller says it still holds, asked as each command issues: r0 reads 4 bursts,
   * r1 writes 3 to another row of the same bank, through a read queue and a write buffer of one.
   * At the first ACT (clock 2) both are still being taken, one read and one write queued; when
   * the last RD issues (70), everything is done but r0's response.
   */
  @Test
  void pendingWorkCountsWhatIsStillHeld() {
    var states = new ArrayList<String>();
    var holder = new DramController[1];
    var dram = new DramController(2, DramTiming.sameClock(SMALL), NO_REFRESH.withQueues(1, 1))
        .observeCommands(c -> states.add(c.clock() + " " + c.command() + ": "
            + holder[0].pendingWork().orElse("nothing")));
    holder[0] = dram;
    var r0 = new ScriptedRequester(List.of(read(0, 0, 256)));
    var r1 = new ScriptedRequester(List.of(write(0, 4096, 192)));
    var net = new Netlist().add("dram", dram).add("r0", r0).add("r1", r1)
        .connect("r0.req", "dram.req0", 1, 4).connect("dram.resp0", "r0.resp", 1, 4)
        .connect("r1.req", "dram.req1", 1, 4).connect("dram.resp1", "r1.resp", 1, 4);
    var r = new SequentialEngine(RunLimits.DEFAULT, false).run(net, x -> { },
        ProgressListener.NONE);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    assertEquals(List.of(85L), r0.arrivals());
    assertEquals(List.of(5L), r1.arrivals());
    assertEquals("2 ACT: 2 request(s) being taken, 1 read(s) and 1 write(s) queued (commands "
        + "pending), 0 response(s) not sent", states.get(0));
    assertEquals("8 WR: 0 request(s) being taken, 0 read(s) and 0 write(s) queued (commands "
        + "pending), 0 response(s) not sent", states.get(1));
    assertEquals("70 RD: 0 request(s) being taken, 0 read(s) and 0 write(s) queued, 1 "
        + "response(s) not sent", states.get(states.size() - 1));
    assertEquals(Optional.empty(), dram.pendingWork());
  }

  /**
   * Responses of one port leave in completion order: A (bank 0) at 23, then C (bank 1, ACT 5,
   * RD 14) at 29, before X (bank 0, another row: PRE 22, ACT 28, RD 34) at 49.
   */
  @Test
  void responsesLeaveInCompletionOrderNotRequestOrder() {
    var o = run(read(0, 0, 64), read(0, 2048, 64), read(0, 512, 64));
    assertEquals(List.of(8L, 14L, 34L), o.clocks("RD"));
    assertEquals(List.of(23L, 49L, 29L), o.arrivals(0));
    assertEquals(3, o.counter("requests"));
  }

  /**
   * A burst leaves the write buffer when its WR issues: a second write of it at 30 is written
   * again (WR 32), and a read at 60 goes to the bank (RD 62), not to the buffer.
   */
  @Test
  void aWrittenBurstNoLongerMergesOrForwards() {
    var o = run(write(0, 0, 64), write(30, 0, 64), read(60, 0, 64));
    assertEquals(List.of(8L, 32L), o.clocks("WR"));
    assertEquals(List.of(62L), o.clocks("RD"));
    assertEquals(List.of(3L, 33L, 77L), o.arrivals(0));
  }

  /** A read merged into a row hit counts a hit too: A0 a miss, A1 and its twin hits. */
  @Test
  void aReadMergedIntoAHitIsAHit() {
    var o = run(read(0, 0, 64), read(0, 64, 64), read(0, 64, 64));
    assertEquals(List.of(8L, 14L), o.clocks("RD"));
    assertEquals(List.of(23L, 29L, 29L), o.arrivals(0));
    assertEquals(List.of(2L, 1L, 2L, 54L), List.of(o.counter("row_hits"),
        o.counter("row_misses"), o.counter("requests_hit"),
        o.counter("latency_hit_total_cycles")));
  }

  /**
   * Rank 1's bank group 0: its banks 0 and 1 activate tRRD_L = 3 apart (2, 5), as rank 0's
   * would; then RD 8 and 14.
   */
  @Test
  void theSecondRanksBankGroupsAreItsOwn() {
    var o = run(TWO_RANKS, NO_REFRESH, read(0, 2048, 64), read(0, 2048 + 512, 64));
    assertEquals(List.of(2L, 5L), o.clocks("ACT"));
    assertEquals(List.of(List.of(1, 0, 0), List.of(1, 0, 1)), bankGroupsAndBanks(o, "ACT"));
    assertEquals(List.of(8L, 14L), o.clocks("RD"));
  }

  /**
   * Closed page, two reads of one row at once: the second must activate again, tRC after the
   * first ACT: 28 (the auto-precharge alone would allow 8 + AL + burst + tRTP + tRP = 21).
   */
  @Test
  void closedPageReactivatesAfterTrc() {
    var o = run(SMALL, NO_REFRESH.withPage(Page.CLOSED), read(0, 0, 64), read(0, 64, 64));
    assertEquals(List.of(2L, 28L), o.clocks("ACT"));
    assertEquals(List.of(8L, 34L), o.clocks("RD"));
    assertEquals(List.of(23L, 49L), o.arrivals(0));
  }

  /**
   * Per-bank refresh (every 50, tRFCb 20) next to other banks' work:
   *
   * <ul>
   *   <li>an ACT of bank 1 at 46 holds bank 0's refresh due at 50 for tRC: REFB 72;
   *   <li>bank 0 opened at 46 (read sent at 44) must be precharged for its refresh at 50, which
   *       tRAS allows at 66; meanwhile only bank 0 waits: bank 1's read (sent at 49) activates
   *       at 51. Bank 0's refresh then waits for tRC after that ACT (77), and its read reopens
   *       the row after tRFCb: ACT 97, arrival 118;
   *   <li>closed page: bank 0's read with auto-precharge at 46 lets its refresh start at 46 +
   *       AL + tRTP + tRP = 55.
   * </ul>
   */
  @Test
  void perBankRefreshWaitsForItsBankAlone() {
    var device = SMALL.withClocks(SMALL_CLOCKS.toBuilder().tRefib(50).tRfcb(20).build());
    var policy = DramPolicy.defaults(device).withRefresh(Refresh.BANK_STAGGERED);
    var afterAct = run(device, policy, read(44, 512, 64), read(260, 0, 64));
    assertEquals(List.of(72L, 100L, 156L, 200L, 250L), afterAct.clocks("REFB"));
    assertEquals(List.of(150L), afterAct.clocks("PRE"));

    var pending = run(device, policy, read(44, 0, 64), read(49, 512, 64));
    assertEquals(List.of(46L, 51L, 97L), pending.clocks("ACT"));
    assertEquals(List.of(66L), pending.clocks("PRE"));
    assertEquals(List.of(77L), pending.clocks("REFB"));
    assertEquals(List.of(57L, 103L), pending.clocks("RD"));
    assertEquals(List.of(118L, 72L), pending.arrivals(0));

    var closed = run(device, policy.withPage(Page.CLOSED), read(38, 0, 64), read(60, 0, 64));
    assertEquals(List.of(46L, 81L), closed.clocks("RD"));
    assertEquals(List.of(55L), closed.clocks("REFB"));
    assertEquals(List.of(40L, 75L), closed.clocks("ACT"));
  }

  /**
   * Two ranks, staggered refresh: rank 1's refresh due at 100 finds its bank opened at 97, so it
   * precharges when tRAS allows (117) and refreshes at 123; rank 1's read then activates at
   * 123 + tRFC = 153 (arrival 174), while rank 0's read (ACT 98) is not held (arrival 119).
   */
  @Test
  void aRankRefreshWaitsForItsOwnOpenBanks() {
    var o = run(TWO_RANKS, DramPolicy.defaults(TWO_RANKS), read(95, 2048, 64), read(95, 0, 64));
    assertEquals(List.of(50L, 123L, 156L), o.clocks("REF"));
    assertEquals(List.of(117L, 150L), o.clocks("PRE"));
    assertEquals(List.of(97L, 98L, 153L), o.clocks("ACT"));
    assertEquals(List.of(174L, 119L), o.arrivals(0));
  }

  /**
   * Bank 1's read waits in the read queue behind three of bank 0; the channel moves one a clock
   * (1, 2, 3, 4) although no command is ready at 3 and 4, so bank 1 activates at 2 + tRRD_L = 5
   * and reads at 14, between bank 0's reads.
   */
  @Test
  void transactionsMoveEveryClockWhileNoCommandIsReady() {
    var o = run(read(0, 0, 192), read(0, 512, 64));
    assertEquals(List.of(2L, 5L), o.clocks("ACT"));
    assertEquals(List.of(8L, 14L, 20L, 26L), o.clocks("RD"));
    assertEquals(List.of(41L, 29L), o.arrivals(0));
  }

  /**
   * A write buffered while an earlier one is in its bank queue waits for it to issue (WR 8),
   * then drains: WR 14. A row hit among buffered writes overtakes an older write to another row
   * of the bank: after the read of row 0 (RD 28), W1 (row 1) and W2 (row 0) drain, W2 writes
   * first.
   */
  @Test
  void bufferedWritesDrainAsTheBankQueuesEmpty() {
    var later = run(write(0, 0, 64), write(5, 64, 64));
    assertEquals(List.of(8L, 14L), later.clocks("WR"));
    assertEquals(List.of(3L, 8L), later.arrivals(0));

    var hitFirst = run(read(20, 0, 64), write(20, 2048, 64), write(20, 64, 64));
    assertEquals(List.of(28L), hitFirst.clocks("RD"));
    assertEquals(List.of(row(hitFirst, "WR", 0), row(hitFirst, "WR", 1)), List.of(0L, 1L));
  }

  private static long row(DramControllerTest.Outcome o, String command, int index) {
    return o.commands().stream().filter(c -> c.command().equals(command)).toList().get(index)
        .row();
  }

  /**
   * HBM2 issues a precharge and a write in one clock: bank 0 (open on row 0 since 2) must close
   * for a read of row 1 and bank 1's write is ready, both at 36.
   */
  @Test
  void hbm2PairsAPrechargeWithAWrite() {
    var hbm = DramPresets.HBM2;
    var o = run(hbm, DramPolicy.defaults(hbm).withRefresh(Refresh.NONE)
        .withWriteDrainThreshold(0), read(0, 0, 64), read(20, 1 << 18, 64),
        write(20, 1 << 14, 64));
    assertEquals(List.of(36L), o.clocks("PRE"));
    assertEquals(List.of(36L), o.clocks("WR"));
    assertEquals(List.of(33L, 81L, 23L), o.arrivals(0));
  }

  /** What each request's record says: port, address, bytes, cycles, first burst's place, class. */
  @Test
  void requestRecordsDescribeEachRequest() {
    var records = new ArrayList<DramController.RequestRecord>();
    var dram = new DramController(1, DramTiming.sameClock(TWO_RANKS),
        NO_REFRESH).observeRequests(records::add);
    var requester = new ScriptedRequester(List.of(read(0, 2048 + 1024 + 512 + 64, 128),
        write(0, 4096, 64)));
    var net = new Netlist().add("dram", dram).add("r0", requester)
        .connect("r0.req", "dram.req0", 1, 4).connect("dram.resp0", "r0.resp", 1, 4);
    var r = new SequentialEngine(RunLimits.DEFAULT, false).run(net, x -> { },
        ProgressListener.NONE);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    assertEquals(2, records.size());
    var read = records.stream().filter(x -> !x.write()).findFirst().orElseThrow();
    assertEquals(List.of(0L, 3648L, 128L, 1L, 28L, 27L), List.of((long) read.port(),
        read.address(), read.bytes(), read.acceptedCycle(), read.departureCycle(),
        read.latencyCycles()));
    assertEquals(new AddressMapping.Location(0, 1, 1, 1, 0, 1), read.location());
    assertEquals("miss", read.rowClass());
    var write = records.stream().filter(DramController.RequestRecord::write).findFirst()
        .orElseThrow();
    assertEquals(List.of(4096L, 1L, 2L, 1L), List.of(write.address(), write.acceptedCycle(),
        write.departureCycle(), write.latencyCycles()));
    assertEquals(new AddressMapping.Location(0, 0, 0, 0, 1, 0), write.location());
  }

  /** Requests the controller cannot serve abort the run with a message naming tile and port. */
  @Test
  void unservableRequestsAbortNamingTileAndPort() {
    var overflow = abort(new ScriptedRequester(List.of(read(0, Long.MAX_VALUE - 63, 64))));
    assertEquals(true, overflow.contains("on req0: address 9223372036854775744 + 64 bytes "
        + "overflows"), overflow);
    var foreign = abort(new dev.attnsim.actors.kernel.Block() {
      @Override
      public List<dev.attnsim.actors.kernel.InPort> inputs() {
        return List.of(ScriptedRequester.RESP);
      }

      @Override
      public List<dev.attnsim.actors.kernel.OutPort> outputs() {
        return List.of(ScriptedRequester.REQ);
      }

      @Override
      public void onEvent(dev.attnsim.actors.kernel.Event e,
          dev.attnsim.actors.kernel.BlockContext ctx) {
        if (e instanceof dev.attnsim.actors.kernel.Event.Start) {
          ctx.send(ScriptedRequester.REQ, new dev.attnsim.actors.kernel.Tile(7,
              dev.attnsim.actors.kernel.TileKind.DATA, dev.attnsim.actors.kernel.Precision.INT8,
              0, 0, 0, 1, 0, 64, 1, 64, "not a request"));
        }
      }
    });
    assertEquals(true, foreign.contains("tile 7 on req0 carries no DramRequest (payload: not a "
        + "request)"), foreign);
    // the last address whose bytes fit is served
    var last = run(read(0, Long.MAX_VALUE - 64, 64));
    assertEquals(1, last.arrivals(0).size());
  }

  private static String abort(dev.attnsim.actors.kernel.Block requester) {
    var net = new Netlist().add("dram", new DramController(1, DramTiming.sameClock(SMALL)))
        .add("r0", requester)
        .connect("r0.req", "dram.req0", 1, 1)
        .connect("dram.resp0", "r0.resp", 1, 1);
    var r = new SequentialEngine(RunLimits.DEFAULT, false).run(net, x -> { },
        ProgressListener.NONE);
    assertEquals(RunStatus.ABORTED, r.status());
    return String.join("; ", r.problems());
  }

  /**
   * Turnarounds between reads and writes once the rows are open (reads of both ranks or bank
   * groups first: RD 8 and 13, or 8 and 12). A read of rank 0 at 32, then a write of rank 1:
   * RD + RL + burst - WL + tRTRS = 32 + 7 = 39. A write of rank 0 at 32, then a read of rank 1:
   * WR + WL + burst + burst + tRTRS - RL - burst = 32 + 3 = 35. A read of bank group 0 at 32,
   * then a write of bank group 1: 32 + 7 = 39.
   */
  @Test
  void readWriteTurnaroundsAcrossRanksAndBankGroups() {
    var readThenWrite = run(TWO_RANKS, NO_REFRESH, read(0, 0, 64), read(0, 2048, 64),
        read(30, 64, 64), write(30, 2048 + 64, 64));
    assertEquals(List.of(8L, 13L, 32L), readThenWrite.clocks("RD"));
    assertEquals(List.of(39L), readThenWrite.clocks("WR"));
    assertEquals(List.of(23L, 28L, 47L, 33L), readThenWrite.arrivals(0));

    var writeThenRead = run(TWO_RANKS, NO_REFRESH, read(0, 0, 64), read(0, 2048, 64),
        write(30, 64, 64), read(31, 2048 + 64, 64));
    assertEquals(List.of(32L), writeThenRead.clocks("WR"));
    assertEquals(List.of(8L, 13L, 35L), writeThenRead.clocks("RD"));
    assertEquals(List.of(23L, 28L, 33L, 50L), writeThenRead.arrivals(0));

    var groups = run(SMALL, NO_REFRESH, read(0, 0, 64), read(0, 1024, 64), read(30, 64, 64),
        write(30, 1024 + 64, 64));
    assertEquals(List.of(8L, 12L, 32L), groups.clocks("RD"));
    assertEquals(List.of(39L), groups.clocks("WR"));
  }

  /**
   * Closed page with tRAS 5 (tRC 11): a read with auto-precharge at 8 lets its bank activate
   * again at 8 + AL + burst + tRTP + tRP = 21, later than tRC allows (13).
   */
  @Test
  void closedPageReactivatesAfterTheAutoPrecharge() {
    var device = SMALL.withClocks(SMALL_CLOCKS.toBuilder().tRas(5).build());
    var o = run(device, NO_REFRESH.withPage(Page.CLOSED), read(0, 0, 64), read(0, 64, 64));
    assertEquals(List.of(2L, 21L), o.clocks("ACT"));
    assertEquals(List.of(23L, 42L), o.arrivals(0));
  }

  /**
   * Per-bank refresh reaches rank 1 at 250 (after rank 0's four banks): it holds rank 1's bank
   * (0, 0), so a read of it sent at 251 activates at 250 + tRFCb = 270, not at 253.
   */
  @Test
  void perBankRefreshOfTheSecondRankHoldsItsOwnBank() {
    var device = TWO_RANKS.withClocks(SMALL_CLOCKS.toBuilder().tRefib(50).tRfcb(20).build());
    var o = run(device, DramPolicy.defaults(device).withRefresh(Refresh.BANK_STAGGERED),
        read(0, 0, 64), read(251, 2048, 64));
    assertEquals(List.of(2L, 270L), o.clocks("ACT"));
    assertEquals(List.of(23L, 291L), o.arrivals(0));
  }

  /**
   * Two requesters of 4 bursts each (bank 0 and bank 1) through a read queue of one: the ports
   * take turns, one burst a clock, so the banks' reads alternate (RD 8, 14, 20, ... 50) and r1
   * finishes only 6 clocks after r0 (arrivals 59 and 65), not after all of r0's bursts.
   */
  @Test
  void portsTakeTurnsHandingBurstsOver() {
    var r0 = new ScriptedRequester(List.of(read(0, 0, 256)));
    var r1 = new ScriptedRequester(List.of(read(0, 512, 256)));
    var o = run(DramTiming.sameClock(SMALL), NO_REFRESH.withQueues(1, 1), 4, 4, List.of(r0, r1));
    assertEquals(List.of(8L, 14L, 20L, 26L, 32L, 38L, 44L, 50L), o.clocks("RD"));
    assertEquals(List.of(0, 1, 0, 1, 0, 1, 0, 1), o.commands().stream()
        .filter(c -> c.command().equals("RD")).map(CommandRecord::bank).toList());
    assertEquals(List.of(59L), o.arrivals(0));
    assertEquals(List.of(65L), o.arrivals(1));

    // one row of one bank: reads issue in intake order, r0 and r1 alternating, so r0's last
    // burst is the 7th read (RD 44, arrival 59), not the 4th
    var s0 = new ScriptedRequester(List.of(read(0, 0, 256)));
    var s1 = new ScriptedRequester(List.of(read(0, 256, 256)));
    var oneRow = run(DramTiming.sameClock(SMALL), NO_REFRESH.withQueues(1, 1), 4, 4,
        List.of(s0, s1));
    assertEquals(List.of(8L, 14L, 20L, 26L, 32L, 38L, 44L, 50L), oneRow.clocks("RD"));
    assertEquals(List.of(59L), oneRow.arrivals(0));
    assertEquals(List.of(65L), oneRow.arrivals(1));
  }
}
