package dev.attnsim.sim.cli;

/** Process exit codes of every attnsim command. */
public final class ExitCodes {
  private ExitCodes() {}

  /** The run finished and nothing is wrong. */
  public static final int OK = 0;
  /** An internal error, or the run was aborted (a block failed, a limit was hit). */
  public static final int INTERNAL = 1;
  /** Bad input: command line, config, or a file that cannot be read or written. */
  public static final int BAD_INPUT = 2;
  /** The run ended in a deadlock. */
  public static final int DEADLOCK = 3;
  /** {@code replay}: the re-run's event stream differs from the trace's. */
  public static final int REPLAY_DIFFERS = 4;
  /** The run was interrupted (Ctrl-C, SIGINT): 128 + 2, as shells report it. */
  public static final int INTERRUPTED = 130;
}
