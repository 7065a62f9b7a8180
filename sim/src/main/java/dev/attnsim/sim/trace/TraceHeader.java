package dev.attnsim.sim.trace;

import java.util.List;
import java.util.Map;

/**
 * The header line of a trace: who wrote it, the blocks and links of the netlist, and the resolved
 * config the run used (as raw JSON, so that a replay can rebuild the settings from it).
 *
 * @param blocks block names in declaration order; events refer to blocks by their index here
 * @param configJson the {@code config} object, re-serialised as one line of JSON
 * @param clockGhz {@code config.clock-ghz}, 1.0 when the config does not say
 */
public record TraceHeader(
    int version,
    String attnsimVersion,
    String engine,
    int parallelism,
    long seed,
    String mode,
    List<String> blocks,
    List<LinkInfo> links,
    String configJson,
    String runName,
    double clockGhz) {

  /**
   * One link of the netlist, as the header lists it.
   *
   * @param depth FIFO depth, or 0 for an unbounded link (no credits flow back)
   */
  public record LinkInfo(int id, String fromBlock, String fromPort, String toBlock, String toPort,
      long latencyCycles, int depth, long creditLatencyCycles) {

    public boolean bounded() {
      return depth > 0;
    }
  }

  public TraceHeader {
    blocks = List.copyOf(blocks);
    links = List.copyOf(links);
  }

  /** Microseconds per cycle at the trace's clock. */
  public double microsPerCycle() {
    return 1.0 / (clockGhz * 1000.0);
  }

  /** The link leaving {@code block.port}, or null. */
  public LinkInfo outLink(String block, String port) {
    for (LinkInfo l : links) {
      if (l.fromBlock().equals(block) && l.fromPort().equals(port)) {
        return l;
      }
    }
    return null;
  }

  /** The link entering {@code block.port}, or null. */
  public LinkInfo inLink(String block, String port) {
    for (LinkInfo l : links) {
      if (l.toBlock().equals(block) && l.toPort().equals(port)) {
        return l;
      }
    }
    return null;
  }

  /** One more than the largest link id: the size of an array indexed by link id. */
  public int linkCount() {
    int n = 0;
    for (LinkInfo l : links) {
      n = Math.max(n, l.id() + 1);
    }
    return n;
  }

  /**
   * The link with this id, or null. Writers list links in id order, so this is a lookup by
   * position on every event; other orders fall back to a scan.
   */
  public LinkInfo link(int id) {
    if (id >= 0 && id < links.size() && links.get(id).id() == id) {
      return links.get(id);
    }
    for (LinkInfo l : links) {
      if (l.id() == id) {
        return l;
      }
    }
    return null;
  }

  /** Block name to index. */
  Map<String, Integer> blockIndex() {
    var m = new java.util.HashMap<String, Integer>();
    for (int i = 0; i < blocks.size(); i++) {
      m.put(blocks.get(i), i);
    }
    return m;
  }
}
