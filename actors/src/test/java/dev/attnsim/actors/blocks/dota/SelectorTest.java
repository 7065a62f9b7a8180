package dev.attnsim.actors.blocks.dota;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnsim.actors.blocks.common.AttentionJob;
import dev.attnsim.actors.blocks.common.ComputeOp;
import dev.attnsim.actors.blocks.common.DramStreamer;
import dev.attnsim.actors.blocks.common.Probe;
import dev.attnsim.actors.blocks.common.PromiseLog;
import dev.attnsim.actors.blocks.common.Stage;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.compute.MaskSource;
import dev.attnsim.actors.kernel.Netlist;
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

/** DOTA's selector on its own: comparison cycles and the promises it makes meanwhile. */
class SelectorTest {

  private static Tile detected(int q0) {
    var job = new AttentionJob(0, 0, q0, 4, 64, 0);
    var op = new ComputeOp("detect", Stage.DETECTION, Precision.INT4, 3, 0,
        ComputeOp.Route.SELECTOR, 32, job);
    return new Tile(q0, TileKind.DATA, Precision.INT4, 0, 0, q0, 4, 0, 16, 1, 32, op);
  }

  /**
   * Dense masks over 16 keys: a block of 4 queries has 64 candidates, 4 cycles at 16
   * comparators a cycle. Blocks arrive at 2 and 3 and are compared over [2, 6) and [6, 10);
   * their masks reach the scheduler at 7 and 11. While comparing, the selector promises nothing
   * leaves before the comparison ends.
   */
  @Test
  void comparesEveryCandidateAtItsRateAndPromisesTheEnd() {
    var shape = new LayerShape(16, 32, 1, 64, 8, false);
    var plan = List.of(new DramStreamer.Transfer(0, detected(0)),
        new DramStreamer.Transfer(0, detected(4)));
    var sel = new PromiseLog(new Selector(MaskSource.dense(shape), 16));
    var sched = new Probe();
    var net = new Netlist()
        .add("rmmu", new DramStreamer(List.of("scores", "jobs"), plan.iterator(), 1024, 0))
        .add("sel", sel)
        .add("sched", sched)
        .connect("rmmu.scores", "sel.scores", 1, 2)
        .connect("rmmu.jobs", "sel.jobs", 1, 2)
        .connect("sel.mask", "sched.in", 1, 2);

    RunResult r = new SequentialEngine(RunLimits.DEFAULT, false)
        .run(net, x -> {}, ProgressListener.NONE);

    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    assertEquals(List.of(7L, 11L), sched.arrivals);
    assertEquals(List.of("0:-", "2:6", "3:6", "6:10", "8:10", "10:-", "12:-"), sel.log);
    assertEquals(8L, r.block("sel").busyCycles());
    assertEquals(128L, r.block("sel").counters().get("comparisons"));
    assertEquals(128L, r.block("sel").counters().get("kept_pairs"));
  }
}
