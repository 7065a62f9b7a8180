package dev.attnsim.actors.blocks.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.compute.Fixed16;
import dev.attnsim.actors.compute.SpareThreads;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.SequentialEngine;
import dev.attnsim.actors.kernel.Tile;
import dev.attnsim.actors.kernel.TileKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The accumulator's functional side: an attention output is the sum of its partials in arrival
 * order, checked against the model when the next group (the layer's FFN) completes, and with
 * spare threads the partials' arithmetic is not forced before then.
 */
class AccumulatorChecksTest {

  /** Two outputs of three parts each, one group: the partials' values in plan order. */
  private static final double[][] VALUES = {{1e16}, {-1e16}, {1.0}, {2.0}, {3.0}, {4.0}};

  private static final PartialSum SUM = new PartialSum(0, Stage.ATTENTION, 3, 2);

  /** The layer's FFN: one output of one part, no numbers (the FFN is timing only). */
  private static final PartialSum FFN = new PartialSum(0, Stage.FFN, 1, 1);

  /** A model that records the checks (and how many outputs were complete at each). */
  private static final class Recorder implements FunctionalModel {
    final List<String> tiles = new ArrayList<>();
    final List<double[][]> outputs = new ArrayList<>();
    final List<Long> outputsDoneAtCheck = new ArrayList<>();
    Accumulator acc;
    SpareThreads threads;
    String failOn;

    @Override
    public double[][] input(int layer) {
      throw new UnsupportedOperationException();
    }

    @Override
    public HeadWeights weights(int layer, int head) {
      throw new UnsupportedOperationException();
    }

    @Override
    public double keepRatio() {
      return 1;
    }

    @Override
    public SpareThreads kernels() {
      return threads;
    }

    @Override
    public void checkMask(String tile, int layer, int head, int q0, int[][] keys) {}

    @Override
    public void checkOutput(String tile, int layer, int q0, double[][] output) {
      tiles.add(tile);
      outputs.add(output);
      outputsDoneAtCheck.add(acc.counters().get("outputs"));
      if (tile.equals(failOn)) {
        throw new FunctionalMismatch("functional mismatch: " + tile);
      }
    }
  }

  /** A partial of output {@code q} (rows [q, q]) of {@code group}, carrying {@code value}. */
  private static Tile partial(long id, int q, PartialSum group, Object value) {
    var op = new ComputeOp("out-proj", group.stage(), Precision.FX16, 1, 1,
        ComputeOp.Route.ACCUMULATOR, 4, group).withData(value);
    return new Tile(id, TileKind.PARTIAL, Precision.INT32, 0, 0, q, 1, 0, 1, 1, 4, op);
  }

  /**
   * Six partials from ports a, b, a, b, a, b, one a cycle (arriving at 2..7, added over one cycle
   * each): output 0's parts are the first three, output 1's the last three; then, with {@code
   * ffn}, the FFN's one partial (arriving at 8). {@code value} makes each attention partial's
   * payload from its value.
   */
  private static RunResult run(Recorder model, java.util.function.IntFunction<Object> value,
      boolean ffn) {
    var acc = new Accumulator(List.of("a", "b"), List.of(), 8, 1, model);
    model.acc = acc;
    var plan = new ArrayList<DramStreamer.Transfer>();
    for (int i = 0; i < VALUES.length; i++) {
      plan.add(new DramStreamer.Transfer(i % 2, partial(i, i / 3, SUM, value.apply(i))));
    }
    if (ffn) {
      plan.add(new DramStreamer.Transfer(0, partial(6, 0, FFN, null)));
    }
    var net = new Netlist()
        .add("src", new DramStreamer(List.of("a", "b"), plan.iterator(), 1024, 0))
        .add("acc", acc)
        .connect("src.a", "acc.a", 1, 4)
        .connect("src.b", "acc.b", 1, 4);
    return new SequentialEngine(RunLimits.DEFAULT, false).run(net, r -> {},
        ProgressListener.NONE);
  }

  private static void assertChecked(Recorder model) {
    // (1e16 - 1e16) + 1 = 1 in arrival order; 1e16 + (-1e16 + 1) would be 0
    assertEquals(List.of("attention output of layer 0 queries 0-0 (completed by tile 2)",
        "attention output of layer 0 queries 1-1 (completed by tile 5)"), model.tiles);
    assertEquals(Fixed16.perRow(new double[][] {{1.0}})[0][0], model.outputs.get(0)[0][0]);
    assertEquals(Fixed16.perRow(new double[][] {{9.0}})[0][0], model.outputs.get(1)[0][0]);
    // output 0 completed at cycle 4, output 1 at 7; both are checked when the FFN's output
    // completes (at 8), the third output
    assertEquals(List.of(3L, 3L), model.outputsDoneAtCheck);
  }

  @Test
  void outputsAreSummedInArrivalOrderAndCheckedWhenTheNextGroupCompletes() {
    var model = new Recorder();
    RunResult r = run(model, i -> new double[][] {VALUES[i].clone()}, true);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    assertChecked(model);
    // a run that ends with no group after the attention outputs leaves them unchecked
    var alone = new Recorder();
    assertEquals(RunStatus.OK, run(alone, i -> new double[][] {VALUES[i].clone()}, false)
        .status());
    assertEquals(List.of(), alone.tiles);
  }

  @Test
  void withSpareThreadsNoPartialIsComputedBeforeTheNextGroupCompletes() {
    var model = new Recorder();
    var handed = new ArrayList<Runnable>(); // an executor that never gets to its work
    model.threads = new SpareThreads(handed::add);
    var computedAt = new ArrayList<Long>();
    RunResult r = run(model, i -> model.threads.start((Supplier<double[][]>) () -> {
      computedAt.add(model.acc.counters().get("outputs"));
      return new double[][] {VALUES[i].clone()};
    }), true);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    assertChecked(model);
    // six partials and, as each output completed, its sum: all handed over, and every partial
    // computed by the check (the reader) once the FFN's output was in
    assertEquals(8, handed.size());
    assertEquals(List.of(3L, 3L, 3L, 3L, 3L, 3L), computedAt);
  }

  @Test
  void aFailingOutputEndsTheRunAtTheNextGroupsLastPartial() {
    var model = new Recorder();
    model.failOn = "attention output of layer 0 queries 0-0 (completed by tile 2)";
    RunResult r = run(model, i -> new double[][] {VALUES[i].clone()}, true);
    assertEquals(RunStatus.ABORTED, r.status());
    assertTrue(r.problems().get(0).contains("functional mismatch: attention output of layer 0 "
        + "queries 0-0"), r.problems().toString());
    // the FFN's partial arrives at 8 and completes its group there (output 0 completed at 4)
    assertEquals(8, r.cycles());
    assertEquals(1, model.tiles.size());
  }
}
