package dev.attnsim.actors.blocks.dota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    // per block 28 kept pairs x 8 MACs, twice (SDDMM, SpMM); the array offers (22 + 20) cycles
    // of 16 PEs (DotaPartsTest's balanced cost)
    assertEquals(3L * 2 * 28 * 8, c.get("useful_macs"));
    assertEquals(3L * (22 + 20) * 16, c.get("capacity_macs"));
  }

  /**
   * One K/V request in flight at a time (depth 1) and one SDDMM slot (depth 1), a window of 3.
   * Block 0 is on chip and issues at once (at the RMMU at 3). Block 4's request leaves at 3;
   * block 8 is on chip and waits behind block 4. Block 12's request must wait for the credit
   * that comes back at 5 (its arrival at 5 is handled first): it reaches memory at 6. Block 4's
   * rows are back at 25: it issues, block 8 stalls for the SDDMM slot until 27. Block 12's rows,
   * 40 bus cycles after block 4's 10, are back at 65.
   */
  @Test
  void blocksWaitForAKvCreditAndStallForAnSddmmSlot() {
    var plan = List.of(new DramStreamer.Transfer(0, selected(0, 64)),
        new DramStreamer.Transfer(0, selected(4, 15)),
        new DramStreamer.Transfer(0, selected(8, 64)),
        new DramStreamer.Transfer(0, selected(12, 0)));
    var mem = new TestMemory(1, 16, 10);
    var rmmu = new Probe();
    var net = new Netlist()
        .add("sel", new DramStreamer(List.of("mask"), plan.iterator(), 1024, 0))
        .add("sched", new Scheduler(ARRAY, 8, Scheduler.Policy.BALANCED, 3))
        .add("mem", mem)
        .add("rmmu", rmmu)
        .connect("sel.mask", "sched.mask", 1, 4)
        .connect("sched.kvreq", "mem.req0", 1, 1)
        .connect("mem.resp0", "sched.kv", 1, 2)
        .connect("sched.sddmm", "rmmu.in", 1, 1);

    RunResult r = new SequentialEngine(RunLimits.DEFAULT, false)
        .run(net, x -> {}, ProgressListener.NONE);

    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    assertEquals(List.of("4: read 4096 +160", "6: read 4096 +640"), mem.requests);
    assertEquals(List.of(3L, 26L, 28L, 66L), rmmu.arrivals);
    assertEquals(List.of(0, 4, 8, 12), rmmu.tiles.stream().map(Tile::row0).toList());
    assertEquals(2, r.block("sched").stallCycles());
  }

  /**
   * Blocks whose rows never come back stay scheduled: the run is a deadlock that says so.
   */
  @Test
  void blocksWaitingForRowsThatNeverComeAreReported() {
    var plan = List.of(new DramStreamer.Transfer(0, selected(0, 0)),
        new DramStreamer.Transfer(0, selected(4, 64)));
    var net = new Netlist()
        .add("sel", new DramStreamer(List.of("mask"), plan.iterator(), 1024, 0))
        .add("sched", new Scheduler(ARRAY, 8, Scheduler.Policy.BALANCED, 2))
        .add("mem", new Probe()) // takes the request, never answers
        .add("rmmu", new Probe())
        .add("nomem", new DramStreamer(List.of("out"), List.<DramStreamer.Transfer>of().iterator(),
            1, 0))
        .connect("sel.mask", "sched.mask", 1, 2)
        .connect("sched.kvreq", "mem.in", 1, 1)
        .connect("nomem.out", "sched.kv", 1, 1)
        .connect("sched.sddmm", "rmmu.in", 1, 1);

    RunResult r = new SequentialEngine(RunLimits.DEFAULT, false)
        .run(net, x -> {}, ProgressListener.NONE);

    assertEquals(RunStatus.DEADLOCK, r.status());
    assertEquals(List.of("sched: 2 block(s) scheduled but not issued"), r.problems());
  }

  @Test
  void aHeadSizeOrWindowOfOneIsTheSmallest() {
    assertEquals(1 + 6, new Scheduler(ARRAY, 1, Scheduler.Policy.IN_ORDER, 1)
        .cost(FETCHED_ONE, ONE_KEY).sddmmCycles()); // one group of one cycle, plus the fill
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Scheduler(ARRAY, 0, Scheduler.Policy.IN_ORDER, 1));
    assertEquals("head size and window must be >= 1, got 0 and 1", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Scheduler(ARRAY, 8, Scheduler.Policy.IN_ORDER, 0));
  }

  private static final MaskBlock ONE_KEY = new MaskBlock(0, 0, 0, new int[] {1}, 1, 1, null);
  private static final AttentionJob FETCHED_ONE = new AttentionJob(0, 0, 0, 1, 0, 0);
}
