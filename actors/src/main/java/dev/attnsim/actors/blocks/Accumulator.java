package dev.attnsim.actors.blocks;

import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Tile;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Sums the lanes' partial output tiles. Each partial of {@code e} elements occupies the adder for
 * {@code ceil(e / elementsPerCycle)} cycles; partials are taken in arrival order. An output tile
 * (identified by layer, head, row0 and col0) is complete once {@code partsPerOutput} partials have
 * been added, and counts as one unit of work done.
 */
public final class Accumulator implements Block {
  private final List<InPort> inputs;
  private final long elementsPerCycle;
  private final int partsPerOutput;
  private final ArrayDeque<InPort> arrivals = new ArrayDeque<>();
  private final Map<OutputId, Integer> partsSeen = new HashMap<>(); // lookups only, never iterated
  private boolean adding;
  private long addEnd;
  private long outputsDone;
  private long elementsAdded;

  public Accumulator(List<String> inputNames, long elementsPerCycle, int partsPerOutput) {
    if (elementsPerCycle < 1) {
      throw new IllegalArgumentException(
          "elements per cycle must be >= 1, got " + elementsPerCycle);
    }
    if (partsPerOutput < 1) {
      throw new IllegalArgumentException("parts per output must be >= 1, got " + partsPerOutput);
    }
    var ins = new ArrayList<InPort>();
    for (int i = 0; i < inputNames.size(); i++) {
      ins.add(new InPort(i, inputNames.get(i)));
    }
    this.inputs = List.copyOf(ins);
    this.elementsPerCycle = elementsPerCycle;
    this.partsPerOutput = partsPerOutput;
  }

  @Override
  public List<InPort> inputs() {
    return inputs;
  }

  @Override
  public List<OutPort> outputs() {
    return List.of();
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    if (event instanceof Event.TileArrived arrived) {
      arrivals.addLast(arrived.port());
    } else if (event instanceof Event.Wakeup) {
      adding = false;
    }
    if (!adding && !arrivals.isEmpty()) {
      add(ctx.poll(arrivals.pollFirst()), ctx);
    }
  }

  private void add(Tile partial, BlockContext ctx) {
    long cycles = Math.max(1, (partial.elements() + elementsPerCycle - 1) / elementsPerCycle);
    ctx.busy(ctx.now(), ctx.now() + cycles, "accumulate", 0, partial.precision());
    ctx.wakeAt(ctx.now() + cycles);
    adding = true;
    addEnd = ctx.now() + cycles;
    elementsAdded += partial.elements();
    var key = new OutputId(partial.layer(), partial.head(), partial.row0(), partial.col0());
    int seen = partsSeen.merge(key, 1, Integer::sum);
    if (seen == partsPerOutput) {
      partsSeen.remove(key);
      outputsDone++;
      ctx.completeWork(1);
    }
  }

  private record OutputId(int layer, int head, int row0, int col0) {}

  /** While adding, arriving partials wait in their FIFOs: nothing is dequeued before the end. */
  @Override
  public long quietUntil() {
    return adding ? addEnd : Long.MIN_VALUE;
  }

  @Override
  public Optional<String> pendingWork() {
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
