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
   * Lookahead the block offers: the earliest cycle at which anything it emits may leave it as
   * long as no tile arrives, whatever credits return meanwhile. A tile sent at {@code t} with
   * delay {@code d} leaves at {@code t + d}; a dequeue returns its credit at once. A tile's
   * arrival voids the promise: what the block emits in reaction leaves no earlier than the
   * arrival, which the sender's own lookahead covers, and the block is asked again after
   * handling it. A lane in the middle of a fold returns the fold's end; a DRAM controller with
   * no request waiting returns the earliest cycle a response could complete. Asked after every
   * event; the kernel holds the block to it until the next tile arrives (breaking it aborts the
   * run) and the actor engine uses it to open longer windows. {@link Long#MIN_VALUE}, the
   * default, promises nothing; {@link Long#MAX_VALUE} promises that only a tile's arrival makes
   * the block emit again.
   */
  default long quietUntil() {
    return Long.MIN_VALUE;
  }

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
