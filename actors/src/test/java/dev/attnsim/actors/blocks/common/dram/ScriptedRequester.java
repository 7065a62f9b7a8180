package dev.attnsim.actors.blocks.common.dram;

import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.Tile;
import dev.attnsim.actors.kernel.TileKind;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Issues a scripted list of DRAM requests on {@code req}, each no earlier than its cycle and in
 * script order (stalling on credits), and records when each response arrives on {@code resp}.
 * Responses are dequeued on arrival, or from {@code holdResponsesUntil} on if that is later (a slow
 * consumer); their arrival is recorded either way.
 */
final class ScriptedRequester implements Block {
  static final OutPort REQ = new OutPort(0, "req");
  static final InPort RESP = new InPort(0, "resp");

  /** One request: sent at {@code at} or as soon after as a credit allows. */
  record Req(long at, long address, long bytes, boolean write) {
    static Req read(long at, long address, long bytes) {
      return new Req(at, address, bytes, false);
    }
  }

  private final Iterator<Req> script;
  private final long holdResponsesUntil;
  private Req next;
  private int index;
  private long wakePendingAt = -1;
  private final Map<Long, Integer> indexByTile = new HashMap<>();
  private long[] arrivals = new long[16];
  private long[] sentAt = new long[16];
  private int received;
  private long lastArrival;

  ScriptedRequester(List<Req> script) {
    this(script.iterator(), 0);
  }

  ScriptedRequester(Iterator<Req> script, long holdResponsesUntil) {
    this.script = script;
    this.holdResponsesUntil = holdResponsesUntil;
    this.next = script.hasNext() ? script.next() : null;
  }

  @Override
  public List<InPort> inputs() {
    return List.of(RESP);
  }

  @Override
  public List<OutPort> outputs() {
    return List.of(REQ);
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    long now = ctx.now();
    if (event instanceof Event.Start && holdResponsesUntil > 0) {
      ctx.wakeAt(holdResponsesUntil);
    }
    if (event instanceof Event.TileArrived a) {
      arrivals[indexByTile.remove(a.tile().id())] = now;
      received++;
      lastArrival = now;
    }
    while (now >= holdResponsesUntil && ctx.queued(RESP) > 0) {
      ctx.poll(RESP);
    }
    while (next != null && next.at() <= now) {
      if (!ctx.hasCredit(REQ)) {
        ctx.stallOn(REQ);
        return;
      }
      var payload = new DramRequest(next.address(), next.write(), null);
      var tile = new Tile(ctx.newTileId(), TileKind.DATA, Precision.INT8, 0, 0, 0, 1, 0,
          (int) Math.min(Integer.MAX_VALUE, next.bytes()), 1, next.bytes(), payload);
      ctx.send(REQ, tile);
      grow(index + 1);
      indexByTile.put(tile.id(), index);
      sentAt[index] = now;
      arrivals[index] = -1;
      index++;
      next = script.hasNext() ? script.next() : null;
    }
    if (next != null && wakePendingAt != next.at()) {
      wakePendingAt = next.at();
      ctx.wakeAt(next.at());
    }
  }

  private void grow(int size) {
    if (size > arrivals.length) {
      int n = Math.max(size, arrivals.length * 2);
      arrivals = Arrays.copyOf(arrivals, n);
      sentAt = Arrays.copyOf(sentAt, n);
    }
  }

  /** Arrival cycle of each response, in script order (-1: none yet). */
  List<Long> arrivals() {
    return Arrays.stream(arrivals, 0, index).boxed().toList();
  }

  /** Cycle each request was sent, in script order. */
  List<Long> sent() {
    return Arrays.stream(sentAt, 0, index).boxed().toList();
  }

  int received() {
    return received;
  }

  long lastArrival() {
    return lastArrival;
  }
}
