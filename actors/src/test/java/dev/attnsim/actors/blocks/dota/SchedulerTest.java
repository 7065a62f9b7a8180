package dev.attnsim.actors.blocks.dota;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnsim.actors.blocks.common.AttentionJob;
import dev.attnsim.actors.blocks.common.AttentionWork;
import dev.attnsim.actors.blocks.common.DramStreamer;
import dev.attnsim.actors.blocks.common.PeArray;
import dev.attnsim.actors.blocks.common.Probe;
import dev.attnsim.actors.blocks.common.TestMemory;
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
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduler in a pipeline: the K/V requests that reach DRAM, and the order it issues in. */
class SchedulerTest {
  private static final PeArray ARRAY = new PeArray(4, 4, PeArray.defaultMacsPerPe());

  /** A selected query block of 4 queries keeping 16/4/4/4 of keys 0..19; K/V rows at 4096. */
  private static Tile selected(int q0, int kvResidentRows) {
    var mask = new MaskBlock(0, 0, q0, new int[] {16, 4, 4, 4}, 4 * 64, 20, null);
    var job = new AttentionJob(0, 0, q0, 4, kvResidentRows, 4096);
    return new Tile(q0, TileKind.MASK, Precision.INT2, 0, 0, q0, 4, 0, 0, 1, 32,
        new AttentionWork(job, mask, 0, 0, 0, 0));
  }

  /**
   * Three blocks, head size 8, a window of 2. Block 0 has keys 0..14 on chip: it fetches K and V
   * of keys 15..19, 2 x 5 x 8 FX16 = 160 B; block 4 has every key on chip and fetches nothing;
   * block 8 has none and fetches all 20 keys, 640 B. The memory moves 16 B a cycle with a
   * latency of 10: block 0's request reaches it at 3 and its rows come back at 24 (3 + 10 + 10
   * + link 1). Block 4 is ready at 3 but waits behind block 0; both issue at 24 (at the RMMU at
   * 25). Block 8 waited for a window slot: accepted at 24, its request reaches memory at 25,
   * holds the bus 40 cycles and returns at 76; its SDDMM reaches the RMMU at 77.
   */
  @Test
  void kvRowsNotOnChipAreFetchedOncePerBlockInQueryOrder() {
    var plan = List.of(new DramStreamer.Transfer(0, selected(0, 15)),
        new DramStreamer.Transfer(0, selected(4, 64)),
        new DramStreamer.Transfer(0, selected(8, 0)));
    var mem = new TestMemory(1, 16, 10);
    var rmmu = new Probe();
    var net = new Netlist()
        .add("sel", new DramStreamer(List.of("mask"), plan.iterator(), 1024, 0))
        .add("sched", new Scheduler(ARRAY, 8, Scheduler.Policy.BALANCED, 2))
        .add("mem", mem)
        .add("rmmu", rmmu)
        .connect("sel.mask", "sched.mask", 1, 2)
        .connect("sched.kvreq", "mem.req0", 1, 2)
        .connect("mem.resp0", "sched.kv", 1, 2)
        .connect("sched.sddmm", "rmmu.in", 1, 4);

    RunResult r = new SequentialEngine(RunLimits.DEFAULT, false)
        .run(net, x -> {}, ProgressListener.NONE);

    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    assertEquals(List.of("3: read 4096 +160", "25: read 4096 +640"), mem.requests);
    assertEquals(List.of(25L, 25L, 77L), rmmu.arrivals);
    var c = r.block("sched").counters();
    assertEquals(800L, c.get("dram_bytes.kv"));
    assertEquals(3L, c.get("blocks"));
    assertEquals(3L * 28, c.get("kept_pairs"));
    assertEquals(60L, c.get("union_keys"));
  }
}
