package dev.attnsim.sim.golden;

import dev.attnsim.actors.compute.Attention;
import dev.attnsim.actors.compute.DsaPredictor;
import dev.attnsim.actors.compute.EnergonFilter;
import dev.attnsim.actors.compute.FactPredictor;
import dev.attnsim.actors.compute.OracleTopK;
import dev.attnsim.actors.compute.PredictionMetrics;
import dev.attnsim.actors.compute.SangerPredictor;
import dev.attnsim.sim.config.SimSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Judges mask predictors against the exact scores of the golden model, with no timing: the fast
 * loop for tuning thresholds. For every layer and head of {@link SyntheticTensors}, a block of
 * {@link #ROW_BLOCK} queries at a time (the {@code l x l} scores never exist at once), the exact
 * scores {@link Attention#scores} (over the causal candidates when the workload is causal) are
 * compared with each predictor's mask; the figures are those of {@link PredictionMetrics},
 * summed over every row of every head and layer.
 *
 * <p>Predictors: {@code oracle} (the exact top-k, {@link OracleTopK}), {@code dsa} ({@link
 * DsaPredictor}, {@code hardware.detection.sigma} and {@code .precision}, top-k), {@code fact}
 * ({@link FactPredictor}, INT8, top-k), all three keeping {@code max(1, round(keep x
 * candidates))} keys per row for each keep ratio asked; {@code sanger} ({@link SangerPredictor},
 * INT4, {@code S^ > T}) and {@code energon} ({@link EnergonFilter#standard}, INT4 x INT2 then INT4
 * x INT4), which keep what their thresholds keep.
 *
 * <p>Without a keep list, oracle and dsa keep {@code hardware.detection.keep-ratio} and fact its
 * own default ({@link FactPredictor#DEFAULT_RATIO}); oracle is also reported at fact's ratio, so
 * that every top-k row has an oracle row at equal keep.
 *
 * <p><b>Prediction cost.</b> {@code predictMacShare}: the prediction's MACs over the dense
 * attention MACs ({@code candidates x 2 d_head}, {@code Q K^T} and {@code A V}), whatever their
 * precision [choice: counts, not energy]. dsa: {@code X P} ({@code l d k}), {@code (X P) W~} for
 * Q and K ({@code 2 l k d_head}) and {@code S~} ({@code candidates x d_head}); fact: {@code Q^,
 * K^} ({@code 2 l d d_head}) and {@code A^} ({@code candidates x d_head}), leading-one products
 * counted as MACs; sanger: {@code candidates x d_head}; energon: every round's scored pairs times
 * {@code d_head}; oracle: none (NaN).
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

    boolean topK() {
      return this == ORACLE || this == DSA || this == FACT;
    }
  }

  /**
   * What to judge.
   *
   * @param keepRatios keep ratios of the top-k predictors, each in (0, 1]; empty: the defaults
   * @param predictors which predictors run
   * @param sangerThreshold Sanger's T, in [0, 1)
   * @param energonAlpha Energon's alpha, in [-1, 1]
   */
  public record Options(List<Double> keepRatios, Set<Predictor> predictors,
      double sangerThreshold, double energonAlpha) {
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
   */
  public record Row(Predictor predictor, String setting, double keepRatio, long rows,
      long candidates, long kept, double omittedFraction, double accuracy, double massKept,
      double predictMacShare) {}

  /** The table and what it was computed on. */
  public record Result(String model, int layers, int seqLen, int dModel, int heads,
      boolean causal, long seed, List<Row> rows) {}

  private AccuracyEval() {}

  /** Judges the predictors of {@code options} on the workload of {@code s}. */
  public static Result run(SimSettings s, Options options) {
    var w = s.transformer();
    var plan = Plan.of(s, options);
    var tensors = TensorSource.of(s);
    int heads = w.heads();
    List<Sums[]> perHead = IntStream.range(0, w.layers() * heads).parallel()
        .mapToObj(i -> judgeHead(plan, tensors, i / heads, i % heads))
        .toList();
    var total = Sums.array(plan.settings.size());
    for (Sums[] head : perHead) {
      for (int r = 0; r < total.length; r++) {
        total[r].add(head[r]);
      }
    }
    var rows = new ArrayList<Row>();
    for (int r = 0; r < total.length; r++) {
      rows.add(total[r].row(plan.settings.get(r)));
    }
    return new Result(w.model(), w.layers(), w.seqLen(), w.dModel(), heads, w.causal(),
        s.run().seed(), List.copyOf(rows));
  }

  /** A row of the table before it is judged. */
  record Setting(Predictor predictor, String label, double keepRatio) {}

  /** The settings to judge and the fixed parameters of the predictors. */
  private record Plan(List<Setting> settings, int headDim, int dModel, int seqLen,
      boolean causal, int dsaDim, int dsaBits, double sangerThreshold, double energonAlpha,
      long seed) {

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
          w.causal(), s.dota().predictDim(w.headDim()), s.dota().detectPrecision().bits(),
          o.sangerThreshold(), o.energonAlpha(), s.run().seed());
    }

    boolean has(Predictor p) {
      return settings.stream().anyMatch(t -> t.predictor == p);
    }
  }

  private static Sums[] judgeHead(Plan plan, TensorSource tensors, int layer, int head) {
    var t = tensors.layer(layer);
    int dh = plan.headDim;
    int l = plan.seqLen;
    var wQ = TensorSource.headColumns(t.wQ(), head, dh);
    var wK = TensorSource.headColumns(t.wK(), head, dh);
    var q = multiply(t.x(), wQ);
    var k = multiply(t.x(), wK);
    var sums = Sums.array(plan.settings.size());

    double[][] dsaQ = null;
    double[][] dsaK = null;
    if (plan.has(Predictor.DSA)) {
      var dsa = DsaPredictor.fit(wQ, wK, plan.dsaDim, plan.dsaBits,
          DsaFits.seed(plan.seed, layer, head));
      dsaQ = dsa.queries(t.x());
      dsaK = dsa.keys(t.x());
    }
    var fact = new FactPredictor();
    double[][] factQ = null;
    double[][] factK = null;
    if (plan.has(Predictor.FACT)) {
      factQ = fact.project(t.x(), wQ);
      factK = fact.project(t.x(), wK);
    }
    var sanger = new SangerPredictor(SangerPredictor.DEFAULT_BITS, plan.sangerThreshold);
    var energon = EnergonFilter.standard(plan.energonAlpha);

    var exactRow = new RankedRow(l);
    var dsaRow = new RankedRow(l);
    var factRow = new RankedRow(l);
    for (int row0 = 0; row0 < l; row0 += ROW_BLOCK) {
      int rows = Math.min(ROW_BLOCK, l - row0);
      var allowed = plan.causal ? Attention.causalMask(row0, rows, l) : null;
      var exact = Attention.scores(q, k, row0, rows);
      var probs = Attention.softmax(exact, allowed);
      double[][] dsaScores = dsaQ == null ? null : DsaPredictor.scores(dsaQ, dsaK, row0, rows);
      double[][] factScores = factQ == null ? null : fact.scores(factQ, factK, row0, rows);
      boolean[][] sangerMask = null;
      EnergonFilter.Result energonResult = null;
      for (var s : plan.settings) {
        if (s.predictor == Predictor.SANGER) {
          sangerMask = sanger.mask(q, k, row0, rows, allowed);
        } else if (s.predictor == Predictor.ENERGON) {
          energonResult = energon.filter(q, k, row0, rows, allowed);
        }
      }
      for (int i = 0; i < rows; i++) {
        boolean[] cand = allowed == null ? null : allowed[i];
        exactRow.rank(exact[i], cand);
        if (dsaScores != null) {
          dsaRow.rank(dsaScores[i], cand);
        }
        if (factScores != null) {
          factRow.rank(factScores[i], cand);
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
          sums[r].judge(exactRow, probs[i], mask);
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
        sums[r].predictMacs += pairs * dh;
        sums[r].denseMacs += candidates * 2 * dh;
      }
    }
    // prediction MACs per head, independent of the pairs
    for (int r = 0; r < plan.settings.size(); r++) {
      var p = plan.settings.get(r).predictor;
      if (p == Predictor.ORACLE) {
        sums[r].predictMacs = -1;
      } else if (p == Predictor.DSA) {
        sums[r].predictMacs += (long) l * plan.dModel * plan.dsaDim
            + 2L * l * plan.dsaDim * dh;
      } else if (p == Predictor.FACT) {
        sums[r].predictMacs += 2L * l * plan.dModel * dh;
      }
    }
    return sums;
  }

  /**
   * One row's scores ranked once, for top-k masks and for the oracle top-n that DSA's accuracy
   * compares a mask with. The top n of the candidates, ties to the lower key (as {@link
   * OracleTopK}), are the keys scoring above the n-th largest score {@code v}, then the first
   * keys (by index) scoring exactly {@code v} until there are n.
   */
  static final class RankedRow {
    private final double[] sorted;
    private double[] scores;
    private boolean[] allowed;
    private int candidates;

    RankedRow(int keys) {
      sorted = new double[keys];
    }

    /** Ranks {@code scores} among the candidates of {@code allowed} (null: all). */
    RankedRow rank(double[] scores, boolean[] allowed) {
      this.scores = scores;
      this.allowed = allowed;
      int n = 0;
      for (int j = 0; j < scores.length; j++) {
        if (allowed == null || allowed[j]) {
          if (Double.isNaN(scores[j])) {
            throw new IllegalArgumentException("NaN score at key " + j);
          }
          sorted[n++] = scores[j];
        }
      }
      candidates = n;
      Arrays.sort(sorted, 0, n);
      return this;
    }

    int candidates() {
      return candidates;
    }

    /** {@code max(1, round(ratio x candidates))}: the keys a top-k predictor keeps. */
    int keepCount(double ratio) {
      return (int) Math.max(1, Math.round(ratio * candidates));
    }

    /** The mask of the top {@code keepCount(ratio)} candidates. */
    boolean[] top(double ratio) {
      return topN(keepCount(ratio));
    }

    /** The mask of the top {@code n} candidates (all of them when n exceeds their count). */
    boolean[] topN(int n) {
      var keep = new boolean[scores.length];
      if (n <= 0 || candidates == 0) {
        return keep;
      }
      n = Math.min(n, candidates);
      double v = sorted[candidates - n];
      int ties = tiesIn(v, n);
      for (int j = 0; j < scores.length; j++) {
        if (allowed == null || allowed[j]) {
          if (scores[j] > v) {
            keep[j] = true;
          } else if (scores[j] == v && ties > 0) {
            keep[j] = true;
            ties--;
          }
        }
      }
      return keep;
    }

    /** How many of the keys of {@code mask} are in the top {@code n} candidates. */
    int hits(boolean[] mask, int n) {
      n = Math.min(n, candidates);
      if (n <= 0) {
        return 0;
      }
      double v = sorted[candidates - n];
      int ties = tiesIn(v, n);
      int hits = 0;
      for (int j = 0; j < scores.length; j++) {
        if (allowed == null || allowed[j]) {
          if (scores[j] > v) {
            hits += mask[j] ? 1 : 0;
          } else if (scores[j] == v && ties > 0) {
            hits += mask[j] ? 1 : 0;
            ties--;
          }
        }
      }
      return hits;
    }

    /** Keys scoring exactly {@code v} that are in the top n: n minus those scoring above it. */
    private int tiesIn(double v, int n) {
      int above = 0;
      for (int t = candidates - 1; t >= 0 && sorted[t] > v; t--) {
        above++;
      }
      return n - above;
    }

    boolean candidate(int j) {
      return allowed == null || allowed[j];
    }
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

    static Sums[] array(int n) {
      var a = new Sums[n];
      for (int i = 0; i < n; i++) {
        a[i] = new Sums();
      }
      return a;
    }

    /** Adds one row: {@code ranked} holds its exact scores, {@code probs} their softmax. */
    void judge(RankedRow ranked, double[] probs, boolean[] mask) {
      int rowKept = 0;
      double mass = 0;
      for (int j = 0; j < mask.length; j++) {
        if (mask[j]) {
          if (!ranked.candidate(j)) {
            throw new IllegalArgumentException("the mask keeps key " + j
                + ", which is not a candidate");
          }
          rowKept++;
          mass += probs[j];
        }
      }
      rows++;
      candidates += ranked.candidates();
      kept += rowKept;
      if (ranked.candidates() > 0) {
        massSum += mass;
        massRows++;
      }
      if (rowKept > 0) {
        accuracySum += (double) ranked.hits(mask, rowKept) / rowKept;
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
    }

    Row row(Setting s) {
      return new Row(s.predictor, s.label, s.keepRatio, rows, candidates, kept,
          candidates == 0 ? 0 : 1 - (double) kept / candidates,
          accuracyRows == 0 ? Double.NaN : accuracySum / accuracyRows,
          massRows == 0 ? Double.NaN : massSum / massRows,
          predictMacs < 0 || denseMacs == 0 ? Double.NaN : (double) predictMacs / denseMacs);
    }
  }

  /** {@code a b}, plain triple loop in index order. */
  static double[][] multiply(double[][] a, double[][] b) {
    Objects.requireNonNull(a, "a");
    int inner = b.length;
    int n = b[0].length;
    var c = new double[a.length][n];
    for (int i = 0; i < a.length; i++) {
      if (a[i].length != inner) {
        throw new IllegalArgumentException("cannot multiply " + a.length + "x" + a[i].length
            + " by " + inner + "x" + n);
      }
      for (int t = 0; t < inner; t++) {
        double x = a[i][t];
        double[] bt = b[t];
        double[] ci = c[i];
        for (int j = 0; j < n; j++) {
          ci[j] += x * bt[j];
        }
      }
    }
    return c;
  }

  /** A number as short as it reads: 0.1, 2e-3 as 0.002, 12.5. */
  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
