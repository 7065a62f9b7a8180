package dev.attnsim.sim.golden;

import dev.attnsim.actors.compute.Attention;
import dev.attnsim.actors.compute.DsaPredictor;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.compute.OracleTopK;
import dev.attnsim.actors.compute.Fixed16;
import dev.attnsim.sim.config.SimSettings;
import java.util.SplittableRandom;

/**
 * The one place a head's DSA prediction path is fitted from a run's settings, so that {@code
 * attnsim accuracy}, timing runs with DSA masks and the functional co-simulation all predict
 * with the same projection and weights: {@code k = hardware.detection.sigma x d_head}, operands
 * at {@code hardware.detection.precision}, projection seeded by the run seed, layer and head,
 * and {@code W~} fitted as {@code hardware.detection.fit} says ({@link DsaPredictor.Fit}).
 *
 * <p>[choice] With {@code fit = calibration} the calibration rows are {@code
 * hardware.detection.calibration-rows} evenly spaced rows of the layer's own input X ({@link
 * DsaPredictor#calibrationRows}). That is in-sample: the predictor is judged on the sequence it
 * was fitted on. With 256 rows against {@code k x d_head} unknowns per matrix (16 x 64 on the
 * LRA-text shape) the fit has little room to over-fit, but with real tensors a separate
 * calibration set would be the fairer test.
 */
public final class DsaFits {
  private DsaFits() {}

  /** The projection's seed for one head: a function of the run seed, layer and head only. */
  public static long seed(long runSeed, int layer, int head) {
    return new SplittableRandom(runSeed).split().nextLong() + 31L * layer + head;
  }

  /**
   * Head {@code head} of layer {@code layer}, fitted to that head's W_Q and W_K slices.
   *
   * @param x the layer's input, {@code l x d}: the calibration rows are taken from it (unused,
   *     and may be null, when {@code hardware.detection.fit = weights})
   * @param wQ the head's query weights, {@code d x d_head}
   * @param wK the head's key weights, {@code d x d_head}
   */
  public static DsaPredictor fit(SimSettings s, int layer, int head, double[][] x,
      double[][] wQ, double[][] wK) {
    var w = s.transformer();
    var dota = s.dota();
    int k = dota.predictDim(w.headDim());
    int bits = dota.detectPrecision().bits();
    long seed = seed(s.run().seed(), layer, head);
    return switch (dota.dsaFit()) {
      case WEIGHTS -> DsaPredictor.fit(wQ, wK, k, bits, seed);
      case CALIBRATION -> DsaPredictor.fitCalibrated(
          DsaPredictor.calibrationRows(x, dota.calibrationRows()), wQ, wK, k, bits, seed);
    };
  }

  /**
   * A head's detector ready to score: the fitted predictor and its {@code k}-wide operands
   * ({@link DsaPredictor#detectorOperandsRaw}, quantised) on the detector
   * input of the whole layer, quantised per tensor.
   */
  public record Detector(DsaPredictor predictor, double[][] queries, double[][] keys) {
    /** {@code S~} of query rows {@code [row0, row0 + rows)}. */
    public double[][] scores(int row0, int rows) {
      return predictor.detectorScores(queries, keys, row0, rows);
    }

    /**
     * DSA's mask of queries {@code [q0, q0 + rows)}: each query's top {@link
     * LayerShape#keepCounts} scores among its candidates, as DOTA's selector keeps them.
     */
    public boolean[][] mask(LayerShape shape, double keepRatio, int q0, int rows) {
      boolean[][] allowed = shape.causal()
          ? Attention.causalMask(q0, rows, shape.seqLen()) : null;
      return OracleTopK.mask(scores(q0, rows), shape.keepCounts(keepRatio, q0, rows), allowed);
    }
  }

  /** Fits head {@code head} of layer {@code layer} and computes its operands on {@code x}. */
  public static Detector detector(SimSettings s, int layer, int head, double[][] x,
      double[][] wQ, double[][] wK) {
    var dsa = fit(s, layer, head, x, wQ, wK);
    double[][][] raw = dsa.detectorOperandsRaw(detectorInput(x));
    return new Detector(dsa, dsa.quantiseOperand(raw[0]), dsa.quantiseOperand(raw[1]));
  }

  /**
   * The detector's MACs, {@code k} wide as it computes: {@code X P} ({@code l d k}, additions
   * only, counted as MACs), {@code (X P) M} ({@code l k k}) for {@code l} tokens, and {@code
   * S~} for {@code pairs} scored pairs ({@code pairs x k}).
   */
  public static long predictMacs(long tokens, long dModel, long k, long pairs) {
    return tokens * dModel * k + tokens * k * k + pairs * k;
  }

  /**
   * What DOTA's detector computes its predictions from: the layer input as the accelerator holds
   * it, in FX16 ({@link Fixed16#perRow}). {@code attnsim accuracy}, timing masks and the golden
   * model of functional runs all predict from it, so their DSA masks are the same. (The fit
   * itself, an offline step, uses the exact X.)
   */
  public static double[][] detectorInput(double[][] x) {
    return Fixed16.perRow(x);
  }

  /**
   * What the fit is, for reports: {@code W~ by calibration on 256 rows of X, k 16, INT4
   * operands}, {@code W~ = pinv(P) W (weights only), k 16, INT4 operands}.
   */
  public static String describe(SimSettings s) {
    var dota = s.dota();
    String fit = switch (dota.dsaFit()) {
      case WEIGHTS -> "W~ = pinv(P) W (weights only)";
      case CALIBRATION -> "W~ by calibration on "
          + Math.min(dota.calibrationRows(), s.transformer().seqLen()) + " rows of X";
    };
    return fit + ", k " + dota.predictDim(s.transformer().headDim()) + ", "
        + dota.detectPrecision() + " operands";
  }
}
