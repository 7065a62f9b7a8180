package dev.attnsim.actors.kernel;

/** How a run ended. */
public enum RunStatus {
  /** Every event handled and no block holds work. */
  OK,
  /** No event is left but blocks still hold work (typically waiting for credits). */
  DEADLOCK,
  /** A block threw, or a limit was exceeded. */
  ABORTED,
  /**
   * Asked to stop ({@link Engine#requestStop}, on Ctrl-C) before it finished: the figures and
   * the trace cover the events handled until then, a prefix of the whole run's.
   */
  INTERRUPTED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
