package dev.attnsim.actors.kernel;

/** Receives trace records in event-key order. Called from one thread at a time. */
@FunctionalInterface
public interface TraceSink {
  void accept(TraceRecord record);

  /** A sink that keeps nothing: tracing off. */
  TraceSink NONE = record -> {};
}
