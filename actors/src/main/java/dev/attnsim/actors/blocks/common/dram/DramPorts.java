package dev.attnsim.actors.blocks.common.dram;

import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Tile;
import java.util.ArrayDeque;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The requester ports both DRAM controller models share: inputs {@code req<i>}, outputs {@code
 * resp<i>}, the requests each port's link holds that the controller has not taken (for its
 * promise, which cannot see the links), and the one wake-up it keeps pending.
 */
final class DramPorts {
  final List<InPort> inputs;
  final List<OutPort> outputs;
  private final ArrayDeque<Tile>[] waiting;
  private long wakePending = Long.MAX_VALUE;

  @SuppressWarnings({"unchecked", "rawtypes"}) // an array of generic queues
  DramPorts(int requesters) {
    if (requesters < 1) {
      throw new IllegalArgumentException("a DRAM controller needs >= 1 requester, got "
          + requesters);
    }
    this.inputs = InPort.named(IntStream.range(0, requesters)
        .mapToObj(DramController::requestPortName).toList());
    this.outputs = OutPort.named(IntStream.range(0, requesters)
        .mapToObj(DramController::responsePortName).toList());
    this.waiting = new ArrayDeque[requesters];
    for (int i = 0; i < requesters; i++) {
      waiting[i] = new ArrayDeque<>();
    }
  }

  int size() {
    return waiting.length;
  }

  /**
   * Handles an event that is not a wake-up (an arrival is noted as waiting; anything, a credit
   * too, asks for a wake-up in the same cycle, which the event key orders after all of a cycle's
   * data and credits) and returns true; for a wake-up clears the pending one and returns false.
   */
  boolean handled(Event event, BlockContext ctx) {
    long now = ctx.now();
    if (!(event instanceof Event.Wakeup)) {
      if (event instanceof Event.TileArrived a) {
        waiting[a.port().index()].addLast(a.tile());
      }
      wake(now, ctx);
      return true;
    }
    if (wakePending <= now) {
      wakePending = Long.MAX_VALUE;
    }
    return false;
  }

  /** A wake-up at {@code cycle}, unless one is pending no later. */
  void wake(long cycle, BlockContext ctx) {
    if (cycle < wakePending) {
      wakePending = cycle;
      ctx.wakeAt(cycle);
    }
  }

  /** The oldest request on port {@code p}'s link not taken yet, or null. */
  Tile waitingHead(int p) {
    return waiting[p].peekFirst();
  }

  /** Takes port {@code p}'s oldest request from its link; returns it. */
  Tile take(int p, BlockContext ctx) {
    waiting[p].pollFirst();
    return ctx.poll(inputs.get(p));
  }
}
