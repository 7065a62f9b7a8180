package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Tile;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Streams a planned sequence of tiles out of DRAM, one transfer at a time, in plan order: DRAM as
 * a push source for pipelines whose every read is known in advance (the gemm example). The
 * request-driven, banked model is {@code DramController}.
 *
 * <p>Timing model (bandwidth + latency): a transfer of {@code b} bytes occupies the data bus for
 * {@code ceil(b / bandwidthBytesPerCycle)} cycles starting when the bus is free and the destination
 * port has a credit; the tile leaves {@code latencyCycles} after the bus transfer ends. A transfer
 * whose destination has no credit blocks the transfers behind it (in-order service) and is a
 * stall.
 */
public final class DramStreamer implements Block {

  /** One planned transfer: a tile for output {@code port}. */
  public record Transfer(int port, Tile tile) {}

  private final List<OutPort> outputs;
  private final Iterator<Transfer> plan;
  private Transfer next;
  private final long bandwidthBytesPerCycle;
  private final long latencyCycles;
  private long issued;
  private long busFreeAt;
  private long lastEvent;
  private long wakePendingAt = -1;
  private long bytesRead;

  /**
   * @param outputNames one output per destination, in port order
   * @param plan transfers in service order, each naming an output by index; generated as the
   *     run goes, so a long run's plan never has to be held in memory
   */
  public DramStreamer(List<String> outputNames, Iterator<Transfer> plan,
      long bandwidthBytesPerCycle, long latencyCycles) {
    if (bandwidthBytesPerCycle < 1) {
      throw new IllegalArgumentException(
          "bandwidth must be >= 1 byte/cycle, got " + bandwidthBytesPerCycle);
    }
    if (latencyCycles < 0) {
      throw new IllegalArgumentException("latency must be >= 0 cycles, got " + latencyCycles);
    }
    this.outputs = OutPort.named(outputNames);
    this.plan = Objects.requireNonNull(plan, "plan");
    this.next = plan.hasNext() ? checked(plan.next()) : null;
    this.bandwidthBytesPerCycle = bandwidthBytesPerCycle;
    this.latencyCycles = latencyCycles;
  }

  /** Bus cycles a transfer of {@code bytes} takes. */
  public long transferCycles(long bytes) {
    return Math.max(1, (bytes + bandwidthBytesPerCycle - 1) / bandwidthBytesPerCycle);
  }

  @Override
  public List<InPort> inputs() {
    return List.of();
  }

  @Override
  public List<OutPort> outputs() {
    return outputs;
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    lastEvent = ctx.now();
    if (event instanceof Event.Wakeup && ctx.now() == wakePendingAt) {
      wakePendingAt = -1;
    }
    issue(ctx);
  }

  private Transfer checked(Transfer t) {
    Objects.checkIndex(t.port(), outputs.size());
    return t;
  }

  private void issue(BlockContext ctx) {
    if (next == null) {
      return;
    }
    long now = ctx.now();
    if (now < busFreeAt) {
      if (wakePendingAt != busFreeAt) {
        wakePendingAt = busFreeAt;
        ctx.wakeAt(busFreeAt);
      }
      return;
    }
    Transfer t = next;
    OutPort port = outputs.get(t.port());
    if (!ctx.hasCredit(port)) {
      ctx.stallOn(port);
      return;
    }
    long cycles = transferCycles(t.tile().bytes());
    ctx.busy(now, now + cycles, "read", 0, null);
    ctx.send(port, t.tile(), cycles + latencyCycles);
    bytesRead += t.tile().bytes();
    busFreeAt = now + cycles;
    issued++;
    next = plan.hasNext() ? checked(plan.next()) : null;
    if (next != null) {
      wakePendingAt = busFreeAt;
      ctx.wakeAt(busFreeAt);
    }
  }

  /**
   * The next transfer issues once the bus is free (at the earliest now) and leaves at least one
   * bus cycle plus the access latency later; once the plan is done, nothing ever leaves again.
   */
  @Override
  public long quietUntil() {
    return next == null ? Long.MAX_VALUE : Math.max(lastEvent, busFreeAt) + 1 + latencyCycles;
  }

  @Override
  public Optional<String> pendingWork() {
    return next == null ? Optional.empty()
        : Optional.of("transfers not issued (next: tile " + next.tile().id() + " to "
            + outputs.get(next.port()).name() + ")");
  }

  @Override
  public SortedMap<String, Long> counters() {
    return Block.countersOf(Map.of("bytes_read", bytesRead, "transfers", issued));
  }

}
