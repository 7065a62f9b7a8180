package dev.attnsim.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnsim.actors.kernel.BlockStats;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.config.SimSettings;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speed work (issue 13) must not move a cycle: the golden configs and a few larger runs give the
 * same cycles and the same busy and stall totals per block as before it. The expected figures were
 * recorded from main at 9eb47f4 (the DRAMSim3-rule controller) on the sequential engine; events are
 * not compared, because removing idle wake-ups is the point.
 */
class CyclesUnchangedTest {

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "traces/golden/gemm-small.conf||" + GEMM_SMALL,
      "traces/golden/dota-small.conf||" + DOTA_SMALL,
      "traces/golden/energon-small.conf||" + ENERGON_SMALL,
      "traces/golden/sanger-small.conf||" + SANGER_SMALL,
      "traces/golden/fact-small.conf||" + FACT_SMALL,
      "config/dota-c.conf|workload.transformer.seq-len=1024,workload.transformer.layers=1|"
          + DOTA_C_1K,
      "config/dota-f.conf|workload.transformer.seq-len=512,workload.transformer.layers=1|"
          + DOTA_F_512,
      "config/energon.conf|workload.transformer.seq-len=512,workload.transformer.layers=1|"
          + ENERGON_512,
  })
  void cyclesAndBlockTotalsAreUnchanged(String config, String sets, String expected) {
    var overrides = new java.util.ArrayList<String>();
    overrides.add("run.engine=sequential");
    overrides.add("trace.enabled=false");
    overrides.add("run.accuracy=false");
    if (sets != null) {
      overrides.addAll(java.util.List.of(sets.split(",")));
    }
    SimSettings s = TestConfigs.file(config, overrides.toArray(String[]::new));
    var o = Simulation.run(s, tmp.resolve("run"), ProgressListener.NONE);
    assertEquals(expected, fingerprint(o.result()), config + " " + sets);
  }

  /**
   * Status, cycles, {@code block=busy/stall} for every block in declaration order, and the DRAM
   * controller's counters (row hits, activations, latencies).
   */
  static String fingerprint(RunResult r) {
    return r.status() + " " + r.cycles() + " " + r.blocks().stream()
        .map(CyclesUnchangedTest::totals).collect(Collectors.joining(" "))
        + " " + r.block("dram").counters();
  }

  private static String totals(BlockStats b) {
    return b.name() + "=" + b.busyCycles() + "/" + b.stallCycles();
  }

  // Recorded from main (9eb47f4), sequential engine; Energon's and Sanger's re-recorded when the
  // shared units began taking the lanes' blocks two heads at a time (an intended timing change),
  // and Energon's, Sanger's and FACT's again when a block that finds its K/V marked on chip began
  // waiting for the read still bringing it (FetchWindow; README Roadmap, a fixed bug); FACT's
  // once more when a head whose X was marked on chip began waiting for the read bringing it.
  private static final String GEMM_SMALL =
      "OK 368 dram=96/120 lane0=312/0 lane1=312/0 acc=64/0 {bytes_read=24576,"
      + " transfers=8}";
  private static final String DOTA_SMALL =
      "OK 10926 dram=2173/0 acc=40/0 ctl0=0/0 rmmu0=9976/0 sel0=16/0 "
      + "sched0=0/372 smx0=133/0 ctl1=0/0 rmmu1=9994/0 sel1=16/0 sched1=0/0 "
      + "smx1=136/0 ctl2=0/0 rmmu2=9996/0 sel2=16/0 sched2=0/0 smx2=136/0 "
      + "ctl3=0/0 rmmu3=9967/0 sel3=16/0 sched3=0/0 smx3=132/0 {activates=155, "
      + "bursts=2456, bus_busy_cycles_max=1088, bytes_read=157184, "
      + "bytes_written=0, latency_conflict_max_cycles=1480, "
      + "latency_conflict_total_cycles=13927, latency_hit_max_cycles=0, "
      + "latency_hit_total_cycles=0, latency_max_cycles=1480, "
      + "latency_miss_max_cycles=269, latency_miss_total_cycles=2870, "
      + "latency_total_cycles=16797, precharges=139, refreshes=8, requests=80, "
      + "requests_conflict=51, requests_hit=0, requests_miss=29, "
      + "row_conflicts=114, row_hits=2301, row_misses=41}";
  private static final String ENERGON_SMALL =
      "OK 10535 dram=1852/0 acc=40/0 ctl0=0/0 rmmu0=8388/0 ctl1=0/0 "
      + "rmmu1=8388/0 ctl2=0/0 rmmu2=8388/0 ctl3=0/0 rmmu3=8388/0 "
      + "filter=64/0 esel=192/695 attn=415/0 {activates=148, bursts=2706, "
      + "bus_busy_cycles_max=990, bytes_read=173184, bytes_written=0, "
      + "latency_conflict_max_cycles=819, "
      + "latency_conflict_total_cycles=10155, latency_hit_max_cycles=84, "
      + "latency_hit_total_cycles=879, latency_max_cycles=819, "
      + "latency_miss_max_cycles=371, latency_miss_total_cycles=3787, "
      + "latency_total_cycles=14821, precharges=130, refreshes=8, "
      + "requests=111, requests_conflict=61, requests_hit=20, "
      + "requests_miss=30, row_conflicts=108, row_hits=2556, row_misses=42}";
  private static final String SANGER_SMALL =
      "OK 13576 dram=2117/0 acc=40/0 ctl0=0/0 rmmu0=8388/0 ctl1=0/0 "
      + "rmmu1=8388/0 ctl2=0/0 rmmu2=8388/0 ctl3=0/0 rmmu3=8388/0 "
      + "pred=192/0 pack=64/4857 array=5884/0 {activates=143, bursts=2720, "
      + "bus_busy_cycles_max=970, bytes_read=174080, bytes_written=0, "
      + "latency_conflict_max_cycles=819, "
      + "latency_conflict_total_cycles=8777, latency_hit_max_cycles=43, "
      + "latency_hit_total_cycles=134, latency_max_cycles=819, "
      + "latency_miss_max_cycles=373, latency_miss_total_cycles=4192, "
      + "latency_total_cycles=13103, precharges=139, refreshes=16, "
      + "requests=84, requests_conflict=47, requests_hit=4, "
      + "requests_miss=33, row_conflicts=93, row_hits=2581, row_misses=46}";
  private static final String FACT_SMALL =
      "OK 8241 dram=1145/0 acc=44/0 ctl0=0/0 rmmu0=6652/0 ctl1=0/0 "
      + "rmmu1=6652/0 ctl2=0/0 rmmu2=6652/0 ctl3=0/0 rmmu3=6652/0 "
      + "eager=64/457 attn=510/0 {activates=164, bursts=2676, "
      + "bus_busy_cycles_max=593, bytes_read=168928, bytes_written=2048, "
      + "latency_conflict_max_cycles=871, "
      + "latency_conflict_total_cycles=6860, latency_hit_max_cycles=58, "
      + "latency_hit_total_cycles=747, latency_max_cycles=871, "
      + "latency_miss_max_cycles=185, latency_miss_total_cycles=1314, "
      + "latency_total_cycles=8921, precharges=161, refreshes=24, "
      + "requests=145, requests_conflict=65, requests_hit=56, "
      + "requests_miss=24, row_conflicts=130, row_hits=2513, row_misses=33}";
  private static final String DOTA_C_1K =
      "OK 440730 dram=51379/0 acc=160/0 ctl0=0/0 rmmu0=433591/0 sel0=4096/0 "
      + "sched0=0/20162 smx0=3518/0 ctl1=0/0 rmmu1=433897/0 sel1=4096/0 "
      + "sched1=0/20748 smx1=3565/0 ctl2=0/0 rmmu2=434127/0 sel2=4096/0 "
      + "sched2=0/20674 smx2=3592/0 ctl3=0/0 rmmu3=433451/0 sel3=4096/0 "
      + "sched3=0/20257 smx3=3520/0 {activates=5526, bursts=131840, "
      + "bus_busy_cycles_max=33024, bytes_read=8437760, bytes_written=0, "
      + "latency_conflict_max_cycles=4282, "
      + "latency_conflict_total_cycles=267484, latency_hit_max_cycles=0, "
      + "latency_hit_total_cycles=0, latency_max_cycles=4282, "
      + "latency_miss_max_cycles=1336, latency_miss_total_cycles=10836, "
      + "latency_total_cycles=278320, precharges=5511, refreshes=672, "
      + "requests=248, requests_conflict=202, requests_hit=0, requests_miss=46,"
      + " row_conflicts=4283, row_hits=126331, row_misses=1226}";
  private static final String DOTA_F_512 =
      "OK 271557 dram=28591/0 acc=80/0 ctl0=0/0 rmmu0=264904/0 sel0=0/0 "
      + "sched0=0/56629 smx0=8320/0 ctl1=0/0 rmmu1=264904/0 sel1=0/0 "
      + "sched1=0/56582 smx1=8320/0 ctl2=0/0 rmmu2=264904/0 sel2=0/0 "
      + "sched2=0/56554 smx2=8320/0 ctl3=0/0 rmmu3=264904/0 sel3=0/0 "
      + "sched3=0/56439 smx3=8320/0 {activates=3236, bursts=77824, "
      + "bus_busy_cycles_max=19456, bytes_read=4980736, bytes_written=0, "
      + "latency_conflict_max_cycles=4282, "
      + "latency_conflict_total_cycles=154977, latency_hit_max_cycles=0, "
      + "latency_hit_total_cycles=0, latency_max_cycles=4282, "
      + "latency_miss_max_cycles=1779, latency_miss_total_cycles=7394, "
      + "latency_total_cycles=162371, precharges=3204, refreshes=320, "
      + "requests=128, requests_conflict=108, requests_hit=0, requests_miss=20,"
      + " row_conflicts=2461, row_hits=74610, row_misses=753}";
  private static final String ENERGON_512 =
      "OK 221562 dram=30587/0 acc=80/0 ctl0=0/0 rmmu0=197896/0 ctl1=0/0 "
      + "rmmu1=197896/0 ctl2=0/0 rmmu2=197896/0 ctl3=0/0 rmmu3=197896/0 "
      + "filter=14115/0 esel=11171/505 attn=10811/0 {activates=3431, "
      + "bursts=87040, bus_busy_cycles_max=23144, bytes_read=5570560, "
      + "bytes_written=0, latency_conflict_max_cycles=4282, "
      + "latency_conflict_total_cycles=144369, latency_hit_max_cycles=277, "
      + "latency_hit_total_cycles=3542, latency_max_cycles=4282, "
      + "latency_miss_max_cycles=874, latency_miss_total_cycles=8852, "
      + "latency_total_cycles=156763, precharges=3430, refreshes=224, "
      + "requests=183, requests_conflict=111, requests_hit=31, "
      + "requests_miss=41, row_conflicts=2373, row_hits=83616, "
      + "row_misses=1051}";
}
