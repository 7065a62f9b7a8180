package dev.attnsim.actors.kernel;

/** How a run ended. */
public enum RunStatus {
  /** Every event handled and no block holds work. */
  OK,
  /** No event is left but blocks still hold work (typically waiting for credits). */
  DEADLOCK,
  /** A block threw, or a limit was exceeded. */
  ABORTED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
