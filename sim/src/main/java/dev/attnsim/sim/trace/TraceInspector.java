package dev.attnsim.sim.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Aggregates a trace in one streaming pass for {@code attnsim inspect}: per block busy, stall and
 * idle time and traffic, a bounded list of its longest stalls, per stage extents, optionally the
 * life of one tile and timeline bins. Memory does not grow with the trace.
 */
public final class TraceInspector {

  /**
   * What to look at.
   *
   * @param block only this block, or null for all
   * @param from window start (cycle)
   * @param to window end (cycle, exclusive), or {@link Long#MAX_VALUE} for the end of the run
   * @param tile the tile to follow, or null
   * @param stallsPerBlock how many of each block's longest stalls to keep
   * @param timelineBins bins for a timeline plot, or 0 for none
   */
  public record Options(String block, long from, long to, Long tile, int stallsPerBlock,
      int timelineBins) {
    public static Options all() {
      return new Options(null, 0, Long.MAX_VALUE, null, 3, 0);
    }
  }

  private static final class BlockAcc {
    long busy;
    long stall;
    long msgsIn;
    long bytesIn;
    long msgsOut;
    long bytesOut;
    final PriorityQueue<TraceEvent.Stall> longest;

    BlockAcc(Comparator<TraceEvent.Stall> shortestFirst) {
      longest = new PriorityQueue<>(shortestFirst);
    }
  }

  private static final class StageAcc {
    long spans;
    long busy;
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    final java.util.BitSet blocks = new java.util.BitSet();
  }

  /** Shorter first; among equal lengths the later one first, so the earliest is kept. */
  private static final Comparator<TraceEvent.Stall> SHORTEST_FIRST =
      Comparator.<TraceEvent.Stall>comparingLong(s -> s.end() - s.start())
          .thenComparing(Comparator.<TraceEvent.Stall>comparingLong(TraceEvent.Stall::start)
              .reversed());

  private final TraceHeader header;
  private final Options options;
  private final int onlyBlock;
  private final BlockAcc[] acc;
  private final Map<String, StageAcc> stages = new LinkedHashMap<>();
  private final TimelineBins bins;
  private long lastCycle;
  private long other;
  // --tile
  private final List<InspectReport.Hop> hops = new ArrayList<>();
  private final long[] creditsSeen;
  private final Map<Integer, long[]> awaitingDequeue = new LinkedHashMap<>(); // link -> {seq, t}
  private long sentAt = -1;

  public TraceInspector(TraceHeader header, Options options) {
    this.header = header;
    this.options = options;
    if (options.block() != null) {
      onlyBlock = header.blocks().indexOf(options.block());
      if (onlyBlock < 0) {
        throw new IllegalArgumentException("no block " + options.block() + " in the trace; its "
            + "blocks are " + String.join(", ", header.blocks()));
      }
    } else {
      onlyBlock = -1;
    }
    if (options.to() <= options.from()) {
      throw new IllegalArgumentException("the window is empty: --from " + options.from()
          + " is not before --to " + options.to());
    }
    acc = new BlockAcc[header.blocks().size()];
    for (int i = 0; i < acc.length; i++) {
      acc[i] = new BlockAcc(SHORTEST_FIRST);
    }
    bins = options.timelineBins() > 0
        ? new TimelineBins(acc.length, options.from(), options.timelineBins()) : null;
    creditsSeen = new long[header.linkCount()];
  }

  /** The timeline bins, or null when not asked for. */
  public TimelineBins bins() {
    return bins;
  }

  public void accept(TraceEvent e) {
    lastCycle = Math.max(lastCycle, e.t());
    if (options.tile() != null) {
      followTile(e);
    }
    if (e instanceof TraceEvent.Busy b) {
      lastCycle = Math.max(lastCycle, b.end());
      onBusy(b);
    } else if (e instanceof TraceEvent.Stall s) {
      lastCycle = Math.max(lastCycle, s.end());
      onStall(s);
    } else if (e instanceof TraceEvent.Send s) {
      if (inWindow(s.t()) && selected(s.from())) {
        acc[s.from()].msgsOut++;
        acc[s.from()].bytesOut += s.bytes();
      }
    } else if (e instanceof TraceEvent.Recv r) {
      if (inWindow(r.t()) && selected(r.block())) {
        acc[r.block()].msgsIn++;
        acc[r.block()].bytesIn += r.bytes();
      }
    } else if (e instanceof TraceEvent.Other) {
      other++;
    }
  }

  private boolean inWindow(long t) {
    return t >= options.from() && t < options.to();
  }

  private boolean selected(int block) {
    return onlyBlock < 0 || block == onlyBlock;
  }

  /** Cycles of {@code [start, end)} inside the window. */
  private long clipped(long start, long end) {
    return Math.max(0, Math.min(end, options.to()) - Math.max(start, options.from()));
  }

  private void onBusy(TraceEvent.Busy b) {
    long cycles = clipped(b.start(), b.end());
    if (!selected(b.block()) || (cycles == 0 && b.start() != b.end())) {
      return;
    }
    if (b.start() == b.end() && !inWindow(b.start())) {
      return;
    }
    acc[b.block()].busy += cycles;
    StageAcc st = stages.computeIfAbsent(b.stageOrOp(), k -> new StageAcc());
    st.spans++;
    st.busy += cycles;
    st.start = Math.min(st.start, Math.max(b.start(), options.from()));
    st.end = Math.max(st.end, Math.min(b.end(), options.to()));
    st.blocks.set(b.block());
    if (bins != null) {
      bins.addBusy(b.block(), b.stageOrOp(), b.start(), Math.min(b.end(), options.to()));
    }
  }

