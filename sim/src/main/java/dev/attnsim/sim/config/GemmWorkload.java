package dev.attnsim.sim.config;

import com.typesafe.config.Config;
import dev.attnsim.actors.kernel.Precision;

/** {@code attnsim.workload.gemm}: C[m x n] = A[m x k] * B[k x n] at one operand precision. */
public record GemmWorkload(int m, int n, int k, Precision precision) {

  private static final int MAX_DIM = 1 << 20;

  static GemmWorkload from(Config c) {
    var precision = ConfigValidator.enumOf(c, "attnsim.workload.gemm.precision", Precision.class,
        Precision.OPERANDS);
    return new GemmWorkload(
        ConfigValidator.intIn(c, "attnsim.workload.gemm.m", 1, MAX_DIM),
        ConfigValidator.intIn(c, "attnsim.workload.gemm.n", 1, MAX_DIM),
        ConfigValidator.intIn(c, "attnsim.workload.gemm.k", 1, MAX_DIM),
        precision);
  }

  /** Workloads attnsim can build. */
  public enum WorkloadKind {
    /** One matrix product on the gemm pipeline (DRAM streamer, RMMU lanes, accumulator). */
    GEMM,
    /** Transformer layers on the accelerator of {@code attnsim.hardware.accelerator}. */
    TRANSFORMER
  }

  public long macs() {
    return (long) m * n * k;
  }
}
