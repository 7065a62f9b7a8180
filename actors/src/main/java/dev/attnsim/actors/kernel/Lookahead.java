package dev.attnsim.actors.kernel;

/**
 * How far each block may run ahead of the others. {@code dist[p][b]} is the least latency with
 * which an event at block {@code p} can cause an event at block {@code b}: the shortest path over
 * data links and credit return paths; {@code dist[b][b]} is the shortest cycle through {@code b}.
 *
 * <p>Given for every block {@code p} the earliest cycle {@code emit[p]} at which it may send
 * anything (its earliest pending event, or later if the block promised to stay quiet), no event
 * earlier than {@code horizon[b] = min_p (emit[p] + dist[p][b])} can still appear at {@code b}, so
 * {@code b} may handle everything before it. Since every latency is at least {@code W =
 * minLatency}, this horizon is never shorter than the uniform window {@code T + W}.
 */
final class Lookahead {
  static final long INF = Long.MAX_VALUE;
  private final long[][] dist;
  // per block b: the blocks p that can reach it, nearest first, and dist[p][b]
  private final int[][] sources;
  private final long[][] sourceDist;

  Lookahead(Netlist net) {
    int n = net.blockCount();
    dist = new long[n][n];
    for (long[] row : dist) {
      java.util.Arrays.fill(row, INF);
    }
    for (Link l : net.links()) {
      relax(l.fromBlock(), l.toBlock(), l.latencyCycles());
      if (l.bounded()) {
        relax(l.toBlock(), l.fromBlock(), l.creditLatencyCycles());
      }
    }
    for (int k = 0; k < n; k++) {
      for (int i = 0; i < n; i++) {
        if (dist[i][k] == INF) {
          continue;
        }
        for (int j = 0; j < n; j++) {
          if (dist[k][j] != INF) {
            relax(i, j, dist[i][k] + dist[k][j]);
          }
        }
      }
    }
    sources = new int[n][];
    sourceDist = new long[n][];
    for (int b = 0; b < n; b++) {
      int to = b;
      sources[b] = java.util.stream.IntStream.range(0, n).filter(p -> dist[p][to] != INF)
          .boxed().sorted(java.util.Comparator.comparingLong((Integer p) -> dist[p][to])
              .thenComparingInt(p -> p))
          .mapToInt(Integer::intValue).toArray();
      sourceDist[b] = java.util.Arrays.stream(sources[b]).mapToLong(p -> dist[p][to]).toArray();
    }
  }

  private void relax(int from, int to, long d) {
    if (d < dist[from][to]) {
      dist[from][to] = d;
    }
  }

  long dist(int from, int to) {
    return dist[from][to];
  }

  /**
   * The earliest cycle block {@code p} may emit anything, given its earliest tile arriving, its
   * earliest own wake-up or returning credit, and its promise. A promise covers what its
   * wake-ups and returning credits make it emit; a tile's arrival voids it, and what the block
   * emits in reaction leaves no earlier than the tile.
   */
  static long emit(long tile, long wake, long quietUntil) {
    return Math.min(tile, Math.max(wake, quietUntil));
  }

  /**
   * The exclusive end of the times block {@code b} may handle, {@code min emit[p] + dist[p][b]},
   * when every {@code emit[p]} is at least {@code floor} (the window's start: a block emits
   * nothing before its earliest event), asked only whether it exceeds {@code stopAt} (a block's
   * next event; {@code Long.MIN_VALUE} for the exact minimum). The sources are visited nearest
   * first, and the search stops once the next one's distance plus {@code floor} cannot lower the
   * minimum (it is then exact), or once the minimum is at most {@code stopAt} (the block cannot
   * take part, and the value returned is some bound at most {@code stopAt}). With 22 blocks, the
   * full minimum over every pair was 7 % of a long DOTA run on the actor engine.
   */
  long horizon(int b, long[] emit, long floor, long stopAt) {
    long h = INF;
    int[] ps = sources[b];
    long[] ds = sourceDist[b];
    for (int i = 0; i < ps.length; i++) {
      long d = ds[i];
      if (saturatingAdd(floor, d) >= h) {
        break;
      }
      long e = emit[ps[i]];
      if (e != INF) {
        h = Math.min(h, saturatingAdd(e, d));
        if (h <= stopAt) {
          return h;
        }
      }
    }
    return h;
  }

  static long saturatingAdd(long a, long b) {
    long s = a + b;
    return s < a ? INF : s;
  }
}
