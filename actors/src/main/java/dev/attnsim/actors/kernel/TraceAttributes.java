package dev.attnsim.actors.kernel;

import java.util.SortedMap;

/**
 * A tile payload that adds fields to the trace's {@code send} lines (a DRAM request its address
 * and direction), so that trace-driven replay can rebuild the tile. Keys are short field names,
 * values numbers.
 */
public interface TraceAttributes {
  SortedMap<String, Long> traceAttributes();
}
