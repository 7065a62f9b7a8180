package dev.attnsim.actors.blocks.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnsim.actors.blocks.common.PeArray.Dataflow;
import dev.attnsim.actors.blocks.common.PeArray.Fold;
import dev.attnsim.actors.blocks.common.PeArray.Mapping;
import dev.attnsim.actors.blocks.common.PeArray.Timing;
import dev.attnsim.actors.kernel.Precision;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The PE array's one GEMM timing model, worked by hand on small arrays for the three dataflows,
 * with and without edge-fold padding and fold overlap, and held to SCALE-Sim v2's own runs.
 *
 * <p>Most cases are C[10 x 6] = A[10 x 8] B[8 x 6] in FX16 on a 4 x 4 array. Its folds:
 *
 * <ul>
 *   <li>OS: Sr = M = 10 (rows 4, 4, 2), Sc = N = 6 (cols 4, 2), T = K = 8: 6 folds, no load;
 *   <li>WS: Sr = K = 8 (rows 4, 4), Sc = N = 6 (cols 4, 2), T = M = 10: 4 folds, load r;
 *   <li>IS: Sr = K = 8 (rows 4, 4), Sc = M = 10 (cols 4, 4, 2), T = N = 6: 6 folds, load r.
 * </ul>
 *
 * At 256 outputs per cycle every drain is 1 cycle, below every skew.
 */
class PeArrayTest {
  private static final Precision FX16 = Precision.FX16;

  private static PeArray array(int rows, int cols, Dataflow dataflow, boolean overlap,
      boolean pad, int outputsPerCycle) {
    return new PeArray(rows, cols, PeArray.defaultMacsPerPe(),
        new Timing(dataflow, overlap, pad, outputsPerCycle));
  }

  private static PeArray array4(Dataflow dataflow, boolean overlap, boolean pad) {
    return array(4, 4, dataflow, overlap, pad, 256);
  }

  /** SCALE-Sim's operand layout, the reduction packed m per PE (INT8: 4, so K = 8 is 2 steps). */
  @Test
  void gemmsMapOntoTheArrayAsScaleSimLaysThemOut() {
    assertEquals(new Mapping(10, 6, 8), array4(Dataflow.OS, false, true).map(10, 6, 8, FX16));
    assertEquals(new Mapping(8, 6, 10), array4(Dataflow.WS, false, true).map(10, 6, 8, FX16));
    assertEquals(new Mapping(8, 10, 6), array4(Dataflow.IS, false, true).map(10, 6, 8, FX16));
    assertEquals(new Mapping(10, 6, 2),
        array4(Dataflow.OS, false, true).map(10, 6, 8, Precision.INT8));
    assertEquals(new Mapping(2, 6, 10),
        array4(Dataflow.WS, false, true).map(10, 6, 8, Precision.INT8));
    assertEquals(6, array4(Dataflow.OS, false, true).folds(10, 6, 8, FX16));
    assertEquals(4, array4(Dataflow.WS, false, true).folds(10, 6, 8, FX16));
    assertEquals(6, array4(Dataflow.IS, false, true).folds(10, 6, 8, FX16));
  }

  /**
   * A 2 x 2 fold of T = 8 on the 4 x 4 array. OS: no load, skew 1 + 1 = 2, span 8 + 2 = 10; the
   * first result can leave at step T - 1 = 7, the drain of 4 results takes 1 cycle. Padded it is
   * a 4 x 4 fold: skew 6, span 14, drain 16 / 256 -> 1. WS: load 2, skew 2, 8 x 2 = 16 results
   * draining 1 cycle after the first partial sum has crossed 2 rows (step 1): span 10, serial 12.
   * At 4 outputs per cycle the WS drain is 4 cycles, 1 + 4 < 10, so the span stays 10.
   */
  @Test
  void aFoldIsLoadStreamSkewAndDrain() {
    Fold os = array4(Dataflow.OS, false, false).fold(2, 2, 8);
    assertEquals(new Fold(2, 2, 0, 8, 2, 1, 7), os);
    assertEquals(10, os.spanCycles());
    assertEquals(10, os.serialCycles());
    assertEquals(8, os.issueCycles());
    assertEquals(new Fold(4, 4, 0, 8, 6, 1, 7), array4(Dataflow.OS, false, true).fold(2, 2, 8));
    Fold ws = array4(Dataflow.WS, false, false).fold(2, 2, 8);
    assertEquals(new Fold(2, 2, 2, 8, 2, 1, 1), ws);
    assertEquals(12, ws.serialCycles());
    assertEquals(new Fold(2, 2, 2, 8, 2, 4, 1),
        array(4, 4, Dataflow.WS, false, false, 4).fold(2, 2, 8));
  }

