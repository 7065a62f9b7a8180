package dev.attnsim.actors.compute;

import java.util.List;
import java.util.Objects;

/**
 * Energon's mix-precision multi-round filtering (MP-MRF, actors/docs/energon.md): each round scores
 * the keys that survived the previous one at a low precision and keeps those at or above a
 * per-row threshold; the survivors of the last round get full attention at high precision
 * ({@link #finalAttention}).
 *
 * <p><b>Operands</b> [choice]. Q and K are quantised symmetrically per tensor to {@code baseBits}
 * (4 by default). A round at {@code b < baseBits} bits uses the top {@code b} bits of each code,
 * the high bit plane of {@link Quantizer#split}: {@code (code >> (baseBits - b)) << (baseBits -
 * b)}, the code truncated towards minus infinity. This is Energon's storage order, low precision
 * fetched first and the missing bits of survivors later. The default rounds are Energon's: Q INT4
 * x K INT2, then INT4 x INT4. Scores are {@code deq(Q) . deq(K) / sqrt(d)} of those operands.
 *
 * <p><b>Threshold</b> [choice: formula, actors/docs/energon.md]. Over the row's keys still alive
 * in the
 * round: {@code theta = mean + alpha (max - mean)} for {@code alpha >= 0}, {@code theta = mean +
 * alpha (mean - min)} for {@code alpha < 0}, alpha in [-1, 1]. [choice] A key survives when its
 * score is {@code >= theta}, so alpha 1 keeps the row's maxima and alpha -1 keeps everything; a
 * row always keeps at least one key if it had one.
 *
 * <p><b>Final attention</b> [choice: format]. The attention unit computes {@code softmax(Q K^T /
 * sqrt(d))} and {@code A V} on the survivors only, with Q, K and V in INT16 ({@link
 * #FINAL_BITS}): symmetric per tensor, like the filtering operands, so the filter's INT4 codes
 * are (up to rounding) the top bits of these. Dot products, the softmax and {@code A V} run in
 * double on the dequantised operands: a wide accumulator and an exact exponential, so that
 * the error measured against dense attention is the filtering's and the INT16 operands', not an
 * exp unit's. Per-tensor INT16 resolves {@code max|x| / 32767} whatever the range.
 */
public final class EnergonFilter {

  /**
   * One filtering round.
   *
   * @param queryBits top bits of the Q codes used, 1..baseBits
   * @param keyBits top bits of the K codes used, 1..baseBits
   * @param alpha threshold offset in [-1, 1]
   */
  public record Round(int queryBits, int keyBits, double alpha) {
    public Round {
      if (queryBits < 1 || keyBits < 1) {
        throw new IllegalArgumentException("round widths must be >= 1");
      }
      if (!(alpha >= -1 && alpha <= 1)) {
        throw new IllegalArgumentException("alpha must be in [-1, 1], got " + alpha);
      }
    }
  }

  /**
   * The outcome for a block of query rows.
   *
   * @param mask the keys that survive every round
   * @param scoredPairs per round, the (query, key) pairs scored: the round's dot products
   * @param keptPairs per round, the pairs that survived it
   * @param survivors per round, the keys that survived it ({@code survivors[r][i][key]}); the
   *     last is {@code mask}
   */
  public record Result(boolean[][] mask, long[] scoredPairs, long[] keptPairs,
      boolean[][][] survivors) {}

  public static final int DEFAULT_BASE_BITS = 4;
  /** Width of Q, K and V in the final attention. */
  public static final int FINAL_BITS = 16;

  /**
   * Q, K and V as the attention unit sees them: each quantised per tensor (over all rows) and
   * dequantised back. Built once per head, then used block by block.
   */
  public record FinalOperands(double[][] q, double[][] k, double[][] v) {
    /** {@code q}, {@code k}, {@code v} through symmetric INT-{@code bits} per tensor. */
    public static FinalOperands of(double[][] q, double[][] k, double[][] v, int bits) {
      if (q.length == 0 || k.length != v.length || k.length == 0 || q[0].length != k[0].length) {
        throw new IllegalArgumentException("need Q l x d, K and V l_k x d, l_k x d_v");
      }
      return new FinalOperands(Quantizer.roundTrip(q, bits), Quantizer.roundTrip(k, bits),
          Quantizer.roundTrip(v, bits));
    }
  }

  private final int baseBits;
  private final List<Round> rounds;

