package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.InPort;
import java.util.List;

/**
 * Which lane's query block a unit shared by the lanes (Energon's filter unit, Sanger's
 * prediction unit) takes next [choice: head-major]: once it has taken a head's first block it
 * takes only that head's blocks, in the order its lane sends them, until the head's last block
 * (the one reaching the end of the sequence); then the queued block of the lowest (layer, head).
 * The lanes run their heads concurrently, but a shared co-processor that interleaved them would
 * hold several heads' K and V at once and, at long sequences, evict one head's rows for
 * another's and fetch them again block after block; head by head, each head's K and V are
 * fetched once while they fit the buffers. The lanes whose heads wait are held back by their
 * links' credits, as they would be anyway by a busy co-processor.
 */
public final class HeadMajorPicker {
  private final List<InPort> ports;
  private final int seqLen;
  private long current = -1; // (layer << 32 | head) of the head being taken, -1 between heads

  /**
   * @param ports the lanes' job inputs, each carrying {@link AttentionJob} tiles of its heads in
   *     query order
   * @param seqLen queries per head: a block reaching it is its head's last
   */
  public HeadMajorPicker(List<InPort> ports, int seqLen) {
    this.ports = List.copyOf(ports);
    this.seqLen = seqLen;
  }

  private static long key(AttentionJob job) {
    return ((long) job.layer() << 32) | job.head();
  }

  /**
   * The port whose queued tile is next, or null if it has not arrived yet. A tile that is not a
   * query block (a request of another kind on the same input, such as FACT's prediction
   * requests) goes first, from the lowest port.
   */
  public InPort next(BlockContext ctx) {
    InPort best = null;
    long bestKey = Long.MAX_VALUE;
    for (InPort port : ports) {
      if (ctx.queued(port) == 0) {
        continue;
      }
      if (!(ctx.peek(port).payload() instanceof AttentionJob job)) {
        return port;
      }
      long k = key(job);
      if (current >= 0 ? k == current : k < bestKey) {
        best = port;
        bestKey = k;
        if (current >= 0) {
          break;
        }
      }
    }
    return best;
  }

  /** Notes that {@code job} was taken. */
  public void taken(AttentionJob job) {
    current = job.q0() + job.rows() >= seqLen ? -1 : key(job);
  }
}
