package dev.attnsim.actors.kernel;

/** Runs a netlist to completion. Engines differ in how, never in what: traces are identical. */
public interface Engine {

  /**
   * Runs the netlist. Records go to {@code sink} in event-key order. Never hangs: the run ends
   * {@link RunStatus#OK}, in {@link RunStatus#DEADLOCK} or {@link RunStatus#ABORTED}.
   */
  RunResult run(Netlist netlist, TraceSink sink, ProgressListener progress);

  /**
   * Asks a run in progress (or the next run) to stop at the next point where the records so far
   * are a prefix of the whole run's: between two events (sequential) or two windows (actor). The
   * run then ends {@link RunStatus#INTERRUPTED}. Safe from any thread, a shutdown hook included;
   * a run nobody asks to stop is not affected.
   */
  void requestStop();

  String name();
}
