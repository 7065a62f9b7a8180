package dev.attnsim.sim.assembly;

import dev.attnsim.actors.blocks.common.Accumulator;
import dev.attnsim.actors.blocks.common.DramStreamer;
import dev.attnsim.actors.blocks.common.PeArray;
import dev.attnsim.actors.blocks.common.RmmuLane;
import dev.attnsim.actors.kernel.Arith;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.Tile;
import dev.attnsim.actors.kernel.TileKind;
import dev.attnsim.sim.config.GemmWorkload;
import dev.attnsim.sim.config.HardwareSettings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Builds the gemm pipeline: a {@link DramStreamer} streams one operand tile per output tile to
 * each of {@code lanes} {@link RmmuLane}s, whose partials an {@link Accumulator} sums.
 *
 * <p>Mapping: the reduction dimension k is cut into one contiguous slice per lane (the first {@code
 * k % lanes} slices one longer). The output is cut into tiles that are whole column folds of the
 * array's dataflow ({@link PeArray}): {@code rows x cols} under output stationary, all {@code m}
 * rows by {@code cols} columns under weight stationary, {@code cols} rows by all {@code n} columns
 * under input stationary. Tiles are visited column-major, which is the order {@link PeArray}
 * issues a GEMM's folds in, so one lane computes exactly the folds of {@code
 * PeArray.gemmCycles(m, n, slice)} in the same order. For each tile, DRAM sends lane 0's operands,
 * then lane 1's, and so on. An operand tile holds A's {@code m x slice} panel and B's {@code slice
 * x n} panel for that output tile: no reuse across tiles, so DRAM traffic is {@code sum over tiles
 * of (m + n) * k} elements.
 */
public final class GemmAssembly {
  private GemmAssembly() {}

  public static Netlist build(GemmWorkload w, HardwareSettings hw) {
    int lanes = hw.lanes();
    PeArray array = hw.rmmu();
    int rows = switch (array.timing().dataflow()) {
      case OS -> array.rows();
      case WS -> w.m();
      case IS -> array.cols();
    };
    int cols = array.timing().dataflow() == PeArray.Dataflow.IS ? w.n() : array.cols();
    int[] slice = new int[lanes];
    for (int l = 0; l < lanes; l++) {
      slice[l] = w.k() / lanes + (l < w.k() % lanes ? 1 : 0);
    }
    var laneNames = new ArrayList<String>();
    for (int l = 0; l < lanes; l++) {
      laneNames.add("lane" + l);
    }
    long outputTiles = Arith.ceilDiv(w.m(), rows) * Arith.ceilDiv(w.n(), cols);
    var net = new Netlist()
        .add("dram", new DramStreamer(laneNames, new OperandPlan(w, rows, cols, slice),
            hw.dramBandwidthBytesPerCycle(),
            hw.dramLatencyCycles()));
    for (String lane : laneNames) {
      net.add(lane, new RmmuLane(array));
    }
    net.add("acc", new Accumulator(laneNames, hw.accumulatorElementsPerCycle(), lanes));
    for (String lane : laneNames) {
      net.connect("dram." + lane, lane + ".in", hw.linkLatencyCycles(), hw.dramToLaneDepth(),
          hw.creditLatencyCycles());
    }
    for (String lane : laneNames) {
      net.connect(lane + ".out", "acc." + lane, hw.linkLatencyCycles(),
          hw.laneToAccumulatorDepth(), hw.creditLatencyCycles());
    }
    return net.totalWork(outputTiles).freeze();
  }

  /** The DRAM transfers in service order, generated one at a time. */
  private static final class OperandPlan implements Iterator<DramStreamer.Transfer> {
    private final GemmWorkload w;
    private final int rows;
    private final int cols;
    private final int[] slice;
    private int r0;
    private int c0;
    private int lane;
    private long tileId;

    OperandPlan(GemmWorkload w, int rows, int cols, int[] slice) {
      this.w = w;
      this.rows = rows;
      this.cols = cols;
      this.slice = slice;
    }

    @Override
    public boolean hasNext() {
      return c0 < w.n();
    }

    @Override
    public DramStreamer.Transfer next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int m = Math.min(rows, w.m() - r0);
      int n = Math.min(cols, w.n() - c0);
      long bytes = w.precision().bytesFor((long) (m + n) * slice[lane]);
      var t = new DramStreamer.Transfer(lane, new Tile(tileId++, TileKind.OPERANDS,
          w.precision(), 0, 0, r0, m, c0, n, slice[lane], bytes, null));
      if (++lane == slice.length) {
        lane = 0;
        r0 += rows;
        if (r0 >= w.m()) {
          r0 = 0;
          c0 += cols;
        }
      }
      return t;
    }
  }

}
