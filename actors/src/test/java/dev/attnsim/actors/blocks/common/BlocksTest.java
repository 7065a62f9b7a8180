package dev.attnsim.actors.blocks.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

  @Test
  void peArrayFoldArithmetic() {
    var array = new PeArray(32, 16, PeArray.defaultMacsPerPe());
    assertEquals(256 + 31 + 15, array.foldCycles(32, 16, 256, Precision.FX16));
    assertEquals(64 + 46, array.foldCycles(32, 16, 256, Precision.INT8));
    assertEquals(16 + 46, array.foldCycles(32, 16, 256, Precision.INT4));
    assertEquals(2 + 46, array.foldCycles(32, 16, 100, Precision.INT2)); // ceil(100 / 64) = 2
    assertEquals(10 + 0 + 3, array.foldCycles(1, 4, 10, Precision.FX16)); // edge fold
    assertEquals(32L * 16 * 64, array.peakMacsPerCycle(Precision.INT2));
    assertThrows(IllegalArgumentException.class,
        () -> array.foldCycles(33, 16, 8, Precision.FX16));
    assertThrows(IllegalArgumentException.class,
        () -> array.foldCycles(8, 8, 8, Precision.FP32));
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
    assertEquals(List.of("0:15", "4:19", "8:" + Long.MAX_VALUE), promises.log);
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
