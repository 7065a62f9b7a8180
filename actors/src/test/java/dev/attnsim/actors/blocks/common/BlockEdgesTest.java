package dev.attnsim.actors.blocks.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.SequentialEngine;
import dev.attnsim.actors.kernel.Tile;
import dev.attnsim.actors.kernel.TileKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The blocks at their edges: stalls and deadlocks, the smallest parameters they accept, the
 * largest they refuse, and the lane's share of heads and FFN columns.
 */
class BlockEdgesTest {

  /** Takes tiles into its FIFO and never reads them. */
  private static final class Deaf implements Block {
    @Override
    public List<InPort> inputs() {
      return List.of(new InPort(0, "in"));
    }

    @Override
    public List<OutPort> outputs() {
      return List.of();
    }

    @Override
    public void onEvent(Event e, BlockContext ctx) {}
  }

  private static List<DramStreamer.Transfer> three() {
    return List.of(
        new DramStreamer.Transfer(0, Tile.of(0, TileKind.DATA, Precision.INT8, 1, 64, 64)),
        new DramStreamer.Transfer(0, Tile.of(1, TileKind.DATA, Precision.INT8, 1, 64, 64)),
        new DramStreamer.Transfer(0, Tile.of(2, TileKind.DATA, Precision.INT8, 1, 64, 64)));
  }

  private static RunResult run(Netlist net) {
    return new SequentialEngine(RunLimits.DEFAULT, false).run(net, x -> {},
        ProgressListener.NONE);
  }

  /**
   * 64 B at 32 B a cycle is exactly 2 bus cycles. With one slot at the consumer (its credit back
   * a cycle after it takes a tile) the streamer stalls: transfers start at 0, 4 and 8 (arriving
   * at 3, 7, 11), and the stalls [2, 4) and [6, 8) are counted.
   */
  @Test
  void streamerStallsWithoutACreditAndCountsItsTransfers() {
    var dram = new DramStreamer(List.of("out"), three().iterator(), 32, 0);
    var probe = new Probe();
    var net = new Netlist().add("dram", dram).add("probe", probe)
        .connect("dram.out", "probe.in", 1, 1);

    RunResult r = run(net);

    assertEquals(RunStatus.OK, r.status());
    assertEquals(2, dram.transferCycles(64));
    assertEquals(3, dram.transferCycles(65));
    assertEquals(List.of(3L, 7L, 11L), probe.arrivals);
    assertEquals(6, r.block("dram").busyCycles());
    assertEquals(4, r.block("dram").stallCycles());
    assertEquals(3L, dram.counters().get("transfers"));
    assertEquals(192L, dram.counters().get("bytes_read"));
  }

  @Test
  void streamerWhoseConsumerNeverReadsIsADeadlockNamingTheNextTransfer() {
    var net = new Netlist()
        .add("dram", new DramStreamer(List.of("out"), three().iterator(), 1024, 0))
        .add("deaf", new Deaf())
        .connect("dram.out", "deaf.in", 1, 1);

    RunResult r = run(net);

    assertEquals(RunStatus.DEADLOCK, r.status());
    assertEquals("dram: waiting for a credit on out -> deaf since cycle 1; transfers not issued "
        + "(next: tile 1 to out)", r.problems().get(0));
  }

  /** A fold lane whose partial cannot leave holds it and says so. */
  @Test
  void laneHoldingAPartialIsADeadlockThatSaysSo() {
    var plan = List.of(new DramStreamer.Transfer(0, new Tile(0, TileKind.OPERANDS,
        Precision.INT8, 0, 0, 0, 4, 0, 4, 16, 128, null)), new DramStreamer.Transfer(0,
        new Tile(1, TileKind.OPERANDS, Precision.INT8, 0, 0, 0, 4, 0, 4, 16, 128, null)));
    var net = new Netlist()
        .add("dram", new DramStreamer(List.of("out"), plan.iterator(), 1024, 0))
        .add("lane", new RmmuLane(new PeArray(4, 4, PeArray.defaultMacsPerPe())))
        .add("deaf", new Deaf())
        .connect("dram.out", "lane.in", 1, 2)
        .connect("lane.out", "deaf.in", 1, 1);

    RunResult r = run(net);

    assertEquals(RunStatus.DEADLOCK, r.status());
    // folds [2, 12) and [12, 22): the second partial finds no credit at 22
    assertEquals(List.of("lane: waiting for a credit on out -> deaf since cycle 22; a partial "
        + "output not sent", "deaf: 1 tile(s) queued at in (oldest tile 4294967296, PARTIAL)"),
        r.problems());
  }

