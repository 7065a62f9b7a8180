package dev.attnsim.actors.blocks.common;

import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which key rows of which heads an on-chip buffer holds, so a unit fetches only the rows it
 * does not have ("only the missed ones are refetched"). Heads are evicted whole, least recently
 * used first, when new rows would overflow the buffer; rows that do not fit even then are
 * fetched but not kept [choice]. Deterministic: access order, never hash order.
 */
public final class KeyRowCache {
  private final long capacityRows;
  private final LinkedHashMap<Long, BitSet> heads = new LinkedHashMap<>(16, 0.75f, true);
  private long rows;

  /** A buffer of {@code capacityBytes} holding rows of {@code rowBytes} each. */
  public KeyRowCache(long capacityBytes, long rowBytes) {
    this.capacityRows = rowBytes <= 0 ? 0 : capacityBytes / rowBytes;
  }

  /**
   * The rows of {@code wanted} the buffer lacks for head {@code (layer, head)}, which it then
   * holds as far as they fit.
   */
  public BitSet missing(int layer, int head, BitSet wanted) {
    long key = ((long) layer << 32) | head;
    BitSet held = heads.get(key);
    BitSet miss = (BitSet) wanted.clone();
    if (held != null) {
      miss.andNot(held);
    } else {
      held = new BitSet();
      heads.put(key, held);
    }
    int add = miss.cardinality();
    for (Iterator<Map.Entry<Long, BitSet>> it = heads.entrySet().iterator();
        rows + add > capacityRows && it.hasNext(); ) {
      var e = it.next();
      if (e.getKey() != key) {
        rows -= e.getValue().cardinality();
        it.remove();
      }
    }
    if (rows + add <= capacityRows) {
      held.or(miss);
      rows += add;
    }
    return miss;
  }
}
