package dev.attnsim.actors.kernel;

/** Told now and then how far a run is. Must not influence the run. */
@FunctionalInterface
public interface ProgressListener {
  /**
   * @param workDone units completed so far
   * @param totalWork units the run will complete, 0 if unknown
   * @param cycle simulated time reached
   */
  void onProgress(long workDone, long totalWork, long cycle);

  ProgressListener NONE = (done, total, cycle) -> {};
}
