package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.InPort;
import java.util.List;

/**
 * Which lane's query block a unit shared by the lanes (Energon's filter unit, Sanger's
 * prediction unit, FACT's eager unit) takes next [choice: two heads at a time]: the next block
 * of the current head (the oldest head in progress) if it has arrived, else the next block of
 * a second head, else, while fewer than two heads are in progress, the queued block of the
 * lowest (layer, head), which joins them. A head leaves when its last block (the one reaching
 * the end of the sequence) is taken. The lanes run their heads concurrently, but a shared
 * co-processor that interleaved all of them would hold every lane's head's K and V at once and,
 * at long sequences, evict one head's rows for another's and fetch them again block after
 * block; two heads' K and V fit the buffers (2 x 1 MiB at l 4096, d_head 64), and the second
 * head keeps the unit busy while the current head's lane sends its next block. Lanes whose heads
 * wait are held back by their links' credits.
 */
public final class HeadMajorPicker {
  private final List<InPort> ports;
  private final int seqLen;
  private long current = -1; // (layer << 32 | head) of the head being taken, -1 between heads
  private long second = -1; // the head taken while the current one's next block is not in

  /**
   * @param ports the lanes' job inputs, each carrying {@link AttentionJob} tiles of its heads in
   *     query order
   * @param seqLen queries per head: a block reaching it is its head's last
   */
  public HeadMajorPicker(List<InPort> ports, int seqLen) {
    this.ports = List.copyOf(ports);
    this.seqLen = seqLen;
  }

  /** The input on which lane {@code i} sends its query blocks to a shared unit: {@code jobs<i>}. */
  public static String jobPortName(int lane) {
    return "jobs" + lane;
  }

  /** The {@code lanes} job inputs of a shared unit, numbered from {@code firstIndex}. */
  public static List<InPort> jobPorts(int firstIndex, int lanes) {
    var ports = new java.util.ArrayList<InPort>();
    for (int i = 0; i < lanes; i++) {
      ports.add(new InPort(firstIndex + i, jobPortName(i)));
    }
    return ports;
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
    InPort ofCurrent = null;
    InPort ofSecond = null;
    InPort lowest = null;
    long lowestKey = Long.MAX_VALUE;
    for (InPort port : ports) {
      if (ctx.queued(port) == 0) {
        continue;
      }
      if (!(ctx.peek(port).payload() instanceof AttentionJob job)) {
        return port;
      }
      long k = key(job);
      if (k == current) {
        ofCurrent = port;
      } else if (k == second) {
        ofSecond = port;
      } else if (k < lowestKey) {
        lowest = port;
        lowestKey = k;
      }
    }
    if (ofCurrent != null) {
      return ofCurrent;
    }
    if (ofSecond != null) {
      return ofSecond;
    }
    return current < 0 || second < 0 ? lowest : null;
  }

  /** Notes that {@code job} was taken. */
  public void taken(AttentionJob job) {
    long k = key(job);
    boolean last = job.q0() + job.rows() >= seqLen;
    if (current < 0) {
      current = k;
    } else if (k != current && second < 0) {
      second = k;
    }
    if (last && k == current) {
      current = second;
      second = -1;
    } else if (last && k == second) {
      second = -1;
    }
  }
}
