package dev.attnsim.actors.blocks.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.kernel.Link;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.SequentialEngine;
import dev.attnsim.actors.kernel.Tile;
import dev.attnsim.actors.kernel.TileKind;
import dev.attnsim.actors.kernel.TraceRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each block on its own, driven by the sequential engine (no Akka), with figures by hand. */
class BlocksTest {

  private static Tile operands(long id, int rows, int cols, int depth, Precision p) {
    return new Tile(id, TileKind.OPERANDS, p, 0, 0, 0, rows, 0, cols, depth,
        p.bytesFor((long) (rows + cols) * depth), null);
  }

  private static List<TraceRecord> run(Netlist net) {
    var records = new ArrayList<TraceRecord>();
    RunResult r = new SequentialEngine(RunLimits.DEFAULT, true)
        .run(net, records::add, ProgressListener.NONE);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    return records;
  }

  /** 3 transfers of 100 B at 32 B/cycle (4 bus cycles each), latency 10, link 1. */
  @Test
  void dramTransfersAreBandwidthPacedAndLatencyDelayed() {
    var plan = List.of(
        new DramStreamer.Transfer(0, Tile.of(0, TileKind.DATA, Precision.INT8, 1, 100, 100)),
        new DramStreamer.Transfer(0, Tile.of(1, TileKind.DATA, Precision.INT8, 1, 100, 100)),
        new DramStreamer.Transfer(0, Tile.of(2, TileKind.DATA, Precision.INT8, 1, 100, 100)));
    var probe = new Probe();
    var dram = new DramStreamer(List.of("out"), plan.iterator(), 32, 10);
    var promises = new PromiseLog(dram);
    var net = new Netlist().add("dram", promises).add("probe", probe)
        .connect("dram.out", "probe.in", 1, Link.UNBOUNDED);

    run(net);

    assertEquals(List.of(15L, 19L, 23L), probe.arrivals);
    // the next transfer leaves one bus cycle plus the latency after the bus frees, at the
    // earliest; once the plan is done, nothing ever leaves
    assertEquals(List.of("0:15", "4:19", "8:never"), promises.log);
    assertEquals(4, dram.transferCycles(100));
    assertEquals(1, dram.transferCycles(1));
    assertEquals(300L, dram.counters().get("bytes_read"));
  }

  /** Two operand tiles on a 4 x 4 array: folds of 16 / 4 + 6 = 10 cycles at INT8, back to back. */
  @Test
  void laneComputesOneFoldPerOperandTile() {
    var plan = List.of(new DramStreamer.Transfer(0, operands(0, 4, 4, 16, Precision.INT8)),
        new DramStreamer.Transfer(0, operands(1, 4, 4, 16, Precision.INT8)));
    var probe = new Probe();
    var lane = new RmmuLane(new PeArray(4, 4, PeArray.defaultMacsPerPe()));
    var promises = new PromiseLog(lane);
    var net = new Netlist()
        .add("dram", new DramStreamer(List.of("out"), plan.iterator(), 1024, 0))
        .add("lane", promises)
        .add("probe", probe)
        .connect("dram.out", "lane.in", 1, 2)
        .connect("lane.out", "probe.in", 1, 1);

    var trace = run(net);

    // Tiles arrive at 2 and 3; folds run [2, 12) and [12, 22); partials reach the probe at 13, 23.
    assertEquals(List.of(13L, 23L), probe.arrivals);
    var busy = trace.stream().filter(r -> r instanceof TraceRecord.Busy b && b.block().equals(
        "lane")).map(r -> (TraceRecord.Busy) r).toList();
    assertEquals(2, busy.size());
    assertEquals(2, busy.get(0).start());
    assertEquals(12, busy.get(0).end());
    assertEquals(4 * 4 * 16, busy.get(0).macs());
    assertEquals(2L, lane.counters().get("folds"));
    // mid-fold the lane promises nothing leaves before the fold's end (credits back at 14, 24)
    assertEquals(List.of("0:-", "2:12", "3:12", "12:22", "14:22", "22:-", "24:-"),
        promises.log);
  }

