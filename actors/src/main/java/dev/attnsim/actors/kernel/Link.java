package dev.attnsim.actors.kernel;

/**
 * A wired link from one block's output to another block's input.
 *
 * @param id position in declaration order; also the data channel id of the event key
 * @param depth the receiving FIFO size in tiles, or {@link #UNBOUNDED} (no credits)
 * @param creditLatencyCycles latency of the reverse path that returns credits
 */
public record Link(
    int id,
    int fromBlock,
    OutPort fromPort,
    int toBlock,
    InPort toPort,
    long latencyCycles,
    int depth,
    long creditLatencyCycles) {

  public static final int UNBOUNDED = Integer.MAX_VALUE;

  public boolean bounded() {
    return depth != UNBOUNDED;
  }
}
