package dev.attnsim.sim.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.TraceSink;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.config.ConfigLoader;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.run.Simulation;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gemm pipeline's cycle counts against the fold arithmetic, worked by hand. One lane, a 4 x 4
 * array, C[8 x 8] = A[8 x 16] B[16 x 8] in FX16: 4 folds of F = 16 + 3 + 3 = 22 cycles; each
 * operand tile is (4 + 4) x 16 x 2 B = 256 B; DRAM latency D = 10, link latency L = 1, and the
 * accumulator adds a 16-element partial in 1 cycle.
 */
class GemmCyclesTest {

  private static RunResult run(String engine, List<String> sets) {
    var all = new java.util.ArrayList<>(sets);
    all.add("run.engine=" + engine);
    SimSettings s = ConfigLoader.load(null, all);
    return Simulation.engine(s).run(Simulation.assemble(s), TraceSink.NONE,
        ProgressListener.NONE);
  }

  /**
   * 64 B/cycle: a tile takes X = 4 bus cycles, less than a fold, so the lane never waits after the
   * first tile: cycles = (X + D + L) + 4 F + L + 1 = 15 + 88 + 2 = 105. DRAM, with a depth-2 FIFO,
   * stalls over [8, 16) and [20, 38): 26 cycles.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sequential", "actor"})
  void computeBoundLaneRunsBackToBackFolds(String engine) {
    RunResult r = run(engine, TestConfigs.oneLane("hardware.dram.bandwidth-bytes-per-cycle=64"));

    assertEquals(RunStatus.OK, r.status());
    assertEquals(105, r.cycles());
    assertEquals(4 * 22, r.block("lane0").busyCycles());
    assertEquals(0, r.block("lane0").stallCycles());
    assertEquals(16, r.block("dram").busyCycles());
    assertEquals(26, r.block("dram").stallCycles());
    assertEquals(4, r.block("acc").busyCycles());
    assertEquals(4L, r.block("acc").counters().get("outputs"));
    assertEquals(4L * 8 * 8 * 16 / 4, r.block("lane0").counters().get("macs"));
  }

  /**
   * 8 B/cycle: X = 32 > F, so DRAM paces the lane: tile n arrives at 32 n + 43 and the last fold
   * ends 22 cycles after the last arrival: cycles = 4 X + D + L + F + L + 1 = 163.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sequential", "actor"})
  void dramBoundLaneWaitsForEveryTile(String engine) {
    RunResult r = run(engine, TestConfigs.oneLane("hardware.dram.bandwidth-bytes-per-cycle=8"));

    assertEquals(RunStatus.OK, r.status());
    assertEquals(163, r.cycles());
    assertEquals(128, r.block("dram").busyCycles());
    assertEquals(0, r.block("dram").stallCycles());
    assertEquals(88, r.block("lane0").busyCycles());
    assertEquals(163 - 88, r.block("lane0").idleCycles(r.cycles()));
  }

  /**
   * INT4 at 16 MACs per PE per cycle: a fold is ceil(16 / 16) + 6 = 7 cycles and an operand tile
   * 64 B (1 bus cycle at 64 B/cycle), so the lane is compute bound with folds back to back:
   * cycles = (1 + 10 + 1) + 4 x 7 + 1 + 1 = 42.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sequential", "actor"})
  void lowPrecisionFoldsAreShorter(String engine) {
    RunResult r = run(engine, TestConfigs.oneLane("hardware.dram.bandwidth-bytes-per-cycle=64",
        "workload.gemm.precision=INT4"));

    assertEquals(42, r.cycles());
    assertEquals(28, r.block("lane0").busyCycles());
  }

  /**
   * The gemm pipeline and a lane GEMM (what {@code LaneController} charges an op: {@code
   * PeArray.gemmCycles}) take the same cycles for the same shape, on every dataflow and option.
   * One lane on an 8 x 8 array; DRAM delivers a tile per cycle into a deep FIFO, so the lane
   * never waits and its busy time is the GEMM's span. 16 x 96 x 32 is DOTA's QKV op in {@code
   * DotaLaneTest} (1,104 cycles with the defaults, {@code 2 x 12 x (32 + 14)}); 20 x 13 x 24 has
   * edge folds on every dataflow (OS 8, 8, 4 rows by 8, 5 columns; WS 8, 8, 8 by 8, 5; IS 8, 8, 8
   * by 8, 8, 4).
   */
  @ParameterizedTest(name = "{0}x{1}x{2} {3} overlap={4} pad={5}")
  @CsvSource({
      "16, 96, 32, os, false, true", "16, 96, 32, ws, true, true", "16, 96, 32, is, true, false",
      "20, 13, 24, os, false, true", "20, 13, 24, os, false, false",
      "20, 13, 24, os, true, true", "20, 13, 24, os, true, false",
      "20, 13, 24, ws, false, true", "20, 13, 24, ws, false, false",
      "20, 13, 24, ws, true, true", "20, 13, 24, ws, true, false",
      "20, 13, 24, is, false, true", "20, 13, 24, is, false, false",
      "20, 13, 24, is, true, true", "20, 13, 24, is, true, false"})
  void thePipelineAndALaneGemmOfTheSameShapeTakeTheSameCycles(int m, int n, int k,
      String dataflow, boolean overlap, boolean pad) {
    var sets = List.of("workload.kind=gemm", "hardware.lanes=1", "hardware.rmmu.rows=8",
        "hardware.rmmu.cols=8", "workload.gemm.m=" + m, "workload.gemm.n=" + n,
        "workload.gemm.k=" + k, "workload.gemm.precision=FX16",
        "hardware.rmmu.dataflow=" + dataflow, "hardware.rmmu.fold-overlap=" + overlap,
        "hardware.rmmu.pad-edge-folds=" + pad, "hardware.dram.latency-cycles=1",
        "hardware.dram.bandwidth-bytes-per-cycle=1048576",
        "hardware.links.dram-to-lane-depth=1024", "hardware.links.lane-to-accumulator-depth=1024",
        "hardware.accumulator.elements-per-cycle=4096");
    SimSettings s = ConfigLoader.load(null, sets);
    RunResult r = run("sequential", sets);

    assertEquals(RunStatus.OK, r.status());
    long laneGemm = s.hardware().rmmu().gemmCycles(m, n, k, Precision.FX16);
    assertEquals(laneGemm, r.block("lane0").busyCycles());
    if (m == 16 && !overlap && pad) {
      assertEquals(1104, laneGemm);
    }
  }