  private static Tile op(long id, String name, long cycles, ComputeOp.Route route) {
    var op = new ComputeOp(name, Stage.LINEAR, Precision.FX16, cycles, 10 * cycles, route, 32,
        null);
    return new Tile(id, TileKind.DATA, Precision.FX16, 0, 0, 0, 4, 0, 4, 1, 32, op);
  }

  /**
   * The RMMU runs the oldest arrival first and sends each result on its route: op a (5 cycles,
   * to the controller) arrives at 2 and runs to 7, op b (3 cycles, to the accumulator) arrives
   * at 3 on the sddmm queue and runs 7 to 10. Mid-op it promises nothing leaves before the op's
   * end; credits come back at 9 and 12.
   */
  @Test
  void rmmuRunsOpsInArrivalOrderAndPromisesTheirEnds() {
    var plan = List.of(new DramStreamer.Transfer(0, op(1, "a", 5, ComputeOp.Route.CONTROLLER)),
        new DramStreamer.Transfer(1, op(2, "b", 3, ComputeOp.Route.ACCUMULATOR)));
    var rmmu = new PromiseLog(new Rmmu());
    var ctl = new Probe();
    var acc = new Probe();
    var net = new Netlist()
        .add("src", new DramStreamer(List.of("ops", "sddmm", "spmm"), plan.iterator(), 1024, 0))
        .add("rmmu", rmmu)
        .add("ctl", ctl)
        .add("sel", new Probe())
        .add("smx", new Probe())
        .add("acc", acc)
        .connect("src.ops", "rmmu.ops", 1, 2)
        .connect("src.sddmm", "rmmu.sddmm", 1, 2)
        .connect("src.spmm", "rmmu.spmm", 1, 2)
        .connect("rmmu.controller", "ctl.in", 1, 1)
        .connect("rmmu.selector", "sel.in", 1, 1)
        .connect("rmmu.softmax", "smx.in", 1, 1)
        .connect("rmmu.acc", "acc.in", 1, 1);

    RunResult r = new SequentialEngine(RunLimits.DEFAULT, false)
        .run(net, x -> {}, ProgressListener.NONE);

    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    assertEquals(List.of(8L), ctl.arrivals);
    assertEquals(List.of(11L), acc.arrivals);
    assertEquals(List.of("0:-", "2:7", "3:7", "7:10", "9:10", "10:-", "12:-"), rmmu.log);
    assertEquals(5 + 3, r.block("rmmu").busyCycles());
    var c = r.block("rmmu").counters();
    assertEquals(5L, c.get("busy.a"));
    assertEquals(3L, c.get("busy.b"));
    assertEquals(80L, c.get("macs.fx16"));
    assertEquals(2L, c.get("ops"));
  }

  private static List<TraceRecord.Busy> laneBusy(List<TraceRecord> trace) {
    return trace.stream().filter(r -> r instanceof TraceRecord.Busy b && b.block().equals(
        "lane")).map(r -> (TraceRecord.Busy) r).toList();
  }

  private static Netlist laneNet(RmmuLane lane, Probe probe, Tile... tiles) {
    var plan = new ArrayList<DramStreamer.Transfer>();
    for (Tile t : tiles) {
      plan.add(new DramStreamer.Transfer(0, t));
    }
    return new Netlist()
        .add("dram", new DramStreamer(List.of("out"), plan.iterator(), 1024, 0))
        .add("lane", lane)
        .add("probe", probe)
        .connect("dram.out", "lane.in", 1, 2)
        .connect("lane.out", "probe.in", 1, 1);
  }

