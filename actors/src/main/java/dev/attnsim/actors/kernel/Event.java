package dev.attnsim.actors.kernel;

/** What a block is told about: the start of the run, a tile, a returned credit, a wake-up. */
public sealed interface Event {

  /** Delivered once to every block at cycle 0, before anything else it receives. */
  enum Start implements Event {
    INSTANCE
  }

  /** A self-scheduled wake-up (see {@link BlockContext#wakeAt(long)}). */
  enum Wakeup implements Event {
    INSTANCE
  }

  /** A tile arrived and now sits at the tail of {@code port}'s FIFO. */
  record TileArrived(InPort port, Tile tile) implements Event {}

  /** The receiver on {@code port}'s link dequeued a tile: one more credit is available. */
  record CreditReturned(OutPort port) implements Event {}
}
