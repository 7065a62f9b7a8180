package dev.attnsim.actors.kernel;

/**
 * One line of a trace. {@code time} is when the event that produced the record was handled; spans
 * carry their own start and end.
 */
public sealed interface TraceRecord {
  long time();

  /**
   * A tile left {@code from} on {@code link} and will arrive at {@code arrive}; {@code attributes}
   * are its payload's {@link TraceAttributes}, or null.
   */
  record Send(long time, int link, long seq, String from, String to, long tile, String kind,
      long bytes, long arrive, java.util.SortedMap<String, Long> attributes)
      implements TraceRecord {}

  /** A tile arrived in {@code block}'s FIFO for {@code port}. */
  record Receive(long time, int link, long seq, String block, String port, long tile, long bytes)
      implements TraceRecord {}

  /** A credit came back to {@code block} on {@code link} ({@code credits} now available). */
  record Credit(long time, int link, String block, String port, int credits)
      implements TraceRecord {}

  /** {@code block} computed {@code op} (of {@code stage}, or null) over {@code [start, end)}. */
  record Busy(long time, String block, long start, long end, String op, String stage, long macs,
      String precision) implements TraceRecord {}

  /** {@code block} had data for {@code port} but no credit over {@code [start, end)}. */
  record Stall(long time, String block, String port, long start, long end, String cause)
      implements TraceRecord {}
}
