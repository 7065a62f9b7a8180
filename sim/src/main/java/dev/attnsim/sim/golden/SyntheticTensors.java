package dev.attnsim.sim.golden;

import dev.attnsim.sim.config.TensorSettings;
import dev.attnsim.sim.config.TransformerWorkload;
import java.util.SplittableRandom;

/**
 * Seeded per-layer tensors with the structure of real attention: the input X ({@code l x d}) and
 * the weights W_Q, W_K, W_V, W_O ({@code d x d}, {@code Q = X W_Q}; head {@code h} is columns
 * {@code [h d_head, (h + 1) d_head)}). The knobs are {@code attnsim.workload.tensors}.
 *
 * <p><b>Structure</b> [choice, all of it]. With {@code e_t} i.i.d. standard normal (norm about
 * {@code sqrt(d)}), {@code u} a random unit vector and {@code p_t} a smooth positional signal
 * ({@code p_t[c] = sqrt(2) cos(omega_c t + phi_c)}, wavelengths log-uniform in {@code [4, 2 l]}
 * tokens, so {@code p_t . p_s} decays with {@code |t - s|}):
 *
 * <pre>
 *   x_t = sqrt(1 - locality) e_t + sqrt(locality) p_t + sqrt(d) (COMMON + [t global] strength) u
 * </pre>
 *
 * Every token shares a small common component ({@link #COMMON} = 0.5, real activations have a
 * large mean); the {@code global-tokens} tokens (distinct positions drawn per layer) carry
 * {@code global-strength} more of it. The weights are {@code W_Q = scale A} and {@code W_K =
 * sqrt(alignment) A + sqrt(1 - alignment) B}, entries of A and B normal with variance {@code 1/d};
 * W_V and W_O are independent with the same variance.
 * Then a score {@code q_t . k_s / sqrt(d_head)} has mean about {@code scale sqrt(alignment)
 * sqrt(d_head) x_t . x_s / d}: tokens attend to themselves, to their neighbours (through {@code
 * p}) and, every one of them, to the global tokens (through {@code u}); on top sits noise of
 * standard deviation about {@code scale}.
 *
 * <p><b>Determinism.</b> Layer {@code i} is drawn from the {@code (i + 1)}-th {@code split()} of
 * a {@code SplittableRandom(seed)}, recomputed on each call, so a layer's tensors depend on the
 * seed and its index only, whatever the call order.
 */
public final class SyntheticTensors implements TensorSource {
  /** Weight of the component every token shares, relative to a token's norm [choice]. */
  public static final double COMMON = 0.5;
  private static final double MIN_WAVELENGTH = 4;

  private final int seqLen;
  private final int dModel;
  private final TensorSettings knobs;
  private final long seed;

  public SyntheticTensors(TransformerWorkload workload, TensorSettings knobs, long seed) {
    this.seqLen = workload.seqLen();
    this.dModel = workload.dModel();
    this.knobs = java.util.Objects.requireNonNull(knobs, "knobs");
    this.seed = seed;
  }

  @Override
  public String describe() {
    return "synthetic (seed " + seed + ")";
  }

  /** Layer {@code index}'s X, W_Q, W_K, W_V and W_O. */
  @Override
  public LayerTensors layer(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("layer index must be >= 0, got " + index);
    }
    var root = new SplittableRandom(seed);
    var rnd = root.split();
    for (int i = 0; i < index; i++) {
      rnd = root.split();
    }
    int d = dModel;
    int l = seqLen;
    var u = new double[d];
    double norm = 0;
    for (int c = 0; c < d; c++) {
      u[c] = gaussian(rnd);
      norm += u[c] * u[c];
    }
    for (int c = 0; c < d; c++) {
      u[c] /= Math.sqrt(norm);
    }
    var omega = new double[d];
    var phi = new double[d];
    double logMin = Math.log(MIN_WAVELENGTH);
    double logMax = Math.log(Math.max(MIN_WAVELENGTH, 2.0 * l));
    for (int c = 0; c < d; c++) {
      omega[c] = 2 * Math.PI / Math.exp(logMin + (logMax - logMin) * rnd.nextDouble());
      phi[c] = 2 * Math.PI * rnd.nextDouble();
    }
    var global = new boolean[l];
    int globals = Math.min(knobs.globalTokens(), l);
    for (int placed = 0; placed < globals; ) {
      int t = rnd.nextInt(l);
      if (!global[t]) {
        global[t] = true;
        placed++;
      }
    }
    double noise = Math.sqrt(1 - knobs.locality());
    double smooth = Math.sqrt(knobs.locality()) * Math.sqrt(2);
    var x = new double[l][d];
    for (int t = 0; t < l; t++) {
      double shared = Math.sqrt(d) * (COMMON + (global[t] ? knobs.globalStrength() : 0));
      for (int c = 0; c < d; c++) {
        x[t][c] = noise * gaussian(rnd) + smooth * Math.cos(omega[c] * t + phi[c])
            + shared * u[c];
      }
    }
    double sd = 1 / Math.sqrt(d);
    var wQ = new double[d][d];
    var wK = new double[d][d];
    double shareA = Math.sqrt(knobs.alignment());
    double shareB = Math.sqrt(1 - knobs.alignment());
    for (int r = 0; r < d; r++) {
      for (int c = 0; c < d; c++) {
        double a = sd * gaussian(rnd);
        double b = sd * gaussian(rnd);
        wQ[r][c] = knobs.scale() * a;
        wK[r][c] = shareA * a + shareB * b;
      }
    }
    // drawn after X, W_Q and W_K, so that adding them left those unchanged
    var wV = new double[d][d];
    var wO = new double[d][d];
    for (double[][] w : new double[][][] {wV, wO}) {
      for (int r = 0; r < d; r++) {
        for (int c = 0; c < d; c++) {
          w[r][c] = sd * gaussian(rnd);
        }
      }
    }
    return new LayerTensors(x, wQ, wK, wV, wO);
  }

  /** A standard normal draw (Box-Muller, one value per call, so draws stay in stream order). */
  private static double gaussian(SplittableRandom rnd) {
    double u1 = 1 - rnd.nextDouble(); // (0, 1]
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
