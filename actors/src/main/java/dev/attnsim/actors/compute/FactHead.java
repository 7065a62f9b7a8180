package dev.attnsim.actors.compute;

import java.util.BitSet;

/**
 * FACT's eager prediction of one whole head (seed 003, steps 1-6), as its hardware needs it
 * before Q, K and V exist: each query's row-wise top-k of {@code A^} ({@link FactPredictor}),
 * which queries are decided and their top key ({@link FactDecisions#decided}), and how often
 * each key is selected (for the K/V rows never generated and the layer's FFN precision).
 *
 * <p>What attention then runs on is {@link #attendedMask}: an undecided query keeps its top-k,
 * a decided query keeps only its top key, so that {@code softmax} over that one key is 1 and its
 * output is exactly the key's V row ([choice] FACT's decided query, {@link FactDecisions}). Every
 * figure here is a pure function of {@code Q^}, {@code K^}, the predictor and the gap, computed a
 * row at a time, so a block of rows gives the same answer as the whole head
 * ({@link #blockMasks} is what both call).
 *
 * <p>[choice] Which rows are generated: a key's K and V rows when any query's top-k selects it,
 * decided queries included ("FACT selects before it decides", as {@link FactDecisions} counts);
 * a query's Q row unless it is decided (its Q is needed by nothing else).
 */
public final class FactHead {
  private final int seqLen;
  private final BitSet[] kept;
  private final boolean[] decided;
  private final int[] topKey;
  private final long[] selections;
  private final long candidates;

  /** One block of rows: each query's top-k, whether it is decided, its top key (-1: none). */
  public record Rows(boolean[][] topK, boolean[] decided, int[] topKey) {}

  private FactHead(int seqLen, BitSet[] kept, boolean[] decided, int[] topKey,
      long[] selections, long candidates) {
    this.seqLen = seqLen;
    this.kept = kept;
    this.decided = decided;
    this.topKey = topKey;
    this.selections = selections;
    this.candidates = candidates;
  }

  /**
   * The rows {@code [q0, q0 + rows)} of a head: {@code A^} from {@code Q^, K^} ({@link
   * FactPredictor#scores}), each row's top-k among {@code allowed} (null: every key), and the
   * decided queries at {@code gap}.
   */
  public static Rows blockMasks(FactPredictor p, double[][] qHat, double[][] kHat, int q0,
      int rows, boolean[][] allowed, double gap) {
    return blockMasks(p, p.operands(qHat, kHat), q0, rows, allowed, gap);
  }

  /** {@link #blockMasks(FactPredictor, double[][], double[][], int, int, boolean[][], double)} on
   * a head's operands prepared once. */
  public static Rows blockMasks(FactPredictor p, FactPredictor.Operands head, int q0, int rows,
      boolean[][] allowed, double gap) {
    double[][] scores = p.scores(head, q0, rows);
    boolean[][] topK = p.select(scores, allowed);
    var decided = new boolean[rows];
    var top = new int[rows];
    for (int i = 0; i < rows; i++) {
      boolean[] cand = allowed == null ? null : allowed[i];
      decided[i] = FactDecisions.decided(scores[i], cand, gap);
      top[i] = FactDecisions.topKey(scores[i], cand);
    }
    return new Rows(topK, decided, top);
  }

  /**
   * What attention runs on for the rows {@code [q0, q0 + rows)}: the top-k of each undecided
   * query, the top key alone for a decided one.
   */
  public static boolean[][] attendedMask(FactPredictor p, double[][] qHat, double[][] kHat,
      int q0, int rows, boolean[][] allowed, double gap) {
    return attendedMask(p, p.operands(qHat, kHat), q0, rows, allowed, gap);
  }

  /** {@link #attendedMask(FactPredictor, double[][], double[][], int, int, boolean[][], double)}
   * on a head's operands prepared once. */
  public static boolean[][] attendedMask(FactPredictor p, FactPredictor.Operands head, int q0,
      int rows, boolean[][] allowed, double gap) {
    Rows r = blockMasks(p, head, q0, rows, allowed, gap);
    var m = r.topK();
    for (int i = 0; i < rows; i++) {
      if (r.decided()[i]) {
        java.util.Arrays.fill(m[i], false);
        m[i][r.topKey()[i]] = true;
      }
    }
    return m;
  }

