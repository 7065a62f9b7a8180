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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Supplier;

/**
 * Sums the lanes' partial output tiles. Each partial of {@code e} elements occupies the adder for
 * {@code ceil(e / elementsPerCycle)} cycles; partials are taken in arrival order. An output tile
 * (identified by layer, head, row0 and col0) is complete once its parts are in: {@code
 * partsPerOutput}, or what its {@link PartialSum} payload says. A partial carrying a {@link
 * PartialSum} also belongs to a group (a layer's attention output, its FFN output); when the
 * group's last output completes, the accumulator sends a {@link StageDone} tile on every output
 * (to every lane: DOTA's stage barrier). Each completed output counts as one unit of work.
 *
 * <p>In functional mode (with a {@link FunctionalModel}) the attention partials' numbers are
 * summed in arrival order and each completed output is rounded to FX16 per row; the outputs are
 * checked against the golden model when the next group completes (a layer's attention outputs
 * when its FFN stage does), in the order they completed, and a difference beyond the datapath's
 * precision fails the run there. Nothing reads the sums before that, so with the model's spare
 * threads ({@link FunctionalModel#kernels}) an output's sum, and the lanes' arithmetic it rests
 * on (SDDMM, softmax, SpMM, the head's output projection), is left to them until then: the
 * attention and FFN stages of slack (the FFN is timing only, their idle time) instead of the few
 * events between an op's start and its partial's arrival. The checks wait alike on every thread
 * count, so a failing run ends at the same event either way; a run that ends before the next
 * group completes (a deadlock, an abort) leaves its last attention outputs unchecked.
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
  // an attention output's partials that carry numbers, in arrival order; lookups only
  private final Map<OutputId, List<ComputeOp>> parts = new HashMap<>();
  // completed attention outputs not yet checked, in completion order
  private final List<PendingCheck> checks = new ArrayList<>();
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
    boolean checked = functional != null && sum != null && sum.stage() == Stage.ATTENTION;
    if (checked && partial.payload() instanceof ComputeOp op && op.data() != null) {
      parts.computeIfAbsent(key, k -> new ArrayList<>(sum.partsPerOutput())).add(op);
    }
    if (seen == (sum == null ? partsPerOutput : sum.partsPerOutput())) {
      partsSeen.remove(key);
      List<ComputeOp> numbers = parts.remove(key);
      if (checked && numbers != null) {
        checks.add(new PendingCheck("attention output of layer " + partial.layer() + " queries "
            + partial.row0() + "-" + (partial.row0() + partial.rows() - 1)
            + " (completed by tile " + partial.id() + ")", partial.layer(), partial.row0(),
            total(numbers), sum));
      }
      outputsDone++;
      ctx.completeWork(1);
      if (sum != null && groupOutputs.merge(sum, 1, Integer::sum) == sum.outputsInGroup()) {
        groupOutputs.remove(sum);
        checkBefore(sum);
        notices.addLast(new Tile(ctx.newTileId(), TileKind.DATA, Precision.INT8, sum.layer(), 0,
            0, 0, 0, 0, 1, 1, new StageDone(sum.layer(), sum.stage())));
      }
    }
  }

  /**
   * An output's sum of {@code numbers} in arrival order, FX16 per row: handed to the model's
   * spare threads if it has them, for when nothing more urgent waits (the partials' values may
   * still be in the making there), else summed now (the values are there).
   */
  private Supplier<double[][]> total(List<ComputeOp> numbers) {
    Supplier<double[][]> sum = () -> {
      double[][] total = (double[][]) numbers.get(0).value();
      for (int i = 1; i < numbers.size(); i++) {
        total = plus(total, (double[][]) numbers.get(i).value());
      }
      return Fixed16.perRow(total);
    };
    var threads = functional.kernels();
    if (threads != null) {
      return threads.later(sum)::get;
    }
    double[][] now = sum.get();
    return () -> now;
  }

  /**
   * As {@code group} completes, checks the completed attention outputs of the groups before it,
   * in the order they completed: a layer's attention outputs when its FFN completes.
   */
  private void checkBefore(PartialSum group) {
    int kept = 0;
    for (PendingCheck c : checks) {
      if (c.group().equals(group)) {
        checks.set(kept++, c);
      } else {
        functional.checkOutput(c.tile(), c.layer(), c.q0(), c.output().get());
      }
    }
    checks.subList(kept, checks.size()).clear();
  }

  /** A completed attention output of {@code group} waiting for the next group's end. */
  private record PendingCheck(String tile, int layer, int q0, Supplier<double[][]> output,
      PartialSum group) {}

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
