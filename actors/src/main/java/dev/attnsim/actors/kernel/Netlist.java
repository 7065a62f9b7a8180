package dev.attnsim.actors.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Blocks and the links between them, as an assembly declares them. Declaration order fixes block
 * indices and link ids, and so the event order: the same netlist always gives the same trace.
 *
 * <p>Channel ids of the event key {@code (time, channel, seq)}: data of link {@code i} is channel
 * {@code i}; credits returned on link {@code i} are channel {@code L + i}; wake-ups of block
 * {@code b} are channel {@code 2L + b}. At equal times, data is handled before credits and credits
 * before wake-ups.
 */
public final class Netlist {
  private final Map<String, Integer> indexByName = new LinkedHashMap<>();
  private final List<String> names = new ArrayList<>();
  private final List<Block> blocks = new ArrayList<>();
  private final List<Link> links = new ArrayList<>();
  private boolean frozen;
  private long totalWork;


  /** Adds a block; its index is the number of blocks added before it. */
  public Netlist add(String name, Block block) {
    checkOpen();
    PortNames.check(name);
    Objects.requireNonNull(block, "block");
    if (indexByName.containsKey(name)) {
      throw new IllegalArgumentException("duplicate block name '" + name + "'");
    }
    checkPorts(name, block);
    indexByName.put(name, blocks.size());
    names.add(name);
    blocks.add(block);
    return this;
  }

  /**
   * Connects {@code from} ("block.port") to {@code to} with the given latency and FIFO depth;
   * credits come back with the same latency.
   */
  public Netlist connect(String from, String to, long latencyCycles, int depth) {
    return connect(from, to, latencyCycles, depth, latencyCycles);
  }

  public Netlist connect(
      String from, String to, long latencyCycles, int depth, long creditLatencyCycles) {
    checkOpen();
    if (latencyCycles < 1) {
      throw new IllegalArgumentException(
          "link " + from + " -> " + to + ": latency must be >= 1 cycle, got " + latencyCycles);
    }
    if (depth < 1) {
      throw new IllegalArgumentException(
          "link " + from + " -> " + to + ": depth must be >= 1 tile, got " + depth);
    }
    if (depth != Link.UNBOUNDED && creditLatencyCycles < 1) {
      throw new IllegalArgumentException(
          "link " + from + " -> " + to + ": credit latency must be >= 1 cycle, got "
              + creditLatencyCycles);
    }
    int fb = blockOf(from);
    int tb = blockOf(to);
    OutPort op = findOut(fb, portOf(from));
    InPort ip = findIn(tb, portOf(to));
    for (Link l : links) {
      if (l.fromBlock() == fb && l.fromPort().equals(op)) {
        throw new IllegalArgumentException("output " + from + " is already connected");
      }
      if (l.toBlock() == tb && l.toPort().equals(ip)) {
        throw new IllegalArgumentException("input " + to + " is already connected");
      }
    }
    links.add(new Link(links.size(), fb, op, tb, ip, latencyCycles, depth, creditLatencyCycles));
    return this;
  }

  /** Units of work the whole run completes (see {@link BlockContext#completeWork}); 0 = unknown. */
  public Netlist totalWork(long units) {
    this.totalWork = units;
    return this;
  }

  /** Checks that every port is connected and forbids further changes. */
  public Netlist freeze() {
    if (frozen) {
      return this;
    }
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("netlist has no blocks");
    }
    for (int b = 0; b < blocks.size(); b++) {
      for (OutPort p : blocks.get(b).outputs()) {
        if (linkFrom(b, p) == null) {
          throw new IllegalArgumentException(
              "output " + names.get(b) + "." + p.name() + " is not connected");
        }
      }
      for (InPort p : blocks.get(b).inputs()) {
        if (linkTo(b, p) == null) {
          throw new IllegalArgumentException(
              "input " + names.get(b) + "." + p.name() + " is not connected");
        }
      }
    }
    frozen = true;
    return this;
  }

  public int blockCount() {
    return blocks.size();
  }

  public String name(int block) {
    return names.get(block);
  }

  public Block block(int block) {
    return blocks.get(block);
  }

  public List<String> blockNames() {
    return Collections.unmodifiableList(names);
  }

  public List<Link> links() {
    return Collections.unmodifiableList(links);
  }

  public long totalWork() {
    return totalWork;
  }

  public int creditChannel(int linkId) {
    return links.size() + linkId;
  }

  public int wakeChannel(int block) {
    return 2 * links.size() + block;
  }

  /** The smallest latency of any data or credit path: the uniform lookahead. */
  public long minLatency() {
    long min = Long.MAX_VALUE;
    for (Link l : links) {
      min = Math.min(min, l.latencyCycles());
      if (l.bounded()) {
        min = Math.min(min, l.creditLatencyCycles());
      }
    }
    return min;
  }

  Link linkFrom(int block, OutPort port) {
    for (Link l : links) {
      if (l.fromBlock() == block && l.fromPort().equals(port)) {
        return l;
      }
    }
    return null;
  }

  Link linkTo(int block, InPort port) {
    for (Link l : links) {
      if (l.toBlock() == block && l.toPort().equals(port)) {
        return l;
      }
    }
    return null;
  }

  private void checkOpen() {
    if (frozen) {
      throw new IllegalStateException("netlist is frozen");
    }
  }

  private static void checkPorts(String name, Block block) {
    var ins = block.inputs();
    for (int i = 0; i < ins.size(); i++) {
      if (ins.get(i).index() != i) {
        throw new IllegalArgumentException("block " + name + ": input " + i + " has index "
            + ins.get(i).index());
      }
    }
    var outs = block.outputs();
    for (int i = 0; i < outs.size(); i++) {
      if (outs.get(i).index() != i) {
        throw new IllegalArgumentException("block " + name + ": output " + i + " has index "
            + outs.get(i).index());
      }
    }
  }

  private int blockOf(String endpoint) {
    int dot = endpoint.indexOf('.');
    if (dot <= 0 || dot == endpoint.length() - 1) {
      throw new IllegalArgumentException("endpoint '" + endpoint + "' is not 'block.port'");
    }
    Integer b = indexByName.get(endpoint.substring(0, dot));
    if (b == null) {
      throw new IllegalArgumentException(
          "endpoint '" + endpoint + "': no block named '" + endpoint.substring(0, dot) + "'");
    }
    return b;
  }

  private static String portOf(String endpoint) {
    return endpoint.substring(endpoint.indexOf('.') + 1);
  }

  private OutPort findOut(int b, String port) {
    for (OutPort p : blocks.get(b).outputs()) {
      if (p.name().equals(port)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "block " + names.get(b) + " has no output '" + port + "' (outputs: "
            + blocks.get(b).outputs().stream().map(OutPort::name).toList() + ")");
  }

  private InPort findIn(int b, String port) {
    for (InPort p : blocks.get(b).inputs()) {
      if (p.name().equals(port)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "block " + names.get(b) + " has no input '" + port + "' (inputs: "
            + blocks.get(b).inputs().stream().map(InPort::name).toList() + ")");
  }
}
