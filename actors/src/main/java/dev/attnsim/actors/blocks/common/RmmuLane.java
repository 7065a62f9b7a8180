package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.Tile;
import dev.attnsim.actors.kernel.TileKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * One compute lane: a {@link PeArray} that takes operand tiles from {@code in}, computes one fold
 * per tile, and sends each fold's partial output tile on {@code out}.
 *
 * <p>A fold starts when the array is free and an operand tile is queued (dequeuing it returns a
 * credit upstream). Its partial (32-bit accumulators) is sent when the fold ends; with no credit
 * on {@code out} the lane stalls holding the partial and starts nothing new.
 */
public final class RmmuLane implements Block {
  public static final InPort IN = new InPort(0, "in");
  public static final OutPort OUT = new OutPort(0, "out");

  private final PeArray array;
  private boolean computing;
  private long foldEnd;
  private Tile result;
  private long folds;
  private long macs;

  public RmmuLane(PeArray array) {
    this.array = array;
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
    if (event instanceof Event.Wakeup && computing) {
      computing = false;
    }
    if (!computing && result != null) {
      if (!ctx.hasCredit(OUT)) {
        ctx.stallOn(OUT);
        return;
      }
      ctx.send(OUT, result);
      result = null;
    }
    if (!computing && result == null && ctx.queued(IN) > 0) {
      startFold(ctx);
    }
  }

  private void startFold(BlockContext ctx) {
    Tile op = ctx.poll(IN);
    long cycles = array.foldCycles(op.rows(), op.cols(), op.depth(), op.precision());
    long foldMacs = (long) op.rows() * op.cols() * op.depth();
    ctx.busy(ctx.now(), ctx.now() + cycles, "gemm", foldMacs, op.precision());
    ctx.wakeAt(ctx.now() + cycles);
    computing = true;
    foldEnd = ctx.now() + cycles;
    folds++;
    macs += foldMacs;
    result = new Tile(ctx.newTileId(), TileKind.PARTIAL, Precision.INT32, op.layer(), op.head(),
        op.row0(), op.rows(), op.col0(), op.cols(), 1, Precision.INT32.bytesFor(op.elements()),
        null);
  }

  /** Mid-fold, arrivals and credits only queue up: nothing leaves before the fold ends. */
  @Override
  public long quietUntil() {
    return computing ? foldEnd : Long.MIN_VALUE;
  }

  @Override
  public Optional<String> pendingWork() {
    if (computing) {
      return Optional.of("a fold still computing");
    }
    return result == null ? Optional.empty() : Optional.of("a partial output not sent");
  }

  @Override
  public SortedMap<String, Long> counters() {
    return Block.countersOf(Map.of("folds", folds, "macs", macs));
  }
}
