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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * DOTA's Reconfigurable Matrix Multiplication Unit, as a shared executor of {@link ComputeOp}s.
 * Ops arrive on three queues: {@code ops} (linear and detection work from the lane controller),
 * {@code sddmm} (from the scheduler) and {@code spmm} (from the softmax unit). The array runs one
 * op at a time, oldest arrival first, but only starts an op whose result has a credit on its
 * route: it never holds a result it cannot send, which keeps the lane's pipeline loop
 * (RMMU, selector, scheduler, RMMU, softmax, RMMU) free of credit deadlocks.
 *
 * <p>Precision is chosen per op (the paper sets it per PE row; here the whole array switches
 * between ops, so detection and attention share the array in time).
 */
public final class Rmmu implements Block {
  public static final InPort OPS = new InPort(0, "ops");
  public static final InPort SDDMM = new InPort(1, "sddmm");
  public static final InPort SPMM = new InPort(2, "spmm");
  public static final OutPort TO_CONTROLLER = new OutPort(0, "controller");
  public static final OutPort TO_SELECTOR = new OutPort(1, "selector");
  public static final OutPort TO_SOFTMAX = new OutPort(2, "softmax");
  public static final OutPort TO_ACCUMULATOR = new OutPort(3, "acc");

  /** The ports of an array that runs only a lane controller's ops ({@link #linearOnly}). */
  private static final OutPort LINEAR_TO_ACCUMULATOR = new OutPort(1, "acc");

  private final List<InPort> inputs;
  private final List<OutPort> outputs;
  private final Map<ComputeOp.Route, OutPort> routes; // the routes this array is wired for
  private final ArrayDeque<InPort> arrivals = new ArrayDeque<>();
  private final Map<Precision, Long> macs = new EnumMap<>(Precision.class);
  private final Map<String, Long> busyByOp = new TreeMap<>();
  private long computeEnd;
  private Tile result;
  private OutPort resultPort;
  private long ops;

  /** DOTA's RMMU: linear and detection ops, the scheduler's SDDMM, the softmax unit's SpMM. */
  public Rmmu() {
    this(List.of(OPS, SDDMM, SPMM), Map.of(ComputeOp.Route.CONTROLLER, TO_CONTROLLER,
        ComputeOp.Route.SELECTOR, TO_SELECTOR, ComputeOp.Route.SOFTMAX, TO_SOFTMAX,
        ComputeOp.Route.ACCUMULATOR, TO_ACCUMULATOR));
  }

  private Rmmu(List<InPort> inputs, Map<ComputeOp.Route, OutPort> routes) {
    this.inputs = inputs;
    this.routes = new EnumMap<>(routes);
    this.outputs = this.routes.values().stream()
        .sorted(java.util.Comparator.comparingInt(OutPort::index)).toList();
  }

  /**
   * The array as a dense linear engine: only the controller's ops ({@code ops}), results to the
   * controller ({@code controller}) or the accumulator ({@code acc}). Accelerators whose
   * attention runs elsewhere (Energon's co-processor) use it for Q/K/V, the output projection
   * and the FFN.
   */
  public static Rmmu linearOnly() {
    return new Rmmu(List.of(OPS), Map.of(ComputeOp.Route.CONTROLLER, TO_CONTROLLER,
        ComputeOp.Route.ACCUMULATOR, LINEAR_TO_ACCUMULATOR));
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
    if (event instanceof Event.TileArrived a) {
      arrivals.addLast(a.port());
    } else if (event instanceof Event.Wakeup && computing() && ctx.now() == computeEnd) {
      ctx.send(resultPort, result); // its credit was reserved when the op started
      result = null;
    }
    if (!computing()) {
      startNext(ctx);
    }
  }

  /**
   * Starts the oldest queued op whose route has a credit. A port queued twice shows the same head
   * op both times, so skipping its later entries keeps each queue in order.
   */
  private void startNext(BlockContext ctx) {
    for (var it = arrivals.iterator(); it.hasNext(); ) {
      InPort port = it.next();
      ComputeOp op = (ComputeOp) ctx.peek(port).payload();
      OutPort out = routes.get(op.route());
      if (out == null) {
        throw new IllegalStateException(op.op() + " routes to " + op.route()
            + ", which this array is not connected to");
      }
      if (!ctx.hasCredit(out)) {
        continue;
      }
      it.remove();
      Tile in = ctx.poll(port);
      computeEnd = ctx.now() + op.cycles();
      resultPort = out;
      // functional mode: the arithmetic runs now; its value leaves with the result
      Object payload = op.kernel() == null ? op : op.withData(op.kernel().compute());
      result = new Tile(ctx.newTileId(), TileKind.DATA, op.precision(), in.layer(), in.head(),
          in.row0(), in.rows(), in.col0(), in.cols(), 1, op.resultBytes(), payload);
      ctx.busy(ctx.now(), computeEnd, op.op(), op.stage().label(), op.macs(), op.precision());
      ctx.wakeAt(computeEnd);
      macs.merge(op.precision(), op.macs(), Long::sum);
      busyByOp.merge(op.op(), op.cycles(), Long::sum);
      ops++;
      return;
    }
  }

  /** Whether an op is computing: its result is held until the end. */
  private boolean computing() {
    return result != null;
  }

  @Override
  public long quietUntil() {
    return computing() ? computeEnd : Long.MIN_VALUE;
  }

  @Override
  public Optional<String> pendingWork() {
    if (computing()) {
      return Optional.of("an op still computing");
    }
    return arrivals.isEmpty() ? Optional.empty()
        : Optional.of(arrivals.size() + " op(s) waiting for a credit on their route");
  }

  @Override
  public SortedMap<String, Long> counters() {
    var c = new TreeMap<String, Long>();
    c.put("ops", ops);
    macs.forEach((p, m) -> c.put("macs." + p.label(), m));
    busyByOp.forEach((op, cycles) -> c.put("busy." + op, cycles));
    return c;
  }
}
