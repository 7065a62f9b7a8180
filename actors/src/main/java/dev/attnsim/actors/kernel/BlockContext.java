package dev.attnsim.actors.kernel;

/** Everything a block may do: read the time, move tiles, wait, and say what it was busy with. */
public interface BlockContext {

  /** Current simulated time in cycles. */
  long now();

  /** Whether a send on {@code port} is allowed now (always true for unbounded links). */
  boolean hasCredit(OutPort port);

  /** Sends a tile that arrives {@code now() + link latency} (or later: links never reorder). */
  default void send(OutPort port, Tile tile) {
    send(port, tile, 0);
  }

  /**
   * Sends a tile that leaves after {@code delayCycles} and arrives {@code delayCycles + link
   * latency} from now. Consumes one credit; sending without credit is a modelling error.
   */
  void send(OutPort port, Tile tile, long delayCycles);

  /**
   * Declares that the block has data for {@code port} but no credit. Starts a stall span (if one is
   * not already open); the span ends when the next credit on that port arrives.
   */
  void stallOn(OutPort port);

  /** Tiles waiting in {@code port}'s FIFO. */
  int queued(InPort port);

  /** The oldest tile in {@code port}'s FIFO, left in place; null if empty. */
  Tile peek(InPort port);

  /** Removes and returns the oldest tile in {@code port}'s FIFO, returning a credit to its sender. */
  Tile poll(InPort port);

  /** Schedules a {@link Event.Wakeup} at {@code time} (>= now). */
  void wakeAt(long time);

  /** Records that the block computes over {@code [startCycle, endCycle)}. */
  default void busy(long startCycle, long endCycle, String operation, long macs,
      Precision precision) {
    busy(startCycle, endCycle, operation, null, macs, precision);
  }

  /**
   * Records that the block computes over {@code [startCycle, endCycle)}, for a stage of the
   * workload (reports and timelines group busy time by stage); {@code stage} may be null.
   */
  void busy(long startCycle, long endCycle, String operation, String stage, long macs,
      Precision precision);

  /** A run-unique tile id. */
  long newTileId();

  /** Reports {@code units} of the workload's total work done (drives the progress bar). */
  void completeWork(long units);
}
