package dev.attnsim.actors.blocks.common.dram;

import static dev.attnsim.actors.blocks.common.dram.ScriptedRequester.Req.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.blocks.common.dram.DramControllerTest.Outcome;
import dev.attnsim.actors.blocks.common.dram.DramPolicy.Refresh;
import dev.attnsim.actors.blocks.common.dram.ScriptedRequester.Req;
import dev.attnsim.actors.kernel.ActorEngine;
import dev.attnsim.actors.kernel.Engine;
import dev.attnsim.actors.kernel.Link;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.SequentialEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast model ({@link FastDramController}), every figure worked by hand on {@link
 * DramControllerTest}'s small device and conventions (one DRAM clock per cycle, links of latency 1:
 * a request sent at 0 is taken at 1, its first command at 2). Where it agrees with the clocked
 * model the test says so; where first come, first served changes the schedule, the test shows
 * how.
 */
class FastDramControllerTest {

  static Outcome run(Engine engine, DramDevice device, DramPolicy policy, Req... script) {
    return DramControllerTest.run(DramModel.FAST, engine, DramTiming.sameClock(device), policy,
        16, 16, List.of(new ScriptedRequester(List.of(script))));
  }

  static Outcome run(DramDevice device, DramPolicy policy, Req... script) {
    return run(new SequentialEngine(RunLimits.DEFAULT, true), device, policy, script);
  }

  static Req write(long at, long address, long bytes) {
    return new Req(at, address, bytes, true);
  }

  static Outcome run(Req... script) {
    return run(DramControllerTest.SMALL, DramControllerTest.NO_REFRESH, script);
  }

  /**
   * As the clocked model: an idle bank, ACT 2, RD 2 + tRCD = 8, data [18, 22), arrival 23; a hit
   * sent at 30: RD 32, arrival 32 + RL + burst + 1 = 47; a conflict sent at 40: PRE at 42 (tRAS
   * ran out at 22), ACT 48, RD 54, arrival 69. Latencies 21, 15, 27; one request per class.
   */
  @Test
  void missHitAndConflictAreTimedAsTheClockedModelTimesThem() {
    var o = run(read(0, 0, 64), read(30, 64, 64), read(40, 2048, 64));
    assertEquals(List.of(23L, 47L, 69L), o.arrivals(0));
    assertEquals(List.of(1L, 1L, 1L), List.of(o.counter("row_misses"), o.counter("row_hits"),
        o.counter("row_conflicts")));
    assertEquals(21 + 15 + 27, o.counter("latency_total_cycles"));
    assertEquals(27, o.counter("latency_conflict_max_cycles"));
    assertEquals(2, o.counter("activates"));
    assertEquals(1, o.counter("precharges"));
    assertEquals(List.of(List.of(18L, 22L), List.of(42L, 46L), List.of(64L, 68L)), o.busy());

    var hbm = run(DramPresets.HBM2, DramPolicy.defaults(DramPresets.HBM2), read(0, 0, 64));
    assertEquals(31, hbm.counter("latency_total_cycles"));
  }

  /**
   * DDR4, eight reads of one row sent at 0: ACT 2, RD 2 + tRCD 22 = 24, then one every tCCD_L 8,
   * arrivals RD + RL 22 + burst 4 + 1: 51, 59, ..., 107, as the clocked model. The data bus
   * spans follow one another only every other 4 clocks, so eight spans.
   */
  @Test
  void ddr4ReadsOfOneBankGroupAreTccdLApart() {
    var ddr4 = DramPresets.DDR4_3200;
    var reads = new ArrayList<Req>();
    for (int k = 0; k < 8; k++) {
      reads.add(read(0, 64L * k, 64));
    }
    var o = run(ddr4, DramPolicy.defaults(ddr4), reads.toArray(Req[]::new));
    assertEquals(List.of(51L, 59L, 67L, 75L, 83L, 91L, 99L, 107L), o.arrivals(0));
    assertEquals(8, o.busy().size());
    assertEquals(List.of(46L, 50L), o.busy().get(0));
  }

