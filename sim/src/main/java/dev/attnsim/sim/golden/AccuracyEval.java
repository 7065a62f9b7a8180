package dev.attnsim.sim.golden;

import dev.attnsim.actors.compute.Attention;
import dev.attnsim.actors.compute.DsaPredictor;
import dev.attnsim.actors.compute.EnergonFilter;
import dev.attnsim.actors.compute.FactDecisions;
import dev.attnsim.actors.compute.FactPredictor;
import dev.attnsim.actors.compute.OracleTopK;
import dev.attnsim.actors.compute.OutputQuality;
import dev.attnsim.actors.compute.PredictionMetrics;
import dev.attnsim.actors.compute.SangerPredictor;
import dev.attnsim.actors.compute.SparseAttention;
import dev.attnsim.sim.config.SimSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Judges mask predictors against the exact attention of the golden model, with no timing: the
 * fast loop for tuning thresholds. For every layer and head of the run's {@link TensorSource}, a
 * block of {@link #ROW_BLOCK} queries at a time (the {@code l x l} scores never exist at once),
 * the exact scores {@link Attention#scores} (over the causal candidates when the workload is
 * causal) are compared with each predictor's mask; the figures are those of {@link
 * PredictionMetrics}, summed over every row of every head and layer.
 *
 * <p><b>Output quality.</b> Beside which keys a mask keeps, what it does to the layer's result:
 * each setting's attention output {@code Z} is compared with the dense {@code Z = softmax(S) V}
 * ({@code V = X W_V}) by {@link OutputQuality}, summed over every row, head and layer (relative
 * Frobenius error and cosine). A setting's {@code Z} is {@code softmax_kept(S) V} in double
 * ({@link SparseAttention}), except energon, whose {@code Z} is its INT16 final attention on the
 * survivors ({@link EnergonFilter#finalAttention}), and fact's early-decided queries, whose
 * {@code Z} is the V row of their top predicted key ({@link FactDecisions}).
 *
 * <p>Predictors: {@code oracle} (the exact top-k, {@link OracleTopK}), {@code dsa} ({@link
 * DsaPredictor} fitted by {@link DsaFits}: {@code hardware.detection.sigma}, {@code .precision},
 * {@code .fit}; top-k), {@code fact} ({@link FactPredictor}, INT8, top-k), all three keeping
 * {@code max(1, round(keep x candidates))} keys per row for each keep ratio asked; {@code
 * sanger} ({@link SangerPredictor}, INT4, {@code S^ > T}) and {@code energon} ({@link
 * EnergonFilter#standard}, INT4 x INT2 then INT4 x INT4), which keep what their thresholds keep.
 *
 * <p>Without a keep list, oracle and dsa keep {@code hardware.detection.keep-ratio} and fact its
 * own default ({@link FactPredictor#DEFAULT_RATIO}); oracle is also reported at fact's ratio, so
 * that every top-k row has an oracle row at equal keep.
 *
 * <p><b>FACT's decisions</b> ({@link FactDecisions}), per fact setting: the share of queries
 * decided early, the share of K/V rows (per head) no query selects, and the share of tokens
 * (per layer) whose FFN runs at low precision.
 *
 * <p><b>Prediction cost.</b> {@code predictMacShare}: the prediction's MACs over the dense
 * attention MACs ({@code candidates x 2 d_head}, {@code Q K^T} and {@code A V}), whatever their
 * precision [choice: counts, not energy]. dsa: as its detector computes, {@code k} wide ({@link
 * DsaFits#predictMacs}): {@code X P} ({@code l d k}), {@code (X P) M} ({@code l k k}) and {@code
 * S~} ({@code candidates x k}); fact: {@code Q^,
 * K^} ({@code 2 l d d_head}) and {@code A^} ({@code candidates x d_head}), leading-one products
 * counted as MACs; sanger: {@code candidates x d_head}; energon: every round's scored pairs times
 * {@code d_head}; oracle: none (NaN). The calibration fit is done once, offline, and not counted.
 *
 * <p>Only the first sequence of a batch is judged. Heads run in parallel on the common fork-join
 * pool; their sums are added in (layer, head) order, so results do not depend on threads.
 */
public final class AccuracyEval {
  /** Queries scored at a time. */
  public static final int ROW_BLOCK = 64;
  /**
   * Energon's alpha, the same in both rounds [choice]: {@code theta = mean + 0.1 (max - mean)}.
   * On the default synthetic tensors (LRA text shape) it keeps about 10 %, DOTA-C's share, so
   * that Energon sits next to the top-k rows at the default keep ratio; alpha 0 (the mean) keeps
   * about 23 %, 0.5 well under 1 %.
   */
  public static final double DEFAULT_ENERGON_ALPHA = 0.1;

  /** The predictors, in table order. */
  public enum Predictor {
    ORACLE, DSA, FACT, SANGER, ENERGON;

    /** The name on the command line and in the table. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * What to judge.
   *
   * @param keepRatios keep ratios of the top-k predictors, each in (0, 1]; empty: the defaults
   * @param predictors which predictors run
   * @param sangerThreshold Sanger's T, in [0, 1)
   * @param energonAlpha Energon's alpha, in [-1, 1]
   * @param factDecideGap FACT's gap between a decided query's first and second predicted score,
   *     >= 0 ({@link FactDecisions#decided})
   * @param factFfnRatio FACT's r: full-precision FFN above {@code r} times the average selection
   *     count, >= 0 ({@link FactDecisions#fullPrecisionFfn})
   */
  public record Options(List<Double> keepRatios, Set<Predictor> predictors,
      double sangerThreshold, double energonAlpha, double factDecideGap, double factFfnRatio) {
    public Options {
      keepRatios = List.copyOf(keepRatios);
      for (double r : keepRatios) {
        if (!(r > 0 && r <= 1)) {
          throw new IllegalArgumentException("keep ratio must be in (0, 1], got " + r);
        }
      }
      if (predictors.isEmpty()) {
        throw new IllegalArgumentException("no predictor to judge");
      }
      predictors = Set.copyOf(predictors);
      new SangerPredictor(SangerPredictor.DEFAULT_BITS, sangerThreshold); // validates
      EnergonFilter.standard(energonAlpha); // validates
      if (!(factDecideGap >= 0) || !(factFfnRatio >= 0)) {
        throw new IllegalArgumentException("FACT's gap and r must be >= 0, got "
            + factDecideGap + " and " + factFfnRatio);
      }
    }

    /** FACT's decisions at their defaults. */
    public Options(List<Double> keepRatios, Set<Predictor> predictors, double sangerThreshold,
        double energonAlpha) {
      this(keepRatios, predictors, sangerThreshold, energonAlpha,
          FactDecisions.DEFAULT_DECIDE_GAP, FactDecisions.DEFAULT_FFN_RATIO);
    }

    /** Every predictor, default keep ratios and thresholds. */
    public static Options defaults() {
      return new Options(List.of(), EnumSet.allOf(Predictor.class),
          SangerPredictor.DEFAULT_THRESHOLD, DEFAULT_ENERGON_ALPHA);
    }
  }

  /**
   * One row of the table: a predictor at one setting, judged over every row of every head.
   *
   * @param setting {@code keep 10%}, {@code T 0.002}, {@code alpha 0.5}
   * @param keepRatio the top-k ratio, NaN for threshold predictors
   * @param rows query rows judged
   * @param omittedFraction {@code 1 - kept / candidates}
   * @param accuracy DSA's prediction accuracy, averaged over the rows that keep something
   * @param massKept exact probability on kept keys, averaged over the rows with a candidate
   * @param predictMacShare prediction MACs over dense attention MACs; NaN for the oracle
   * @param outputError relative Frobenius error of the setting's attention output against the
   *     dense one ({@link OutputQuality#relativeError})
   * @param outputCosine cosine similarity of the two ({@link OutputQuality#cosine})
   * @param decidedFraction fact: share of queries decided early; NaN for the others
   * @param kvUnneededFraction fact: share of K/V rows (over heads and layers) no query selects
   * @param ffnLowFraction fact: share of tokens (over layers) whose FFN runs at low precision
   */
  public record Row(Predictor predictor, String setting, double keepRatio, long rows,
      long candidates, long kept, double omittedFraction, double accuracy, double massKept,
      double predictMacShare, double outputError, double outputCosine, double decidedFraction,
      double kvUnneededFraction, double ffnLowFraction) {}

  /**
   * The table and what it was computed on.
   *
   * @param dsaFit how dsa's weights were fitted ({@link DsaFits#describe})
   * @param factDecideGap and {@code factFfnRatio}: FACT's decision parameters used
   */
  public record Result(String model, int layers, int seqLen, int dModel, int heads,
      boolean causal, long seed, String tensors, String dsaFit, double factDecideGap,
      double factFfnRatio, List<Row> rows) {}

  private AccuracyEval() {}

  /** Judges the predictors of {@code options} on the workload of {@code s}. */
  public static Result run(SimSettings s, Options options) {
    return run(s, options, TensorSource.of(s));
  }

  /**
   * The heads {@code [0, heads)} as a stream: parallel on the common pool when the run may use
   * spare cores ({@code run.spare-cores}), else on the caller. Its {@code toList} keeps head
   * order either way.
   */
  static IntStream overHeads(SimSettings s, int heads) {
    var range = IntStream.range(0, heads);
    return s.run().spareCores() ? range.parallel() : range;
  }

  /** Judges the predictors of {@code options} on {@code tensors} (the run's, opened once). */
  public static Result run(SimSettings s, Options options, TensorSource tensors) {
    var w = s.transformer();
    var plan = Plan.of(s, options);
    int heads = w.heads();
    // a layer's tensors are read once, its heads judged in parallel
    var perHead = new ArrayList<HeadSums>();
    for (int l = 0; l < w.layers(); l++) {
      int layer = l;
      var t = tensors.layer(layer);
      perHead.addAll(overHeads(s, heads)
          .mapToObj(h -> judgeHead(s, plan, t, layer, h))
          .toList());
    }
    var total = Sums.array(plan.settings.size());
    for (int layer = 0; layer < w.layers(); layer++) {
      var layerCounts = new long[total.length][];
      for (int h = 0; h < heads; h++) {
        var head = perHead.get(layer * heads + h);
        for (int r = 0; r < total.length; r++) {
          total[r].add(head.sums[r]);
          long[] selected = head.selections[r];
          if (selected != null) {
            layerCounts[r] = layerCounts[r] == null ? new long[selected.length] : layerCounts[r];
            for (int j = 0; j < selected.length; j++) {
              layerCounts[r][j] += selected[j];
            }
          }
        }
      }
      for (int r = 0; r < total.length; r++) {
        if (layerCounts[r] != null) {
          var full = FactDecisions.fullPrecisionFfn(layerCounts[r], w.seqLen(), heads,
              plan.settings.get(r).keepRatio, options.factFfnRatio());
          for (boolean f : full) {
            total[r].ffnLowTokens += f ? 0 : 1;
          }
          total[r].ffnTokens += full.length;
        }
      }
    }
    var rows = new ArrayList<Row>();
    for (int r = 0; r < total.length; r++) {
      rows.add(total[r].row(plan.settings.get(r)));
    }
    return new Result(w.model(), w.layers(), w.seqLen(), w.dModel(), heads, w.causal(),
        s.run().seed(), tensors.describe(), DsaFits.describe(s), options.factDecideGap(),
        options.factFfnRatio(), List.copyOf(rows));
  }

  /** A row of the table before it is judged. */
  record Setting(Predictor predictor, String label, double keepRatio) {}

  /** The settings to judge and the fixed parameters of the predictors. */
  private record Plan(List<Setting> settings, int headDim, int dModel, int seqLen,
      boolean causal, int dsaDim, double sangerThreshold, double energonAlpha,
      double factDecideGap) {

    static Plan of(SimSettings s, Options o) {
      var w = s.transformer();
      var settings = new ArrayList<Setting>();
      var keeps = new TreeSet<Double>(o.keepRatios());
      double defaultKeep = s.dota().keepRatio();
      boolean useDefaults = keeps.isEmpty();
      for (var p : Predictor.values()) {
        if (!o.predictors().contains(p)) {
          continue;
        }
        if (p == Predictor.SANGER) {
          settings.add(new Setting(p, "T " + fmt(o.sangerThreshold()), Double.NaN));
        } else if (p == Predictor.ENERGON) {
          settings.add(new Setting(p, "alpha " + fmt(o.energonAlpha()), Double.NaN));
        } else {
          var ratios = new TreeSet<Double>(keeps);
          if (useDefaults) {
            if (p != Predictor.FACT) {
              ratios.add(defaultKeep);
            }
            if (p != Predictor.DSA && o.predictors().contains(Predictor.FACT)) {
              ratios.add(FactPredictor.DEFAULT_RATIO);
            }
          }
          for (double r : ratios) {
            settings.add(new Setting(p, "keep " + fmt(100 * r) + "%", r));
          }
        }
      }
      return new Plan(List.copyOf(settings), w.headDim(), w.dModel(), w.seqLen(),
          w.causal(), s.dota().predictDim(w.headDim()), o.sangerThreshold(),
          o.energonAlpha(), o.factDecideGap());
    }

    boolean has(Predictor p) {
      return settings.stream().anyMatch(t -> t.predictor == p);
    }
  }

  /** One head's sums per setting, and per fact setting how often each key was selected. */
  private record HeadSums(Sums[] sums, long[][] selections) {}

  private static HeadSums judgeHead(SimSettings settings, Plan plan,
      TensorSource.LayerTensors t, int layer, int head) {
    int dh = plan.headDim;
    int l = plan.seqLen;
    var wQ = TensorSource.headColumns(t.wQ(), head, dh);
    var wK = TensorSource.headColumns(t.wK(), head, dh);
    var q = Attention.multiply(t.x(), wQ);
    var k = Attention.multiply(t.x(), wK);
    var v = Attention.multiply(t.x(), TensorSource.headColumns(t.wV(), head, dh));
    var sums = Sums.array(plan.settings.size());
    var selections = new long[plan.settings.size()][];
    for (int r = 0; r < selections.length; r++) {
      selections[r] = plan.settings.get(r).predictor == Predictor.FACT ? new long[l] : null;
    }

    DsaFits.Detector dsa = plan.has(Predictor.DSA)
        ? DsaFits.detector(settings, layer, head, t.x(), wQ, wK) : null;
    var fact = new FactPredictor();
    FactPredictor.Operands factOperands = plan.has(Predictor.FACT)
        ? fact.operands(fact.project(t.x(), wQ), fact.project(t.x(), wK)) : null;
    var sanger = new SangerPredictor(SangerPredictor.DEFAULT_BITS, plan.sangerThreshold);
    var sangerOperands = plan.has(Predictor.SANGER) ? sanger.operands(q, k) : null;
    var energon = EnergonFilter.standard(plan.energonAlpha);
    var energonOperands = plan.has(Predictor.ENERGON)
        ? EnergonFilter.FinalOperands.of(q, k, v, EnergonFilter.FINAL_BITS) : null;
    var energonFiltered = plan.has(Predictor.ENERGON) ? energon.prepare(q, k) : null;

    double[][] kT = Attention.transpose(k); // once for the head's row blocks
    var exactRow = new RankedRow(l);
    var exactOutputs = new SparseAttention.SharedRow(l);
    var keptKeys = new int[l];
    var dsaRow = new RankedRow(l);
    var factRow = new RankedRow(l);
    for (int row0 = 0; row0 < l; row0 += ROW_BLOCK) {
      int rows = Math.min(ROW_BLOCK, l - row0);
      var allowed = plan.causal ? Attention.causalMask(row0, rows, l) : null;
      var exact = Attention.scoresTransposed(q, kT, row0, rows);
      var probs = Attention.softmax(exact, allowed);
      var dense = Attention.output(probs, v);
      double[][] dsaScores = dsa == null ? null : dsa.scores(row0, rows);
      double[][] factScores = factOperands == null ? null
          : fact.scores(factOperands, row0, rows);
      boolean[][] sangerMask = null;
      EnergonFilter.Result energonResult = null;
      double[][] energonZ = null;
      if (sangerOperands != null) {
        sangerMask = sanger.mask(sangerOperands, row0, rows, allowed);
      }
      if (energonOperands != null) {
        energonResult = energon.filter(energonFiltered, row0, rows, allowed);
        energonZ = EnergonFilter.finalAttention(energonOperands, row0, rows,
            energonResult.mask());
      }
      for (int i = 0; i < rows; i++) {
        boolean[] cand = allowed == null ? null : allowed[i];
        exactRow.rank(exact[i], cand);
        exactOutputs.of(exact[i], cand);
        if (dsaScores != null) {
          dsaRow.rank(dsaScores[i], cand);
        }
        int decidedKey = -1;
        if (factScores != null) {
          factRow.rank(factScores[i], cand);
          if (FactDecisions.decided(factScores[i], cand, plan.factDecideGap)) {
            decidedKey = FactDecisions.topKey(factScores[i], cand);
          }
        }
        for (int r = 0; r < plan.settings.size(); r++) {
          var s = plan.settings.get(r);
          boolean[] mask = switch (s.predictor) {
            case ORACLE -> exactRow.top(s.keepRatio);
            case DSA -> dsaRow.top(s.keepRatio);
            case FACT -> factRow.top(s.keepRatio);
            case SANGER -> sangerMask[i];
            case ENERGON -> energonResult.mask()[i];
          };
          int kept = SparseAttention.indices(mask, keptKeys);
          sums[r].judge(exactRow, probs[i], keptKeys, kept);
          double[] z;
          if (s.predictor == Predictor.ENERGON) {
            z = energonZ[i];
          } else if (s.predictor == Predictor.FACT && decidedKey >= 0) {
            z = v[decidedKey];
            sums[r].decided++;
          } else {
            z = exactOutputs.row(keptKeys, kept, v);
          }
          sums[r].output.add(dense[i], z);
          if (selections[r] != null) {
            for (int n = 0; n < kept; n++) {
              selections[r][keptKeys[n]]++;
            }
          }
        }
      }
      // prediction MACs that grow with the pairs scored
      long candidates = plan.causal ? (long) rows * row0 + (long) rows * (rows + 1) / 2
          : (long) rows * l;
      for (int r = 0; r < plan.settings.size(); r++) {
        var s = plan.settings.get(r);
        long pairs = switch (s.predictor) {
          case ORACLE -> 0;
          case DSA, FACT, SANGER -> candidates;
          case ENERGON -> Arrays.stream(energonResult.scoredPairs()).sum();
        };
        sums[r].predictMacs += s.predictor == Predictor.DSA
            ? DsaFits.predictMacs(0, 0, plan.dsaDim, pairs) : pairs * dh;
        sums[r].denseMacs += candidates * 2 * dh;
      }
    }
    // per head: prediction MACs independent of the pairs, K/V rows no query selects
    for (int r = 0; r < plan.settings.size(); r++) {
      var p = plan.settings.get(r).predictor;
      if (p == Predictor.ORACLE) {
        sums[r].predictMacs = -1;
      } else if (p == Predictor.DSA) {
        sums[r].predictMacs += DsaFits.predictMacs(l, plan.dModel, plan.dsaDim, 0);
      } else if (p == Predictor.FACT) {
        sums[r].predictMacs += 2L * l * plan.dModel * dh;
        sums[r].unneededKeys += FactDecisions.unneededKeys(selections[r]);
        sums[r].keys += l;
      }
    }
    return new HeadSums(sums, selections);
  }

  /** Running sums of one setting, as {@link PredictionMetrics#of} forms them, row by row. */
  static final class Sums {
    long rows;
    long candidates;
    long kept;
    double accuracySum;
    long accuracyRows;
    double massSum;
    long massRows;
    long predictMacs;
    long denseMacs;
    final OutputQuality output = new OutputQuality();
    long decided;
    long unneededKeys;
    long keys;
    long ffnLowTokens;
    long ffnTokens;

    static Sums[] array(int n) {
      var a = new Sums[n];
      for (int i = 0; i < n; i++) {
        a[i] = new Sums();
      }
      return a;
    }

    /**
     * Adds one row: {@code ranked} holds its exact scores, {@code probs} their softmax, and the
     * mask keeps keys {@code keys[0 .. rowKept)}, increasing.
     */
    void judge(RankedRow ranked, double[] probs, int[] keys, int rowKept) {
      double mass = 0;
      for (int t = 0; t < rowKept; t++) {
        int j = keys[t];
        if (!ranked.candidate(j)) {
          throw new IllegalArgumentException("the mask keeps key " + j
              + ", which is not a candidate");
        }
        mass += probs[j];
      }
      rows++;
      candidates += ranked.candidates();
      kept += rowKept;
      if (ranked.candidates() > 0) {
        massSum += mass;
        massRows++;
      }
      if (rowKept > 0) {
        accuracySum += (double) ranked.hits(keys, rowKept, rowKept) / rowKept;
        accuracyRows++;
      }
    }

    void add(Sums o) {
      rows += o.rows;
      candidates += o.candidates;
      kept += o.kept;
      accuracySum += o.accuracySum;
      accuracyRows += o.accuracyRows;
      massSum += o.massSum;
      massRows += o.massRows;
      predictMacs = predictMacs < 0 || o.predictMacs < 0 ? -1 : predictMacs + o.predictMacs;
      denseMacs += o.denseMacs;
      output.add(o.output);
      decided += o.decided;
      unneededKeys += o.unneededKeys;
      keys += o.keys;
      ffnLowTokens += o.ffnLowTokens;
      ffnTokens += o.ffnTokens;
    }

    Row row(Setting s) {
      boolean fact = s.predictor == Predictor.FACT;
      return new Row(s.predictor, s.label, s.keepRatio, rows, candidates, kept,
          candidates == 0 ? 0 : 1 - (double) kept / candidates,
          accuracyRows == 0 ? Double.NaN : accuracySum / accuracyRows,
          massRows == 0 ? Double.NaN : massSum / massRows,
          predictMacs < 0 || denseMacs == 0 ? Double.NaN : (double) predictMacs / denseMacs,
          output.relativeError(), output.cosine(),
          fact ? share(decided, rows) : Double.NaN,
          fact ? share(unneededKeys, keys) : Double.NaN,
          fact ? share(ffnLowTokens, ffnTokens) : Double.NaN);
    }

    private static double share(long part, long whole) {
      return whole == 0 ? Double.NaN : (double) part / whole;
    }
  }

  /** A number as short as it reads: 0.1, 2e-3 as 0.002, 12.5. */
  public static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
