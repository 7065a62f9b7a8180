package dev.attnsim.actors.blocks.common;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;

/**
 * The work a unit holds while its DRAM reads are in flight (Energon's filter unit, Sanger's
 * prediction unit, the attention units): each item waits for the response tile of its own fetch
 * and for every fetch still in flight that brings data it found "on chip" in the unit's buffer.
 * A buffer marks a region or row resident when its read is issued (so a second block does not
 * fetch it again), but its data is usable only when the response arrives: the second block waits
 * for the first block's read, like a cache's miss-status holding register merging a secondary
 * miss into the primary one (Kroft, "Lockup-free instruction fetch/prefetch cache organization",
 * ISCA 1981) [choice: the model keeps one outstanding read per block, so the merge is by waiting].
 * The unit takes ready items oldest first. Arrival order only, never hash order.
 *
 * <p>What a fetch brings is named by a region (any value with {@code equals}, e.g. a head's K)
 * and, within it, a set of rows (null: the whole region).
 *
 * @param <T> what the unit keeps per item
 */
public final class FetchWindow<T> {
  private static final class Entry<T> {
    final T work;
    final long[] awaits; // tile ids still to arrive; -1 once in
    int waiting;

    Entry(T work, long[] awaits) {
      this.work = work;
      this.awaits = awaits;
      this.waiting = awaits.length;
    }
  }

  /** A read in flight: its response tile, the region and rows (null: all) it brings. */
  private record Fetch(long tile, Object region, BitSet rows) {
    boolean brings(Object wantedRegion, BitSet hits) {
      return region.equals(wantedRegion)
          && (rows == null || hits == null || rows.intersects(hits));
    }
  }

  /** A region of a unit's buffer: what {@code kind} of data, of which head. */
  public record Region(int kind, int layer, int head) {}

  private final ArrayDeque<Entry<T>> items = new ArrayDeque<>();
  private final List<Fetch> inFlight = new ArrayList<>();

  /**
   * Adds {@code work} that reads region {@code region}: it found {@code hits} (null: the whole
   * region; empty: nothing) on chip and fetches the rest with tile {@code fetchTile} (-1: no
   * fetch), which brings rows {@code fetched} (null: the whole region). It waits for its own
   * fetch and for every earlier fetch still in flight that brings one of its hits.
   */
  public void add(T work, Object region, BitSet hits, long fetchTile, BitSet fetched) {
    long[] awaits = new long[inFlight.size() + 1];
    int n = 0;
    if (hits == null || !hits.isEmpty()) {
      for (Fetch f : inFlight) {
        if (f.brings(region, hits)) {
          awaits[n++] = f.tile();
        }
      }
    }
    if (fetchTile >= 0) {
      awaits[n++] = fetchTile;
      inFlight.add(new Fetch(fetchTile, region, fetched));
    }
    items.addLast(new Entry<>(work, Arrays.copyOf(awaits, n)));
  }

  /** The response to tile {@code tileId} has arrived. */
  public void arrived(long tileId) {
    inFlight.removeIf(f -> f.tile() == tileId);
    for (Entry<T> e : items) {
      for (int i = 0; i < e.awaits.length; i++) {
        if (e.awaits[i] == tileId) {
          e.awaits[i] = -1;
          e.waiting--;
        }
      }
    }
  }

  /** The oldest item whose reads are all in, without taking it; null if none. */
  public T oldestReady() {
    for (Entry<T> e : items) {
      if (e.waiting == 0) {
        return e.work;
      }
    }
    return null;
  }

  /** Takes the oldest item whose reads are all in; null if none. */
  public T takeOldestReady() {
    for (Iterator<Entry<T>> it = items.iterator(); it.hasNext(); ) {
      Entry<T> e = it.next();
      if (e.waiting == 0) {
        it.remove();
        return e.work;
      }
    }
    return null;
  }

  public int size() {
    return items.size();
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }
}
