package dev.attnsim.actors.kernel;

/**
 * Guards against runs that would never end by themselves (a block that keeps waking itself).
 *
 * @param maxCycles the run is aborted when an event would be handled after this cycle
 */
public record RunLimits(long maxCycles) {
  public static final RunLimits DEFAULT = new RunLimits(Long.MAX_VALUE / 4);

  public RunLimits {
    if (maxCycles < 1) {
      throw new IllegalArgumentException("maxCycles must be >= 1, got " + maxCycles);
    }
  }
}
