package dev.attnsim.actors.blocks.energon;

import dev.attnsim.actors.blocks.common.AttentionUnit;
import dev.attnsim.actors.blocks.common.FunctionalModel;
import dev.attnsim.actors.blocks.common.Stage;
import dev.attnsim.actors.kernel.Arith;
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
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Energon's Selector (seed 000): for each query row of a scored block, the row's max, min and
 * mean (three threads in parallel), the threshold {@code theta(alpha)} and the indices of the
 * keys at or above it; no sorting. Which keys survive is the {@link FilterRounds}' decision,
 * carried by the block; the selector charges its time: one pass over the round's scores for the
 * statistics and one to compare, {@code ceil(2 x pairs / elementsPerCycle)} cycles [choice].
 * A block's survivors go back to the {@link FilterUnit} ({@code again}) for the next round, or
 * after the last round to the {@link AttentionUnit} ({@code survivors}). It starts a block only
 * when that destination has a credit.
 *
 * <p>In functional mode the last round's survivors are checked against the golden model's mask
 * ({@link FunctionalModel#checkMask}) as the block leaves: the hardware's mask, exactly.
 *
 * <p>Statistics: {@code comparisons} (scores read, both passes), per round {@code
 * round<r>.survivors} (pairs kept).
 */
public final class Selector implements Block {
  public static final InPort SCORES = new InPort(0, "scores");
  public static final OutPort AGAIN = new OutPort(0, "again");
  public static final OutPort SURVIVORS = new OutPort(1, "survivors");

  private final long elementsPerCycle;
  private final FunctionalModel model; // null in timing mode
  private final long[] survivors;
  private long workEnd;
  private Tile result;
  private OutPort resultPort;
  private long comparisons;

  /**
   * @param rounds filtering rounds
   * @param elementsPerCycle scores read per cycle in each pass
   */
  public Selector(int rounds, long elementsPerCycle) {
    this(rounds, elementsPerCycle, null);
  }

  /** A selector whose final survivors are checked against {@code model} (functional mode). */
  public Selector(int rounds, long elementsPerCycle, FunctionalModel model) {
    if (rounds < 1 || elementsPerCycle < 1) {
      throw new IllegalArgumentException("selector: rounds and elements per cycle must be >= 1,"
          + " got " + rounds + " and " + elementsPerCycle);
    }
    this.elementsPerCycle = elementsPerCycle;
    this.model = model;
    this.survivors = new long[rounds];
  }

  @Override
  public List<InPort> inputs() {
    return List.of(SCORES);
  }

  @Override
  public List<OutPort> outputs() {
    return List.of(AGAIN, SURVIVORS);
  }

  /** Cycles to threshold {@code pairs} scores. */
  public long cycles(long pairs) {
    return Math.max(1, Arith.ceilDiv(2 * pairs, elementsPerCycle));
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    if (event instanceof Event.Wakeup && working() && ctx.now() == workEnd) {
      ctx.send(resultPort, result);
      result = null;
    }
    if (working() || ctx.queued(SCORES) == 0) {
      return;
    }
    var work = (FilterWork) ctx.peek(SCORES).payload();
    OutPort out = work.lastRound() ? SURVIVORS : AGAIN;
    if (!ctx.hasCredit(out)) {
      ctx.stallOn(out); // the credit's return wakes this block again
      return;
    }
    Tile in = ctx.poll(SCORES);
    long cycles = cycles(work.scoredPairs());
    workEnd = ctx.now() + cycles;
    comparisons += 2 * work.scoredPairs();
    var kept = work.roundSurvivors();
    if (model != null && work.lastRound()) {
      var job = work.job();
      model.checkMask("survivors of layer " + job.layer() + " head " + job.head() + " queries "
          + job.q0() + ".." + (job.q0() + kept.queries() - 1), job.layer(), job.head(), job.q0(),
          kept.keys());
    }
    survivors[work.round()] += kept.keptPairs();
    ctx.busy(ctx.now(), workEnd, "threshold", Stage.FILTER.label(), 0, null);
    ctx.wakeAt(workEnd);
    resultPort = out;
    result = new Tile(ctx.newTileId(), TileKind.MASK, Precision.INT2, in.layer(), in.head(),
        in.row0(), in.rows(), 0, 0, 1, (kept.candidates() + 7) / 8, work);
  }

  private boolean working() {
    return result != null;
  }

  @Override
  public long quietUntil() {
    return working() ? workEnd : Long.MIN_VALUE;
  }

  @Override
  public Optional<String> pendingWork() {
    return working() ? Optional.of("a block still being thresholded") : Optional.empty();
  }

  @Override
  public SortedMap<String, Long> counters() {
    var c = new TreeMap<String, Long>();
    c.put("comparisons", comparisons);
    for (int r = 0; r < survivors.length; r++) {
      c.put("round" + r + ".survivors", survivors[r]);
    }
    return c;
  }
}
