package dev.attnsim.sim.cli;

import dev.attnsim.actors.compute.FactDecisions;
import dev.attnsim.actors.compute.SangerPredictor;
import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.config.ConfigLoader;
import dev.attnsim.sim.golden.AccuracyEval;
import dev.attnsim.sim.golden.AccuracyEval.Predictor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code attnsim accuracy}: judge mask predictors with the golden model, no timing. */
@Command(name = "accuracy", mixinStandardHelpOptions = true,
    description = "Judge the mask predictors (oracle, dsa, fact, sanger, energon) against the "
        + "exact attention of the run's tensors (workload.tensors.file, else synthetic ones), "
        + "without timing, and print "
        + "per predictor and setting the omitted share, DSA prediction accuracy, attention mass "
        + "kept, prediction cost and the attention output's error against dense attention; for "
        + "fact also its early-decided queries, unneeded K/V rows and low-precision FFN tokens.")
final class AccuracyCommand extends BaseCommand {

  @Mixin
  ConfigOptions config;

  @Option(names = "--keep", paramLabel = "R[,R...]",
      description = "Keep ratios in (0, 1] of the top-k predictors (oracle, dsa, fact), e.g. "
          + "0.05,0.1,0.2 (default: hardware.detection.keep-ratio; fact 0.25).")
  String keep;

  @Option(names = "--predictors", paramLabel = "NAME[,NAME...]",
      description = "Predictors to judge (default: all): oracle, dsa, fact, sanger, energon.")
  String predictors;

  @Option(names = "--sanger-threshold", paramLabel = "T",
      description = "Sanger's threshold on the predicted probabilities, in [0, 1) "
          + "(default: 0.002).")
  double sangerThreshold = SangerPredictor.DEFAULT_THRESHOLD;

  @Option(names = "--energon-alpha", paramLabel = "A",
      description = "Energon's threshold offset alpha, in [-1, 1] (default: 0.1).")
  double energonAlpha = AccuracyEval.DEFAULT_ENERGON_ALPHA;

  @Option(names = "--fact-gap", paramLabel = "G",
      description = "FACT: a query is decided early when its predicted top score leads the "
          + "second by more than G, >= 0 (default: 0.75).")
  double factGap = FactDecisions.DEFAULT_DECIDE_GAP;