  /**
   * OS, 10 x 6 x 8 on 4 x 4. Serial padded: 6 folds x (8 + 3 + 3) = 84 (SCALE-Sim reports 83).
   * Serial by used extent: rows 4, 4 with cols 4 and 2: 2 x ((8 + 6) + (8 + 4)) = 52, row 2: (8 +
   * 4) + (8 + 2) = 22; 74. Overlapped, every fold issues 8 cycles after the previous one (its
   * stream); padded: 5 x 8 + 14 = 54. Overlapped by used extent, in column-fold order: (4,4) at
   * 0 ends 14, (4,4) at 8 ends 22, (2,4) at 16 ends 28, (4,2) at 24 ends 36, (4,2) at 32 ends 44,
   * (2,2) at 40 ends 50: 50.
   */
  @Test
  void outputStationaryHandWorked() {
    assertEquals(84, array4(Dataflow.OS, false, true).gemmCycles(10, 6, 8, FX16));
    assertEquals(74, array4(Dataflow.OS, false, false).gemmCycles(10, 6, 8, FX16));
    assertEquals(54, array4(Dataflow.OS, true, true).gemmCycles(10, 6, 8, FX16));
    assertEquals(50, array4(Dataflow.OS, true, false).gemmCycles(10, 6, 8, FX16));
  }

  /**
   * WS, 10 x 6 x 8 on 4 x 4 (T = 10). Serial padded: 4 folds x (4 + 10 + 3 + 3) = 80 (SCALE-Sim
   * reports 79, its 2 R + C + T - 2 per fold). Serial by used extent: 2 x ((4 + 10 + 6) + (4 + 10
   * + 4)) = 76. Overlapped padded: the first load ends at 4, the others hide under the 10-cycle
   * streams: streams start at 4, 14, 24, 34; 34 + 16 = 50. Overlapped by used extent: the two
   * (4,4) folds stream at 4 and 14 (ending 30); the (4,2) folds load from 14, stream at 24 and 34
   * and end 34 + 10 + 4 = 48.
   */
  @Test
  void weightStationaryHandWorked() {
    assertEquals(80, array4(Dataflow.WS, false, true).gemmCycles(10, 6, 8, FX16));
    assertEquals(76, array4(Dataflow.WS, false, false).gemmCycles(10, 6, 8, FX16));
    assertEquals(50, array4(Dataflow.WS, true, true).gemmCycles(10, 6, 8, FX16));
    assertEquals(48, array4(Dataflow.WS, true, false).gemmCycles(10, 6, 8, FX16));
  }

  /**
   * IS, 10 x 6 x 8 on 4 x 4 (T = 6). Serial padded: 6 folds x (4 + 6 + 3 + 3) = 96 (SCALE-Sim
   * reports 95). Serial by used extent: 2 x (2 x (4 + 6 + 6) + (4 + 6 + 4)) = 92. Overlapped
   * padded: streams at 4, 10, ..., 34 (6 apart, the load of 4 hidden); 34 + 12 = 46. Overlapped
   * by used extent: the (4,4) folds stream at 4, 10, 16, 22, the (4,2) folds at 28 and 34; the
   * last ends 34 + 6 + 4 = 44.
   */
  @Test
  void inputStationaryHandWorked() {
    assertEquals(96, array4(Dataflow.IS, false, true).gemmCycles(10, 6, 8, FX16));
    assertEquals(92, array4(Dataflow.IS, false, false).gemmCycles(10, 6, 8, FX16));
    assertEquals(46, array4(Dataflow.IS, true, true).gemmCycles(10, 6, 8, FX16));
    assertEquals(44, array4(Dataflow.IS, true, false).gemmCycles(10, 6, 8, FX16));
  }

