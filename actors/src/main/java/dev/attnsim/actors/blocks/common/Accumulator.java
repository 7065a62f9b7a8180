package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.compute.Fixed16;
import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.TileKind;
import dev.attnsim.actors.kernel.Tile;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Sums the lanes' partial output tiles. Each partial of {@code e} elements occupies the adder for
 * {@code ceil(e / elementsPerCycle)} cycles; partials are taken in arrival order. An output tile
 * (identified by layer, head, row0 and col0) is complete once its parts are in: {@code
 * partsPerOutput}, or what its {@link PartialSum} payload says. A partial carrying a {@link
 * PartialSum} also belongs to a group (a layer's attention output, its FFN output); when the
 * group's last output completes, the accumulator sends a {@link StageDone} tile on every output
 * (to every lane: DOTA's stage barrier). Each completed output counts as one unit of work.
 *
 * <p>In functional mode (with a {@link FunctionalModel}) partials that carry numbers are summed
 * in arrival order; a completed attention output is rounded to FX16 per row and checked against
 * the golden model, and a difference beyond the datapath's precision fails the run.
 */
public final class Accumulator implements Block {
  private final List<InPort> inputs;
  private final List<OutPort> outputs;
  private final Map<PartialSum, Integer> groupOutputs = new HashMap<>(); // lookups only
  private final ArrayDeque<Tile> notices = new ArrayDeque<>();
  private final long elementsPerCycle;
  private final int partsPerOutput;
  private final ArrayDeque<InPort> arrivals = new ArrayDeque<>();
  private final Map<OutputId, Integer> partsSeen = new HashMap<>(); // lookups only, never iterated
  private final Map<OutputId, double[][]> sums = new HashMap<>(); // lookups only, never iterated
  private final FunctionalModel functional; // null in timing mode
  private boolean adding;
  private long addEnd;
  private long outputsDone;
  private long elementsAdded;

  public Accumulator(List<String> inputNames, long elementsPerCycle, int partsPerOutput) {
    this(inputNames, List.of(), elementsPerCycle, partsPerOutput);
  }

  /**
   * @param notifyNames outputs that receive a {@link StageDone} tile whenever a group completes
   */
  public Accumulator(List<String> inputNames, List<String> notifyNames, long elementsPerCycle,
      int partsPerOutput) {
    this(inputNames, notifyNames, elementsPerCycle, partsPerOutput, null);
  }

  /** An accumulator that sums real partials and checks attention outputs (functional mode). */
  public Accumulator(List<String> inputNames, List<String> notifyNames, long elementsPerCycle,
      int partsPerOutput, FunctionalModel functional) {
    this.functional = functional;
    if (elementsPerCycle < 1) {
      throw new IllegalArgumentException(
          "elements per cycle must be >= 1, got " + elementsPerCycle);
    }
    if (partsPerOutput < 1) {
      throw new IllegalArgumentException("parts per output must be >= 1, got " + partsPerOutput);
    }
    this.inputs = InPort.named(inputNames);
    this.outputs = OutPort.named(notifyNames);
    this.elementsPerCycle = elementsPerCycle;
    this.partsPerOutput = partsPerOutput;
  }

  @Override
  public List<InPort> inputs() {
    return inputs;
  }

  @Override
  public List<OutPort> outputs() {
    return outputs;
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    if (event instanceof Event.TileArrived arrived) {
      arrivals.addLast(arrived.port());
    } else if (event instanceof Event.Wakeup) {
      adding = false;
    }
    if (adding) {
      return;
    }
    sendNotices(ctx); // a group's notice leaves once its last partial has been added
    if (!arrivals.isEmpty()) {
      add(ctx.poll(arrivals.pollFirst()), ctx);
    }
  }

  /** Sends pending barrier notices to every lane, in order, as credits allow. */
  private void sendNotices(BlockContext ctx) {
    while (!notices.isEmpty()) {
      for (OutPort out : outputs) {
        if (!ctx.hasCredit(out)) {
          ctx.stallOn(out);
          return;
        }
      }
      Tile notice = notices.pollFirst();
      for (OutPort out : outputs) {
        ctx.send(out, notice);
      }
    }
  }

  private void add(Tile partial, BlockContext ctx) {
    long cycles = Math.max(1, (partial.elements() + elementsPerCycle - 1) / elementsPerCycle);
    var sum = partial.payload() instanceof ComputeOp op && op.context() instanceof PartialSum p
        ? p : null;
    ctx.busy(ctx.now(), ctx.now() + cycles, "accumulate",
        sum == null ? null : sum.stage().label(), 0, partial.precision());
    ctx.wakeAt(ctx.now() + cycles);
    adding = true;
    addEnd = ctx.now() + cycles;
    elementsAdded += partial.elements();
    var key = new OutputId(partial.layer(), sum == null ? partial.head() : sum.stage().ordinal(),
        partial.row0(), partial.col0());
    int seen = partsSeen.merge(key, 1, Integer::sum);
    double[][] numbers = functional != null && partial.payload() instanceof ComputeOp op
        && op.value() instanceof double[][] d ? d : null;
    if (numbers != null) {
      sums.merge(key, numbers, Accumulator::plus);
    }
    if (seen == (sum == null ? partsPerOutput : sum.partsPerOutput())) {
      partsSeen.remove(key);
      double[][] total = sums.remove(key);
      if (total != null && sum != null && sum.stage() == Stage.ATTENTION) {
        functional.checkOutput("attention output of layer " + partial.layer() + " queries "
            + partial.row0() + "-" + (partial.row0() + total.length - 1) + " (completed by tile "
            + partial.id() + ")", partial.layer(), partial.row0(), Fixed16.perRow(total));
      }
      outputsDone++;
      ctx.completeWork(1);
      if (sum != null && groupOutputs.merge(sum, 1, Integer::sum) == sum.outputsInGroup()) {
        groupOutputs.remove(sum);
        notices.addLast(new Tile(ctx.newTileId(), TileKind.DATA, Precision.INT8, sum.layer(), 0,
            0, 0, 0, 0, 1, 1, new StageDone(sum.layer(), sum.stage())));
      }
    }
  }

  private record OutputId(int layer, int head, int row0, int col0) {}

  /** {@code a + b} into a new matrix (the first partial is never modified). */
  private static double[][] plus(double[][] a, double[][] b) {
    var c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
      for (int j = 0; j < c[i].length; j++) {
        c[i][j] += b[i][j];
      }
    }
    return c;
  }

  /** While adding, arriving partials wait in their FIFOs: nothing is dequeued before the end. */
  @Override
  public long quietUntil() {
    return adding ? addEnd : Long.MIN_VALUE;
  }

  @Override
  public Optional<String> pendingWork() {
    if (!notices.isEmpty()) {
      return Optional.of(notices.size() + " stage notice(s) not delivered");
    }
    if (partsSeen.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(partsSeen.size() + " output tile(s) still missing partials");
  }

  @Override
  public SortedMap<String, Long> counters() {
    return Block.countersOf(Map.of("outputs", outputsDone, "elements_added", elementsAdded));
  }
}
