package dev.attnsim.actors.blocks.common;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A lane's on-chip buffer as a residency model: named regions (a weight chunk, a head's K and V,
 * a row block of X) of known size, kept in least-recently-used order within {@code
 * capacityBytes}. A region that fits is fetched once and then hits; one that does not fit is
 * fetched from DRAM on every use, so reuse (and its absence) shows in DRAM traffic. A region
 * larger than the whole buffer is never cached. Iteration order is access order, never hash
 * order, so eviction is deterministic.
 */
public final class SramBuffer {
  private final long capacityBytes;
  private final LinkedHashMap<String, Long> regions = new LinkedHashMap<>(16, 0.75f, true);
  private long used;
  private long hits;
  private long misses;
  private long bytesRead;
  private long bytesWritten;

  public SramBuffer(long capacityBytes) {
    if (capacityBytes < 0) {
      throw new IllegalArgumentException("SRAM capacity must be >= 0, got " + capacityBytes);
    }
    this.capacityBytes = capacityBytes;
  }

  /**
   * Reads a region: returns the bytes to fetch from DRAM first (0 on a hit, {@code bytes} on a
   * miss, after which the region is resident if it fits).
   */
  public long read(String region, long bytes) {
    bytesRead += bytes;
    if (regions.get(region) != null) {
      hits++;
      return 0;
    }
    misses++;
    insert(region, bytes);
    return bytes;
  }

  /**
   * Writes a region produced on chip: returns the bytes that must go to DRAM (0 when the region
   * stays resident, {@code bytes} when it does not fit).
   */
  public long write(String region, long bytes) {
    bytesWritten += bytes;
    return insert(region, bytes) ? 0 : bytes;
  }

  /** Whether a region is resident now. */
  public boolean holds(String region) {
    return regions.containsKey(region);
  }


  private boolean insert(String region, long bytes) {
    if (bytes > capacityBytes) {
      return false;
    }
    Long old = regions.remove(region);
    if (old != null) {
      used -= old;
    }
    for (Iterator<Map.Entry<String, Long>> it = regions.entrySet().iterator();
        used + bytes > capacityBytes && it.hasNext(); ) {
      used -= it.next().getValue();
      it.remove();
    }
    regions.put(region, bytes);
    used += bytes;
    return true;
  }

  public long hits() {
    return hits;
  }

  public long misses() {
    return misses;
  }

  /** Bytes read from and written to the buffer (for energy). */
  public long bytesAccessed() {
    return bytesRead + bytesWritten;
  }
}