  @Test
  void smallestParametersAreAcceptedAndZeroIsRefused() {
    new DramStreamer(List.of("out"), three().iterator(), 1, 0);
    new Accumulator(List.of("a"), 1, 1);
    new SoftmaxUnit(1, 0, 8);
    new ComputeOp("op", Stage.LINEAR, Precision.FX16, 1, 0, ComputeOp.Route.CONTROLLER, 0, null);
    assertEquals("bandwidth must be >= 1 byte/cycle, got 0", assertThrows(
        IllegalArgumentException.class,
        () -> new DramStreamer(List.of("out"), three().iterator(), 0, 0)).getMessage());
    assertEquals("latency must be >= 0 cycles, got -1", assertThrows(
        IllegalArgumentException.class,
        () -> new DramStreamer(List.of("out"), three().iterator(), 1, -1)).getMessage());
    assertEquals("elements per cycle must be >= 1, got 0", assertThrows(
        IllegalArgumentException.class, () -> new Accumulator(List.of("a"), 0, 1)).getMessage());
    assertEquals("parts per output must be >= 1, got 0", assertThrows(
        IllegalArgumentException.class, () -> new Accumulator(List.of("a"), 1, 0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SoftmaxUnit(0, 0, 8));
    assertThrows(IllegalArgumentException.class, () -> new SoftmaxUnit(1, -1, 8));
    assertThrows(IllegalArgumentException.class, () -> new ComputeOp("op", Stage.LINEAR,
        Precision.FX16, 0, 0, ComputeOp.Route.CONTROLLER, 0, null));
    assertThrows(IllegalArgumentException.class, () -> new ComputeOp("op", Stage.LINEAR,
        Precision.FX16, 1, -1, ComputeOp.Route.CONTROLLER, 0, null));
    assertThrows(IllegalArgumentException.class, () -> new ComputeOp("op", Stage.LINEAR,
        Precision.FX16, 1, 0, ComputeOp.Route.CONTROLLER, -1, null));
  }

  private static LaneConfig lane(int lane, int lanes, LayerShape shape) {
    return new LaneConfig(lane, lanes, 1, shape, new PeArray(8, 8, PeArray.defaultMacsPerPe()),
        false, Precision.INT4, 1, 0, 1);
  }

  /** Heads go round-robin; FFN columns split as evenly as they go, the first lanes one more. */
  @Test
  void laneSharesOfHeadsAndFfnColumns() {
    var shape = new LayerShape(16, 40, 5, 10, 4, false);
    assertArrayEquals(new int[] {0, 2, 4}, lane(0, 2, shape).heads());
    assertArrayEquals(new int[] {1, 3}, lane(1, 2, shape).heads());
    assertEquals(4, lane(0, 3, shape).ffnChunk());
    assertEquals(3, lane(1, 3, shape).ffnChunk());
    assertEquals(3, lane(2, 3, shape).ffnChunk());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, lane(0, 1, shape).heads());
    assertEquals(10, lane(0, 1, shape).ffnChunk());
    assertThrows(IllegalArgumentException.class, () -> lane(-1, 2, shape));
    assertThrows(IllegalArgumentException.class, () -> lane(2, 2, shape));
    var array = new PeArray(8, 8, PeArray.defaultMacsPerPe());
    assertThrows(IllegalArgumentException.class, () -> new LaneConfig(0, 1, 0, shape, array,
        false, Precision.INT4, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new LaneConfig(0, 1, 1, shape, array,
        false, Precision.INT4, 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new LaneConfig(0, 1, 1, shape, array,
        false, Precision.INT4, 1, 0, 0));
  }
}
