package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.kernel.Precision;

/**
 * What one DOTA lane's controller needs to know to walk its program.
 *
 * @param lane this lane's index; it runs heads {@code h} with {@code h % lanes == lane}, FFN
 *     column chunk {@code lane} of {@code lanes}
 * @param array the lane's RMMU: its geometry and its GEMM timing ({@link PeArray#gemmCycles})
 * @param detection false for DOTA-F (full attention, no detection)
 * @param detectPrecision precision of the prediction path and of Q~ K~^T (INT4 by default)
 * @param rowBlock tokens per linear and FFN op
 * @param prefetchSteps program steps whose DRAM reads may be in flight ahead of the current one
 */
public record LaneConfig(int lane, int lanes, int layers, LayerShape shape, PeArray array,
    boolean detection, Precision detectPrecision, int rowBlock,
    long sramBytes, int prefetchSteps) {

  public LaneConfig {
    if (lane < 0 || lane >= lanes || layers < 1 || rowBlock < 1 || prefetchSteps < 1) {
      throw new IllegalArgumentException("bad lane config: lane " + lane + " of " + lanes
          + ", layers " + layers + ", row block " + rowBlock + ", prefetch " + prefetchSteps);
    }
  }

  /** Rows of a query block: one per PE row. */
  public int queryBlock() {
    return array.rows();
  }

  /** Width of this lane's FFN hidden chunk. */
  public int ffnChunk() {
    int base = shape.ffnHidden() / lanes;
    return base + (lane < shape.ffnHidden() % lanes ? 1 : 0);
  }

  public int[] heads() {
    int n = 0;
    for (int h = lane; h < shape.heads(); h += lanes) {
      n++;
    }
    int[] hs = new int[n];
    for (int i = 0, h = lane; h < shape.heads(); h += lanes, i++) {
      hs[i] = h;
    }
    return hs;
  }
}
