package dev.attnsim.sim.golden;

import dev.attnsim.actors.compute.Attention;
import dev.attnsim.actors.compute.EnergonFilter;
import dev.attnsim.actors.compute.SparseAttention;
import dev.attnsim.sim.config.DotaSettings;
import dev.attnsim.sim.config.SimSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What a run's masks do to the attention it computes, per layer and head and overall, judged by
 * the golden model on the run's tensors: the {@code accuracy} section of {@code summary.json} and
 * {@code accuracy.csv}.
 *
 * <p>Per head, a block of {@link AccuracyEval#ROW_BLOCK} queries at a time (never {@code l x l}):
 * exact scores {@code S = Q K^T / sqrt(d_head)} (double, exact X and weights), the dense softmax
 * {@code A}, the run's mask {@code M} for those queries, and
 *
 * <ul>
 *   <li>omitted fraction {@code 1 - kept / candidates};
 *   <li>prediction accuracy (DSA's definition): of the keys a row keeps, the share in the exact
 *       top-n of that row for n = the row's kept count, averaged over rows that keep something;
 *   <li>attention mass kept: {@code sum_{j in M} A_ij}, averaged over rows;
 *   <li>output error: {@code Z = A V} against {@code Z_M = softmax_M(S) V}: relative Frobenius
 *       error {@code ||Z_M - Z|| / ||Z||} and cosine similarity {@code <Z_M, Z> / (||Z_M|| ||Z||)},
 *       summed over the rows of the head (layer, whole run) before the ratio is taken;
 *   <li>prediction MACs over the dense attention MACs ({@code candidates x 2 d_head}), counted as
 *       {@code attnsim accuracy} counts them; NaN for the oracle.
 * </ul>
 *
 * A layer's heads are judged in parallel and combined in (layer, head) order: the figures do not
 * depend on threads. Only the workload's layers are judged (a batch repeats them).
 */
public final class RunAccuracy {

  /** The run's masks of one head, made from its layer's tensors. */
  @FunctionalInterface
  public interface Masks {
    HeadMasks forHead(int layer, int head, TensorSource.LayerTensors tensors);
  }

  /** One head's mask of queries {@code [q0, q0 + rows)}. */
  @FunctionalInterface
  public interface HeadMasks {
    boolean[][] mask(int q0, int rows);
  }

  /**
   * Energon's masks of one head: each block's filter result, whose mask is the block's and whose
   * pairs scored per round give the predictor's MACs, so a block is filtered once, not once for
   * its mask and again for its count.
   */
  @FunctionalInterface
  public interface EnergonMasks extends HeadMasks {
    EnergonFilter.Result rounds(int q0, int rows);

    @Override
    default boolean[][] mask(int q0, int rows) {
      return rounds(q0, rows).mask();
    }
  }

  /** The figures of a head, a layer or the run. */
  public record Figures(long rows, long candidates, long kept, double omittedFraction,
      double predictionAccuracy, double massKept, double outputRelError, double outputCosine,
      double predictMacShare) {}

  /** One head's figures. */
  public record HeadFigures(int layer, int head, Figures figures) {}

  /**
   * @param source where the masks came from ({@code dsa}, {@code sanger}, ...)
   * @param tensors what they were judged on
   */
  public record Result(String source, String tensors, Figures overall, List<Figures> layers,
      List<HeadFigures> heads) {}

  /** How a predictor's MACs grow: per head, per scored pair. */
  public enum Cost {
    NONE, DENSE, DSA, SANGER, ENERGON, FACT
  }

  private RunAccuracy() {}

  /**
   * The accuracy of a DOTA run, or null when its masks have no numbers behind them (the
   * synthetic structure): in functional mode the golden model's masks (DSA's, or dense with
   * detection off), which the run has matched; in timing mode the predictor's of {@code
   * workload.masks.source}.
   */
  public static Result forRun(SimSettings s, TensorSource tensors, PredictorMasks runMasks) {
    var source = s.maskSource();
    if (source == null) {
      if (!s.functional()) {
        return null; // DOTA-F in timing mode: dense, nothing to judge
      }
      boolean causal = s.transformer().causal();
      int l = s.transformer().seqLen();
      return evaluate(s, tensors, "dense", Cost.DENSE, (layer, head, t) ->
          (q0, rows) -> causal ? Attention.causalMask(q0, rows, l)
              : GoldenModel.allTrue(rows, l));
    }
    if (source == DotaSettings.MaskSourceKind.SYNTHETIC) {
      return null;
    }
    String name = source.name().toLowerCase(java.util.Locale.ROOT);
    var cost = Cost.valueOf(source == DotaSettings.MaskSourceKind.ORACLE ? "NONE" : source.name());
    boolean energon = cost == Cost.ENERGON;
    if (runMasks != null) { // a timing run's own predictor: its heads are prepared already
      return evaluate(s, tensors, name, cost, (layer, head, t) -> energon
          ? (EnergonMasks) (q0, rows) -> runMasks.energonFilter(layer, head, q0, rows)
          : (q0, rows) -> runMasks.mask(layer, head, q0, rows));
    }
    // functional runs matched the golden model's DSA masks, which these are (DsaFits.detector)
    var predictor = new PredictorMasks(s, source, tensors);
    return evaluate(s, tensors, name, cost, (layer, head, t) -> {
      var prepared = predictor.prepare(layer, head, t);
      return energon ? (EnergonMasks) (q0, rows) -> predictor.energonFilter(prepared, q0, rows)
          : (q0, rows) -> predictor.mask(prepared, q0, rows);
    });
  }

  /** Judges {@code masks} (made by {@code cost}'s predictor, named {@code source}). */
  public static Result evaluate(SimSettings s, TensorSource tensors, String source, Cost cost,
      Masks masks) {
    var w = s.transformer();
    int heads = w.heads();
    // a layer's tensors are read once, its heads judged in parallel, and dropped
    var perHead = new ArrayList<AccuracyEval.Sums>();
    for (int l = 0; l < w.layers(); l++) {
      int layer = l;
      var t = tensors.layer(layer);
      perHead.addAll(AccuracyEval.overHeads(s, heads)
          .mapToObj(h -> judgeHead(s, t, cost, masks.forHead(layer, h, t), h))
          .toList());
    }
    var total = new AccuracyEval.Sums();
    var layers = new ArrayList<Figures>();
    var headFigures = new ArrayList<HeadFigures>();
    for (int l = 0; l < w.layers(); l++) {
      var layer = new AccuracyEval.Sums();
      for (int h = 0; h < heads; h++) {
        AccuracyEval.Sums one = perHead.get(l * heads + h);
        headFigures.add(new HeadFigures(l, h, figures(one)));
        layer.add(one);
      }
      layers.add(figures(layer));
      total.add(layer);
    }
    return new Result(source, tensors.describe(), figures(total), List.copyOf(layers),
        List.copyOf(headFigures));
  }

  private static AccuracyEval.Sums judgeHead(SimSettings s, TensorSource.LayerTensors t,
      Cost cost, HeadMasks masks, int head) {
    var w = s.transformer();
    int l = w.seqLen();
    int dh = w.headDim();
    double[][] q = Attention.multiply(t.x(), TensorSource.headColumns(t.wQ(), head, dh));
    double[][] k = Attention.multiply(t.x(), TensorSource.headColumns(t.wK(), head, dh));
    double[][] v = Attention.multiply(t.x(), TensorSource.headColumns(t.wV(), head, dh));
    var energon = cost == Cost.ENERGON ? s.energon().filter() : null;
    // Energon's MACs: from each block's filter result, or, for masks that are not Energon's own,
    // by filtering Q and K quantised once for the head
    var energonOps = energon != null && !(masks instanceof EnergonMasks)
        ? energon.prepare(q, k) : null;
    var sums = new AccuracyEval.Sums();
    int kDim = s.dota().predictDim(dh);
    var ranked = new RankedRow(l);
    double[][] kT = Attention.transpose(k); // once for the head's row blocks
    var kept = new int[l];
    for (int q0 = 0; q0 < l; q0 += AccuracyEval.ROW_BLOCK) {
      int rows = Math.min(AccuracyEval.ROW_BLOCK, l - q0);
      boolean[][] allowed = w.causal() ? Attention.causalMask(q0, rows, l) : null;
      double[][] scores = Attention.scoresTransposed(q, kT, q0, rows);
      double[][] dense = Attention.softmax(scores, allowed);
      EnergonFilter.Result rounds = masks instanceof EnergonMasks e ? e.rounds(q0, rows)
          : energon != null ? energon.filter(energonOps, q0, rows, allowed) : null;
      boolean[][] mask = masks instanceof EnergonMasks ? rounds.mask() : masks.mask(q0, rows);
      double[][] sparse = Attention.softmax(scores, mask);
      double[][] z = Attention.output(dense, v);
      double[][] zm = Attention.output(sparse, v);
      long candidates = 0;
      for (int i = 0; i < rows; i++) {
        ranked.rank(scores[i], allowed == null ? null : allowed[i]);
        candidates += ranked.candidates();
        sums.judge(ranked, dense[i], kept, SparseAttention.indices(mask[i], kept));
        sums.output.add(z[i], zm[i]);
      }
      sums.denseMacs += candidates * 2 * dh;
      sums.predictMacs += switch (cost) {
        case NONE, DENSE -> 0;
        case DSA -> DsaFits.predictMacs(0, 0, kDim, candidates);
        case SANGER, FACT -> candidates * dh;
        case ENERGON -> sumOf(rounds.scoredPairs()) * dh;
      };
    }
    if (cost == Cost.NONE) {
      sums.predictMacs = -1;
    } else if (cost == Cost.DSA) {
      sums.predictMacs += DsaFits.predictMacs(l, w.dModel(), kDim, 0);
    } else if (cost == Cost.FACT) {
      sums.predictMacs += 2L * l * w.dModel() * dh;
    }
    return sums;
  }

  private static long sumOf(long[] a) {
    long s = 0;
    for (long x : a) {
      s += x;
    }
    return s;
  }

  /** The figures of {@code AccuracyEval}'s running sums. */
  private static Figures figures(AccuracyEval.Sums t) {
    return new Figures(t.rows, t.candidates, t.kept,
        t.candidates == 0 ? 0 : 1 - (double) t.kept / t.candidates,
        t.accuracyRows == 0 ? Double.NaN : t.accuracySum / t.accuracyRows,
        t.massRows == 0 ? Double.NaN : t.massSum / t.massRows,
        t.output.relativeError(), t.output.cosine(),
        t.predictMacs < 0 || t.denseMacs == 0 ? Double.NaN
            : (double) t.predictMacs / t.denseMacs);
  }
}
