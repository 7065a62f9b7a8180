package dev.attnsim.actors.blocks;

import dev.attnsim.actors.kernel.Precision;
import java.util.Objects;

/**
 * A unit of work for an {@link Rmmu}, carried as a tile's payload: what to run ({@code op}, for
 * reports and traces), at which precision, for how many cycles and MACs, and where the result
 * goes. Whoever creates the op computes its cycles (with {@link PeArray#gemmCycles} or the
 * {@link Scheduler}'s token-parallel arithmetic); the RMMU executes it.
 *
 * @param resultBytes size of the result tile
 * @param context travels with the result (a {@code MaskBlock}, a partial sum's accounting, ...)
 */
public record ComputeOp(String op, Stage stage, Precision precision, long cycles, long macs,
    Route route, long resultBytes, Object context) {

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
      throw new IllegalArgumentException(op + ": cycles must be >= 1 and macs, bytes >= 0");
    }
  }
}
