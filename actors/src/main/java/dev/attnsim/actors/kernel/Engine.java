package dev.attnsim.actors.kernel;

/** Runs a netlist to completion. Engines differ in how, never in what: traces are identical. */
public interface Engine {

  /**
   * Runs the netlist. Records go to {@code sink} in event-key order. Never hangs: the run ends
   * {@link RunStatus#OK}, in {@link RunStatus#DEADLOCK} or {@link RunStatus#ABORTED}.
   */
  RunResult run(Netlist netlist, TraceSink sink, ProgressListener progress);

  String name();
}
