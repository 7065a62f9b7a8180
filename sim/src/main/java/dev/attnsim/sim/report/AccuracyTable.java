package dev.attnsim.sim.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attnsim.sim.golden.GoldenModel;
import dev.attnsim.sim.golden.RunAccuracy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's accuracy ({@link RunAccuracy}) as {@code accuracy.csv} (one row for the run, one per
 * layer, one per head) and as the {@code accuracy} and {@code functional} sections of {@code
 * summary.json}. Undefined figures (NaN: no row kept anything, no prediction cost for the
 * oracle) are empty cells in the CSV and null in JSON.
 */
public final class AccuracyTable {
  private AccuracyTable() {}

  static final List<String> COLUMNS = List.of("scope", "layer", "head", "rows", "candidates",
      "kept", "omitted_fraction", "prediction_accuracy", "mass_kept", "output_rel_error",
      "output_cosine", "predict_mac_share");

  public static void writeCsv(Path file, RunAccuracy.Result a) {
    var rows = new ArrayList<List<Object>>();
    rows.add(row("run", "", "", a.overall()));
    for (int l = 0; l < a.layers().size(); l++) {
      rows.add(row("layer", l, "", a.layers().get(l)));
    }
    for (var h : a.heads()) {
      rows.add(row("head", h.layer(), h.head(), h.figures()));
    }
    Csv.write(file, COLUMNS, rows);
  }

  private static List<Object> row(String scope, Object layer, Object head,
      RunAccuracy.Figures f) {
    var r = new ArrayList<Object>(List.of(scope, layer, head, f.rows(), f.candidates(),
        f.kept()));
    for (double v : values(f)) {
      r.add(Double.isNaN(v) ? "" : Summary.round(v));
    }
    return r;
  }

  private static double[] values(RunAccuracy.Figures f) {
    return new double[] {f.omittedFraction(), f.predictionAccuracy(), f.massKept(),
        f.outputRelError(), f.outputCosine(), f.predictMacShare()};
  }

  /** Adds {@code accuracy} (when known) and {@code functional} (functional runs) to the root. */
  public static void addTo(ObjectNode root, RunAccuracy.Result a, GoldenModel.Checks checks) {
    if (checks != null) {
      var f = root.putObject("functional");
      f.put("complete", checks.complete());
      f.put("masks_checked", checks.masks());
      f.put("masks_expected", checks.expectedMasks());
      f.put("outputs_checked", checks.outputs());
      f.put("outputs_expected", checks.expectedOutputs());
      f.put("max_output_rel_error", checks.maxOutputError());
      f.put("tolerance", checks.tolerance());
    }
    if (a == null) {
      return;
    }
    var n = root.putObject("accuracy");
    n.put("source", a.source());
    n.put("tensors", a.tensors());
    put(n.putObject("overall"), a.overall());
    var layers = n.putArray("layers");
    for (int l = 0; l < a.layers().size(); l++) {
      var layer = layers.addObject();
      layer.put("layer", l);
      put(layer, a.layers().get(l));
      var heads = layer.putArray("heads");
      for (var h : a.heads()) {
        if (h.layer() == l) {
          var head = heads.addObject();
          head.put("head", h.head());
          put(head, h.figures());
        }
      }
    }
  }

  private static void put(ObjectNode n, RunAccuracy.Figures f) {
    n.put("rows", f.rows());
    n.put("candidates", f.candidates());
    n.put("kept", f.kept());
    double[] v = values(f);
    for (int i = 0; i < v.length; i++) {
      String key = COLUMNS.get(6 + i);
      if (Double.isNaN(v[i])) {
        n.putNull(key);
      } else {
        n.put(key, Summary.round(v[i]));
      }
    }
  }
}
