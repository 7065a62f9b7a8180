package dev.attnsim.actors.kernel;

import java.util.SortedMap;

/**
 * What one block did over a run, as the kernel measured it. Busy and stall spans of the blocks
 * attnsim ships never overlap, so {@code idle = cycles - busy - stall}.
 *
 * @param stageSpans busy time per workload stage (the {@code stage} of its busy spans), as
 *     merged intervals {@code [start0, end0, start1, end1, ...]} in time order
 */
public record BlockStats(
    String name,
    long busyCycles,
    long stallCycles,
    long events,
    long tilesIn,
    long tilesOut,
    long bytesIn,
    long bytesOut,
    SortedMap<String, Long> counters,
    SortedMap<String, long[]> stageSpans) {

  public long idleCycles(long runCycles) {
    return Math.max(0, runCycles - busyCycles - stallCycles);
  }

  public double utilization(long runCycles) {
    return runCycles == 0 ? 0.0 : (double) busyCycles / runCycles;
  }
}