  /**
   * A narrow output port. OS at INT4 (K = 8 is T = 1 step) with 4 outputs per cycle, overlapped:
   * a full fold drains 16 / 4 = 4 cycles, so folds issue 4 apart; padded 5 x 4 + max(1 + 6, 0 +
   * 4) = 27. By used extent the drains are 4, 2 (4 x 2 and 2 x 4) and 1 (2 x 2): (4,4) at 0 and
   * 4, (2,4) at 8, (4,2) at 10 and 12, (2,2) at 14, ending 14 + max(1 + 2, 0 + 1) = 17. Serial OS
   * in FX16 at 2 per cycle: the 16-result drain (8) outlasts the skew (6) by 2 - 1 = 1 cycle: 6
   * x (7 + 8) = 90. WS at 2 per cycle: 10 x 4 = 40 results, 20 cycles from step 3: 4 x (4 + 23)
   * = 108.
   */
  @Test
  void aNarrowOutputPortBoundsTheFolds() {
    var int4 = Precision.INT4;
    assertEquals(27, array(4, 4, Dataflow.OS, true, true, 4).gemmCycles(10, 6, 8, int4));
    assertEquals(17, array(4, 4, Dataflow.OS, true, false, 4).gemmCycles(10, 6, 8, int4));
    assertEquals(6 * 7, array(4, 4, Dataflow.OS, false, true, 4).gemmCycles(10, 6, 8, int4));
    assertEquals(90, array(4, 4, Dataflow.OS, false, true, 2).gemmCycles(10, 6, 8, FX16));
    assertEquals(108, array(4, 4, Dataflow.WS, false, true, 2).gemmCycles(10, 6, 8, FX16));
  }

  /**
   * WS, 2 x 4 x 8 on 4 x 4: two row folds with a 2-step stream. Serial: 2 x (4 + 2 + 6) = 24
   * (SCALE-Sim reports 23). Overlapped, the second fold's load (4) outlasts the first's stream
   * (2): streams at 4 and 8, end 8 + 8 = 16.
   */
  @Test
  void aLongLoadSpacesOverlappedFolds() {
    assertEquals(24, array4(Dataflow.WS, false, true).gemmCycles(2, 4, 8, FX16));
    assertEquals(16, array4(Dataflow.WS, true, true).gemmCycles(2, 4, 8, FX16));
  }

  /**
   * INT8 packs 4 reduction elements per PE step. OS: T = 2, 6 padded folds x (2 + 6) = 48. WS: Sr
   * = 2, one row fold, 2 column folds: padded 2 x (4 + 10 + 6) = 40; by used extent (2 + 10 + 1
   * + 3) + (2 + 10 + 1 + 1) = 30.
   */
  @Test
  void lowPrecisionPacksTheReduction() {
    var int8 = Precision.INT8;
    assertEquals(48, array4(Dataflow.OS, false, true).gemmCycles(10, 6, 8, int8));
    assertEquals(40, array4(Dataflow.WS, false, true).gemmCycles(10, 6, 8, int8));
    assertEquals(30, array4(Dataflow.WS, false, false).gemmCycles(10, 6, 8, int8));
  }

  /**
   * One 4 x 4 x 8 OS fold (span 14, stream 8) issued three times onto one schedule. Serial: at 0
   * ends 14; ready at 3 it waits for the array, 14 + 14 = 28; ready at 40, 54. Overlapped: at 0
   * ends 14; ready at 3 it streams at 8 (the first fold's stream), ends 22; ready at 30 it streams
   * at once, ends 44, and the array takes the next operands from 30.
   */
  @Test
  void aScheduleHonoursReadyTimesAndTheArray() {
    var serial = array4(Dataflow.OS, false, true);
    var s = serial.newSchedule();
    assertEquals(14, serial.issue(s, 4, 4, 8, FX16, 0));
    assertEquals(28, serial.issue(s, 4, 4, 8, FX16, 3));
    assertEquals(54, serial.issue(s, 4, 4, 8, FX16, 40));
    assertEquals(54, s.acceptsAt());
    var overlapped = array4(Dataflow.OS, true, true);
    var o = overlapped.newSchedule();
    assertEquals(14, overlapped.issue(o, 4, 4, 8, FX16, 0));
    assertEquals(0, o.acceptsAt());
    assertEquals(22, overlapped.issue(o, 4, 4, 8, FX16, 3));
    assertEquals(8, o.acceptsAt());
    assertEquals(44, overlapped.issue(o, 4, 4, 8, FX16, 30));
    assertEquals(30, o.acceptsAt());
    assertEquals(44, o.end());
  }