  /**
   * The whole head, {@code blockRows} queries at a time (the {@code l x l} scores never exist at
   * once).
   *
   * @param causal query {@code i} may attend to keys {@code 0..i} only
   * @param spareCores whether blocks may run on the common pool's threads besides the caller
   */
  public static FactHead predict(FactPredictor p, double[][] qHat, double[][] kHat,
      boolean causal, double gap, int blockRows, boolean spareCores) {
    int l = qHat.length;
    if (kHat.length != l || blockRows < 1 || !(gap >= 0)) {
      throw new IllegalArgumentException("FACT head: Q^ and K^ need as many rows, blocks >= 1 "
          + "row and the gap >= 0, got " + l + ", " + kHat.length + ", " + blockRows + ", "
          + gap);
    }
    var kept = new BitSet[l];
    var decided = new boolean[l];
    var top = new int[l];
    var operands = p.operands(qHat, kHat);
    // Blocks are independent and fill disjoint rows, so they run in parallel (issue 13: a FACT
    // timing run spent 80 % of its time here, on one core); the counts are summed after, in
    // row order.
    int blocks = (l + blockRows - 1) / blockRows;
    Parallel.forEach(blocks, spareCores, b -> {
      int q0 = b * blockRows;
      int rows = Math.min(blockRows, l - q0);
      boolean[][] allowed = causal ? Attention.causalMask(q0, rows, l) : null;
      Rows r = blockMasks(p, operands, q0, rows, allowed, gap);
      for (int i = 0; i < rows; i++) {
        var bits = new BitSet(l);
        for (int j = 0; j < l; j++) {
          if (r.topK()[i][j]) {
            bits.set(j);
          }
        }
        kept[q0 + i] = bits;
        decided[q0 + i] = r.decided()[i];
        top[q0 + i] = r.topKey()[i];
      }
    });
    var selections = new long[l];
    long candidates = 0;
    for (int q = 0; q < l; q++) {
      for (int j = kept[q].nextSetBit(0); j >= 0; j = kept[q].nextSetBit(j + 1)) {
        selections[j]++;
      }
      candidates += causal ? q + 1 : l;
    }
    return new FactHead(l, kept, decided, top, selections, candidates);
  }

  public int seqLen() {
    return seqLen;
  }

  /**
   * The mask attention runs on for queries {@code [q0, q0 + rows)}, keys listed ({@link
   * #attendedMask}'s rows).
   *
   * @param candidates keys the block's queries could attend to, summed
   */
  public MaskBlock attended(int layer, int head, int q0, int rows, long candidates) {
    var m = new boolean[rows][seqLen];
    for (int i = 0; i < rows; i++) {
      int q = q0 + i;
      if (decided[q]) {
        m[i][topKey[q]] = true;
      } else {
        BitSet b = kept[q];
        for (int j = b.nextSetBit(0); j >= 0; j = b.nextSetBit(j + 1)) {
          m[i][j] = true;
        }
      }
    }
    return MaskBlock.of(layer, head, q0, m, candidates);
  }

  /** Whether each of queries {@code [q0, q0 + rows)} is decided. */
  public boolean[] decided(int q0, int rows) {
    return java.util.Arrays.copyOfRange(decided, q0, q0 + rows);
  }

  /** Tokens whose Q row is generated: the undecided queries. */
  public BitSet queryRows() {
    var b = new BitSet(seqLen);
    for (int i = 0; i < seqLen; i++) {
      if (!decided[i]) {
        b.set(i);
      }
    }
    return b;
  }

  /** Tokens whose K and V rows are generated: keys some query's top-k selects. */
  public BitSet keyRows() {
    var b = new BitSet(seqLen);
    for (int j = 0; j < seqLen; j++) {
      if (selections[j] > 0) {
        b.set(j);
      }
    }
    return b;
  }

  /** Per key, how many queries' top-k select it (a copy). */
  public long[] selections() {
    return selections.clone();
  }

  public int decidedQueries() {
    int n = 0;
    for (boolean d : decided) {
      n += d ? 1 : 0;
    }
    return n;
  }

  public int unneededKeys() {
    return FactDecisions.unneededKeys(selections);
  }

  /** (query, key) pairs {@code A^} scored: every candidate of every query. */
  public long pairsScored() {
    return candidates;
  }

  /** (query, key) pairs the top-k keeps, decided queries included. */
  public long pairsSelected() {
    long s = 0;
    for (BitSet b : kept) {
      s += b.cardinality();
    }
    return s;
  }
}
