package dev.attnsim.sim.golden;

import dev.attnsim.actors.blocks.common.FunctionalModel;
import dev.attnsim.actors.compute.SpareThreads;
import dev.attnsim.actors.compute.Attention;
import dev.attnsim.actors.compute.QkRule;
import dev.attnsim.actors.compute.Fixed16;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.sim.config.SimSettings;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The golden model of a functional run (no actors, no timing): what the accelerator should
 * compute, in
 * double precision, from the run's tensors ({@link TensorSource}). It hands the accelerator its
 * operands (X and the weights in FX16, the detector's fitted weights, {@link DsaFits}) and
 * judges what comes back:
 *
 * <ul>
 *   <li><b>Masks</b>, exactly: DSA's mask computed directly ({@link DsaFits#detector}), {@code
 *       top-k(Q~ K~^T / sqrt(d_head))} per query with the {@code k}-wide operands {@code Q~ =
 *       quantise(X P M)}, {@code K~ = quantise(X P)} on the accelerator's X, the arithmetic the
 *       lane's blocks do a tile at a time. Both sides run the same code on the same operands, so
 *       the check catches plumbing (rows, heads, query blocks, barriers, selection), not DSA's
 *       arithmetic. With detection off, every candidate (nothing to check). For an accelerator
 *       with its own predictor (Energon's filter, Sanger's: {@code Accelerator#functionalMasks}),
 *       that predictor on {@code Q} and {@code K} as the lanes hold them: the accelerator's X
 *       times its FX16 weights, rounded to FX16 per row; FACT's, which decides before Q and K
 *       exist, on its leading-one projections of the same X and weights ({@code
 *       Accelerator#functionalMaskOperands}). FACT's mask is what its attention runs on: a
 *       decided query keeps its top key alone, so its output here is that key's V row, as the
 *       hardware copies it.
 *   <li><b>Attention outputs</b>, within {@code run.functional.tolerance}: {@code sum_h
 *       softmax_mask(Q_h K_h^T / sqrt(d_head)) V_h W_O[h]} in double on the accelerator's own
 *       operands (its FX16 X and weights) and the same mask, so that the tolerance covers the
 *       datapath's rounding only (Q, K, V, scores, probabilities and outputs in FX16), not the
 *       rounding of its inputs, which an outlier feature can make coarse for a whole row; the
 *       relative Frobenius error of each output tile must not exceed the tolerance.
 *   <li><b>Completeness</b>: {@link Checks#complete} says whether every mask and every output
 *       tile the run should produce was checked; a run that skipped some has not matched.
 * </ul>
 *
 * Without W_O in the tensors the output projection is the identity: the output is the heads'
 * outputs side by side. Tensors are prepared once per layer run (on first use, by whichever lane
 * asks first) and dropped once all its output rows are checked: memory is about {@code (2 d + 7
 * heads d_head) l} doubles per layer in flight.
 *
 * <p>On a machine with a core to spare, a head's golden mask and output for the next {@value
 * #AHEAD_BLOCKS} query blocks are worked out on another thread ({@link Ahead}) while the
 * accelerator computes (issue 13: they were 40 % of a functional run, all on the simulation's
 * path). They are pure functions of the tensors, so when and where they are computed changes no
 * answer; a check whose block was not worked out ahead computes it then.
 */
public final class GoldenModel implements FunctionalModel {
  private final SimSettings settings;
  private final TensorSource tensors;
  private final int layers;
  private final int seqLen;
  private final int dModel;
  private final int heads;
  private final int headDim;
  private final boolean causal;
  private final boolean detection;
  private final QkRule<boolean[][]> rule; // the accelerator's own predictor decides; else null
  // what the rule gets as Q and K from X and a weight slice; null: the lanes' Q and K
  private final java.util.function.BinaryOperator<double[][]> ruleOperands;
  private final double keepRatio;
  private final LayerShape shape;
  private final double tolerance;
  private final long expectedMasks;
  private final long expectedOutputs;
  private final ConcurrentHashMap<Integer, Layer> cache = new ConcurrentHashMap<>(); // lookups
  private final AtomicLong masksChecked = new AtomicLong();
  // heads' shares of the output (rows x d) of checked masks whose tile is not checked yet;
  // lookups only, never iterated
  private final ConcurrentHashMap<Long, double[][]> pendingOutputs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, Integer> rowsChecked = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<Long, Double> outputErrors = new ConcurrentSkipListMap<>();
  /** Query blocks per head whose golden answers are worked out ahead of their check. */
  static final int AHEAD_BLOCKS = 4;
  private final Ahead<Answer> answers;
  // the golden answers' and the lanes' arithmetic's, shared so that a reader waiting for either
  // computes the other meanwhile; null: everything on the simulation's threads
  private final SpareThreads spare;

  /**
   * The golden mask of a query block as the keys each query keeps (ascending), and the head's
   * share of the output on them: its attention output times its W_O rows, {@code rows x d}. Both
   * are worked out ahead, so a mask check compares key lists (k a row, not l) and an output check
   * only sums the heads' shares on the simulation's thread.
   */
  private record Answer(int[][] keys, double[][] share) {}

  /** One head of one layer: Q, K, V and W_O rows from the accelerator's operands (double). */
  private record Head(double[][] q, double[][] k, double[][] v, double[][] wO,
      HeadWeights hardware, DsaFits.Detector detector, double[][] qFx, double[][] kFx) {}

  private record Layer(double[][] xFx, Head[] heads) {}

  /**
   * What a functional run checked, for the summary.
   *
   * @param expectedMasks masks the run should have made (0 with detection off)
   * @param expectedOutputs attention output tiles the run should have made
   */
  public record Checks(long masks, long outputs, double maxOutputError, double tolerance,
      long expectedMasks, long expectedOutputs) {

    /** Whether every mask and output tile was checked. */
    public boolean complete() {
      return masks == expectedMasks && outputs == expectedOutputs;
    }
  }

  public GoldenModel(SimSettings s) {
    this(s, TensorSource.of(s));
  }

  /** The golden model of a run on {@code tensors} (the run's, opened once). */
  public GoldenModel(SimSettings s, TensorSource tensors) {
    var w = s.transformer();
    this.settings = s;
    this.spare = SpareThreads.commonPool(s.run().spareCores());
    this.answers = new Ahead<>(spare);
    this.tensors = tensors;
    this.layers = w.layers();
    this.seqLen = w.seqLen();
    this.dModel = w.dModel();
    this.heads = w.heads();
    this.headDim = w.headDim();
    this.causal = w.causal();
    this.rule = s.accelerator().functionalMasks(s);
    this.ruleOperands = s.accelerator().functionalMaskOperands(s);
    this.detection = rule == null && s.dota().detection();
    this.keepRatio = s.dota().keepRatio();
    this.shape = w.shape(s.dota().predictDim(w.headDim()));
    this.tolerance = s.run().tolerance();
    int blockRows = s.hardware().rmmu().rows();
    int blocks = (seqLen + blockRows - 1) / blockRows;
    this.expectedOutputs = (long) w.layerRuns() * blocks;
    this.expectedMasks = detection || rule != null ? expectedOutputs * heads : 0;
  }

  private Layer layer(int runLayer) {
    return cache.computeIfAbsent(runLayer % layers, this::prepare);
  }

  private Layer prepare(int index) {
    var t = tensors.layer(index);
    double[][] xFx = DsaFits.detectorInput(t.x()); // the accelerator's X
    double[][] wO = t.wO() != null ? t.wO() : identity(dModel);
    // heads in parallel: the blocks that need this layer wait for it whatever the engine
    var hs = new Head[heads];
    dev.attnsim.actors.compute.Parallel.forEach(heads, settings.run().spareCores(),
        h -> hs[h] = prepareHead(index, h, t, xFx, wO));
    return new Layer(xFx, hs);
  }

  private Head prepareHead(int index, int h, TensorSource.LayerTensors t, double[][] xFx,
      double[][] wO) {
    double[][] wQ = TensorSource.headColumns(t.wQ(), h, headDim);
    double[][] wK = TensorSource.headColumns(t.wK(), h, headDim);
    double[][] wV = TensorSource.headColumns(t.wV(), h, headDim);
    double[][] wOh = TensorSource.headRows(wO, h, headDim);
    var dsa = detection ? DsaFits.detector(settings, index, h, t.x(), wQ, wK) : null;
    var hardware = new HeadWeights(Fixed16.perTensor(wQ), Fixed16.perTensor(wK),
        Fixed16.perTensor(wV), Fixed16.perTensor(wOh), dsa == null ? null : dsa.predictor());
    double[][] q = Attention.multiply(xFx, hardware.wQ());
    double[][] k = Attention.multiply(xFx, hardware.wK());
    double[][] qRule = rule == null ? null : ruleOperands == null ? Fixed16.perRow(q)
        : ruleOperands.apply(xFx, hardware.wQ());
    double[][] kRule = rule == null ? null : ruleOperands == null ? Fixed16.perRow(k)
        : ruleOperands.apply(xFx, hardware.wK());
    return new Head(q, k, Attention.multiply(xFx, hardware.wV()), hardware.wO(), hardware,
        dsa, qRule, kRule);
  }

  private static double[][] identity(int d) {
    var m = new double[d][d];
    for (int i = 0; i < d; i++) {
      m[i][i] = 1;
    }
    return m;
  }

  // ---- what the accelerator computes with ----

  @Override
  public double[][] input(int layer) {
    return layer(layer).xFx();
  }

  @Override
  public HeadWeights weights(int layer, int head) {
    return layer(layer).heads()[head].hardware();
  }

  /**
   * The lanes' arithmetic runs on the common pool, beside the golden answers worked out ahead,
   * when the run may use spare cores and the machine has them: that arithmetic was 40 % of a
   * functional run's engine thread (issue 13).
   */
  @Override
  public SpareThreads kernels() {
    return spare;
  }

  @Override
  public double keepRatio() {
    return keepRatio;
  }

  // ---- the golden answers ----

  /**
   * The mask of queries {@code [q0, q0 + rows)}: the accelerator's own predictor's (Energon's
   * filter's survivors, Sanger's mask), DSA's top-k, or every candidate.
   */
  public boolean[][] mask(int layer, int head, int q0, int rows) {
    boolean[][] allowed = causal ? Attention.causalMask(q0, rows, seqLen) : null;
    if (rule != null) {
      Head h = layer(layer).heads()[head];
      return rule.apply(h.qFx(), h.kFx(), q0, rows, allowed);
    }
    if (!detection) {
      return allowed != null ? allowed : allTrue(rows, seqLen);
    }
    return layer(layer).heads()[head].detector().mask(shape, keepRatio, q0, rows);
  }

  /**
   * The attention output of queries {@code [q0, q0 + rows)}, all heads, {@code rows x d}: each
   * head's {@link #headOutput} times its W_O rows (its share, kept from its mask check when there
   * was one), summed in head order.
   */
  public double[][] output(int layer, int q0, int rows) {
    var out = new double[rows][dModel];
    for (int hd = 0; hd < heads; hd++) {
      double[][] part = pendingOutputs.remove(maskKey(layer, hd, q0));
      if (part == null) {
        part = share(layer, hd, q0, keysOf(mask(layer, hd, q0, rows)));
      }
      for (int i = 0; i < rows; i++) {
        for (int c = 0; c < dModel; c++) {
          out[i][c] += part[i][c];
        }
      }
    }
    return out;
  }

  /** One head's share of the output of queries {@code q0 + i} keeping {@code keys[i]}. */
  private double[][] share(int layer, int head, int q0, int[][] keys) {
    return Attention.multiply(headOutput(layer, head, q0, keys),
        layer(layer).heads()[head].wO());
  }

  /**
   * One head's attention output for queries {@code q0 + i} keeping {@code keys[i]}: scores,
   * softmax and {@code A V} on the kept keys only (a dropped key has probability 0), so that a
   * tile costs its kept pairs, not {@code rows x l}.
   */
  private double[][] headOutput(int layer, int head, int q0, int[][] keys) {
    Head h = layer(layer).heads()[head];
    double inv = 1 / Math.sqrt(headDim);
    var z = new double[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      int[] kept = keys[i];
      double[] s = new double[kept.length];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < kept.length; c++) {
        s[c] = Attention.dot(h.q()[q0 + i], h.k()[kept[c]]) * inv;
        max = Math.max(max, s[c]);
      }
      double sum = 0;
      for (int c = 0; c < kept.length; c++) {
        s[c] = Math.exp(s[c] - max);
        sum += s[c];
      }
      z[i] = new double[headDim];
      for (int c = 0; c < kept.length; c++) {
        double p = s[c] / sum;
        double[] v = h.v()[kept[c]];
        for (int t = 0; t < headDim; t++) {
          z[i][t] += p * v[t];
        }
      }
    }
    return z;
  }

  private static long maskKey(int layer, int head, int q0) {
    return ((long) layer << 40) | ((long) head << 24) | q0;
  }

  private static int[][] keysOf(boolean[][] mask) {
    return dev.attnsim.actors.compute.MaskBlock.of(0, 0, 0, mask, 0).keys();
  }

  @Override
  public void checkMask(String tile, int layer, int head, int q0, int[][] keys) {
    Answer answer = answer(layer, head, q0, keys.length);
    int[][] golden = answer.keys();
    for (int i = 0; i < keys.length; i++) {
      if (!Arrays.equals(keys[i], golden[i])) {
        throw mismatch(tile, q0 + i, keys[i], golden[i]);
      }
    }
    masksChecked.incrementAndGet();
    // the head's share of the output tile, kept until the tile is checked (the keys are the
    // golden mask's, so the answer's share is theirs)
    pendingOutputs.put(maskKey(layer, head, q0), answer.share());
  }

  /**
   * How query {@code query}'s kept keys differ from the golden ones (which ascend within the
   * sequence): the first key, in key order, that one keeps and the other does not, or else an
   * accelerator key outside the sequence or out of order.
   */
  private FunctionalMismatch mismatch(String tile, int query, int[] accelerator, int[] golden) {
    int c = 0;
    int g = 0;
    for (int j = 0; j < seqLen; j++) {
      boolean kept = c < accelerator.length && accelerator[c] == j;
      if (kept) {
        c++;
      }
      boolean goldenKept = g < golden.length && golden[g] == j;
      if (goldenKept) {
        g++;
      }
      if (kept != goldenKept) {
        return new FunctionalMismatch("functional mismatch: " + tile + " differs from the "
            + "golden model at query " + query + ": " + (kept
                ? "the accelerator keeps key " + j + ", the golden model does not"
                : "the golden model keeps key " + j + ", the accelerator does not"));
      }
    }
    return new FunctionalMismatch("functional mismatch: " + tile + " keeps key "
        + accelerator[c] + " for query " + query + ", outside the sequence or out of order");
  }

  /**
   * The golden answer for queries {@code [q0, q0 + rows)} of one head, worked out ahead if it
   * was; first the next blocks of the head are handed to the threads ahead.
   */
  private Answer answer(int layer, int head, int q0, int rows) {
    return answers.block(layer, head, q0, rows, seqLen, AHEAD_BLOCKS, (q, n) -> {
      int[][] kept = keysOf(mask(layer, head, q, n));
      return new Answer(kept, share(layer, head, q, kept));
    });
  }

  @Override
  public void checkOutput(String tile, int layer, int q0, double[][] output) {
    double[][] golden = output(layer, q0, output.length);
    double err = 0;
    double ref = 0;
    for (int i = 0; i < output.length; i++) {
      for (int c = 0; c < dModel; c++) {
        double e = output[i][c] - golden[i][c];
        err += e * e;
        ref += golden[i][c] * golden[i][c];
      }
    }
    double rel = ref == 0 ? Math.sqrt(err) : Math.sqrt(err / ref);
    outputErrors.put((long) layer << 32 | q0, rel); // a failing tile's error is reported too
    if (!(rel <= tolerance)) {
      throw new FunctionalMismatch(String.format(Locale.ROOT, "functional mismatch: %s differs "
          + "from the golden model: relative error %.3g exceeds "
          + "attnsim.run.functional.tolerance = %.3g", tile, rel, tolerance));
    }
    if (rowsChecked.merge(layer, output.length, Integer::sum) == seqLen) {
      cache.remove(layer % layers); // every output of this layer run is in: nothing reads it now
    }
  }

  /** What has been checked so far. */
  public Checks checks() {
    double max = 0;
    for (double e : outputErrors.values()) {
      max = Math.max(max, e);
    }
    return new Checks(masksChecked.get(), outputErrors.size(), max, tolerance, expectedMasks,
        expectedOutputs);
  }

  /** A mask that keeps every entry. */
  static boolean[][] allTrue(int rows, int cols) {
    var m = new boolean[rows][cols];
    for (boolean[] r : m) {
      java.util.Arrays.fill(r, true);
    }
    return m;
  }
}