  /**
   * The default model against SCALE-Sim v2 itself (scalesim-project/scale-sim-v2 at 22f88b1, GEMM
   * topology "M, N, K", ArrayHeight R, ArrayWidth C, 4096 kB SRAMs, InterfaceBandwidth CALC, no
   * stalls), its COMPUTE_REPORT "Total Cycles" in the last column: the model counts one cycle
   * more, because SCALE-Sim reports the index (from 0) of the cycle in which the last output is
   * written. Closed forms: OS folds ceil(M / R) ceil(N / C) x (R + C + K - 2); WS ceil(K / R)
   * ceil(N / C) x (2 R + C + M - 2); IS ceil(K / R) ceil(M / C) x (2 R + C + N - 2).
   */
  @ParameterizedTest(name = "{0}x{1}x{2} on {3}x{4} {5}")
  @CsvSource({
      "10, 6, 8, 4, 4, os, 83", "10, 6, 8, 4, 4, ws, 79", "10, 6, 8, 4, 4, is, 95",
      "2, 4, 8, 4, 4, os, 13", "2, 4, 8, 4, 4, ws, 23", "2, 4, 8, 4, 4, is, 27",
      "10, 6, 8, 64, 16, os, 85", "10, 6, 8, 64, 16, ws, 151", "10, 6, 8, 64, 16, is, 147",
      "100, 50, 30, 32, 16, os, 1215", "100, 50, 30, 32, 16, ws, 711",
      "100, 50, 30, 32, 16, is, 895",
      "128, 64, 256, 32, 16, os, 4831", "128, 64, 256, 32, 16, ws, 6591",
      "128, 64, 256, 32, 16, is, 9087",
      "128, 256, 256, 32, 16, os, 19327", "128, 256, 256, 32, 16, ws, 26367",
      "128, 256, 256, 32, 16, is, 21375",
      "512, 512, 64, 64, 16, os, 36351", "512, 512, 64, 64, 16, ws, 20927",
      "512, 512, 64, 64, 16, is, 20927"})
  void theDefaultsAreScaleSimsReportedCyclesPlusOne(int m, int n, int k, int rows, int cols,
      String dataflow, long scaleSim) {
    var df = Dataflow.valueOf(dataflow.toUpperCase(Locale.ROOT));
    var model = new PeArray(rows, cols, PeArray.defaultMacsPerPe(),
        new Timing(df, Timing.DEFAULT.foldOverlap(), Timing.DEFAULT.padEdgeFolds(),
            Timing.DEFAULT.outputsPerCycle()));
    assertEquals(scaleSim + 1, model.gemmCycles(m, n, k, FX16));
  }

  @Test
  void emptyGemmsAndImpossibleFoldsAreRefused() {
    var a = array4(Dataflow.OS, false, true);
    assertEquals(0, a.gemmCycles(0, 8, 16, Precision.INT4));
    assertEquals(0, a.gemmCycles(8, 8, 0, FX16));
    assertThrows(IllegalArgumentException.class, () -> a.fold(5, 4, 8));
    assertThrows(IllegalArgumentException.class, () -> a.fold(4, 4, 0));
    assertThrows(IllegalArgumentException.class, () -> a.gemmCycles(8, 8, 8, Precision.FP32));
    assertThrows(IllegalArgumentException.class,
        () -> new Timing(Dataflow.OS, false, true, 0));
    assertThrows(IllegalArgumentException.class, () -> a.map(0, 1, 1, FX16));
    assertEquals(32L * 16 * 64,
        new PeArray(32, 16, PeArray.defaultMacsPerPe()).peakMacsPerCycle(Precision.INT2));
  }
}
