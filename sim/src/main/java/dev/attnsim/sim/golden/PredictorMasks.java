package dev.attnsim.sim.golden;

import dev.attnsim.actors.compute.Attention;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.compute.EnergonFilter;
import dev.attnsim.actors.compute.FactHead;
import dev.attnsim.actors.compute.FactPredictor;
import dev.attnsim.actors.compute.MaskBlock;
import dev.attnsim.actors.compute.MaskSource;
import dev.attnsim.actors.compute.OracleTopK;
import dev.attnsim.actors.compute.SangerPredictor;
import dev.attnsim.sim.config.DotaSettings.MaskSourceKind;
import dev.attnsim.sim.config.SimSettings;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Masks for timing runs computed by a real predictor on the run's tensors ({@link TensorSource}:
 * {@code workload.tensors.file}, else the seeded synthetic ones), instead of the synthetic mask's
 * structure: each query block keeps exactly the keys the predictor keeps. The same predictors
 * and tensors as {@code attnsim accuracy}. FACT's masks are what its attention runs on ({@link
 * FactHead#attendedMask}, {@code hardware.fact}'s predictor and gap): each query's top-k, a
 * decided query's top key alone (its output is then that key's V row).
 *
 * <p>Blocks of different lanes are asked for concurrently; each head's keys (and the
 * predictor's state) are computed once and cached, and a block is a pure function of its
 * arguments, so traces stay deterministic. Memory: a few {@code l x d_head} matrices per head.
 */
public final class PredictorMasks implements MaskSource {

  /**
   * One head's predictor state (see {@link #prepare}): {@code q, k} are exact Q and K, or FACT's
   * Q^, K^ (K null for the oracle, which keeps it only as {@code kT}); {@code kT}, the oracle's K
   * transposed ({@link Attention#scoresTransposed});
   * {@code energon}, Energon's quantised Q and K; fields a predictor does not use are null;
   * {@code sanger} and {@code fact}, their predictors' quantised operands (made once per head,
   * not per query block).
   */
  public record Head(double[][] q, double[][] k, double[][] kT, DsaFits.Detector dsa,
      EnergonFilter.Operands energon, SangerPredictor.Operands sanger,
      FactPredictor.Operands fact) {}

  private final SangerPredictor sanger;
  private final FactPredictor fact;
  private final double factDecideGap;

  private final MaskSourceKind source;
  private final TensorSource tensors;
  private final int layers;
  private final int seqLen;
  private final int headDim;
  private final boolean causal;
  private final double keepRatio;
  private final LayerShape shape;
  private final SimSettings settings;
  private final EnergonFilter energon;
  private final ConcurrentHashMap<Long, Head> heads = new ConcurrentHashMap<>(); // lookups only
  /** Query blocks per head whose masks are worked out ahead of their asking. */
  static final int AHEAD_BLOCKS = 4;
  private final Ahead<MaskBlock> blocks;
  private final Ahead<EnergonFilter.Result> rounds;
  // a layer's tensors while its heads are being prepared; lookups only
  private final ConcurrentHashMap<Integer, TensorSource.LayerTensors> layerTensors =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, Integer> headsPrepared = new ConcurrentHashMap<>();
  private final int headCount;

  public PredictorMasks(SimSettings s, MaskSourceKind source) {
    this(s, source, TensorSource.of(s));
  }

  /** The masks of {@code source} on {@code tensors} (the run's, opened once). */
  public PredictorMasks(SimSettings s, MaskSourceKind source, TensorSource tensors) {
    if (source == MaskSourceKind.SYNTHETIC || source == MaskSourceKind.AUTO) {
      throw new IllegalArgumentException("not a predictor: " + source);
    }
    var w = s.transformer();
    this.source = source;
    this.tensors = tensors;
    this.layers = w.layers();
    this.seqLen = w.seqLen();
    this.headDim = w.headDim();
    this.headCount = w.heads();
    this.causal = w.causal();
    this.keepRatio = s.dota().keepRatio();
    this.shape = w.shape(s.dota().predictDim(w.headDim()));
    this.settings = s;
    var spare = dev.attnsim.actors.compute.SpareThreads.commonPool(s.run().spareCores());
    this.blocks = new Ahead<>(spare);
    this.rounds = new Ahead<>(spare);
    this.energon = s.energon().filter();
    this.sanger = s.sanger().predictor();
    this.fact = s.fact().predictor();
    this.factDecideGap = s.fact().decideGap();
  }

  /**
   * FACT's leading-one projections {@code Q^, K^} of one head (a FACT source only), prepared
   * once and shared with the masks.
   */
  public double[][][] factProjections(int layer, int head) {
    if (source != MaskSourceKind.FACT) {
      throw new IllegalStateException("not FACT's masks: " + source);
    }
    Head h = head(layer, head);
    return new double[][][] {h.q(), h.k()};
  }

