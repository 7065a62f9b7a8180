package dev.attnsim.sim.cli;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.attnsim.actors.compute.SangerPredictor;
import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.config.ConfigLoader;
import dev.attnsim.sim.golden.AccuracyEval;
import dev.attnsim.sim.golden.AccuracyEval.Predictor;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        + "exact attention scores of synthetic tensors (workload.tensors), without timing, and "
        + "print omitted share, DSA prediction accuracy and attention mass kept per predictor "
        + "and setting.")
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

  @Option(names = "--csv", paramLabel = "FILE", description = "Also write the table as CSV.")
  Path csv;

  static final List<String> COLUMNS = List.of("predictor", "setting", "keep_ratio",
      "omitted_fraction", "accuracy", "mass_kept", "predict_mac_share", "rows", "candidates",
      "kept");

  @Override
  public Integer call() {
    long start = System.nanoTime();
    var options = options();
    var s = ConfigLoader.load(config.config, config.presets(), config.sets);
    if (s.isGemm()) {
      throw new ConfigError("attnsim accuracy judges attention: attnsim.workload.kind must be "
          + "transformer, not gemm");
    }
    var result = AccuracyEval.run(s, options);
    if (csv != null) {
      writeCsv(csv, result);
    }
    var out = out();
    int dh = result.dModel() / result.heads();
    out.printf(Locale.ROOT, "%s: %d layers x %d tokens%s, d %d, %d heads (d_head %d), seed %d,"
        + " synthetic tensors%n", result.model(), result.layers(), result.seqLen(),
        result.causal() ? " (causal)" : "", result.dModel(), result.heads(), dh, result.seed());
    out.printf(Locale.ROOT, "%-9s %-12s %8s %9s %10s %13s%n", "predictor", "setting", "omitted",
        "accuracy", "mass kept", "predict MACs");
    for (var r : result.rows()) {
      out.printf(Locale.ROOT, "%-9s %-12s %7.1f%% %9.3f %10.3f %13s%n", r.predictor().label(),
          r.setting(), 100 * r.omittedFraction(), r.accuracy(), r.massKept(),
          Double.isNaN(r.predictMacShare()) ? "-"
              : String.format(Locale.ROOT, "%.1f%%", 100 * r.predictMacShare()));
    }
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
    return new AccuracyEval.Options(keeps, chosen, sangerThreshold, energonAlpha);
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
    var schema = CsvSchema.builder();
    COLUMNS.forEach(schema::addColumn);
    var rows = new ArrayList<List<Object>>();
    for (var r : result.rows()) {
      rows.add(List.of(r.predictor().label(), r.setting(), number(r.keepRatio()),
          number(r.omittedFraction()), number(r.accuracy()), number(r.massKept()),
          number(r.predictMacShare()), r.rows(), r.candidates(), r.kept()));
    }
    try {
      new CsvMapper().writer(schema.build().withHeader()).writeValue(file.toFile(), rows);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** A figure for the CSV: empty when it does not apply (NaN). */
  private static Object number(double v) {
    return Double.isNaN(v) ? "" : v;
  }
}
