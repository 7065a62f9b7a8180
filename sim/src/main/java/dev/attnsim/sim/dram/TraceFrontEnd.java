package dev.attnsim.sim.dram;

import dev.attnsim.actors.blocks.common.dram.DramRequest;
import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.Tile;
import dev.attnsim.actors.kernel.TileKind;
import java.util.List;
import java.util.Optional;

/**
 * Issues a {@link RequestTrace}'s requests on {@code req} in file order, each as one burst (its
 * address aligned down to the burst, {@code burstBytes} bytes), no earlier than its cycle (and,
 * for a Ramulator CPU line, its bubbles after the previous request), as link credits allow:
 * at most one per cycle ({@code one}: DRAMSim3's and Ramulator's trace front ends) or every
 * request that is due ({@code wide}). Responses on {@code resp} are taken at once. Request
 * {@code i}'s tile id ends in {@code i}.
 */
final class TraceFrontEnd implements Block {
  static final OutPort REQ = new OutPort(0, "req");
  static final InPort RESP = new InPort(0, "resp");

  private final RequestTrace trace;
  private final boolean one;
  private final long burstBytes;
  private int next;
  private long lastSend = -1;
  private long wakePending = -1;
  private int received;
  private final long[] sent;

  TraceFrontEnd(RequestTrace trace, boolean one, long burstBytes) {
    this.trace = trace;
    this.one = one;
    this.burstBytes = burstBytes;
    this.sent = new long[trace.size()];
  }

  @Override
  public List<InPort> inputs() {
    return List.of(RESP);
  }

  @Override
  public List<OutPort> outputs() {
    return List.of(REQ);
  }

  /** Cycle request {@code i} was sent. */
  long sentCycle(int i) {
    return sent[i];
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    long now = ctx.now();
    while (ctx.queued(RESP) > 0) {
      ctx.poll(RESP);
      received++;
    }
    while (next < trace.size()) {
      long due = due(next);
      if (due > now) {
        if (wakePending != due) {
          wakePending = due;
          ctx.wakeAt(due);
        }
        return;
      }
      if (!ctx.hasCredit(REQ)) {
        ctx.stallOn(REQ);
        return;
      }
      long address = trace.address(next) / burstBytes * burstBytes;
      var payload = new DramRequest(address, trace.write(next), null);
      var tile = new Tile(ctx.newTileId(), TileKind.DATA, Precision.INT8, 0, 0, 0, 1, 0,
          (int) burstBytes, 1, burstBytes, payload);
      ctx.send(REQ, tile);
      sent[next] = now;
      lastSend = now;
      next++;
    }
  }

  private long due(int i) {
    long due = trace.cycle(i);
    if (trace.gap(i) > 0) {
      due = Math.max(due, (i == 0 ? 0 : lastSend + 1) + trace.gap(i));
    }
    if (one) {
      due = Math.max(due, lastSend + 1);
    }
    return due;
  }

  @Override
  public Optional<String> pendingWork() {
    if (next < trace.size() || received < trace.size()) {
      return Optional.of((trace.size() - next) + " request(s) not sent, "
          + (next - received) + " response(s) awaited");
    }
    return Optional.empty();
  }
}
