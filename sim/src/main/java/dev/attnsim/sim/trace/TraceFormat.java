package dev.attnsim.sim.trace;

/** Names fixed by the trace format (see traces/README.md). */
public final class TraceFormat {
  private TraceFormat() {}

  public static final String NAME = "attnsim-trace";
  public static final int VERSION = 1;
}
