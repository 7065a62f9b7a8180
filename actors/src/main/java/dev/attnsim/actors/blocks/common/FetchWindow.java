package dev.attnsim.actors.blocks.common;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The work a unit holds while its DRAM reads are in flight (Energon's filter unit, Sanger's
 * prediction unit, the attention units): each item waits for the response tile of its fetch, or
 * is ready at once when it needed none; the unit takes ready items oldest first. Arrival order
 * only, never hash order.
 *
 * @param <T> what the unit keeps per item
 */
public final class FetchWindow<T> {
  private static final class Entry<T> {
    final T work;
    final long fetchTile;
    boolean ready;

    Entry(T work, long fetchTile) {
      this.work = work;
      this.fetchTile = fetchTile;
      this.ready = fetchTile < 0;
    }
  }

  private final ArrayDeque<Entry<T>> items = new ArrayDeque<>();

  /** Adds {@code work}, waiting for the response to tile {@code fetchTile} (-1: no fetch). */
  public void add(T work, long fetchTile) {
    items.addLast(new Entry<>(work, fetchTile));
  }

  /** The response to tile {@code tileId} has arrived. */
  public void arrived(long tileId) {
    for (Entry<T> e : items) {
      if (e.fetchTile == tileId) {
        e.ready = true;
      }
    }
  }

  /** The oldest item whose fetch is in, without taking it; null if none. */
  public T oldestReady() {
    for (Entry<T> e : items) {
      if (e.ready) {
        return e.work;
      }
    }
    return null;
  }

  /** Takes the oldest item whose fetch is in; null if none. */
  public T takeOldestReady() {
    for (Iterator<Entry<T>> it = items.iterator(); it.hasNext(); ) {
      Entry<T> e = it.next();
      if (e.ready) {
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
