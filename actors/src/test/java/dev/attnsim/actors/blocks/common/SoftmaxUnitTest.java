package dev.attnsim.actors.blocks.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnsim.actors.compute.MaskBlock;
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

/** The softmax unit on its own: exact cycles per block, and the promises it makes meanwhile. */
class SoftmaxUnitTest {

  /** The SDDMM result of one query block keeping {@code kept[i]} keys per query. */
  static Tile scores(int q0, int... kept) {
    var mask = new MaskBlock(0, 0, q0, kept, 64L * kept.length, 64, null);
    var job = new AttentionJob(0, 0, q0, kept.length, 64, 0);
    var work = new AttentionWork(job, mask, 5, 6, 100, 0);
    var op = new ComputeOp("sddmm", Stage.ATTENTION, Precision.FX16, 5, 100,
        ComputeOp.Route.SOFTMAX, Precision.FX16.bytesFor(mask.keptPairs()), work);
    return new Tile(q0, TileKind.SCORES, Precision.FX16, 0, 0, q0, kept.length, 0, 0, 8,
        Precision.FX16.bytesFor(mask.keptPairs()), op);
  }

  /**
   * 16 scores a cycle after a 4-cycle pipeline. Block A (40 scores) arrives at 2 and takes
   * ceil(40 / 16) + 4 = 7 cycles, to 9; block B (16 scores) arrives at 3, waits, and takes
   * 1 + 4 = 5 cycles, 9 to 14. Their SpMM ops reach the RMMU (latency 1) at 10 and 15. While a
   * block is in softmax the unit promises nothing leaves before its end: credits coming back
   * (at 11 and 16, one cycle after the RMMU side frees each slot) change nothing.
   */
  @Test
  void softmaxTakesCeilOfScoresOverWidthPlusPipelineCycles() {
    var plan = List.of(new DramStreamer.Transfer(0, scores(0, 10, 20, 3, 7)),
        new DramStreamer.Transfer(0, scores(4, 16)));
    var smx = new PromiseLog(new SoftmaxUnit(16, 4, 8));
    var rmmu = new Probe();
    var net = new Netlist()
        .add("src", new DramStreamer(List.of("out"), plan.iterator(), 1024, 0))
        .add("smx", smx)
        .add("rmmu", rmmu)
        .connect("src.out", "smx.scores", 1, 2)
        .connect("smx.spmm", "rmmu.in", 1, 2);
    var trace = new ArrayList<TraceRecord>();

    RunResult r = new SequentialEngine(RunLimits.DEFAULT, true)
        .run(net, trace::add, ProgressListener.NONE);

    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    assertEquals(List.of(10L, 15L), rmmu.arrivals);
    var spans = trace.stream()
        .filter(x -> x instanceof TraceRecord.Busy b && b.block().equals("smx"))
        .map(x -> (TraceRecord.Busy) x)
        .map(b -> b.start() + "-" + b.end() + " " + b.op() + " " + b.stage())
        .toList();
    assertEquals(List.of("2-9 softmax attention", "9-14 softmax attention"), spans);
    assertEquals(List.of("0:-", "2:9", "3:9", "9:14", "11:14", "14:-", "16:-"), smx.log);
    assertEquals(56L, r.block("smx").counters().get("softmax_elements"));
    // each SpMM op: the block's spmm cycles and MACs, its 4 x 8 FX16 output to the controller
    var spmm = (ComputeOp) rmmu.tiles.get(0).payload();
    assertEquals("spmm", spmm.op());
    assertEquals(6, spmm.cycles());
    assertEquals(100, spmm.macs());
    assertEquals(ComputeOp.Route.CONTROLLER, spmm.route());
    assertEquals(2L * 4 * 8, spmm.resultBytes());
    assertEquals(2L * 40, rmmu.tiles.get(0).bytes()); // the probabilities of the kept pairs
    assertEquals(2L * 1 * 8, ((ComputeOp) rmmu.tiles.get(1).payload()).resultBytes());
  }

  /** A block keeping no score still takes a cycle when there is no pipeline latency. */
  @Test
  void anEmptyBlockTakesOneCycle() {
    var plan = List.of(new DramStreamer.Transfer(0, scores(0, 0, 0)));
    var rmmu = new Probe();
    var net = new Netlist()
        .add("src", new DramStreamer(List.of("out"), plan.iterator(), 1024, 0))
        .add("smx", new SoftmaxUnit(16, 0, 8))
        .add("rmmu", rmmu)
        .connect("src.out", "smx.scores", 1, 2)
        .connect("smx.spmm", "rmmu.in", 1, 2);

    new SequentialEngine(RunLimits.DEFAULT, false).run(net, x -> {}, ProgressListener.NONE);

    assertEquals(List.of(4L), rmmu.arrivals); // arrives at 2, one cycle to 3, link 1
  }
}
