package dev.attnsim.actors.blocks.fact;

import dev.attnsim.actors.blocks.common.GenerationPlan;
import dev.attnsim.actors.compute.FactDecisions;
import dev.attnsim.actors.compute.FactHead;
import dev.attnsim.actors.compute.FactPredictor;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.kernel.Precision;
import java.util.BitSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * FACT's eager prediction of every head of a run ({@link FactHead}), from the projections
 * {@code Q^ = X W_Q} and {@code K^ = X W_K} in the log domain that {@link Operands} supplies (the
 * run's tensors in timing mode, the golden model's FX16 operands in functional mode), and what
 * follows from it: the rows each head generates and each layer's FFN precision per token ({@link
 * FactDecisions#fullPrecisionFfn} over the selections of all its heads). It is the lanes' {@link
 * GenerationPlan} and the eager prediction unit's answers, the same numbers for both.
 *
 * <p>Every answer is a pure function of its arguments: heads are computed once, on first use, by
 * whichever thread asks first, and cached (each head's top-k as one bitmap row per query, {@code
 * l^2 / 8} bytes); the order in which they are asked changes nothing. Run layers map to the
 * workload's layers ({@code layer mod layers}).
 */
public final class EagerPredictions implements GenerationPlan {
  /** Queries whose scores are computed at a time. */
  static final int BLOCK_ROWS = 64;

  /** {@code Q^} and {@code K^} of one head, {@code l x d_head} each. */
  @FunctionalInterface
  public interface Operands {
    double[][][] projections(int layer, int head);
  }

  private final LayerShape shape;
  private final int layers;
  private final FactPredictor predictor;
  private final double keepRatio;
  private final double decideGap;
  private final double ffnRatio;
  private final Precision lowPrecision;
  private final Operands operands;
  private final boolean spareCores;
  private final ConcurrentHashMap<Long, FactHead> heads = new ConcurrentHashMap<>(); // lookups
  private final ConcurrentHashMap<Integer, BitSet> lowFfn = new ConcurrentHashMap<>(); // lookups

  /**
   * @param layers the workload's layers (run layers repeat them batch times)
   * @param keepRatio the predictor's k% (for the FFN threshold {@code r L h k%})
   * @param ffnRatio r
   * @param lowPrecision the low-precision FFN's operands
   * @param spareCores whether a head's query blocks may be predicted on the common pool's threads
   */
  public EagerPredictions(LayerShape shape, int layers, FactPredictor predictor, double keepRatio,
      double decideGap, double ffnRatio, Precision lowPrecision, boolean spareCores,
      Operands operands) {
    if (layers < 1 || !(decideGap >= 0) || !(ffnRatio >= 0)) {
      throw new IllegalArgumentException("eager predictions: layers >= 1, gap and r >= 0, got "
          + layers + ", " + decideGap + ", " + ffnRatio);
    }
    this.shape = shape;
    this.layers = layers;
    this.predictor = predictor;
    this.keepRatio = keepRatio;
    this.decideGap = decideGap;
    this.ffnRatio = ffnRatio;
    this.lowPrecision = java.util.Objects.requireNonNull(lowPrecision, "lowPrecision");
    this.operands = operands;
    this.spareCores = spareCores;
  }

  public LayerShape shape() {
    return shape;
  }

  /** The prediction of head {@code head} of run layer {@code layer}. */
  public FactHead head(int layer, int head) {
    int l = layer % layers;
    return heads.computeIfAbsent((long) l << 20 | head, key -> {
      double[][][] qk = operands.projections(l, head);
      return FactHead.predict(predictor, qk[0], qk[1], shape.causal(), decideGap, BLOCK_ROWS,
          spareCores);
    });
  }

  @Override
  public BitSet queryRows(int layer, int head) {
    return head(layer, head).queryRows();
  }

  @Override
  public BitSet keyRows(int layer, int head) {
    return head(layer, head).keyRows();
  }

  /** Tokens selected no more than {@code r L h k%} times over the layer's heads. */
  @Override
  public BitSet lowPrecisionFfn(int layer) {
    int l = layer % layers;
    return (BitSet) lowFfn.computeIfAbsent(l, key -> {
      var counts = new long[shape.seqLen()];
      for (int h = 0; h < shape.heads(); h++) {
        long[] c = head(l, h).selections();
        for (int j = 0; j < counts.length; j++) {
          counts[j] += c[j];
        }
      }
      boolean[] full = FactDecisions.fullPrecisionFfn(counts, shape.seqLen(), shape.heads(),
          keepRatio, ffnRatio);
      var low = new BitSet(full.length);
      for (int j = 0; j < full.length; j++) {
        if (!full[j]) {
          low.set(j);
        }
      }
      return low;
    }).clone();
  }

  @Override
  public Precision lowPrecision() {
    return lowPrecision;
  }
}
