package dev.attnsim.sim.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Busy and stall cycles per block in equal time bins, at about pixel resolution, gathered in one
 * pass without knowing the run's length: the bins start one cycle wide and double in width
 * (merging pairs) whenever a span reaches past the last bin. Memory is {@code blocks x (stages +
 * 1) x 2 x minBins} doubles whatever the trace's length.
 */
public final class TimelineBins {

  private final long origin;
  private final int capacity;
  private final int blocks;
  private final Map<String, Integer> stageIds = new LinkedHashMap<>();
  private final List<double[][]> busy = new ArrayList<>(); // per stage: [block][bin]
  private final double[][] stall;
  private long binCycles = 1;

  /**
   * @param origin the cycle of the left edge (the inspected window's start)
   * @param minBins bins wanted at least across the time actually covered (the plot's pixels)
   */
  public TimelineBins(int blocks, long origin, int minBins) {
    this.origin = origin;
    this.capacity = 2 * minBins;
    this.blocks = blocks;
    this.stall = new double[blocks][capacity];
  }

  /** Adds a busy span of {@code stage} (clipped to start at the origin). */
  public void addBusy(int block, String stage, long start, long end) {
    Integer id = stageIds.get(stage);
    if (id == null) {
      id = stageIds.size();
      stageIds.put(stage, id);
      busy.add(new double[blocks][capacity]);
    }
    add(busy.get(id)[block], start, end);
  }

  public void addStall(int block, long start, long end) {
    add(stall[block], start, end);
  }

  private void add(double[] row, long start, long end) {
    long s = Math.max(start, origin) - origin;
    long e = end - origin;
    if (e <= s) {
      return;
    }
    while (e > binCycles * capacity) {
      coarsen();
    }
    // row may have been replaced by coarsen(); the arrays are merged in place, so it is the same
    long bin = s / binCycles;
    while (s < e) {
      long binEnd = (bin + 1) * binCycles;
      long piece = Math.min(e, binEnd) - s;
      row[(int) bin] += piece;
      s += piece;
      bin++;
    }
  }

  private void coarsen() {
    for (double[][] stage : busy) {
      for (double[] row : stage) {
        merge(row);
      }
    }
    for (double[] row : stall) {
      merge(row);
    }
    binCycles *= 2;
  }

  private static void merge(double[] row) {
    int half = row.length / 2;
    for (int i = 0; i < half; i++) {
      row[i] = row[2 * i] + row[2 * i + 1];
    }
    java.util.Arrays.fill(row, half, row.length, 0.0);
  }

  public long origin() {
    return origin;
  }

  public long binCycles() {
    return binCycles;
  }

  public int capacity() {
    return capacity;
  }

  public int blocks() {
    return blocks;
  }

  /** Stage names in order of first appearance. */
  public List<String> stages() {
    return List.copyOf(stageIds.keySet());
  }

  /** Busy cycles of {@code stage} (index into {@link #stages()}) of a block in a bin. */
  public double busy(int stage, int block, int bin) {
    return busy.get(stage)[block][bin];
  }

  public double stall(int block, int bin) {
    return stall[block][bin];
  }
}