  /**
   * The mask block of queries {@code [q0, q0 + rows)}; the next {@value #AHEAD_BLOCKS} blocks of
   * the head are handed to another thread meanwhile ({@link Ahead}: the same masks, sooner).
   */
  @Override
  public MaskBlock block(int layer, int head, int q0, int rows) {
    return blocks.block(layer, head, q0, rows, seqLen, AHEAD_BLOCKS, (q, n) ->
        MaskBlock.of(layer, head, q, mask(layer, head, q, n), shape.candidates(q, n)));
  }

  /** The predictor's mask of queries {@code [q0, q0 + n)}: {@code mask[i][key]}. */
  public boolean[][] mask(int layer, int head, int q0, int n) {
    return mask(head(layer, head), q0, n);
  }

  private Head head(int layer, int head) {
    return heads.computeIfAbsent((long) (layer % layers) * 65536 + head,
        key -> prepareShared(layer % layers, head));
  }

  /**
   * Prepares a head from its layer's tensors, read once for all the layer's heads and dropped
   * when the last of them is prepared.
   */
  private Head prepareShared(int layer, int head) {
    Head h = prepare(layer, head, layerTensors.computeIfAbsent(layer, tensors::layer));
    if (headsPrepared.merge(layer, 1, Integer::sum) == headCount) {
      layerTensors.remove(layer);
    }
    return h;
  }

  /** The predictor's mask of queries {@code [q0, q0 + n)} of a prepared head. */
  public boolean[][] mask(Head h, int q0, int n) {
    boolean[][] allowed = causal ? Attention.causalMask(q0, n, seqLen) : null;
    return switch (source) {
      case ORACLE -> OracleTopK.mask(Attention.scoresTransposed(h.q(), h.kT(), q0, n),
          shape.keepCounts(keepRatio, q0, n), allowed);
      case DSA -> h.dsa().mask(shape, keepRatio, q0, n);
      case SANGER -> sanger.mask(h.sanger(), q0, n, allowed);
      case ENERGON -> energonFilter(h, q0, n).mask();
      case FACT -> FactHead.attendedMask(fact, h.fact(), q0, n, allowed, factDecideGap);
      default -> throw new IllegalStateException("unreachable: " + source);
    };
  }

  /**
   * Energon's filtering of queries {@code [q0, q0 + n)} of one head, round by round ({@code
   * hardware.energon}'s rounds and alpha), for a run whose masks come from Energon.
   */
  public EnergonFilter.Result energonRounds(int layer, int head, int q0, int n) {
    return rounds.block(layer, head, q0, n, seqLen, AHEAD_BLOCKS,
        (q, m) -> energonFilter(head(layer, head), q, m));
  }

  /**
   * Energon's filtering of queries {@code [q0, q0 + n)} of one head, computed here and now (not
   * ahead): its mask is {@link #mask}'s, with the pairs each round scored ({@code accuracy}
   * counts the predictor's MACs from them).
   */
  public EnergonFilter.Result energonFilter(int layer, int head, int q0, int n) {
    return energonFilter(head(layer, head), q0, n);
  }

  /** As {@link #energonFilter(int, int, int, int)}, of a {@link #prepare}d head. */
  public EnergonFilter.Result energonFilter(Head h, int q0, int n) {
    boolean[][] allowed = causal ? Attention.causalMask(q0, n, seqLen) : null;
    return energon.filter(h.energon(), q0, n, allowed);
  }

  /**
   * What head {@code head} of layer {@code layer} ({@code t}) needs for its predictor, and no
   * more: exact Q and K for oracle, sanger and energon, FACT's leading-one projections Q^, K^
   * for fact, the fitted detector and its operands for dsa, and for energon Q and K quantised
   * once. Computed once per head, not per query block.
   */
  public Head prepare(int layer, int head, TensorSource.LayerTensors t) {
    double[][] wQ = TensorSource.headColumns(t.wQ(), head, headDim);
    double[][] wK = TensorSource.headColumns(t.wK(), head, headDim);
    return switch (source) {
      case FACT -> {
        double[][] qHat = fact.project(t.x(), wQ);
        double[][] kHat = fact.project(t.x(), wK);
        yield new Head(qHat, kHat, null, null, null, null, fact.operands(qHat, kHat));
      }
      case DSA -> new Head(null, null, null,
          DsaFits.detector(settings, layer, head, t.x(), wQ, wK), null, null, null);
      case ENERGON -> {
        double[][] q = Attention.multiply(t.x(), wQ);
        double[][] k = Attention.multiply(t.x(), wK);
        yield new Head(q, k, null, null, energon.prepare(q, k), null, null);
      }
      case SANGER -> {
        double[][] q = Attention.multiply(t.x(), wQ);
        double[][] k = Attention.multiply(t.x(), wK);
        yield new Head(q, k, null, null, null, sanger.operands(q, k), null);
      }
      default -> { // the oracle
        // K only transposed: the oracle's scores read K^T alone
        yield new Head(Attention.multiply(t.x(), wQ), null,
            Attention.transpose(Attention.multiply(t.x(), wK)), null, null, null, null);
      }
    };
  }

}