  /**
   * The same two tiles with overlapped folds: the second is taken at 3 (the first's stream began
   * at 2) and streams at 2 + 4 = 6, once the first's 4 INT8 steps have entered; it ends at 6 + 10
   * = 16. Partials reach the probe at 13 and 17; busy spans [2, 12) and [12, 16).
   */
  @Test
  void laneOverlapsTheFoldsOfConsecutiveTiles() {
    var array = new PeArray(4, 4, PeArray.defaultMacsPerPe(),
        new PeArray.Timing(PeArray.Dataflow.OS, true, true, 256));
    var probe = new Probe();
    var trace = run(laneNet(new RmmuLane(array), probe, operands(0, 4, 4, 16, Precision.INT8),
        operands(1, 4, 4, 16, Precision.INT8)));

    assertEquals(List.of(13L, 17L), probe.arrivals);
    var busy = laneBusy(trace);
    assertEquals(List.of(2L, 12L), busy.stream().map(TraceRecord.Busy::start).toList());
    assertEquals(List.of(12L, 16L), busy.stream().map(TraceRecord.Busy::end).toList());
  }

  /**
   * Overlapped, by used extent: a 4 x 4 tile (span 4 + 6 = 10, from 2 to 12), then a 1 x 1 tile
   * taken at 3, streaming at 6 and done at 6 + 4 = 10, before the first. Partials leave in tile
   * order: the first at 12 (probe 13); the second waits for it, then for the probe's credit (back
   * at 14), so it arrives at 15 and the lane stalls over [12, 14). The 1 x 1 tile's busy span is
   * empty ([12, 12)): the array was busy anyway; its MACs are still recorded.
   */
  @Test
  void laneSendsPartialsInTileOrder() {
    var array = new PeArray(4, 4, PeArray.defaultMacsPerPe(),
        new PeArray.Timing(PeArray.Dataflow.OS, true, false, 256));
    var probe = new Probe();
    var trace = run(laneNet(new RmmuLane(array), probe, operands(0, 4, 4, 16, Precision.INT8),
        operands(1, 1, 1, 16, Precision.INT8)));

    assertEquals(List.of(13L, 15L), probe.arrivals);
    var busy = laneBusy(trace);
    assertEquals(List.of(2L, 12L), busy.stream().map(TraceRecord.Busy::start).toList());
    assertEquals(List.of(12L, 12L), busy.stream().map(TraceRecord.Busy::end).toList());
    assertEquals(16, busy.get(1).macs());
    var stalls = trace.stream().filter(r -> r instanceof TraceRecord.Stall).toList();
    assertEquals(1, stalls.size());
    assertEquals(12, ((TraceRecord.Stall) stalls.get(0)).start());
    assertEquals(14, ((TraceRecord.Stall) stalls.get(0)).end());
  }

  @Test
  void accumulatorCompletesAnOutputOncePerLaneSetOfPartials() {
    var acc = new Accumulator(List.of("a", "b"), 8, 2);
    var partial = new Tile(1, TileKind.PARTIAL, Precision.INT32, 0, 0, 0, 4, 0, 4, 1, 64, null);
    var plan = List.of(new DramStreamer.Transfer(0, partial),
        new DramStreamer.Transfer(1, partial), new DramStreamer.Transfer(0, partial));
    var promises = new PromiseLog(acc);
    var net = new Netlist()
        .add("src", new DramStreamer(List.of("a", "b"), plan.iterator(), 1024, 0))
        .add("acc", promises)
        .connect("src.a", "acc.a", 1, 4)
        .connect("src.b", "acc.b", 1, 4);

    RunResult r = new SequentialEngine(RunLimits.DEFAULT, false)
        .run(net, rec -> {}, ProgressListener.NONE);

    // Three 16-element partials at 8 elements/cycle: 2 cycles each; only one output completes,
    // so the accumulator still waits for lane b's second partial: the run is a deadlock.
    assertEquals(RunStatus.DEADLOCK, r.status());
    assertEquals(6, r.block("acc").busyCycles());
    assertEquals(1L, acc.counters().get("outputs"));
    // partials arrive at 2, 3, 4 and are added over [2, 4), [4, 6), [6, 8): while adding, the
    // accumulator promises to dequeue nothing before the addition ends
    assertEquals(List.of("0:-", "2:4", "3:4", "4:4", "4:6", "6:8", "8:-"), promises.log);
    assertTrue(r.problems().get(0).startsWith("acc: 1 output tile(s) still missing partials"),
        r.problems().toString());
  }
}
