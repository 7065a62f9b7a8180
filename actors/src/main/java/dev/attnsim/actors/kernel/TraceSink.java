package dev.attnsim.actors.kernel;

/** Receives trace records in event-key order. Called from one thread at a time. */
@FunctionalInterface
public interface TraceSink {
  void accept(TraceRecord record);

  /**
   * Every row of {@code rows}, in order, as {@link #accept} would take their records; a sink that
   * hands records to another thread can copy the rows instead and make the records there. {@code
   * rows} is the caller's again when this returns.
   */
  default void acceptAll(TraceColumns rows) {
    for (int i = 0; i < rows.size(); i++) {
      accept(rows.record(i));
    }
  }

  /** A sink that keeps nothing: tracing off. */
  TraceSink NONE = record -> {};
}
