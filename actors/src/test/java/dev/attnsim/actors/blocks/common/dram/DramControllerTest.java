package dev.attnsim.actors.blocks.common.dram;

import static dev.attnsim.actors.blocks.common.dram.ScriptedRequester.Req.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.blocks.common.dram.DramController.CommandRecord;
import dev.attnsim.actors.blocks.common.dram.DramPolicy.Page;
import dev.attnsim.actors.blocks.common.dram.DramPolicy.Refresh;
import dev.attnsim.actors.blocks.common.dram.ScriptedRequester.Req;
import dev.attnsim.actors.kernel.ActorEngine;
import dev.attnsim.actors.kernel.Block;
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
 * The controller on the sequential engine, every figure worked by hand, in DRAM clocks (the
 * controller is clocked with the DRAM: one cycle per clock, except where a test says otherwise).
 *
 * <p>Unless a test says otherwise: the {@link #SMALL} device (one channel, one rank, 2 bank groups
 * x 2 banks, 512 B rows of 8 bursts of 64 B, a burst 4 clocks; CL 10, CWL 8, tRCD 6, tRP 6, tRAS
 * 20, tRRD_S/L 2/3, no tFAW, tCCD_S/L 4/6, tWTR_S/L 2/4, tWR 8, tRTP 3, tRTRS 1), DRAMSim3's
 * controller ({@link DramPolicy#defaults}) without refresh, links of latency 1. Address bits
 * ({@code row:rank:bankgroup:bank:channel:column}): 6-8 column, 9 bank, 10 bank group, 11 and up
 * row; so 64 is the next column, 512 bank 1, 1024 bank group 1, 2048 row 1.
 *
 * <p>A request sent at cycle 0 arrives at 1 and is added to its channel at clock 1 (before that
 * clock's tick, as DRAMSim3 adds a transaction); the tick of clock 1 moves it into its bank's
 * command queue, so its first command can issue at 2. Derived delays: read to data complete
 * RL + burst = 14; read to precharge AL + tRTP = 3; a response leaving at {@code t} arrives at
 * {@code t + 1}.
 */
class DramControllerTest {

  static final DramDevice.Clocks SMALL_CLOCKS = DramDevice.Clocks.builder().cl(10).cwl(8).tRcd(6)
      .tRp(6).tRas(20).tRrdS(2).tRrdL(3).tCcdS(4).tCcdL(6).tWtrS(2).tWtrL(4).tWr(8).tRtp(3)
      .tRtrs(1).tRfc(30).tRefi(100).build();
  static final AddressMapping RRGBCC = AddressMapping.parse("row:rank:bankgroup:bank:channel:column");
  static final DramDevice SMALL =
      new DramDevice("small", false, 1, 1, 2, 2, 512, 64, 8, 1.0, SMALL_CLOCKS, RRGBCC);
  static final DramPolicy NO_REFRESH = DramPolicy.defaults(SMALL).withRefresh(Refresh.NONE);

  record Outcome(RunResult result, List<TraceRecord> trace, Block dram,
      List<ScriptedRequester> requesters, List<CommandRecord> commands) {
    List<Long> arrivals(int requester) {
      return requesters.get(requester).arrivals();
    }

    long counter(String name) {
      return dram.counters().get(name);
    }

    /** Clocks of the commands named {@code command}, in issue order. */
    List<Long> clocks(String command) {
      return commands.stream().filter(c -> c.command().equals(command))
          .map(CommandRecord::clock).toList();
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
    return run(DramModel.DRAMSIM3, engine, timing, policy, requestDepth, responseDepth,
        requesters);
  }

  /** As above with the controller of {@code model} (the fast one records no commands). */
  static Outcome run(DramModel model, Engine engine, DramTiming timing, DramPolicy policy,
      int requestDepth, int responseDepth, List<ScriptedRequester> requesters) {
    var commands = new ArrayList<CommandRecord>();
    Block dram = model == DramModel.DRAMSIM3
        ? new DramController(requesters.size(), timing, policy).observeCommands(commands::add)
        : model.controller(requesters.size(), timing, policy);
    var net = new Netlist().add("dram", dram);
    for (int i = 0; i < requesters.size(); i++) {
      net.add("r" + i, requesters.get(i))
          .connect("r" + i + ".req", "dram.req" + i, 1, requestDepth)
          .connect("dram.resp" + i, "r" + i + ".resp", 1, responseDepth);
    }
    var trace = new ArrayList<TraceRecord>();
    RunResult r = engine.run(net, trace::add, ProgressListener.NONE);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    return new Outcome(r, trace, dram, requesters, commands);
  }

  static Outcome run(DramDevice device, DramPolicy policy, Req... script) {
    return run(DramTiming.sameClock(device), policy, 16, 16,
        List.of(new ScriptedRequester(List.of(script))));
  }

  static Outcome run(Req... script) {
    return run(SMALL, NO_REFRESH, script);
  }

  static Req write(long at, long address, long bytes) {
    return new Req(at, address, bytes, true);
  }

  /**
   * Idle bank: added at 1, ACT at 2, RD at 2 + tRCD = 8, data [8 + CL, + burst) = [18, 22),
   * complete at 22, arrival 23. Latency 1 + tRCD + CL + burst = 21 (DRAMSim3's unloaded figure:
   * HBM2 1 + 14 + 14 + 2 = 31).
   */
  @Test
  void readToAnIdleBankQueuesActivatesAndReads() {
    var o = run(read(0, 0, 64));

    assertEquals(List.of(23L), o.arrivals(0));
    assertEquals(List.of(2L), o.clocks("ACT"));
    assertEquals(List.of(8L), o.clocks("RD"));
    assertEquals(1, o.counter("row_misses"));
    assertEquals(21, o.counter("latency_total_cycles"));
    assertEquals(1, o.counter("requests_miss"));
    assertEquals(21, o.counter("latency_miss_total_cycles"));
    assertEquals(64, o.counter("bytes_read"));
    assertEquals(List.of(List.of(18L, 22L)), o.busy());

    var hbm = run(DramPresets.HBM2, DramPolicy.defaults(DramPresets.HBM2), read(0, 0, 64));
    assertEquals(31, hbm.counter("latency_total_cycles"));
  }

  /**
   * A hit (64, same row) sent at 30: added 31, RD at 32, complete 46, arrival 47: latency
   * 1 + CL + burst = 15. A conflict (2048, row 1) sent at 40: added 41, PRE at 42 (tRAS ran out at
   * 22, the read's tRTP at 11), ACT 48, RD 54, complete 68, arrival 69: latency
   * 1 + tRP + tRCD + CL + burst = 27.
   */
  @Test
  void hitsAndConflicts() {
    var hit = run(read(0, 0, 64), read(30, 64, 64));
    assertEquals(List.of(23L, 47L), hit.arrivals(0));
    assertEquals(List.of(1L, 1L), List.of(hit.counter("row_hits"), hit.counter("row_misses")));
    assertEquals(15, hit.counter("latency_hit_total_cycles"));

    var conflict = run(read(0, 0, 64), read(40, 2048, 64));
    assertEquals(List.of(23L, 69L), conflict.arrivals(0));
    assertEquals(List.of(42L), conflict.clocks("PRE"));
    assertEquals(List.of(2L, 48L), conflict.clocks("ACT"));
    assertEquals(1, conflict.counter("row_conflicts"));
    assertEquals(27, conflict.counter("latency_conflict_max_cycles"));
  }

  /**
   * DDR4 (the preset, clocked with the DRAM): eight reads of one row, one bank group. Added at 1,
   * moved into the bank queue one per clock; ACT at 2, the first RD at 2 + tRCD = 24, then one
   * every max(burst 4, tCCD_L 8) = 8 clocks: 24, 32, ..., 80; data complete RD + 26, arrivals
   * 51, 59, ..., 107: half the bus. Alternating two bank groups (A0 B0 A1 B1, B = bank group 1 at
   * 8192): ACT B at 2 + tRRD_S = 6; RD A0 24, B0 max(6 + 22, 24 + tCCD_S 4) = 28, A1 max(24 + 8,
   * 28 + 4) = 32, B1 36: one every 4 clocks, the full bus.
   */
  @Test
  void ddr4StreamInOneBankGroupIsTccdLBound() {
    var ddr4 = DramPresets.DDR4_3200;
    var policy = DramPolicy.defaults(ddr4);
    var oneGroup = new ArrayList<Req>();
    for (int k = 0; k < 8; k++) {
      oneGroup.add(read(0, 64L * k, 64));
    }
    var o = run(ddr4, policy, oneGroup.toArray(Req[]::new));
    assertEquals(List.of(24L, 32L, 40L, 48L, 56L, 64L, 72L, 80L), o.clocks("RD"));
    assertEquals(List.of(51L, 59L, 67L, 75L, 83L, 91L, 99L, 107L), o.arrivals(0));

    var twoGroups = run(ddr4, policy, read(0, 0, 64), read(0, 8192, 64), read(0, 64, 64),
        read(0, 8192 + 64, 64));
    assertEquals(List.of(2L, 6L), twoGroups.clocks("ACT"));
    assertEquals(List.of(24L, 28L, 32L, 36L), twoGroups.clocks("RD"));
  }

  /**
   * DDR4 with tRCD 60 (so no read competes with the activations): eight reads to eight banks.
   * One rank, bank groups 0-3 of bank 0 then of bank 1: ACTs tRRD_S = 4 apart at 2, 6, 10, 14,
   * then the fifth waits for the four-activate window of its rank, 2 + tFAW 34 = 36, and the
   * rest follow the window: 40, 44, 48. Alternating two ranks (rank = address bit 17), bank groups
   * 0-3 of each: each rank's window holds only four, and ranks do not constrain each other's
   * activations: 2, 3, 6, 7, 10, 11, 14, 15. Eight activations in one tFAW window, not four.
   */
  @Test
  void twoRanksDoubleTheActivationsPerFawWindow() {
    var ddr4 = DDR4_SLOW_RCD;
    var policy = DramPolicy.defaults(ddr4);
    var one = run(ddr4, policy, eightBanks(false));
    assertEquals(List.of(2L, 6L, 10L, 14L, 36L, 40L, 44L, 48L), one.clocks("ACT"));
    var two = run(ddr4, policy, eightBanks(true));
    assertEquals(List.of(2L, 3L, 6L, 7L, 10L, 11L, 14L, 15L), two.clocks("ACT"));
    assertEquals(List.of(0, 1, 0, 1, 0, 1, 0, 1),
        two.commands().stream().filter(c -> c.command().equals("ACT"))
            .map(CommandRecord::rank).toList());
  }

  /** DDR4 with tRCD 60, so that no read competes with the activations. */
  static final DramDevice DDR4_SLOW_RCD = DramPresets.DDR4_3200.withClocks(
      DramPresets.DDR4_3200.clocks().toBuilder().tRcd(60).build());

  /**
   * Eight reads sent at 0 to eight banks: bank groups 0-3 of bank 0, then of bank 1, in one rank;
   * or alternating the two ranks (rank = address bit 17), bank groups 0-3 of each.
   */
  static Req[] eightBanks(boolean twoRanks) {
    var reads = new Req[8];
    for (int i = 0; i < 8; i++) {
      reads[i] = read(0, twoRanks ? ((long) (i % 2) << 17) | ((long) (i / 2) << 13)
          : ((long) (i / 4) << 15) | ((long) (i % 4) << 13), 64);
    }
    return reads;
  }

  /**
   * Refresh every tREFI = 100 (one rank), tRFC 30. The first read opens row 0 (ACT 2, RD 8). At
   * 100 the refresh precharges the open bank (PRE 100) and refreshes tRP later (REF 106); the bank
   * may activate again only at 106 + tRFC = 136: a read of row 0 added at 111 is a miss, ACT 136,
   * RD 142, arrival 157 (without refresh a hit: RD 112). The controller is idle from 156; the
   * refresh due at 200 is caught up when the next read arrives (added 251): PRE 200, REF 206, so
   * that read activates at 252 (ACT allowed from 236), RD 258, arrival 273.
   */
  @Test
  void refreshBlocksTheRankForTrfcEveryTrefi() {
    var policy = DramPolicy.defaults(SMALL);
    var o = run(SMALL, policy, read(0, 0, 64), read(110, 64, 64), read(250, 128, 64));
    assertEquals(List.of(100L, 200L), o.clocks("PRE"));
    assertEquals(List.of(106L, 206L), o.clocks("REF"));
    assertEquals(List.of(2L, 136L, 252L), o.clocks("ACT"));
    assertEquals(List.of(8L, 142L, 258L), o.clocks("RD"));
    assertEquals(List.of(23L, 157L, 273L), o.arrivals(0));
    assertEquals(2, o.counter("refreshes"));
    assertEquals(3, o.counter("row_misses"));

    var none = run(read(0, 0, 64), read(110, 64, 64));
    assertEquals(List.of(8L, 112L), none.clocks("RD"));
  }

  /**
   * Per-bank refresh (tREFIb 50, tRFCb 20): at 50 the first bank in turn (bank 0) refreshes and
   * may activate again only at 70; bank 1 is not held. Reads of bank 0 and bank 1 both added at
   * 50: bank 0's moves to its queue at 50 but activates at 70 (RD 76, arrival 91); bank 1's moves
   * at 51 and activates at 52 (RD 58, arrival 73).
   */
  @Test
  void perBankRefreshHoldsOnlyTheRefreshedBank() {
    var device = SMALL.withClocks(SMALL_CLOCKS.toBuilder().tRefib(50).tRfcb(20).build());
    var policy = DramPolicy.defaults(device).withRefresh(Refresh.BANK_STAGGERED);
    var o = run(device, policy, read(49, 0, 64), read(49, 512, 64));
    assertEquals(List.of(50L), o.clocks("REFB"));
    assertEquals(List.of(52L, 70L), o.clocks("ACT"));
    assertEquals(List.of(58L, 76L), o.clocks("RD"));
    assertEquals(List.of(91L, 73L), o.arrivals(0));
  }

  /**
   * A write at 0 is buffered at 1 (posted: it leaves at 2, arrives 3); with nothing else to do the
   * buffer drains: ACT 2, WR at 2 + tRCD = 8. A read sent at 8 (added 9) waits for the write's
   * data and tWTR: same bank group WR + WL + burst + tWTR_L = 8 + 8 + 4 + 4 = 24, arrival
   * 24 + 14 + 1 = 39; another bank group (1024, ACT 10) 8 + 8 + 4 + tWTR_S 2 = 22, arrival 37.
   * The other way round, a read (RD 8) then a write buffered behind it: the write drains once no
   * read is left, at RD + RL + burst - WL + tRTRS = 8 + 10 + 4 - 8 + 1 = 15.
   */
  @Test
  void writeToReadTurnaroundIsTwtrBound() {
    var same = run(write(0, 0, 64), read(8, 64, 64));
    assertEquals(List.of(3L, 39L), same.arrivals(0));
    assertEquals(List.of(8L), same.clocks("WR"));
    assertEquals(List.of(24L), same.clocks("RD"));
    assertEquals(64, same.counter("bytes_written"));

    var other = run(write(0, 0, 64), read(8, 1024, 64));
    assertEquals(List.of(2L, 10L), other.clocks("ACT"));
    assertEquals(List.of(22L), other.clocks("RD"));
    assertEquals(List.of(3L, 37L), other.arrivals(0));

    var readFirst = run(read(0, 0, 64), write(0, 64, 64));
    assertEquals(List.of(8L), readFirst.clocks("RD"));
    assertEquals(List.of(15L), readFirst.clocks("WR"));
    assertEquals(List.of(23L, 3L), readFirst.arrivals(0));
  }

  /**
   * Two writes of one row (one 128 B request): buffered at 1, acknowledged at 2 (arrival 3),
   * drained: ACT 2, WR 8 and 8 + max(burst, tCCD_L) = 14; data [16, 20) and [22, 26) on the bus.
   */
  @Test
  void writesArePostedAndTimedAsWrites() {
    var o = run(write(0, 0, 128));
    assertEquals(List.of(3L), o.arrivals(0));
    assertEquals(List.of(8L, 14L), o.clocks("WR"));
    assertEquals(List.of(List.of(16L, 20L), List.of(22L, 26L)), o.busy());
    var ops = o.trace().stream().filter(r -> r instanceof TraceRecord.Busy)
        .map(r -> ((TraceRecord.Busy) r).op()).distinct().toList();
    assertEquals(List.of("dram-write"), ops);
    assertEquals(128, o.counter("bytes_written"));
    assertEquals(List.of(1L, 1L), List.of(o.counter("row_misses"), o.counter("row_hits")));
  }

  /**
   * One bank of a device with tRCD 20 (1 bank group, 2 banks, 2 KiB rows; row r column c at
   * r x 4096 + c x 64), no row-hit cap: A0 (row 0), B0..B7 (row 1), A1..A4 (row 0), all added at
   * 1 and moved into the bank queue one per clock. ACT A at 2, RD A0 at 22.
   *
   * <p>Window of 8: by 22 the bank queue holds A0, B0..B6; A1..A4 wait in the read queue, unseen,
   * so no hit is pending once A0 is read: PRE at max(2 + tRAS, 22 + tRTP) = 25, ACT B 31, B0..B7
   * at 51..79 (4 apart), then A1's PRE at 82, ACT 88, A1..A4 at 108..120: three activations.
   * Window of 16: A1..A4 are queued hits, so they go first: 26..38, PRE 41, ACT 47, B0..B7 at
   * 67..95: two activations.
   */
  @Test
  void aBanksCommandWindowOfEightLimitsReordering() {
    var device = windowDevice();
    var script = new ArrayList<Req>();
    script.add(read(0, 0, 64));
    for (int c = 0; c < 8; c++) {
      script.add(read(0, 4096 + 64L * c, 64));
    }
    for (int c = 1; c <= 4; c++) {
      script.add(read(0, 64L * c, 64));
    }
    var policy = DramPolicy.defaults(device).withRefresh(Refresh.NONE).withRowHitCap(0);

    var eight = run(device, policy, script.toArray(Req[]::new));
    assertEquals(List.of(2L, 31L, 88L), eight.clocks("ACT"));
    assertEquals(List.of(25L, 82L), eight.clocks("PRE"));
    assertEquals(List.of(22L, 51L, 55L, 59L, 63L, 67L, 71L, 75L, 79L, 108L, 112L, 116L, 120L),
        eight.clocks("RD"));

    var sixteen = run(device, policy.withCommandQueueEntries(16), script.toArray(Req[]::new));
    assertEquals(List.of(2L, 47L), sixteen.clocks("ACT"));
    assertEquals(List.of(22L, 26L, 30L, 34L, 38L, 67L, 71L, 75L, 79L, 83L, 87L, 91L, 95L),
        sixteen.clocks("RD"));
  }

  static DramDevice windowDevice() {
    var clocks = DramDevice.Clocks.builder().cl(10).cwl(8).tRcd(20).tRp(6).tRas(20).tRrdS(2)
        .tRrdL(2).tCcdS(4).tCcdL(4).tWtrS(2).tWtrL(2).tWr(8).tRtp(3).tRtrs(1).build();
    return new DramDevice("window", false, 1, 1, 1, 2, 2048, 64, 8, 1.0, clocks, RRGBCC);
  }

  /**
   * DRAMSim3's row-hit cap: A0, X (row 1), A1..A6 in one bank's queue (the window device). Cap 4:
   * after A0..A3 (RD 22, 26, 30, 34) the row has had 4 hits, so X (now the oldest) may close it
   * although A4..A6 still hit: PRE 37, ACT 43, RD X 63; then A4..A6 reopen row 0: PRE
   * max(43 + tRAS, 63 + tRTP) = 66, ACT 72, RD 92, 96, 100. No cap: A0..A6 at 22..46, then X:
   * PRE 49, ACT 55, RD 75.
   */
  @Test
  void rowHitCapLetsAnOlderConflictCloseTheRowAfterFourHits() {
    var device = windowDevice();
    var script = new ArrayList<Req>();
    script.add(read(0, 0, 64));
    script.add(read(0, 4096, 64));
    for (int c = 1; c <= 6; c++) {
      script.add(read(0, 64L * c, 64));
    }
    var policy = DramPolicy.defaults(device).withRefresh(Refresh.NONE);
    var capped = run(device, policy, script.toArray(Req[]::new));
    assertEquals(List.of(22L, 26L, 30L, 34L, 63L, 92L, 96L, 100L), capped.clocks("RD"));
    assertEquals(List.of(37L, 66L), capped.clocks("PRE"));
    var free = run(device, policy.withRowHitCap(0), script.toArray(Req[]::new));
    assertEquals(List.of(22L, 26L, 30L, 34L, 38L, 42L, 46L, 75L), free.clocks("RD"));
  }

  /**
   * Read queues of one entry, per channel, on two channels (channel = address bit 9 here): r0
   * reads three bursts of channel 0, r1 one of channel 1 (512), all arriving at 1. At clock 1
   * r0's first fills channel 0's queue and r0 waits; r1's read still enters channel 1's queue.
   * Each queue empties into its bank queue at its tick, so r0's next two enter at 2 and 3. Both
   * channels activate at 2 and read at 8; channel 0 reads again at 8 + tCCD_L 6 = 14 and 20.
   * Arrivals: r0 23, 29, 35; r1 23.
   */
  @Test
  void readQueuesArePerChannel() {
    var two = new DramDevice("two", false, 2, 1, 2, 2, 512, 64, 8, 1.0, SMALL_CLOCKS, RRGBCC);
    var policy = DramPolicy.defaults(two).withRefresh(Refresh.NONE).withQueues(1, 1);
    var r0 = new ScriptedRequester(List.of(read(0, 0, 64), read(0, 64, 64), read(0, 128, 64)));
    var r1 = new ScriptedRequester(List.of(read(0, 512, 64)));
    var o = run(DramTiming.sameClock(two), policy, 4, 4, List.of(r0, r1));
    assertEquals(List.of(23L, 29L, 35L), o.arrivals(0));
    assertEquals(List.of(23L), o.arrivals(1));
    assertEquals(List.of(8L, 8L, 14L, 20L), o.clocks("RD"));
  }

  /**
   * HBM2 (the preset): A (bank 0) at 0 and B (bank 1 of the same bank group, 1 << 14) sent at 14.
   * A: ACT 2, RD 16. B is added at 15 and may activate at 16 (tRRD_L from 2 is long past): HBM2
   * issues B's ACT and A's RD in clock 16, a row and a column command; B's RD at 16 + tRCD = 30.
   * The same device with one command per clock issues B's ACT (its queue comes first after A's)
   * at 16 and A's RD at 17.
   */
  @Test
  void hbm2IssuesARowAndAColumnCommandInOneClock() {
    var hbm = DramPresets.HBM2;
    var dual = run(hbm, DramPolicy.defaults(hbm), read(0, 0, 64), read(14, 1 << 14, 64));
    assertEquals(List.of(2L, 16L), dual.clocks("ACT"));
    assertEquals(List.of(16L, 30L), dual.clocks("RD"));

    var single = new DramDevice("HBM2 single", false, 8, 1, 4, 4, 2048, 128, 4, 1.0,
        hbm.clocks(), hbm.mapping());
    var one = run(single, DramPolicy.defaults(single), read(0, 0, 64), read(14, 1 << 14, 64));
    assertEquals(List.of(2L, 16L), one.clocks("ACT"));
    assertEquals(List.of(17L, 30L), one.clocks("RD"));
  }

  /**
   * Closed page: RD with auto-precharge at 8 closes the bank; it may activate again at max(2 +
   * tRC 26, 8 + AL + burst + tRTP + tRP = 21) = 28. A read of the same row added at 31 is a miss:
   * ACT 32, RD 38, arrival 53 (open page: a hit, arrival 47).
   */
  @Test
  void closedPageMakesEveryAccessAMiss() {
    var closed = run(SMALL, NO_REFRESH.withPage(Page.CLOSED), read(0, 0, 64), read(30, 64, 64));
    assertEquals(List.of(23L, 53L), closed.arrivals(0));
    assertEquals(List.of(2L, 32L), closed.clocks("ACT"));
    assertEquals(2, closed.counter("row_misses"));
    assertTrue(closed.clocks("PRE").isEmpty());
  }

  /**
   * DDR4 (tCK 0.63 ns) under a 1 GHz accelerator: a DRAM clock is 63/100 cycle. The request
   * arriving at cycle 1 is added at the first clock starting in it, ceil(100 / 63) = 2; ACT 3,
   * RD 3 + 22 = 25, complete 25 + 22 + 4 = 51, which starts at 32.13 ns: the response leaves at
   * cycle 33 and arrives at 34.
   */
  @Test
  void dramClocksMeetAcceleratorCyclesAtThePorts() {
    var o = run(DramPresets.ddr4_3200(1.0), DramPolicy.defaults(DramPresets.DDR4_3200), 4, 4,
        List.of(new ScriptedRequester(List.of(read(0, 0, 64)))));
    assertEquals(List.of(34L), o.arrivals(0));
    assertEquals(List.of(3L), o.clocks("ACT"));
    assertEquals(List.of(25L), o.clocks("RD"));
    assertEquals(32, o.counter("latency_total_cycles"));
  }

  /**
   * Requester 0 takes no response before cycle 100 through a depth-1 response link; requester 1
   * reads bank 1 (512). All three arrive at 1 and enter the read queue r0, r0, r1, moving into the
   * bank queues at 1, 2, 3. Bank 0: ACT 2, RD 8; bank 1: ACT at 2 + tRRD_L 3 = 5. At 14 both r0's
   * second read (8 + tCCD_L) and r1's are ready; bank queues take turns after the last that
   * issued (bank 0), so r1 reads at 14 and r0 at 20. r0's first response arrives at 23 and fills
   * its link; its second, complete at 34, waits for the credit that comes back at 101 and arrives
   * at 102: a 67-cycle stall on resp0 only. r1's (complete 28) arrives at 29.
   */
  @Test
  void aBlockedResponsePortDelaysOnlyItsOwnResponses() {
    var r0 = new ScriptedRequester(List.of(read(0, 0, 64), read(0, 64, 64)).iterator(), 100);
    var r1 = new ScriptedRequester(List.of(read(0, 512, 64)));

    var o = run(DramTiming.sameClock(SMALL), NO_REFRESH, 4, 1, List.of(r0, r1));

    assertEquals(List.of(23L, 102L), o.arrivals(0));
    assertEquals(List.of(29L), o.arrivals(1));
    assertEquals(List.of(2L, 5L), o.clocks("ACT"));
    assertEquals(List.of(8L, 14L, 20L), o.clocks("RD"));
    assertEquals(List.of(0, 1, 0), o.commands().stream().filter(c -> c.command().equals("RD"))
        .map(CommandRecord::bank).toList());
    assertEquals(67, o.result().block("dram").stallCycles());
  }

  /** The same scripted traffic gives the same arrivals and trace on the actor engine. */
  @Test
  void actorEngineAgreesWithTheSequentialEngine() {
    Req[] script = {read(0, 0, 64), read(0, 2048, 128), write(3, 64, 200), read(5, 512, 64),
        read(40, 1024, 1), write(41, 4096, 64), read(300, 0, 64)};
    var policy = DramPolicy.defaults(SMALL);
    var seq = run(DramTiming.sameClock(SMALL), policy, 2, 1,
        List.of(new ScriptedRequester(List.of(script)), new ScriptedRequester(List.of(script))));
    var act = run(new ActorEngine(2, RunLimits.DEFAULT, true), DramTiming.sameClock(SMALL),
        policy, 2, 1,
        List.of(new ScriptedRequester(List.of(script)), new ScriptedRequester(List.of(script))));

    assertEquals(seq.arrivals(0), act.arrivals(0));
    assertEquals(seq.arrivals(1), act.arrivals(1));
    assertEquals(seq.dram().counters(), act.dram().counters());
    assertEquals(seq.trace(), act.trace());
  }

  @Test
  void badRequestsAbortTheRunNamingTheController() {
    var dram = new DramController(1, DramTiming.sameClock(SMALL));
    var net = new Netlist().add("dram", dram)
        .add("r0", new ScriptedRequester(List.of(read(0, 0, 0))))
        .connect("r0.req", "dram.req0", 1, 1)
        .connect("dram.resp0", "r0.resp", 1, Link.UNBOUNDED);
    RunResult r = new SequentialEngine(RunLimits.DEFAULT, false)
        .run(net, rec -> {}, ProgressListener.NONE);
    assertEquals(RunStatus.ABORTED, r.status());
    assertTrue(r.problems().get(0).contains("dram"), r.problems().toString());
    assertTrue(r.problems().get(0).contains("needs >= 1"), r.problems().toString());

    assertThrows(IllegalArgumentException.class,
        () -> new DramController(0, DramTiming.sameClock(SMALL)));
    assertThrows(IllegalArgumentException.class, () -> NO_REFRESH.withQueues(0, 1));
  }
  /**
   * A channel of more than 64 banks keeps its sets of banks in several words: the same traffic to
   * rank 0 (banks 0-15), rank 4 (banks 64-79, the second word's first) and rank 7 (banks
   * 112-127) is served alike, command for command. Eight ranks of 4 x 4 banks, no refresh;
   * rows of 8 bursts: an address is row:rank(3):group(2):bank(2):column(3) above 64-byte bursts.
   * A walk of the bank sets that loses a word's offset never finishes: the timeout fails it.
   */
  @Test
  @org.junit.jupiter.api.Timeout(60)
  void aChannelOfMoreThan64BanksServesEveryRankAlike() {
    var wide = new DramDevice("wide", false, 1, 8, 4, 4, 512, 64, 8, 1.0, SMALL_CLOCKS, RRGBCC);
    var policy = DramPolicy.defaults(wide).withRefresh(Refresh.NONE);
    List<List<Long>> seen = new ArrayList<>();
    for (int rank : new int[] {0, 4, 7}) {
      var script = new ArrayList<Req>();
      for (int i = 0; i < 24; i++) {
        long row = i % 3;
        int group = i % 4;
        int bank = (i / 4) % 4;
        long address = ((((row << 3 | rank) << 2 | group) << 2 | bank) << 3 | (i % 8)) << 6;
        script.add(read(i, address, 128));
      }
      var o = run(wide, policy, script.toArray(new Req[0]));
      assertEquals(24, o.arrivals(0).size());
      var clocks = new ArrayList<>(o.arrivals(0));
      clocks.addAll(o.clocks("ACT"));
      clocks.addAll(o.clocks("PRE"));
      clocks.addAll(o.clocks("RD"));
      seen.add(clocks);
    }
    assertEquals(seen.get(0), seen.get(1), "rank 4 (the second word) against rank 0");
    assertEquals(seen.get(0), seen.get(2), "rank 7 against rank 0");
  }
}
