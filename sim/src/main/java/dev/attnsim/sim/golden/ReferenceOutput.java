package dev.attnsim.sim.golden;

import dev.attnsim.actors.compute.Attention;
import dev.attnsim.sim.config.SimSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * attnsim's dense attention against the model's own: for each layer whose tensors carry a
 * reference output ({@code attn_out.<i>}, what the exporting framework computed), the relative
 * Frobenius error {@code ||Z - Z_ref|| / ||Z_ref||} of {@code Z = sum_h softmax(Q_h K_h^T /
 * sqrt(d_head)) V_h W_O[h]} (causal when the workload is), computed as the golden model's
 * arithmetic in double on the file's X and weights, a block of rows at a time. A user confirms
 * with it that attnsim reads their tensors as their framework does (layouts, head order,
 * scaling); it does not involve the accelerator. Without W_O the heads' outputs side by side.
 */
public final class ReferenceOutput {

  /**
   * @param layers per layer, the relative error, NaN where the layer has no reference
   * @param worst the largest of them
   */
  public record Result(List<Double> layers, double worst) {

    /** One line for the terminal. */
    public String line() {
      return String.format(Locale.ROOT, "%-10s attn_out of the tensor file: attnsim's dense "
          + "attention within %.2e (relative error, worst of %d layer(s))%n", "reference",
          worst, layers.stream().filter(e -> !e.isNaN()).count());
    }
  }

  private ReferenceOutput() {}

  /** The check, or null when no layer of {@code tensors} carries a reference output. */
  public static Result check(SimSettings s, TensorSource tensors) {
    if (!(tensors instanceof TensorFile file)) {
      return null;
    }
    var w = s.transformer();
    var errors = new ArrayList<Double>();
    double worst = 0;
    boolean any = false;
    for (int l = 0; l < w.layers(); l++) {
      if (!file.hasReference(l)) {
        errors.add(Double.NaN);
        continue;
      }
      double e = layerError(s, file.layer(l));
      errors.add(e);
      worst = Math.max(worst, e);
      any = true;
    }
    return any ? new Result(List.copyOf(errors), worst) : null;
  }

  /** The relative error of one layer's dense attention against its reference. */
  static double layerError(SimSettings s, TensorSource.LayerTensors t) {
    var w = s.transformer();
    int l = w.seqLen();
    int d = w.dModel();
    int dh = w.headDim();
    double err = 0;
    double ref = 0;
    double[][][] q = new double[w.heads()][][];
    double[][][] kT = new double[w.heads()][][]; // K transposed, once for the row blocks
    double[][][] v = new double[w.heads()][][];
    for (int h = 0; h < w.heads(); h++) {
      q[h] = Attention.multiply(t.x(), TensorSource.headColumns(t.wQ(), h, dh));
      kT[h] = Attention.transpose(
          Attention.multiply(t.x(), TensorSource.headColumns(t.wK(), h, dh)));
      v[h] = Attention.multiply(t.x(), TensorSource.headColumns(t.wV(), h, dh));
    }
    for (int q0 = 0; q0 < l; q0 += AccuracyEval.ROW_BLOCK) {
      int rows = Math.min(AccuracyEval.ROW_BLOCK, l - q0);
      boolean[][] allowed = w.causal() ? Attention.causalMask(q0, rows, l) : null;
      var out = new double[rows][d];
      for (int h = 0; h < w.heads(); h++) {
        double[][] z = Attention.output(
            Attention.softmax(Attention.scoresTransposed(q[h], kT[h], q0, rows), allowed), v[h]);
        if (t.wO() == null) {
          for (int i = 0; i < rows; i++) {
            System.arraycopy(z[i], 0, out[i], h * dh, dh);
          }
        } else {
          var part = Attention.multiply(z, TensorSource.headRows(t.wO(), h, dh));
          for (int i = 0; i < rows; i++) {
            for (int c = 0; c < d; c++) {
              out[i][c] += part[i][c];
            }
          }
        }
      }
      for (int i = 0; i < rows; i++) {
        for (int c = 0; c < d; c++) {
          double e = out[i][c] - t.attnOut()[q0 + i][c];
          err += e * e;
          ref += t.attnOut()[q0 + i][c] * t.attnOut()[q0 + i][c];
        }
      }
    }
    return ref == 0 ? Math.sqrt(err) : Math.sqrt(err / ref);
  }
}
