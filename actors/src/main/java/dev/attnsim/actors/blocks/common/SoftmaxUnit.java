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
 * DOTA's multi-function unit in its softmax role: exponentiates and normalises a block's kept
 * scores only, {@code elementsPerCycle} at a time after a {@code pipelineCycles} latency, then
 * hands the block's SpMM with V to the RMMU. In functional mode (with a {@link LaneDatapath})
 * it normalises the SDDMM's real scores and the SpMM op carries the probabilities.
 */
public final class SoftmaxUnit implements Block {
  public static final InPort SCORES = new InPort(0, "scores");
  public static final OutPort SPMM = new OutPort(0, "spmm");

  private final long elementsPerCycle;
  private final long pipelineCycles;
  private final int headDim;
  private final LaneDatapath data; // null in timing mode
  private long workEnd;
  private Tile result;
  private long elements;

  public SoftmaxUnit(long elementsPerCycle, long pipelineCycles, int headDim) {
    this(elementsPerCycle, pipelineCycles, headDim, null);
  }

  /** A softmax unit that normalises real scores with {@code data}'s SpMM (functional mode). */
  public SoftmaxUnit(long elementsPerCycle, long pipelineCycles, int headDim,
      LaneDatapath data) {
    this.data = data;
    if (elementsPerCycle < 1 || pipelineCycles < 0) {
      throw new IllegalArgumentException("softmax: elements per cycle must be >= 1 and the "
          + "pipeline latency >= 0, got " + elementsPerCycle + " and " + pipelineCycles);
    }
    this.elementsPerCycle = elementsPerCycle;
    this.pipelineCycles = pipelineCycles;
    this.headDim = headDim;
  }

  /** Cycles to normalise {@code n} scores. */
  private long cycles(long n) {
    return (n + elementsPerCycle - 1) / elementsPerCycle + pipelineCycles;
  }

  @Override
  public List<InPort> inputs() {
    return List.of(SCORES);
  }

  @Override
  public List<OutPort> outputs() {
    return List.of(SPMM);
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    if (event instanceof Event.Wakeup && working() && ctx.now() == workEnd) {
      ctx.send(SPMM, result);
      result = null;
    }
    if (!working() && ctx.queued(SCORES) > 0 && ctx.hasCredit(SPMM)) {
      Tile scores = ctx.poll(SCORES);
      var work = (AttentionWork) ((ComputeOp) scores.payload()).context();
      var mask = work.mask();
      long cycles = Math.max(1, cycles(mask.keptPairs()));
      workEnd = ctx.now() + cycles;
      elements += mask.keptPairs();
      ctx.busy(ctx.now(), workEnd, "softmax", Stage.ATTENTION.label(), 0, Precision.FX16);
      ctx.wakeAt(workEnd);
      var op = new ComputeOp("spmm", Stage.ATTENTION, Precision.FX16, work.spmmCycles(),
          work.macs(), ComputeOp.Route.CONTROLLER,
          Precision.FX16.bytesFor((long) mask.queries() * headDim), work);
      if (data != null) {
        var sddmm = (ComputeOp) scores.payload();
        op = op.withKernel(data.spmm(mask,
            () -> LaneDatapath.softmax((double[][]) sddmm.value())));
      }
      result = new Tile(ctx.newTileId(), TileKind.PROBABILITIES, Precision.FX16, mask.layer(),
          mask.head(), mask.q0(), mask.queries(), 0, 0, 1,
          Precision.FX16.bytesFor(mask.keptPairs()), op);
    }
  }

  /** Whether a block is in softmax: its result is held until the end. */
  private boolean working() {
    return result != null;
  }

  @Override
  public long quietUntil() {
    return working() ? workEnd : Long.MIN_VALUE;
  }

  @Override
  public Optional<String> pendingWork() {
    return working() ? Optional.of("a block still in softmax") : Optional.empty();
  }

  @Override
  public SortedMap<String, Long> counters() {
    return Block.countersOf(Map.of("softmax_elements", elements));
  }
}
