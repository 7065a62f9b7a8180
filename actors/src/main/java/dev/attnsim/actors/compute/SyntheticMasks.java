package dev.attnsim.actors.compute;

import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * A seeded synthetic mask with the structure of real attention: a few global tokens every query
 * keeps (chosen per layer and head: input dependent), a local window around each query, and
 * random further keys up to a per-query budget. The budget varies from query to query
 * (log-normal around {@code keepRatio x candidates}), so PE rows get uneven work, as in real
 * attention where some tokens attend broadly and others narrowly. Neighbouring queries attend to
 * similar keys: a share {@code affinity} of each query's random keys comes from a pool shared by
 * its block (twice the mean budget in size), the rest from all candidates [choice]. Affinity 0 is
 * uniform, the worst case for the K/V reuse a token-parallel scheduler relies on.
 *
 * <p>Each block is generated from a random stream seeded by {@code (seed, layer, head, q0)}, so
 * a block is the same whichever order blocks are asked for.
 */
public final class SyntheticMasks implements MaskSource {
  private final LayerShape shape;
  private final long seed;
  private final double keepRatio;
  private final int globalTokens;
  private final int window;
  private final double spread;
  private final double affinity;

  /**
   * @param keepRatio mean share of candidate keys each query keeps, in (0, 1]
   * @param globalTokens keys every query of a head keeps
   * @param window local window: a query keeps keys within {@code window / 2} on each side
   * @param spread sigma of the log-normal per-query budget (0 = every query keeps the same)
   * @param affinity share, in [0, 1], of a query's random keys drawn from its block's shared pool
   */
  public SyntheticMasks(LayerShape shape, long seed, double keepRatio, int globalTokens,
      int window, double spread, double affinity) {
    if (!(keepRatio > 0 && keepRatio <= 1)) {
      throw new IllegalArgumentException("keep ratio must be in (0, 1], got " + keepRatio);
    }
    if (globalTokens < 0 || window < 0 || spread < 0) {
      throw new IllegalArgumentException("global tokens, window and spread must be >= 0");
    }
    if (!(affinity >= 0 && affinity <= 1)) {
      throw new IllegalArgumentException("affinity must be in [0, 1], got " + affinity);
    }
    this.affinity = affinity;
    this.shape = shape;
    this.seed = seed;
    this.keepRatio = keepRatio;
    this.globalTokens = globalTokens;
    this.window = window;
    this.spread = spread;
  }

  @Override
  public MaskBlock block(int layer, int head, int q0, int rows) {
    int l = shape.seqLen();
    int n = Math.min(rows, l - q0);
    int[] globals = globals(layer, head);
    var rnd = new SplittableRandom(mix(seed, layer, head, q0));
    var union = new BitSet(l);
    var row = new BitSet(l);
    int[] pool = sharedPool(rnd, shape.keysFor(q0 + n - 1), 2 * keepRatio * shape.keysFor(q0));
    int[] kept = new int[n];
    long candidates = 0;
    for (int i = 0; i < n; i++) {
      int q = q0 + i;
      int keys = shape.keysFor(q);
      candidates += keys;
      double budget = keepRatio * keys * Math.exp(spread * rnd.nextGaussian() - spread * spread / 2);
      int target = (int) Math.max(1, Math.min(keys, Math.round(budget)));
      row.clear();
      for (int g : globals) {
        if (g < keys) {
          row.set(g);
        }
      }
      int lo = Math.max(0, q - window / 2);
      int hi = Math.min(keys, q + window / 2 + 1);
      row.set(lo, Math.max(lo, hi));
      int have = row.cardinality();
      if (have < target) {
        int fromPool = (int) Math.round(affinity * (target - have));
        have += pick(row, pool, keys, fromPool, rnd);
      }
      if (have < target) {
        fillRandom(row, keys, target - have, rnd);
      }
      kept[i] = row.cardinality();
      union.or(row);
    }
    return new MaskBlock(layer, head, q0, kept, candidates, union.cardinality(), union);
  }

  /** A block's shared pool: {@code size} distinct keys below {@code keys}, in random order. */
  private static int[] sharedPool(SplittableRandom rnd, int keys, double size) {
    int n = (int) Math.min(keys, Math.max(1, Math.round(size)));
    var chosen = new BitSet(keys);
    fillRandom(chosen, keys, n, rnd);
    int[] pool = new int[n];
    for (int i = 0, k = chosen.nextSetBit(0); k >= 0; k = chosen.nextSetBit(k + 1)) {
      pool[i++] = k;
    }
    return pool;
  }

  /**
   * Adds up to {@code count} keys from {@code pool} (those below {@code keys}) not yet in {@code
   * row}, picked at random; returns how many it added.
   */
  private static int pick(BitSet row, int[] pool, int keys, int count, SplittableRandom rnd) {
    int added = 0;
    int tries = 0;
    while (added < count && tries < 4 * pool.length) {
      int k = pool[rnd.nextInt(pool.length)];
      tries++;
      if (k < keys && !row.get(k)) {
        row.set(k);
        added++;
      }
    }
    return added;
  }

  /** Adds {@code count} keys not yet in {@code row}, uniformly from {@code [0, keys)}. */
  private static void fillRandom(BitSet row, int keys, int count, SplittableRandom rnd) {
    int free = keys - row.cardinality();
    if (count >= free) {
      row.set(0, keys);
      return;
    }
    if (count * 2 > free) { // dense: pick the keys to leave out instead
      var out = new BitSet(keys);
      int leave = free - count;
      while (leave > 0) {
        int k = rnd.nextInt(keys);
        if (!row.get(k) && !out.get(k)) {
          out.set(k);
          leave--;
        }
      }
      for (int k = 0; k < keys; k++) {
        if (!out.get(k)) {
          row.set(k);
        }
      }
      return;
    }
    while (count > 0) {
      int k = rnd.nextInt(keys);
      if (!row.get(k)) {
        row.set(k);
        count--;
      }
    }
  }

  private int[] globals(int layer, int head) {
    var rnd = new SplittableRandom(mix(seed, layer, head, -1));
    int[] g = new int[Math.min(globalTokens, shape.seqLen())];
    for (int i = 0; i < g.length; i++) {
      g[i] = rnd.nextInt(shape.seqLen());
    }
    return g;
  }

  private static long mix(long seed, int layer, int head, int q0) {
    long h = seed * 0x9E3779B97F4A7C15L;
    h ^= (layer + 1L) * 0xBF58476D1CE4E5B9L;
    h ^= (head + 1L) * 0x94D049BB133111EBL;
    h ^= (q0 + 2L) * 0xD6E8FEB86659FD93L;
    return h ^ (h >>> 31);
  }
}
