package dev.attnsim.sim.trace;

/**
 * One event line of a trace, as read back. Blocks are indices into {@link TraceHeader#blocks()}.
 * Fields the reader does not know are ignored, so newer writers of format version 1 can add them.
 */
public sealed interface TraceEvent {

  /** The cycle at which the event that produced the line was handled. */
  long t();

  /**
   * A busy or stall span of one block over {@code [start, end)}. Busy spans are written when they
   * begin ({@code start >= t}); stall spans when they end ({@code end == t}, start earlier).
   */
  sealed interface Span extends TraceEvent {
    int block();

    long start();

    long end();
  }

  /**
   * A tile left block {@code from} on {@code link}; it arrives at {@code arrive}. A memory
   * request also has its {@code address} and direction; {@code address} is -1 otherwise.
   */
  record Send(long t, int link, long seq, int from, int to, long tile, String kind, long bytes,
      long arrive, long address, boolean write) implements TraceEvent {}

  /** A tile arrived in {@code block}'s FIFO for {@code port}. */
  record Recv(long t, int link, long seq, int block, String port, long tile, long bytes)
      implements TraceEvent {}

  /** The receiver dequeued a tile; {@code block}, the sender, has {@code credits} again. */
  record Credit(long t, int link, int block, String port, int credits) implements TraceEvent {}

  /**
   * {@code block} computed {@code op} over {@code [start, end)}.
   *
   * @param stage the model's stage ("linear", "attention", ...), or null when not given
   * @param macs multiply-accumulates, 0 when not given
   * @param precision operand precision, or null
   */
  record Busy(long t, int block, long start, long end, String op, String stage, long macs,
      String precision) implements Span {

    /** What the per-stage table groups by: the stage when given, else the op. */
    public String stageOrOp() {
      return stage != null ? stage : op;
    }
  }

  /** {@code block} had data for {@code port} but no credit over {@code [start, end)}. */
  record Stall(long t, int block, String port, long start, long end, String cause)
      implements Span {}

  /** An event of a kind this reader does not know (a newer writer); only its time is used. */
  record Other(long t, String ev) implements TraceEvent {}

  /** Tile ids are {@code (creator block index << 32) | n}. */
  static int tileCreator(long tile) {
    return (int) (tile >>> 32);
  }

  /** The tile's number among those its creator made. */
  static long tileNumber(long tile) {
    return tile & 0xffffffffL;
  }
}
