package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.compute.Attention;
import dev.attnsim.actors.compute.DsaPredictor;
import dev.attnsim.actors.compute.OracleTopK;
import dev.attnsim.actors.compute.Fixed16;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.compute.MaskBlock;
import dev.attnsim.actors.compute.QkRule;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A lane's numbers in functional mode, and the arithmetic its blocks do with them. The lane
 * controller, scheduler and softmax unit of one lane share one instance; each makes the {@link
 * ComputeOp.Kernel kernels} of the ops it issues, and the RMMU runs them.
 *
 * <p><b>Where the numbers live.</b> Per head and layer, the Q, K and V rows (FX16, one binary
 * point per row: {@link Fixed16}) and the detector's Q~, K~ are what the lane's SRAM and DRAM
 * hold. The controller writes them as the linear stage's results come back; every reader is an
 * op of the attention stage, issued after the linear barrier, so it reads complete rows (in the
 * actor engine the barrier is a chain of messages, which orders the writes before the reads).
 * Tiles carry their data by reference: a detection op's scores, a mask's keys, an SDDMM's
 * scores, the softmax's probabilities, an SpMM's output rows and an output projection's partial
 * travel as the payload of the tile that carries the op.
 *
 * <p><b>Arithmetic</b> [choice: where the datapath rounds]. X and the weights arrive in FX16;
 * Q, K, V, the probabilities and the SpMM output are rounded to FX16 per row; the SDDMM scores
 * ({@code q . k / sqrt(d_head)}) stay at the accumulators' 32 bits ({@link Fixed16#row32}),
 * since a 16-bit score grid is too coarse for trained models' magnitudes; products accumulate exactly (in double, standing for a
 * wide accumulator); the output projection's partials stay wide until the accumulator has summed
 * the heads and rounds the result. The detection path is DSA's arithmetic to the bit, {@code k}
 * wide as the timing charges it ({@link DsaPredictor#detectorOperandsRaw}: {@code X P M} and
 * {@code X P}, quantised per tensor to the detection precision once the whole tensor is known,
 * at the end of the linear stage; scores {@code Q~ K~^T / sqrt(d_head)}), so its masks can be
 * compared with the golden model's bit for bit.
 */
public final class LaneDatapath {
  private final FunctionalModel model;
  private final LayerShape shape;
  private final ConcurrentHashMap<Long, Head> heads = new ConcurrentHashMap<>(); // lookups only

  /** One head of one layer as the lane holds it. */
  private static final class Head {
    final FunctionalModel.HeadWeights w;
    final double[][] q;
    final double[][] k;
    final double[][] v;
    double[][] rawQ; // dropped once quantised (controller only)
    double[][] rawK;
    volatile double[][] predQ;
    volatile double[][] predK;

    Head(FunctionalModel.HeadWeights w, int seqLen) {
      this.w = w;
      this.q = new double[seqLen][];
      this.k = new double[seqLen][];
      this.v = new double[seqLen][];
      this.rawQ = new double[seqLen][];
      this.rawK = new double[seqLen][];
    }
  }

  public LaneDatapath(FunctionalModel model, LayerShape shape) {
    this.model = java.util.Objects.requireNonNull(model, "model");
    this.shape = shape;
  }

  public FunctionalModel model() {
    return model;
  }

  private Head head(int layer, int head) {
    return heads.computeIfAbsent((long) layer << 20 | head,
        key -> new Head(model.weights(layer, head), shape.seqLen()));
  }

  // ---- linear stage ----

  /** {@code Q, K, V} of rows {@code [r0, r0 + rows)}: three FX16 blocks. */
  ComputeOp.Kernel qkv(int layer, int head, int r0, int rows) {
    var w = head(layer, head).w;
    double[][] x = model.input(layer);
    return deferred(() -> {
      var xb = Arrays.copyOfRange(x, r0, r0 + rows);
      return new double[][][] {Fixed16.perRow(Attention.multiply(xb, w.wQ())),
          Fixed16.perRow(Attention.multiply(xb, w.wK())),
          Fixed16.perRow(Attention.multiply(xb, w.wV()))};
    });
  }

  /**
   * FACT's generation of rows {@code [r0, r0 + rows)}: the Q rows of the tokens in {@code qRows}
   * and the K and V rows of the tokens in {@code kvRows} (either null: none of that kind), FX16
   * per row as {@link #qkv}; a row not generated is null in the result, and stays empty in the
   * lane's numbers.
   */
  ComputeOp.Kernel qkvRows(int layer, int head, int r0, int rows, java.util.BitSet qRows,
      java.util.BitSet kvRows) {
    var w = head(layer, head).w;
    double[][] x = model.input(layer);
    return deferred(() -> new double[][][] {generate(x, w.wQ(), r0, rows, qRows),
        generate(x, w.wK(), r0, rows, kvRows), generate(x, w.wV(), r0, rows, kvRows)});
  }

  /** {@code X W} of the rows of {@code [r0, r0 + rows)} in {@code which}, null elsewhere. */
  private static double[][] generate(double[][] x, double[][] w, int r0, int rows,
      java.util.BitSet which) {
    if (which == null) {
      return null;
    }
    var out = new double[rows][];
    for (int i = 0; i < rows; i++) {
      if (which.get(r0 + i)) {
        out[i] = Fixed16.row(Attention.multiply(new double[][] {x[r0 + i]}, w)[0]);
      }
    }
    return out;
  }

  /** The detector's operands {@code X P M, X P} of rows {@code [r0, r0 + rows)}, unquantised. */
  ComputeOp.Kernel predict(int layer, int head, int r0, int rows) {
    var detector = head(layer, head).w.detector();
    double[][] x = model.input(layer);
    return deferred(() -> {
      var xb = Arrays.copyOfRange(x, r0, r0 + rows);
      return detector.detectorOperandsRaw(xb);
    });
  }

  /** Stores a linear op's result rows (the {@code qkv} or {@code predict} kernel's value). */
  void store(String op, int layer, int head, int r0, double[][][] rows) {
    Head h = head(layer, head);
    double[][][] into = op.equals("predict") ? new double[][][] {h.rawQ, h.rawK}
        : new double[][][] {h.q, h.k, h.v};
    for (int t = 0; t < into.length; t++) {
      if (rows[t] == null) {
        continue; // FACT: a kind of row this op does not generate
      }
      for (int i = 0; i < rows[t].length; i++) {
        if (rows[t][i] != null) {
          into[t][r0 + i] = rows[t][i];
        }
      }
    }
  }

  /** End of the linear stage: quantises the predictions per tensor, now that all rows are in. */
  void finishLinear(int layer, int[] laneHeads) {
    for (int hd : laneHeads) {
      Head h = head(layer, hd);
      if (h.rawQ == null || h.rawQ[0] == null) {
        continue; // detection off, or already done
      }
      h.predQ = h.w.detector().quantiseOperand(h.rawQ);
      h.predK = h.w.detector().quantiseOperand(h.rawK);
      h.rawQ = null;
      h.rawK = null;
    }
  }

  /** Forgets a layer's numbers once its attention stage is over on this lane. */
  void release(int layer, int[] laneHeads) {
    for (int hd : laneHeads) {
      heads.remove((long) layer << 20 | hd);
    }
  }

  // ---- attention stage ----

  /**
   * Detection of queries {@code [q0, q0 + rows)}: the scores {@code S~ = Q~ K~^T / sqrt(d_head)}
   * and, from them, the selector's mask ({@link #select}), which is all the selector reads of
   * them; with spare threads both are worked out there, the selector's top-k with the scores.
   */
  ComputeOp.Kernel detect(int layer, int head, int q0, int rows) {
    Head h = head(layer, head);
    return deferred(() -> select(layer, head, q0,
        h.w.detector().detectorScores(h.predQ, h.predK, q0, rows)));
  }

  /**
   * The selector's arithmetic: each query's top {@link LayerShape#keepCounts} predicted scores
   * among its candidates (ties to the lower key), as a mask with its keys listed.
   */
  MaskBlock select(int layer, int head, int q0, double[][] predicted) {
    int rows = predicted.length;
    boolean[][] allowed = shape.causal()
        ? Attention.causalMask(q0, rows, shape.seqLen()) : null;
    boolean[][] kept = OracleTopK.mask(predicted,
        shape.keepCounts(model.keepRatio(), q0, rows), allowed);
    return MaskBlock.of(layer, head, q0, kept, shape.candidates(q0, rows));
  }

  /**
   * SDDMM: each query's scores on its kept keys, in key order, at the accumulators' 32 bits per
   * row ({@link Fixed16#row32}).
   */
  public ComputeOp.Kernel sddmm(MaskBlock mask) {
    return later(scores(mask));
  }

  /** {@link #sddmm}'s arithmetic, on the caller's thread. */
  private ComputeOp.Kernel scores(MaskBlock mask) {
    Head h = head(mask.layer(), mask.head());
    return () -> {
      double inv = 1 / Math.sqrt(shape.headDim());
      var s = new double[mask.queries()][];
      for (int i = 0; i < s.length; i++) {
        int[] keys = keysOf(mask, i);
        double[] qi = h.q[mask.q0() + i];
        s[i] = new double[keys.length];
        for (int c = 0; c < keys.length; c++) {
          s[i][c] = Attention.dot(qi, h.k[keys[c]]) * inv;
        }
        s[i] = Fixed16.row32(s[i]);
      }
      return s;
    };
  }

  /** The softmax unit's arithmetic: each row over its kept scores, FX16 per row. */
  static double[][] softmax(double[][] scores) {
    return Fixed16.perRow(Attention.softmax(scores));
  }

  /**
   * SpMM: {@code Z_i = sum_j p_ij V_j} over the kept keys, FX16 per row, of the probabilities
   * {@code probs} gives (read when the arithmetic runs).
   */
  ComputeOp.Kernel spmm(MaskBlock mask, java.util.function.Supplier<double[][]> probs) {
    return later(weighted(mask, probs));
  }

  /** {@link #spmm}'s arithmetic, on the caller's thread. */
  private ComputeOp.Kernel weighted(MaskBlock mask,
      java.util.function.Supplier<double[][]> probabilities) {
    Head h = head(mask.layer(), mask.head());
    return () -> {
      double[][] probs = probabilities.get();
      var z = new double[mask.queries()][shape.headDim()];
      for (int i = 0; i < z.length; i++) {
        int[] keys = keysOf(mask, i);
        for (int c = 0; c < keys.length; c++) {
          double p = probs[i][c];
          double[] vj = h.v[keys[c]];
          for (int t = 0; t < vj.length; t++) {
            z[i][t] += p * vj[t];
          }
        }
        z[i] = Fixed16.row(z[i]);
      }
      return z;
    };
  }

  /**
   * A predictor's decision ({@code rule}: Energon's filter, Sanger's mask) on queries {@code [q0,
   * q0 + rows)} of one head, with the Q and K this lane computed (FX16 per row, every row written
   * by the linear stage) and the layer's candidates (causal or all keys).
   */
  public <T> T onQk(QkRule<T> rule, int layer, int head, int q0, int rows) {
    Head h = head(layer, head);
    boolean[][] allowed = shape.causal() ? Attention.causalMask(q0, rows, shape.seqLen()) : null;
    return rule.apply(h.q, h.k, q0, rows, allowed);
  }

  /**
   * A whole attention block on its kept keys, as an attention unit that does SDDMM, softmax and
   * SpMM in one place computes it: {@link #sddmm}, {@link #softmax}, {@link #spmm}, each rounded
   * as DOTA's lane rounds them.
   */
  public ComputeOp.Kernel attention(MaskBlock mask) {
    var scores = scores(mask);
    return later(weighted(mask, () -> softmax((double[][]) scores.compute())));
  }

  /**
   * FACT's attention block: as {@link #attention(MaskBlock)} for the queries not {@code copied};
   * a copied (decided) query keeps one key and its output is that key's V row, without scores,
   * so its Q row is never read (it was never generated).
   */
  public ComputeOp.Kernel attention(MaskBlock mask, boolean[] copied) {
    Head h = head(mask.layer(), mask.head());
    return later(() -> {
      double inv = 1 / Math.sqrt(shape.headDim());
      var z = new double[mask.queries()][];
      for (int i = 0; i < z.length; i++) {
        int[] keys = keysOf(mask, i);
        if (copied[i]) {
          if (keys.length != 1) {
            throw new IllegalStateException("a decided query keeps one key, query "
                + (mask.q0() + i) + " keeps " + keys.length);
          }
          z[i] = Fixed16.row(h.v[keys[0]].clone());
          continue;
        }
        double[] qi = h.q[mask.q0() + i];
        var s = new double[keys.length];
        for (int c = 0; c < keys.length; c++) {
          s[c] = Attention.dot(qi, h.k[keys[c]]) * inv;
        }
        double[] p = softmax(new double[][] {Fixed16.row(s)})[0];
        z[i] = new double[shape.headDim()];
        for (int c = 0; c < keys.length; c++) {
          double[] vj = h.v[keys[c]];
          for (int t = 0; t < vj.length; t++) {
            z[i][t] += p[c] * vj[t];
          }
        }
        z[i] = Fixed16.row(z[i]);
      }
      return z;
    });
  }

  /**
   * Output projection of one head's rows: {@code Z W_O[head rows]}, left wide for the sum, of the
   * rows {@code z} gives (read when the arithmetic runs).
   */
  ComputeOp.Kernel outProjection(int layer, int head, java.util.function.Supplier<double[][]> z) {
    var wO = head(layer, head).w.wO();
    return later(() -> Attention.multiply(z.get(), wO));
  }

  /**
   * {@code k} as an RMMU starts it: with spare threads ({@link FunctionalModel#kernels}) handed
   * to them, a {@link dev.attnsim.actors.compute.Deferred} its reader resolves ({@link
   * ComputeOp#value}); else computed on the spot. For ops whose value decides timing soon (the
   * detection's mask) or is written for later ops (Q, K, V).
   */
  private ComputeOp.Kernel deferred(ComputeOp.Kernel k) {
    var threads = model.kernels();
    return threads == null ? k : () -> threads.start(k::compute);
  }

  /**
   * As {@link #deferred}, for the attention ops only the accumulator's check reads in the end
   * (SDDMM, softmax, SpMM, a block's attention rows, the output projection): the spare threads
   * take them when nothing more urgent waits ({@link
   * dev.attnsim.actors.compute.SpareThreads#later}).
   */
  private ComputeOp.Kernel later(ComputeOp.Kernel k) {
    var threads = model.kernels();
    return threads == null ? k : () -> threads.later(k::compute);
  }

  /** Query {@code i}'s kept keys: the mask's, or every candidate for a dense block. */
  private int[] keysOf(MaskBlock mask, int i) {
    if (mask.keys() != null) {
      return mask.keys()[i];
    }
    int n = shape.keysFor(mask.q0() + i);
    var all = new int[n];
    for (int j = 0; j < n; j++) {
      all[j] = j;
    }
    return all;
  }
}
