package dev.attnsim.actors.kernel;

import java.util.Comparator;

/**
 * A scheduled event addressed to one block, ordered by the total key {@code (time, channel, seq)}.
 * The payload is a {@link Tile} on a data channel, null on a credit channel, and {@link
 * Event.Start} or {@link Event.Wakeup} on a wake channel.
 */
record Envelope(long time, int channel, long seq, int dest, Object payload) {

  static final Comparator<Envelope> ORDER =
      (a, b) -> compareKeys(a.time(), a.channel(), a.seq(), b.time(), b.channel(), b.seq());

  static int compareKeys(long t1, int c1, long s1, long t2, int c2, long s2) {
    int c = Long.compare(t1, t2);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(c1, c2);
    return c != 0 ? c : Long.compare(s1, s2);
  }
}