  /**
   * Two lanes split k = 16 into two slices of 8: each fold is 8 + 6 = 14 cycles and each operand
   * tile (4 + 4) x 8 x 2 B = 128 B (2 bus cycles at 64 B/cycle). The accumulator receives 8
   * partials and completes 4 output tiles. Worked timeline: lane 0 folds start at 13, 27, 41,
   * 55 and lane 1's at 15, 29, 43, 57 (DRAM stalls on lane 0's full FIFO over [8, 14) and
   * [18, 28)); lane 1's last partial leaves at 71 and is added over [72, 73).
   */
  @ParameterizedTest
  @ValueSource(strings = {"sequential", "actor"})
  void lanesSplitTheReductionAndTheAccumulatorSumsThem(String engine) {
    RunResult r = run(engine, TestConfigs.oneLane("hardware.lanes=2",
        "hardware.dram.bandwidth-bytes-per-cycle=64"));

    assertEquals(RunStatus.OK, r.status());
    assertEquals(73, r.cycles());
    assertEquals(16, r.block("dram").stallCycles());
    assertEquals(4 * 14, r.block("lane0").busyCycles());
    assertEquals(4 * 14, r.block("lane1").busyCycles());
    assertEquals(8, r.block("acc").tilesIn());
    assertEquals(4L, r.block("acc").counters().get("outputs"));
    assertEquals(8 * 128, r.block("dram").bytesOut());
  }
}
