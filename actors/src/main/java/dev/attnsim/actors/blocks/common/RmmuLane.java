package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.Tile;
import dev.attnsim.actors.kernel.TileKind;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * One compute lane of the gemm pipeline: a {@link PeArray} that takes operand tiles from {@code
 * in}, computes each tile's {@code rows x cols} outputs over its {@code depth}, and sends each
 * tile's partial output (32-bit accumulators) on {@code out}. A tile is a GEMM of its shape, timed
 * by the array's one model on the lane's {@link PeArray.Schedule}: under output stationary one
 * fold per tile, under weight or input stationary the tile's own folds.
 *
 * <p>With serial folds a tile starts when the array is free and its previous partial has left;
 * with overlapped folds it is taken once the previous tile's stream has started, and partials
 * leave in tile order as their folds end. A partial leaves when its folds have ended (the lane's
 * wake-up at that cycle); with no credit on {@code out} the lane stalls holding it and starts
 * nothing new. Busy spans cover the cycles in which some fold is in the array, never overlapping.
 */
public final class RmmuLane implements Block {
  public static final InPort IN = new InPort(0, "in");
  public static final OutPort OUT = new OutPort(0, "out");

  /** A tile whose folds end at {@code end}, and its partial. */
  private record InFlight(long end, Tile result) {}

  private final PeArray array;
  private final PeArray.Schedule schedule;
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  private long woken = Long.MIN_VALUE; // the cycle of the last wake-up handled
  private long wakeRequested = Long.MIN_VALUE;
  private long busyEnd;
  private long folds;
  private long macs;

  public RmmuLane(PeArray array) {
    this.array = array;
    this.schedule = array.newSchedule();
  }

  @Override
  public List<InPort> inputs() {
    return List.of(IN);
  }

  @Override
  public List<OutPort> outputs() {
    return List.of(OUT);
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    if (event instanceof Event.Wakeup) {
      woken = ctx.now();
    }
    while (!inFlight.isEmpty() && inFlight.peekFirst().end() <= woken) {
      if (!ctx.hasCredit(OUT)) {
        ctx.stallOn(OUT);
        return;
      }
      ctx.send(OUT, inFlight.pollFirst().result());
    }
    boolean overlap = array.timing().foldOverlap();
    while (ctx.queued(IN) > 0 && (overlap || inFlight.isEmpty())
        && schedule.acceptsAt() <= ctx.now()) {
      start(ctx);
    }
    if (ctx.queued(IN) > 0 && overlap && schedule.acceptsAt() > ctx.now()) {
      wake(ctx, schedule.acceptsAt());
    }
  }

  private void start(BlockContext ctx) {
    Tile op = ctx.poll(IN);
    long now = ctx.now();
    long end = array.issue(schedule, op.rows(), op.cols(), op.depth(), op.precision(), now);
    long tileMacs = (long) op.rows() * op.cols() * op.depth();
    long busyStart = Math.max(now, busyEnd);
    busyEnd = Math.max(busyStart, end);
    ctx.busy(busyStart, busyEnd, "gemm", tileMacs, op.precision());
    wake(ctx, end);
    folds += array.folds(op.rows(), op.cols(), op.depth(), op.precision());
    macs += tileMacs;
    inFlight.addLast(new InFlight(end, new Tile(ctx.newTileId(), TileKind.PARTIAL,
        Precision.INT32, op.layer(), op.head(), op.row0(), op.rows(), op.col0(), op.cols(), 1,
        Precision.INT32.bytesFor(op.elements()), null)));
  }

  private void wake(BlockContext ctx, long time) {
    if (time != wakeRequested) {
      ctx.wakeAt(time);
      wakeRequested = time;
    }
  }

  /**
   * Until the oldest tile's folds end nothing leaves, and with serial folds nothing is taken
   * either; overlapped, a tile may be taken (its credit returned) from {@link
   * PeArray.Schedule#acceptsAt}.
   */
  @Override
  public long quietUntil() {
    if (inFlight.isEmpty() || inFlight.peekFirst().end() <= woken) {
      return Long.MIN_VALUE;
    }
    long head = inFlight.peekFirst().end();
    return array.timing().foldOverlap() ? Math.min(head, schedule.acceptsAt()) : head;
  }

  @Override
  public Optional<String> pendingWork() {
    if (inFlight.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(inFlight.peekFirst().end() > woken ? "a fold still computing"
        : "a partial output not sent");
  }

  @Override
  public SortedMap<String, Long> counters() {
    return Block.countersOf(Map.of("folds", folds, "macs", macs));
  }
}
