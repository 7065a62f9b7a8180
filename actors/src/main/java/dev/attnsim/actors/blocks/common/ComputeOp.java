package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.blocks.dota.Scheduler;
import dev.attnsim.actors.compute.Deferred;

import dev.attnsim.actors.kernel.Precision;
import java.util.Objects;

/**
 * A unit of work for an {@link Rmmu}, carried as a tile's payload: what to run ({@code op}, for
 * reports and traces), at which precision, for how many cycles and MACs, and where the result
 * goes. Whoever creates the op computes its cycles (with {@link PeArray#gemmCycles} or the
 * {@link Scheduler}'s token-parallel arithmetic); the RMMU executes it.
 *
 * <p>In functional mode an op also carries a {@link Kernel}: the arithmetic on real numbers,
 * which the RMMU runs when it starts the op; the result tile carries the op again with the
 * kernel's value in {@code data}. Timing ops have neither.
 *
 * @param resultBytes size of the result tile
 * @param context travels with the result (a {@code MaskBlock}, a partial sum's accounting, ...)
 * @param kernel the op's arithmetic (functional mode), or null
 * @param data the kernel's result, on the result tile only, or null
 */
public record ComputeOp(String op, Stage stage, Precision precision, long cycles, long macs,
    Route route, long resultBytes, Object context, Kernel kernel, Object data) {

  /**
   * The numbers an op computes. Its operands are captured when the op is made (immutable from
   * then on, or written before the barrier that precedes the op); it runs when the op starts,
   * on the RMMU's thread, or, made by a {@link LaneDatapath} whose model has {@link
   * FunctionalModel#kernels}, returns a {@link Deferred} handed to those threads.
   */
  @FunctionalInterface
  public interface Kernel {
    Object compute();
  }

  /** A timing op: no kernel, no data. */
  public ComputeOp(String op, Stage stage, Precision precision, long cycles, long macs,
      Route route, long resultBytes, Object context) {
    this(op, stage, precision, cycles, macs, route, resultBytes, context, null, null);
  }

  /** This op with arithmetic to run. */
  public ComputeOp withKernel(Kernel k) {
    return new ComputeOp(op, stage, precision, cycles, macs, route, resultBytes, context, k,
        null);
  }

  /**
   * This op as its result tile carries it: the kernel's value (or a {@link Deferred} of it), the
   * kernel dropped.
   */
  public ComputeOp withData(Object value) {
    return new ComputeOp(op, stage, precision, cycles, macs, route, resultBytes, context, null,
        value);
  }

  /**
   * The kernel's value, on a result tile (null on a timing op's): when the arithmetic was handed
   * to another thread ({@link FunctionalModel#kernels}), computed here if that thread has not
   * started it, else waited for.
   */
  public Object value() {
    return data instanceof Deferred<?> d ? d.get() : data;
  }

  /** Where an RMMU sends an op's result. */
  public enum Route {
    CONTROLLER,
    SELECTOR,
    SOFTMAX,
    ACCUMULATOR
  }

  public ComputeOp {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(route, "route");
    if (cycles < 1 || macs < 0 || resultBytes < 0) {
      throw new IllegalArgumentException(op + ": cycles must be >= 1 and macs, bytes >= 0, got "
          + cycles + ", " + macs + ", " + resultBytes);
    }
  }
}
