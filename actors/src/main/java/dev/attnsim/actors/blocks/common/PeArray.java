package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.kernel.Precision;
import java.util.EnumMap;
import java.util.Map;

/**
 * The geometry and arithmetic of an output-stationary PE array ({@code rows x cols} multi-precision
 * MAC PEs, RMMU style).
 *
 * <p>Fold arithmetic: an output tile of {@code m x n <= rows x cols} is held stationary, one output
 * per PE. Operands enter skewed, so PE {@code (i, j)} starts {@code i + j} cycles after PE {@code
 * (0, 0)}; each PE performs {@code ceil(depth / macsPerPe(precision))} MAC steps. The fold ends
 * when PE {@code (m-1, n-1)} finishes: {@code ceil(depth / macs) + (m - 1) + (n - 1)} cycles.
 * Draining the outputs overlaps the next fold's fill.
 */
public record PeArray(int rows, int cols, Map<Precision, Integer> macsPerPe) {

  /** The DOTA RMMU default: FX16 1, INT8 4, INT4 16, INT2 64 MACs per PE per cycle. */
  public static Map<Precision, Integer> defaultMacsPerPe() {
    var m = new EnumMap<Precision, Integer>(Precision.class);
    m.put(Precision.FX16, 1);
    m.put(Precision.INT8, 4);
    m.put(Precision.INT4, 16);
    m.put(Precision.INT2, 64);
    return m;
  }

  public PeArray {
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException("PE array must be at least 1 x 1, got " + rows + " x "
          + cols);
    }
    macsPerPe = Map.copyOf(macsPerPe);
    for (var e : macsPerPe.entrySet()) {
      if (e.getValue() < 1) {
        throw new IllegalArgumentException(
            "MACs per PE per cycle for " + e.getKey() + " must be >= 1, got " + e.getValue());
      }
    }
  }

  public int macsPerPe(Precision precision) {
    Integer m = macsPerPe.get(precision);
    if (m == null) {
      throw new IllegalArgumentException("the PE array does not support " + precision);
    }
    return m;
  }

  /** Cycles of one fold computing an {@code m x n} output tile over a reduction of {@code depth}. */
  public long foldCycles(int m, int n, int depth, Precision precision) {
    if (m < 1 || m > rows || n < 1 || n > cols) {
      throw new IllegalArgumentException("fold " + m + " x " + n + " does not fit the "
          + rows + " x " + cols + " array");
    }
    long steps = (depth + (long) macsPerPe(precision) - 1) / macsPerPe(precision);
    return steps + (m - 1) + (n - 1);
  }

  /**
   * Cycles of a whole GEMM producing {@code m x n} outputs over a reduction of {@code depth}, with
   * its folds pipelined: the array fills once ({@code (rows - 1) + (cols - 1)}), then each fold
   * takes the longer of its MAC steps ({@code ceil(depth / macsPerPe)}) and the drain of its
   * outputs ({@code ceil(outputs / outputsPerCycle)}), as the next fold's operands enter while the
   * previous outputs leave. A single fold of a short reduction is thus output-bound, not
   * skew-bound.
   */
  public long gemmCycles(long m, long n, int depth, Precision precision, int outputsPerCycle) {
    if (m < 1 || n < 1) {
      return 0;
    }
    if (outputsPerCycle < 1) {
      throw new IllegalArgumentException("outputs per cycle must be >= 1, got " + outputsPerCycle);
    }
    long steps = (depth + (long) macsPerPe(precision) - 1) / macsPerPe(precision);
    long total = (rows - 1L) + (cols - 1L);
    long fullRows = m / rows;
    long edgeRows = m % rows;
    long fullCols = n / cols;
    long edgeCols = n % cols;
    total += fullRows * fullCols * foldTime(steps, (long) rows * cols, outputsPerCycle);
    total += fullRows * (edgeCols > 0 ? foldTime(steps, rows * edgeCols, outputsPerCycle) : 0);
    total += fullCols * (edgeRows > 0 ? foldTime(steps, edgeRows * cols, outputsPerCycle) : 0);
    if (edgeRows > 0 && edgeCols > 0) {
      total += foldTime(steps, edgeRows * edgeCols, outputsPerCycle);
    }
    return total;
  }

  private static long foldTime(long steps, long outputs, int outputsPerCycle) {
    return Math.max(steps, (outputs + outputsPerCycle - 1) / outputsPerCycle);
  }

  /** Peak MACs per cycle of the whole array at {@code precision}. */
  public long peakMacsPerCycle(Precision precision) {
    return (long) rows * cols * macsPerPe(precision);
  }
}