  /**
   * First come, first served. Row 0 opens at 2 (RD 8; PRE allowed from ACT + tRAS = 22); at 10 a
   * read of row 1 and then a read of row 0 of the same bank are sent. The clocked model lets the
   * younger hit overtake (RD 14, arrival 29) while the precharge waits for tRAS, then serves the
   * conflict (PRE 22, ACT 28, RD 34, arrival 49). The fast model keeps their order: the conflict
   * the same (arrival 49), but the read of row 0 now finds row 1 open: PRE at 28 + tRAS = 48, ACT
   * 54 (tRC from 28), RD 60, arrival 75.
   */
  @Test
  void aRowHitDoesNotOvertakeAnOlderConflict() {
    var o = run(read(0, 0, 64), read(10, 2048, 64), read(10, 64, 64));
    assertEquals(List.of(23L, 49L, 75L), o.arrivals(0));
    assertEquals(2, o.counter("row_conflicts"));
    assertEquals(0, o.counter("row_hits"));

    var clocked = DramControllerTest.run(read(0, 0, 64), read(10, 2048, 64), read(10, 64, 64));
    assertEquals(List.of(23L, 49L, 29L), clocked.arrivals(0));
    assertEquals(1, clocked.counter("row_hits"));
  }

  /**
   * Refresh every 100, tRFC 30, as the clocked model's test: the read added at 111 finds the
   * refresh due at 100 before it (PRE 100, REF 106, ACT allowed from 136): a miss, RD 142,
   * arrival 157; the read added at 251 catches the refresh due at 200 up (PRE 200, REF 206): ACT
   * 252, RD 258, arrival 273.
   */
  @Test
  void refreshClosesTheRankAndHoldsItTrfc() {
    var policy = DramPolicy.defaults(DramControllerTest.SMALL);
    var o = run(DramControllerTest.SMALL, policy, read(0, 0, 64), read(110, 64, 64),
        read(250, 128, 64));
    assertEquals(List.of(23L, 157L, 273L), o.arrivals(0));
    assertEquals(2, o.counter("refreshes"));
    assertEquals(3, o.counter("row_misses"));
    assertEquals(2, o.counter("precharges"));
  }

  /**
   * Room for read-queue 2 + command-queue 1 = 3 unissued reads. A 512 B request (eight bursts of
   * one row) sent at 0: bursts 1-3 handed over at 1 (RD 8, 14, 20: tCCD_L 6 apart); burst 4 at
   * burst 1's RD + 1 = 9, RD 26; then 15, 21, 27, 33 for RD 32, 38, 44, 50. Data complete at
   * 50 + 14 = 64, arrival 65. A read of bank 1 sent at 0 behind it on the same link waits for
   * room: the oldest of the last three (RD 38) frees it at 39, where it is taken; ACT 40, RD after
   * the last column command + tCCD_L (same bank group): 56, arrival 71. Latencies (taken to
   * leaving) 64 - 1 and 70 - 39.
   */
  @Test
  void aFullChannelHoldsTheNextBurstBack() {
    var policy = DramControllerTest.NO_REFRESH.withQueues(2, 2).withCommandQueueEntries(1);
    var o = run(DramControllerTest.SMALL, policy, read(0, 0, 512), read(0, 512, 64));
    assertEquals(List.of(65L, 71L), o.arrivals(0));
    assertEquals(63 + 31, o.counter("latency_total_cycles"));
    assertEquals(9, o.counter("bursts"));
  }

