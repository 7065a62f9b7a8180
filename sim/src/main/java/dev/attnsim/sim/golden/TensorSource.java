package dev.attnsim.sim.golden;

import dev.attnsim.sim.config.SimSettings;

/**
 * Where a run's attention inputs and weights come from: the seeded {@link SyntheticTensors}, or
 * real activations and weights read from a tensor file. Layer {@code i}'s tensors are a function
 * of the source and {@code i} only, whatever the call order; implementations are thread-safe.
 */
public interface TensorSource {

  /**
   * One layer: the attention input X ({@code l x d}) and the projections W_Q, W_K, W_V ({@code d
   * x d}, {@code Q = X W_Q}; head {@code h} is columns {@code [h d_head, (h + 1) d_head)}), and
   * the output projection W_O ({@code d x d}, rows {@code [h d_head, (h + 1) d_head)} take head
   * {@code h}'s output), which may be null when the source has none; and the model's own
   * attention output of the layer ({@code l x d}, {@code attn_out.<i>} of a tensor file: {@code
   * sum_h softmax(Q_h K_h^T / sqrt(d_head)) V_h W_O[h]} as the exporting framework computed it),
   * null when the source has none: a reference to check attnsim's dense attention against.
   */
  record LayerTensors(double[][] x, double[][] wQ, double[][] wK, double[][] wV,
      double[][] wO, double[][] attnOut) {

    /** A layer without a reference output. */
    public LayerTensors(double[][] x, double[][] wQ, double[][] wK, double[][] wV,
        double[][] wO) {
      this(x, wQ, wK, wV, wO, null);
    }
  }

  /** Layer {@code index}, {@code 0 <= index < layers}. */
  LayerTensors layer(int index);

  /** What the tensors are, for reports: {@code synthetic (seed 1)}, {@code file bert.npz}. */
  String describe();

  /**
   * Reads every layer once and checks what a header cannot show (a file's data: its checksum,
   * that every value is finite), so that a bad file fails before a run starts rather than in the
   * middle of one. Nothing to do for generated tensors.
   */
  default void verify() {}

  /**
   * The tensors of a run: its tensor file ({@code workload.tensors.file}) when one is given,
   * checked against the workload at once, else the synthetic ones.
   *
   * @throws dev.attnsim.sim.tensors.TensorError if the file does not fit the workload
   */
  static TensorSource of(SimSettings s) {
    return s.tensors().file()
        .<TensorSource>map(f -> new TensorFile(f, s.transformer()))
        .orElseGet(() -> new SyntheticTensors(s.transformer(), s.tensors(), s.run().seed()));
  }

  /** Columns {@code [head width, (head + 1) width)} of {@code m}: one head's slice. */
  static double[][] headColumns(double[][] m, int head, int width) {
    var s = new double[m.length][width];
    for (int r = 0; r < m.length; r++) {
      System.arraycopy(m[r], head * width, s[r], 0, width);
    }
    return s;
  }

  /** Rows {@code [head width, (head + 1) width)} of {@code m}: one head's slice of W_O. */
  static double[][] headRows(double[][] m, int head, int width) {
    var s = new double[width][];
    for (int r = 0; r < width; r++) {
      s[r] = m[head * width + r].clone();
    }
    return s;
  }
}
