package dev.attnsim.actors.blocks.dota;

import dev.attnsim.actors.blocks.common.AttentionJob;
import dev.attnsim.actors.blocks.common.AttentionWork;
import dev.attnsim.actors.blocks.common.ComputeOp;
import dev.attnsim.actors.blocks.common.LaneDatapath;
import dev.attnsim.actors.blocks.common.Stage;

import dev.attnsim.actors.compute.MaskBlock;
import dev.attnsim.actors.compute.MaskSource;
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
 * DOTA's Detector comparators: takes a block's low-precision scores, compares every candidate
 * (query, key) score with the threshold (or selects the top-k per row) at {@code
 * comparatorsPerCycle}, and passes the resulting mask to the scheduler. Which keys are kept comes
 * from the {@link MaskSource}: in timing mode the scores are shapes, the mask is computed apart.
 * Threshold and top-k selection are charged the same comparisons [choice]. With detection off,
 * query blocks arrive on {@code jobs} instead and pass through with the (dense) mask at once.
 *
 * <p>In functional mode (with a {@link LaneDatapath}) the scores are real: the selector keeps
 * each query's top-k of them and the golden model checks the mask at once; a mask that differs
 * fails the run, naming the tile.
 */
public final class Selector implements Block {
  public static final InPort SCORES = new InPort(0, "scores");
  /** Query blocks sent directly by the lane controller when detection is off (DOTA-F). */
  public static final InPort JOBS = new InPort(1, "jobs");
  public static final OutPort MASK = new OutPort(0, "mask");

  private final MaskSource masks;
  private final long comparatorsPerCycle;
  private final LaneDatapath data; // null in timing mode
  private long compareEnd;
  private Tile result;
  private long comparisons;
  private long kept;

  public Selector(MaskSource masks, long comparatorsPerCycle) {
    this(masks, comparatorsPerCycle, null);
  }

  /** A selector that selects on real scores with {@code data}'s arithmetic (functional mode). */
  public Selector(MaskSource masks, long comparatorsPerCycle, LaneDatapath data) {
    this.data = data;
    if (comparatorsPerCycle < 1) {
      throw new IllegalArgumentException(
          "comparators per cycle must be >= 1, got " + comparatorsPerCycle);
    }
    this.masks = masks;
    this.comparatorsPerCycle = comparatorsPerCycle;
  }

  @Override
  public List<InPort> inputs() {
    return List.of(SCORES, JOBS);
  }

  @Override
  public List<OutPort> outputs() {
    return List.of(MASK);
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    if (event instanceof Event.Wakeup && comparing() && ctx.now() == compareEnd) {
      ctx.send(MASK, result);
      result = null;
    }
    while (!comparing() && ctx.hasCredit(MASK)) {
      InPort port = ctx.queued(SCORES) > 0 ? SCORES : ctx.queued(JOBS) > 0 ? JOBS : null;
      if (port == null) {
        return;
      }
      Tile in = ctx.poll(port);
      var job = port == SCORES ? (AttentionJob) ((ComputeOp) in.payload()).context()
          : (AttentionJob) in.payload();
      MaskBlock mask;
      if (data != null && port == SCORES) {
        mask = (MaskBlock) ((ComputeOp) in.payload()).value(); // the detect op's top-k
        data.model().checkMask("mask of layer " + job.layer() + " head " + job.head()
            + " queries " + job.q0() + "-" + (job.q0() + mask.queries() - 1) + " (from tile "
            + in.id() + ")", job.layer(), job.head(), job.q0(), mask.keys());
      } else {
        mask = masks.block(job.layer(), job.head(), job.q0(), job.rows());
      }
      kept += mask.keptPairs();
      var out = new Tile(ctx.newTileId(), TileKind.MASK, Precision.INT2, job.layer(), job.head(),
          job.q0(), mask.queries(), 0, 0, 1, (mask.candidates() + 7) / 8,
          new AttentionWork(job, mask, 0, 0, 0, 0));
      if (port == JOBS) {
        ctx.send(MASK, out);
        continue;
      }
      long cycles = Math.max(1, (mask.candidates() + comparatorsPerCycle - 1)
          / comparatorsPerCycle);
      compareEnd = ctx.now() + cycles;
      comparisons += mask.candidates();
      ctx.busy(ctx.now(), compareEnd, "select", Stage.DETECTION.label(), 0, null);
      ctx.wakeAt(compareEnd);
      result = out;
    }
  }

  /** Whether a block is being compared: its result is held until the end. */
  private boolean comparing() {
    return result != null;
  }

  @Override
  public long quietUntil() {
    return comparing() ? compareEnd : Long.MIN_VALUE;
  }

  @Override
  public Optional<String> pendingWork() {
    return comparing() ? Optional.of("a block still being compared") : Optional.empty();
  }

  @Override
  public SortedMap<String, Long> counters() {
    return Block.countersOf(Map.of("comparisons", comparisons, "kept_pairs", kept));
  }
}
