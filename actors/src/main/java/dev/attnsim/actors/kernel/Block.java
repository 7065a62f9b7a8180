package dev.attnsim.actors.kernel;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A hardware block as a plain state machine. It never sees Akka: engines call {@link #onEvent}
 * in event-key order and the block acts only through its {@link BlockContext}.
 */
public interface Block {

  /** Inputs, ordered by {@link InPort#index()}. */
  List<InPort> inputs();

  /** Outputs, ordered by {@link OutPort#index()}. */
  List<OutPort> outputs();

  void onEvent(Event event, BlockContext ctx);

  /**
   * Work the block still holds, or empty when it is done. Asked when no event is left: anything
   * here makes the run a deadlock, and the text is shown to the user.
   */
  default Optional<String> pendingWork() {
    return Optional.empty();
  }

  /** Block-specific statistics (name to value), read once at the end of the run. */
  default SortedMap<String, Long> counters() {
    return new TreeMap<>();
  }

  /** Convenience for {@link #counters()} implementations. */
  static SortedMap<String, Long> countersOf(Map<String, Long> values) {
    return new TreeMap<>(values);
  }
}