  private void onStall(TraceEvent.Stall s) {
    long cycles = clipped(s.start(), s.end());
    if (!selected(s.block()) || cycles == 0) {
      return;
    }
    BlockAcc a = acc[s.block()];
    a.stall += cycles;
    if (options.stallsPerBlock() > 0) {
      if (a.longest.size() < options.stallsPerBlock()) {
        a.longest.add(s);
      } else if (SHORTEST_FIRST.compare(s, a.longest.peek()) > 0) {
        a.longest.poll();
        a.longest.add(s);
      }
    }
    if (bins != null) {
      bins.addStall(s.block(), s.start(), Math.min(s.end(), options.to()));
    }
  }

  private void followTile(TraceEvent e) {
    long tile = options.tile();
    if (e instanceof TraceEvent.Send s && s.tile() == tile) {
      var l = header.link(s.link());
      sentAt = s.t();
      hops.add(new InspectReport.Hop(s.t(), "send", s.link(), port(l.fromBlock(), l.fromPort()),
          port(l.toBlock(), l.toPort()), String.format(Locale.ROOT,
              "link %d seq %d, %s, %,d B, arrives at %,d", s.link(), s.seq(), s.kind(),
              s.bytes(), s.arrive())));
    } else if (e instanceof TraceEvent.Recv r && r.tile() == tile) {
      var l = header.link(r.link());
      String flight = sentAt >= 0 ? String.format(Locale.ROOT, "after %,d cycles in flight",
          r.t() - sentAt) : "";
      hops.add(new InspectReport.Hop(r.t(), "recv", r.link(), "",
          port(header.blocks().get(r.block()), r.port()), flight));
      if (l.bounded()) {
        awaitingDequeue.put(r.link(), new long[] {r.seq(), r.t()});
      } else {
        hops.add(new InspectReport.Hop(r.t(), "dequeue", r.link(), "",
            port(header.blocks().get(r.block()), r.port()),
            "time unknown: link " + r.link() + " is unbounded, no credit comes back"));
      }
    } else if (e instanceof TraceEvent.Credit c && c.link() < creditsSeen.length) {
      long n = creditsSeen[c.link()]++;
      long[] waiting = awaitingDequeue.get(c.link());
      // Links are FIFOs and each dequeue sends one credit back: credit n is for tile seq n.
      if (waiting != null && waiting[0] == n) {
        awaitingDequeue.remove(c.link());
        var l = header.link(c.link());
        long dequeued = c.t() - l.creditLatencyCycles();
        hops.add(new InspectReport.Hop(dequeued, "dequeue", c.link(), "",
            port(l.toBlock(), l.toPort()), String.format(Locale.ROOT,
                "after %,d cycles in the FIFO (credit back at %s at %,d)",
                dequeued - waiting[1], port(l.fromBlock(), l.fromPort()), c.t())));
      }
    }
  }

  private static String port(String block, String port) {
    return block + "." + port;
  }

  /** The report, once every event has been accepted. */
  public InspectReport finish(java.nio.file.Path file, TraceFooter footer, TraceError incomplete,
      long events) {
    long runEnd = footer != null ? Math.max(footer.cycles(), lastCycle) : lastCycle;
    long to = Math.min(options.to(), Math.max(runEnd, options.from()));
    long window = Math.max(0, to - options.from());
    var rows = new ArrayList<InspectReport.BlockRow>();
    for (int i = 0; i < acc.length; i++) {
      if (!selected(i)) {
        continue;
      }
      BlockAcc a = acc[i];
      var longest = new ArrayList<>(a.longest);
      longest.sort(SHORTEST_FIRST.reversed());
      var stalls = new ArrayList<InspectReport.StallRow>();
      for (var s : longest) {
        stalls.add(new InspectReport.StallRow(header.blocks().get(i), s.port(), s.start(),
            s.end(), s.cause(), waitingFor(header.blocks().get(i), s.port(), s.cause())));
      }
      rows.add(new InspectReport.BlockRow(header.blocks().get(i), a.busy, a.stall,
          Math.max(0, window - a.busy - a.stall), a.msgsIn, a.bytesIn, a.msgsOut, a.bytesOut,
          stalls));
    }
    var stageRows = new ArrayList<InspectReport.StageRow>();
    stages.forEach((name, s) -> stageRows.add(new InspectReport.StageRow(name, s.spans,
        s.blocks.cardinality(), s.start, s.end, s.busy)));
    InspectReport.TileLife tileLife = null;
    if (options.tile() != null) {
      long tile = options.tile();
      int creator = TraceEvent.tileCreator(tile);
      String creatorName = creator < header.blocks().size() ? header.blocks().get(creator) : "?";
      var allHops = new ArrayList<>(hops);
      allHops.sort(Comparator.comparingLong(InspectReport.Hop::t));
      tileLife = new InspectReport.TileLife(tile, creatorName, TraceEvent.tileNumber(tile),
          allHops);
    }
    return new InspectReport(file, header, footer,
        incomplete != null ? incomplete.reason() : null, events, other, options.from(), to,
        rows, stageRows, tileLife);
  }

  /** What a stall on {@code block.port} waited for, from the cause and the netlist. */
  private String waitingFor(String block, String port, String cause) {
    var l = header.outLink(block, port);
    if ("no-credit".equals(cause) && l != null) {
      return String.format(Locale.ROOT, "a credit from %s.%s (link %d): its %d-deep FIFO was full",
          l.toBlock(), l.toPort(), l.id(), l.depth());
    }
    if (l != null) {
      return cause + " on link " + l.id() + " to " + l.toBlock() + "." + l.toPort();
    }
    return cause;
  }
}
