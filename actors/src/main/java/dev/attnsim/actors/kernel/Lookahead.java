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
  }

  private void relax(int from, int to, long d) {
    if (d < dist[from][to]) {
      dist[from][to] = d;
    }
  }

  long dist(int from, int to) {
    return dist[from][to];
  }

  /** The exclusive end of the times block {@code b} may handle, given everyone's emit time. */
  long horizon(int b, long[] emit) {
    long h = INF;
    for (int p = 0; p < emit.length; p++) {
      if (emit[p] != INF && dist[p][b] != INF) {
        h = Math.min(h, saturatingAdd(emit[p], dist[p][b]));
      }
    }
    return h;
  }

  static long saturatingAdd(long a, long b) {
    long s = a + b;
    return s < a ? INF : s;
  }
}