  /** Energon's two rounds, INT4 x INT2 then INT4 x INT4, with the same alpha in both. */
  public static EnergonFilter standard(double alpha) {
    return new EnergonFilter(DEFAULT_BASE_BITS,
        List.of(new Round(4, 2, alpha), new Round(4, 4, alpha)));
  }

  /**
   * @param baseBits width Q and K are quantised to, 2..16
   * @param rounds at least one round, widths at most {@code baseBits}
   */
  public EnergonFilter(int baseBits, List<Round> rounds) {
    Quantizer.maxLevel(baseBits); // validates
    Objects.requireNonNull(rounds, "rounds");
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("need at least one round");
    }
    for (var r : rounds) {
      if (r.queryBits() > baseBits || r.keyBits() > baseBits) {
        throw new IllegalArgumentException(r + " is wider than the " + baseBits + "-bit operands");
      }
    }
    this.baseBits = baseBits;
    this.rounds = List.copyOf(rounds);
  }

  public List<Round> rounds() {
    return rounds;
  }

  /** {@code theta} of the scores whose {@code alive} flag is set; NaN when none is. */
  public static double threshold(double[] scores, boolean[] alive, double alpha) {
    var keys = new int[scores.length];
    return threshold(scores, keys, aliveKeys(alive, scores.length, keys), alpha);
  }

  /** The alive keys in index order into {@code keys}; how many. No branch per key. */
  private static int aliveKeys(boolean[] alive, int length, int[] keys) {
    int n = 0;
    for (int j = 0; j < length; j++) {
      keys[n] = j;
      n += alive[j] ? 1 : 0;
    }
    return n;
  }

  /** {@code theta} of the scores of keys {@code keys[0 .. n)}, in increasing order. */
  private static double threshold(double[] scores, int[] keys, int n, double alpha) {
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    double sum = 0;
    for (int t = 0; t < n; t++) {
      double x = scores[keys[t]];
      max = Math.max(max, x);
      min = Math.min(min, x);
      sum += x;
    }
    if (n == 0) {
      return Double.NaN;
    }
    double mean = sum / n;
    // the same formula, written so that alpha 1 gives max and alpha -1 min exactly; clamped to
    // [min, max], since a rounded mean of tied scores can sit an ulp above them all and a row
    // would keep nothing
    double theta = alpha >= 0 ? (1 - alpha) * mean + alpha * max
        : (1 + alpha) * mean - alpha * min;
    return Math.max(min, Math.min(max, theta));
  }

  /**
   * Filters query rows {@code [row0, row0 + rows)} of {@code q} against all keys of {@code k},
   * starting from the candidates {@code allowed} (null: all keys).
   */
  public Result filter(double[][] q, double[][] k, int row0, int rows, boolean[][] allowed) {
    return filter(prepare(q, k), row0, rows, allowed);
  }

  /**
   * Q and K quantised per tensor to the base width, once per head: what {@link #filter} reads,
   * so that block after block of one head does not quantise the whole tensors again.
   */
  public record Operands(Quantizer.Quantized q, Quantizer.Quantized k, int headDim,
      int[][][] kTops, int[][][] kTopsT) {}

  /**
   * {@code q} and {@code k} quantised for {@link #filter(Operands, int, int, boolean[][])}, with
   * each round's top bits of K ({@code kTops[r]}, and transposed, {@code kTopsT[r]}, for rows
   * whose candidates are keys {@code 0 .. n)}: {@link IntDot#dotsTransposed}).
   */
  public Operands prepare(double[][] q, double[][] k) {
    var kq = Quantizer.perTensor(k, baseBits);
    var kTops = new int[rounds.size()][][];
    var kTopsT = new int[rounds.size()][][];
    for (int r = 0; r < kTops.length; r++) {
      kTops[r] = top(kq.values(), baseBits - rounds.get(r).keyBits());
      kTopsT[r] = IntDot.transpose(kTops[r]);
    }
    return new Operands(Quantizer.perTensor(q, baseBits), kq, q[0].length, kTops, kTopsT);
  }

  /** As {@link #filter(double[][], double[][], int, int, boolean[][])} on prepared operands. */
  public Result filter(Operands ops, int row0, int rows, boolean[][] allowed) {
    var qq = ops.q();
    var kq = ops.k();
    int keys = kq.values().length;
    double scale = 1 / (qq.scales()[0] * kq.scales()[0] * Math.sqrt(ops.headDim()));
    if (row0 < 0 || rows < 0 || row0 + rows > qq.values().length) {
      throw new IllegalArgumentException("rows outside Q");
    }
    if (ops.kTops().length != rounds.size()) {
      throw new IllegalArgumentException("operands prepared for " + ops.kTops().length
          + " rounds, the filter has " + rounds.size());
    }
    var alive = new boolean[rows][keys];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < keys; j++) {
        alive[i][j] = allowed == null || allowed[i][j];
      }
    }
    var scored = new long[rounds.size()];
    var kept = new long[rounds.size()];
    var scores = new double[keys];
    var aliveKeys = new int[keys];
    var sums = new int[keys];
    var survivors = new boolean[rounds.size()][][];
    boolean narrow = IntDot.fitsInt(baseBits, ops.headDim());
    for (int r = 0; r < rounds.size(); r++) {
      var round = rounds.get(r);
      int[][] kTop = ops.kTops()[r];
      int qDrop = baseBits - round.queryBits();
      for (int i = 0; i < rows; i++) {
        int[] qi = qq.values()[row0 + i];
        int[] qTop = new int[qi.length];
        for (int c = 0; c < qi.length; c++) {
          qTop[c] = (qi[c] >> qDrop) << qDrop;
        }
        int count = aliveKeys(alive[i], keys, aliveKeys);
        if (narrow && count > 0 && aliveKeys[count - 1] == count - 1) {
          // the candidates are keys 0 .. count) (all, or a causal row's): the transposed tops
          IntDot.dotsTransposed(qTop, ops.kTopsT()[r], count, scale, scores, sums);
        } else {
          IntDot.dots(qTop, kTop, aliveKeys, count, narrow, scale, scores);
        }
        scored[r] += count;
        // the round's survivors among the alive keys only (a later round's are a few)
        double theta = threshold(scores, aliveKeys, count, round.alpha());
        boolean[] a = alive[i];
        int survived = 0;
        for (int t = 0; t < count; t++) {
          int j = aliveKeys[t];
          boolean keep = scores[j] >= theta;
          a[j] = keep;
          survived += keep ? 1 : 0;
        }
        kept[r] += survived;
      }
      if (r == rounds.size() - 1) {
        survivors[r] = alive; // the mask itself
      } else {
        survivors[r] = new boolean[rows][];
        for (int i = 0; i < rows; i++) {
          survivors[r][i] = alive[i].clone();
        }
      }
    }
    return new Result(alive, scored, kept, survivors);
  }

  /**
   * The final stage for query rows {@code [row0, row0 + rows)}: for each row, the scores of its
   * surviving keys only, {@code q . k / sqrt(d)} of the quantised operands, a softmax over them
   * and the output {@code sum p_j v_j} ({@link SparseAttention#row}). A row with no survivor
   * outputs zeros.
   *
   * @param survivors {@code rows x l_k}, the mask of {@link #filter}
   * @return {@code rows x d_v}
   */
  public static double[][] finalAttention(FinalOperands ops, int row0, int rows,
      boolean[][] survivors) {
    if (row0 < 0 || rows < 0 || row0 + rows > ops.q().length || survivors.length != rows) {
      throw new IllegalArgumentException("rows outside Q, or a mask of another size");
    }
    double inv = 1 / Math.sqrt(ops.q()[0].length);
    var k = ops.k();
    var z = new double[rows][];
    var scores = new double[k.length];
    for (int i = 0; i < rows; i++) {
      double[] qi = ops.q()[row0 + i];
      boolean[] keep = survivors[i];
      if (keep.length != k.length) {
        throw new IllegalArgumentException("mask row " + i + " has " + keep.length
            + " keys, K " + k.length);
      }
      for (int j = 0; j < k.length; j++) {
        scores[j] = keep[j] ? Attention.dot(qi, k[j]) * inv : 0;
      }
      z[i] = SparseAttention.row(scores, keep, ops.v());
    }
    return z;
  }

  /** Codes with their low {@code drop} bits cleared: the top bit plane, in place value. */
  private static int[][] top(int[][] codes, int drop) {
    var t = new int[codes.length][];
    for (int i = 0; i < codes.length; i++) {
      t[i] = new int[codes[i].length];
      for (int c = 0; c < codes[i].length; c++) {
        t[i][c] = (codes[i][c] >> drop) << drop;
      }
    }
    return t;
  }
}
