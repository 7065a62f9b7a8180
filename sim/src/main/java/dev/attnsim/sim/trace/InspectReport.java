package dev.attnsim.sim.trace;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code attnsim inspect} found in a trace, over the window {@code [from, to)}.
 *
 * @param footer the footer, or null when the trace is incomplete
 * @param incomplete why the trace is incomplete, or null
 * @param events event lines read
 * @param otherEvents events of kinds this version does not know, ignored
 * @param blocks per block, in header order (only the filtered block with {@code --block})
 * @param stages per stage (or op), in order of first appearance
 * @param tile the life of the tile asked for, or null
 */
public record InspectReport(Path file, TraceHeader header, TraceFooter footer, String incomplete,
    long events, long otherEvents, long from, long to, List<BlockRow> blocks,
    List<StageRow> stages, TileLife tile) {

  /** Cycles in the window. */
  public long windowCycles() {
    return Math.max(0, to - from);
  }

  /** One block's time and traffic in the window. */
  public record BlockRow(String name, long busyCycles, long stallCycles, long idleCycles,
      long messagesIn, long bytesIn, long messagesOut, long bytesOut,
      List<StallRow> longestStalls) {}

  /**
   * One stall span.
   *
   * @param waitingFor what the block waited for, e.g. "a credit from lane0.in (link 0, depth 2)"
   */
  public record StallRow(String block, String port, long start, long end, String cause,
      String waitingFor) {

    public long cycles() {
      return end - start;
    }
  }

  /**
   * One stage: busy spans grouped by their {@code stage} field, else by {@code op}.
   *
   * @param start the first span's start (clipped to the window)
   * @param end the last span's end (clipped to the window)
   * @param busyCycles busy cycles summed over blocks
   */
  public record StageRow(String name, long spans, int blocks, long start, long end,
      long busyCycles) {}

  /** Every hop of one tile. */
  public record TileLife(long tile, String creator, long number, List<Hop> hops) {}

  /**
   * One step of a tile's life.
   *
   * @param what {@code send}, {@code recv} or {@code dequeue}
   * @param from the sending {@code block.port} ({@code send}); else empty
   * @param at the receiving {@code block.port}
   * @param detail the rest, readable
   */
  public record Hop(long t, String what, int link, String from, String at, String detail) {}
}