  @Option(names = "--fact-ffn-r", paramLabel = "R",
      description = "FACT: a token's FFN runs at full precision when it is selected more than "
          + "R x l x heads x keep times in its layer, >= 0 (default: 1).")
  double factFfnRatio = FactDecisions.DEFAULT_FFN_RATIO;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE.csv",
      description = "Also write the table as CSV.")
  Path outFile;

  @Option(names = "--csv", hidden = true, paramLabel = "FILE",
      description = "Old spelling of -o/--out.")
  Path oldCsv;

  @Option(names = "--force", description = "Replace the -o/--out file if it exists.")
  boolean force;

  static final List<String> COLUMNS = List.of("predictor", "setting", "keep_ratio",
      "omitted_fraction", "accuracy", "mass_kept", "predict_mac_share", "output_rel_error",
      "output_cosine", "decided_fraction", "kv_unneeded_fraction", "ffn_low_fraction", "rows",
      "candidates", "kept");

  @Override
  public Integer call() {
    long start = System.nanoTime();
    var options = options();
    var s = ConfigLoader.load(config.config, config.presets(), config.sets);
    if (s.isGemm()) {
      throw new ConfigError("attnsim accuracy judges attention: attnsim.workload.kind must be "
          + "transformer, not gemm");
    }
    var named = Outputs.chosen(outFile, "--csv", oldCsv, err());
    Path csv = named != null ? named.path() : null;
    if (csv != null) {
      Outputs.check(named.option(), csv, force, Outputs.inputs(config.config, config.presets(),
          s.tensors().file()));
    }
    var tensors = dev.attnsim.sim.golden.TensorSource.of(s);
    tensors.verify(); // a bad file fails before any work
    var result = AccuracyEval.run(s, options, tensors);
    if (csv != null) {
      writeCsv(csv, result);
    }
    var out = out();
    int dh = result.dModel() / result.heads();
    out.printf(Locale.ROOT, "%s: %d layers x %d tokens%s, d %d, %d heads (d_head %d), %s "
        + "tensors%n", result.model(), result.layers(), result.seqLen(),
        result.causal() ? " (causal)" : "", result.dModel(), result.heads(), dh,
        result.tensors());
    out.printf(Locale.ROOT, "%-9s %-12s %8s %9s %10s %13s %8s %9s%n", "predictor", "setting",
        "omitted", "accuracy", "mass kept", "predict MACs", "Z error", "Z cosine");
    for (var r : result.rows()) {
      out.printf(Locale.ROOT, "%-9s %-12s %7.1f%% %9.3f %10.3f %13s %8.3f %9.4f%n",
          r.predictor().label(), r.setting(), 100 * r.omittedFraction(), r.accuracy(),
          r.massKept(), Double.isNaN(r.predictMacShare()) ? "-"
              : String.format(Locale.ROOT, "%.1f%%", 100 * r.predictMacShare()),
          r.outputError(), r.outputCosine());
    }
    var fact = result.rows().stream().filter(r -> r.predictor() == Predictor.FACT).toList();
    if (!fact.isEmpty()) {
      out.println();
      out.printf(Locale.ROOT, "%-9s %-12s %8s %13s %8s%n", "predictor", "setting", "decided",
          "K/V unneeded", "FFN low");
      for (var r : fact) {
        out.printf(Locale.ROOT, "%-9s %-12s %7.1f%% %12.1f%% %7.1f%%%n", r.predictor().label(),
            r.setting(), 100 * r.decidedFraction(), 100 * r.kvUnneededFraction(),
            100 * r.ffnLowFraction());
      }
    }
    var reference = dev.attnsim.sim.golden.ReferenceOutput.check(s, tensors);
    if (reference != null) {
      out.println();
      out.print(reference.line());
    }
    out.println();
    printNotes(out, result);
    out.printf(Locale.ROOT, "wall %.1f s%n", (System.nanoTime() - start) / 1e9);
    return ExitCodes.OK;
  }

  private AccuracyEval.Options options() {
    var keeps = new ArrayList<Double>();
    if (keep != null) {
      for (String part : keep.split(",", -1)) {
        double r;
        try {
          r = Double.parseDouble(part.strip());
        } catch (NumberFormatException e) {
          throw new ConfigError("--keep " + keep + ": '" + part + "' is not a number");
        }
        if (!(r > 0 && r <= 1)) {
          throw new ConfigError("--keep " + keep + ": " + part.strip()
              + " is not a keep ratio in (0, 1]");
        }
        keeps.add(r);
      }
    }
    var chosen = EnumSet.allOf(Predictor.class);
    if (predictors != null) {
      chosen.clear();
      for (String part : predictors.split(",", -1)) {
        chosen.add(predictor(part.strip()));
      }
    }
    if (!(sangerThreshold >= 0 && sangerThreshold < 1)) {
      throw new ConfigError("--sanger-threshold " + sangerThreshold + " is not in [0, 1)");
    }
    if (!(energonAlpha >= -1 && energonAlpha <= 1)) {
      throw new ConfigError("--energon-alpha " + energonAlpha + " is not in [-1, 1]");
    }
    if (!(factGap >= 0)) {
      throw new ConfigError("--fact-gap " + factGap + " is not >= 0");
    }
    if (!(factFfnRatio >= 0)) {
      throw new ConfigError("--fact-ffn-r " + factFfnRatio + " is not >= 0");
    }
    return new AccuracyEval.Options(keeps, chosen, sangerThreshold, energonAlpha, factGap,
        factFfnRatio);
  }

  /** What the figures are, one line per predictor shown: the choices behind them. */
  private static void printNotes(PrintWriter out, AccuracyEval.Result result) {
    var shown = EnumSet.noneOf(Predictor.class);
    result.rows().forEach(r -> shown.add(r.predictor()));
    if (shown.contains(Predictor.DSA)) {
      out.printf(Locale.ROOT, "dsa       %s (hardware.detection.fit)%n", result.dsaFit());
    }
    if (shown.contains(Predictor.FACT)) {
      out.printf(Locale.ROOT, "fact      decided: top predicted score ahead of the 2nd by > %s "
          + "(output = V of that key)%n", AccuracyEval.fmt(result.factDecideGap()));
      out.printf(Locale.ROOT, "          FFN at full precision for tokens selected > %s x l x "
          + "heads x keep times in their layer%n", AccuracyEval.fmt(result.factFfnRatio()));
    }
    if (shown.contains(Predictor.ENERGON)) {
      out.println("energon   Z: final attention on the survivors with Q, K, V in INT16");
    }
    out.println("Z         softmax_kept(S) V against the dense output, over all heads and layers:");
    out.println("          relative Frobenius error and cosine");
  }

  private static Predictor predictor(String name) {
    for (var p : Predictor.values()) {
      if (p.label().equals(name)) {
        return p;
      }
    }
    var known = new ArrayList<String>();
    for (var p : Predictor.values()) {
      known.add(p.label());
    }
    throw new ConfigError("--predictors: no predictor '" + name + "'; known: "
        + String.join(", ", known));
  }

  static void writeCsv(Path file, AccuracyEval.Result result) {
    var rows = new ArrayList<List<Object>>();
    for (var r : result.rows()) {
      rows.add(List.of(r.predictor().label(), r.setting(), number(r.keepRatio()),
          number(r.omittedFraction()), number(r.accuracy()), number(r.massKept()),
          number(r.predictMacShare()), number(r.outputError()), number(r.outputCosine()),
          number(r.decidedFraction()), number(r.kvUnneededFraction()),
          number(r.ffnLowFraction()), r.rows(), r.candidates(), r.kept()));
    }
    dev.attnsim.sim.report.Csv.write(file, COLUMNS, rows);
  }

  /** A figure for the CSV: empty when it does not apply (NaN). */
  private static Object number(double v) {
    return Double.isNaN(v) ? "" : v;
  }
}
