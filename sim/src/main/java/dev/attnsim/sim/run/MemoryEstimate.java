package dev.attnsim.sim.run;

import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.config.SimSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a transformer run allocates up front, estimated from its settings before anything is
 * built, so that a run too large for the heap is refused with the figures instead of dying in an
 * {@link OutOfMemoryError}: each lane controller's per-layer state (for every layer run:
 * layers x batch), and in functional mode each lane's Q, K and V rows and one layer's tensors.
 * A lower bound: blocks' queues and the trace writer come on top.
 */
public final class MemoryEstimate {
  private MemoryEstimate() {}

  /** Bytes of one lane's state per layer run: stage flags and stage start and end cycles. */
  static final long LANE_BYTES_PER_LAYER_RUN = 24 + 2 * (16 + 6 * 8) + 3 * 4;

  /** One term of the estimate. */
  public record Term(String what, long bytes) {}

  /** The terms of {@code s}'s estimate; empty for a gemm run (its state is a few tiles). */
  public static List<Term> terms(SimSettings s) {
    var terms = new ArrayList<Term>();
    if (s.isGemm()) {
      return terms;
    }
    var w = s.transformer();
    long lanes = s.hardware().lanes();
    long layerRuns = (long) w.layers() * w.batch();
    terms.add(new Term(String.format(Locale.ROOT, "lane state for %,d layer runs "
        + "(workload.transformer.layers x batch) on %d lanes", layerRuns, lanes),
        lanes * layerRuns * LANE_BYTES_PER_LAYER_RUN));
    if (s.functional()) {
      long rows = (long) w.seqLen() * w.dModel() * 8;
      terms.add(new Term(String.format(Locale.ROOT, "Q, K and V rows of seq-len %,d x d-model "
          + "%,d per lane", w.seqLen(), w.dModel()), 3 * lanes * rows));
      terms.add(new Term("one layer's tensors (X and W_Q, W_K, W_V, W_O)",
          rows + 4L * w.dModel() * w.dModel() * 8));
    }
    return terms;
  }

  /** The estimate in bytes (saturating). */
  public static long bytes(SimSettings s) {
    long sum = 0;
    for (Term t : terms(s)) {
      sum = t.bytes() > Long.MAX_VALUE - sum ? Long.MAX_VALUE : sum + t.bytes();
    }
    return sum;
  }

  /**
   * Refuses a run whose estimate exceeds {@code heapBytes} ({@link Runtime#maxMemory()}), naming
   * the estimate, its largest term and the heap.
   */
  public static void check(SimSettings s, long heapBytes) {
    long need = bytes(s);
    if (need <= heapBytes) {
      return;
    }
    Term largest = terms(s).stream().max(java.util.Comparator.comparingLong(Term::bytes))
        .orElseThrow();
    throw new ConfigError("this run needs at least " + size(need) + " of heap before it starts ("
        + size(largest.bytes()) + " of it " + largest.what() + "), more than the JVM's "
        + size(heapBytes) + "; make the workload smaller or give Java more heap "
        + "(JAVA_OPTS=-Xmx...)");
  }

  /** A byte count in B, KB, MB, GB or TB (powers of 1024), three significant digits. */
  static String size(long bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format(Locale.ROOT, v >= 100 ? "%.0f %s"
        : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[u]);
  }
}