  /**
   * Three requesters sending seeded random reads and writes of 64 B to 1 KiB on HBM2: both
   * engines give the same arrivals and counters (the kernel checks every send against the
   * controller's promise), every burst has a class, and reads + writes add up.
   */
  @Test
  void enginesAgreeAndThePromiseHolds() {
    var rnd = new SplittableRandom(7);
    List<List<Req>> scripts = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      var s = new ArrayList<Req>();
      long at = 0;
      for (int i = 0; i < 60; i++) {
        at += rnd.nextInt(40);
        long bytes = 64L << rnd.nextInt(5);
        s.add(new Req(at, rnd.nextLong(1L << 24) / 64 * 64, bytes, rnd.nextInt(5) == 0));
      }
      scripts.add(s);
    }
    var timing = DramPresets.hbm2(1.0);
    var policy = DramPolicy.defaults(timing.device());
    Outcome seq = DramControllerTest.run(DramModel.FAST,
        new SequentialEngine(RunLimits.DEFAULT, true), timing, policy, 2, Link.UNBOUNDED,
        scripts.stream().map(ScriptedRequester::new).toList());
    Outcome act = DramControllerTest.run(DramModel.FAST, new ActorEngine(2, RunLimits.DEFAULT, true),
        timing, policy, 2, Link.UNBOUNDED, scripts.stream().map(ScriptedRequester::new).toList());
    for (int r = 0; r < 3; r++) {
      assertEquals(seq.arrivals(r), act.arrivals(r));
    }
    var c = seq.dram().counters();
    assertEquals(c, act.dram().counters());
    assertEquals(180, c.get("requests"));
    assertEquals(c.get("bursts"), c.get("row_hits") + c.get("row_misses")
        + c.get("row_conflicts"));
    assertEquals(c.get("bursts") * 64, c.get("bytes_read") + c.get("bytes_written"));
    assertTrue(c.get("bytes_written") > 0);
  }

  /**
   * The streams of {@link DramStreamTest} against the clocked model. HBM2 2 KiB requests, each a
   * whole row, the accelerators' traffic: 17584 cycles against 17690 (-0.6 %), the same 32
   * refreshes. 64 B reads at random addresses: 69997 against 69020 (+1.4 %): a bank that waits
   * for its activation lets later bursts to other banks go first (ColumnCalendar), as the clocked
   * model's round robin over the bank queues does; in order, they took 116705. DDR4's 64 B
   * sequential reads: 252073 against 248961 (+1.3 %), the next row's bank group filling the
   * tCCD_L gaps (345916 in order).
   */
  @Test
  void streamsTakeTheClockedModelsCyclesWithinAFewPerCent() {
    var rows = DramStreamTest.stream(DramModel.FAST, DramPresets.hbm2(1.0), 2048, i -> i * 2048);
    assertEquals(17584, rows.cycles());
    assertEquals(32, rows.counters().get("refreshes"));
    assertEquals(16384, rows.counters().get("bus_busy_cycles_max"));
    var rnd = new SplittableRandom(42);
    var random = DramStreamTest.stream(DramModel.FAST, DramPresets.hbm2(1.0), 64,
        i -> rnd.nextLong(1L << 30) / 64 * 64);
    assertEquals(69997, random.cycles());
    var ddr4 = DramStreamTest.stream(DramModel.FAST, DramPresets.ddr4_3200(1.0), 64, i -> i * 64);
    assertEquals(252073, ddr4.cycles());
  }

  /** Closed page: every access activates; the auto-precharge is no PRE command. */
  @Test
  void closedPageActivatesForEveryAccess() {
    var policy = DramControllerTest.NO_REFRESH.withPage(DramPolicy.Page.CLOSED);
    var o = run(DramControllerTest.SMALL, policy, read(0, 0, 64), read(30, 64, 64));
    assertEquals(2, o.counter("row_misses"));
    assertEquals(2, o.counter("activates"));
    assertEquals(0, o.counter("precharges"));
    // RD 8 auto-precharges: ACT allowed from 8 + AL + burst + tRTP + tRP = 21, and tRC after ACT
    // 2: 28; the hit-that-is-not sent at 30: ACT 32, RD 38, arrival 53.
    assertEquals(List.of(23L, 53L), o.arrivals(0));
  }

  /**
   * Per-bank refresh (tREFIb 50, tRFCb 20): at 50 bank 0 refreshes and may activate again only at
   * 70. A read of bank 1 handed over at 50 goes at once (ACT 51, RD 57, arrival 72); a read of
   * bank 0 behind it waits (ACT 70, RD 76, arrival 91), as in the clocked model.
   */
  @Test
  void perBankRefreshHoldsOnlyItsBank() {
    var device = DramControllerTest.SMALL.withClocks(
        DramControllerTest.SMALL_CLOCKS.toBuilder().tRefib(50).tRfcb(20).build());
    var policy = DramPolicy.defaults(device).withRefresh(Refresh.BANK_STAGGERED);
    var o = run(device, policy, read(49, 512, 64), read(49, 0, 64));
    assertEquals(List.of(72L, 91L), o.arrivals(0));
    assertEquals(1, o.counter("refreshes"));
  }

  /**
   * Writes are posted and timed in order with the reads, as the clocked model times them here: a
   * write at 0 taken at 1 (acknowledged at 2, arrival 3), ACT 2, WR 8; a read of the same bank
   * group sent at 8 waits for WR + WL + burst + tWTR_L = 24 (arrival 39), of another bank group
   * (ACT 10) for WR + WL + burst + tWTR_S = 22 (arrival 37).
   */
  @Test
  void writeToReadTurnaroundAsTheClockedModel() {
    assertEquals(List.of(3L, 39L), run(write(0, 0, 64), read(8, 64, 64)).arrivals(0));
    var other = run(write(0, 0, 64), read(8, 1024, 64));
    assertEquals(List.of(3L, 37L), other.arrivals(0));
    assertEquals(64, other.counter("bytes_written"));
    assertEquals(64, other.counter("bytes_read"));
  }

  /**
   * DDR4 with tRCD 60, eight reads of eight banks, the clocked model's test: in one rank ACTs
   * at 2, 6, 10, 14 (tRRD_S), then the tFAW window of the rank's last four, 2 + 34 = 36, 40, 44,
   * 48; the reads 60 later, each at least tCCD_S after the one before: RD 62, 66, 70, 74, 96,
   * 100, 104, 108, arrivals RD + RL 22 + burst 4 + 1 (the clocked model visits the bank queues
   * round robin and serves the eighth before the fifth). In two ranks the windows are the ranks'
   * own, so no read waits for one; first come, first served alternates the ranks, each read burst
   * + tRTRS = 5 after the one before (RD 62, 67, ..., 97), where the clocked model serves one
   * rank's four reads, then the other's, switching once: its last read arrives at 118, not 124.
   */
  @Test
  void tfawIsPerRankAndRankSwitchesCostTrtrs() {
    var ddr4 = DramControllerTest.DDR4_SLOW_RCD;
    var policy = DramPolicy.defaults(ddr4).withRefresh(Refresh.NONE);
    var one = run(ddr4, policy, DramControllerTest.eightBanks(false));
    assertEquals(List.of(89L, 93L, 97L, 101L, 123L, 127L, 131L, 135L), one.arrivals(0));
    // the clocked model visits the bank queues round robin: the eighth read goes before the
    // fifth, the same reads at the same clocks otherwise
    assertEquals(List.of(89L, 93L, 97L, 101L, 127L, 131L, 135L, 123L),
        DramControllerTest.run(ddr4, policy, DramControllerTest.eightBanks(false)).arrivals(0));
    var two = run(ddr4, policy, DramControllerTest.eightBanks(true));
    assertEquals(List.of(89L, 94L, 99L, 104L, 109L, 114L, 119L, 124L), two.arrivals(0));
    assertEquals(List.of(89L, 106L, 93L, 110L, 97L, 114L, 101L, 118L),
        DramControllerTest.run(ddr4, policy, DramControllerTest.eightBanks(true)).arrivals(0));
    assertEquals(8, two.counter("activates"));
  }

  /**
   * A 4 KiB write spans two HBM2 channels (2 KiB of a row each): handed over whole at 1 and
   * acknowledged at 2 (arrival 3) with wide intake; one burst a clock with {@code intake = one},
   * the 64th at 64, acknowledged 65, arrival 66.
   */
  @Test
  void intakeOneHandsOneBurstAClock() {
    var hbm = DramPresets.HBM2;
    var wide = run(hbm, DramPolicy.defaults(hbm), write(0, 0, 4096));
    assertEquals(List.of(3L), wide.arrivals(0));
    assertEquals(64, wide.counter("bursts"));
    var one = run(hbm, DramPolicy.defaults(hbm).withIntake(DramPolicy.Intake.ONE),
        write(0, 0, 4096));
    assertEquals(List.of(66L), one.arrivals(0));
    assertEquals(2, one.counter("activates")); // one row in each channel
  }

  /**
   * The promise: never before a request arrives and after the last response; with the read on
   * its link, the cycle it may be taken (1: a credit may leave at once); once taken (RD 8,
   * complete 22), its departure, 22, through the wake-up at 18 that reports the
   * data bus busy. Both engines ask the same questions and get the same answers.
   */
  @Test
  void theFastModelPromisesItsNextDeparture() {
    var promises = DramPromiseTest.run(DramModel.FAST, false, 16, List.of(read(0, 0, 64)));
    assertEquals(List.of("0:never", "0:never", "1:1", "1:22", "18:22", "22:never", "24:never",
        "24:never"), promises);
    assertEquals(promises, DramPromiseTest.run(DramModel.FAST, true, 16, List.of(read(0, 0, 64))));
  }

  /**
   * Queue room as a count: with room for 2, after bursts leaving at 10, 20 and 15 a burst fits at
   * 16 (only the one leaving at 20 is still there), also asked from 12, from 3 (an earlier clock
   * than the last question: bisection) and from 16; from 21 at once. Forgetting what left before
   * 16 leaves one: room at once.
   */
  @Test
  void queueRoomCountsWhatIsStillThere() {
    var q = new TimedChannel.QueueRoom(2);
    assertEquals(5, q.firstRoom(5));
    q.add(10);
    q.add(20);
    q.add(15);
    assertEquals(16, q.firstRoom(5));
    assertEquals(16, q.firstRoom(12));
    assertEquals(16, q.firstRoom(3));
    assertEquals(16, q.firstRoom(16));
    assertEquals(21, q.firstRoom(21));
    q.add(30);
    assertEquals(21, q.firstRoom(17)); // 20 and 30 stay at 17..20
    q.forgetBefore(16);
    q.add(25);
    assertEquals(26, q.firstRoom(16)); // 20, 25, 30 left: two stay until 25
    q.forgetBefore(31);
    assertEquals(31, q.firstRoom(31));
  }

  /**
   * Column commands on the small device (RD to RD: tCCD_S 4 in another bank group of the rank,
   * tCCD_L 6 in the same, burst + tRTRS 5 in the other rank; WR to RD in the same group WL 8 +
   * burst 4 + tWTR_L 4 = 16): with a RD booked at 10, a RD of another group fits before it at 0
   * (a gap: 10 is 4 or more after), not at 8 (only 2 before it), so 14; one of the same group 16.
   * After a WR at 30, a RD of its group goes at 46, of another group at 44 (the bounds of a
   * command after every other). On DDR4's two ranks a RD of the other rank fits 5 before a booked
   * one, not 3.
   */
  @Test
  void columnCalendarKeepsTheDistancesBothWays() {
    var c = new TimedChannel.ColumnCalendar(new DramDelays(DramControllerTest.SMALL), 1, 2);
    c.add(10, 0, 0, false);
    assertEquals(0, c.place(0, 0, 1, false));
    assertEquals(14, c.place(8, 0, 1, false));
    assertEquals(16, c.place(8, 0, 0, false));
    assertEquals(20, c.place(20, 0, 1, false));
    c.add(30, 0, 0, true);
    assertEquals(46, c.place(31, 0, 0, false));
    assertEquals(44, c.place(31, 0, 1, false)); // WL + burst + tWTR_S 2 = 14 in another group
    var two = new TimedChannel.ColumnCalendar(new DramDelays(DramPresets.DDR4_3200), 2, 8);
    two.add(100, 0, 0, false);
    assertEquals(95, two.place(95, 1, 4, false)); // 100 is burst + tRTRS = 5 after: it fits
    assertEquals(105, two.place(97, 1, 4, false)); // 3 before: past it, 5 after
  }

  /**
   * Activations with tRRD_L 3, tRRD_S 2 and tFAW 20 (the small device's, tFAW set): one at 5
   * keeps another of its group to 8, of another group (asked from 4) to 7, and lets one at 2 go
   * before it. After four at 0, 2, 4, 6 the fifth waits for the window: 20. Before four at 10,
   * 12, 14, 16 nothing fits (any five would lie within 20 clocks) until 10 + 20 = 30.
   */
  @Test
  void activateCalendarKeepsTrrdAndTheFourActivationWindow() {
    var delays = new DramDelays(DramControllerTest.SMALL);
    var a = new TimedChannel.ActivateCalendar(delays, 20);
    a.add(5, 0);
    assertEquals(8, a.place(5, 0));
    assertEquals(7, a.place(4, 1));
    assertEquals(2, a.place(2, 1));
    var w = new TimedChannel.ActivateCalendar(delays, 20);
    for (int k = 0; k < 4; k++) {
      w.add(2L * k, k % 2);
    }
    assertEquals(20, w.place(8, 0));
    var later = new TimedChannel.ActivateCalendar(delays, 20);
    for (int k = 0; k < 4; k++) {
      later.add(10 + 2L * k, k % 2);
    }
    assertEquals(30, later.place(0, 0));
    later.forgetBefore(100); // the last four stay: the window still counts them
    assertEquals(100, later.place(100, 0));
  }

  /**
   * Per-bank refresh on DDR4's two ranks (tREFIb 50, tRFCb 20): the k-th refresh, due at 50 k,
   * takes bank group {@code k % 4}, bank {@code k / 4 % 4} of rank {@code k / 16 % 2} (DRAMSim3's
   * order). A read handed over at 150 catches up the refreshes due at 50, 100 and 150; the last
   * holds bank group 2, bank 0 until 170: ACT 170, RD + tRCD 22 = 192, data done + CL 22 + burst
   * 4 = 218, arrival 219, where bank group 3 activates at once (151: arrival 200). At 850 the
   * seventeenth takes rank 1's first bank (arrival 919), not rank 0's (arrival 900).
   */
  @Test
  void perBankRefreshGoesGroupsBanksThenRanks() {
    var ddr4 = DramPresets.DDR4_3200.withClocks(DramPresets.DDR4_3200.clocks().toBuilder()
        .tRefib(50).tRfcb(20).build());
    var policy = DramPolicy.defaults(ddr4).withRefresh(Refresh.BANK_STAGGERED);
    assertEquals(List.of(219L), run(ddr4, policy, read(149, 2L << 13, 64)).arrivals(0));
    assertEquals(List.of(200L), run(ddr4, policy, read(149, 3L << 13, 64)).arrivals(0));
    assertEquals(List.of(919L), run(ddr4, policy, read(849, 1L << 17, 64)).arrivals(0));
    assertEquals(List.of(900L), run(ddr4, policy, read(849, 0, 64)).arrivals(0));
    assertEquals(17, run(ddr4, policy, read(849, 0, 64)).counter("refreshes"));
  }
}
