package dev.attnsim.actors.blocks.common.dram;

import dev.attnsim.actors.blocks.common.dram.AddressMapping.Location;
import dev.attnsim.actors.blocks.common.dram.DramController.RequestRecord;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Tile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * What both DRAM controller models keep of the requests they serve, from the cycle a request is
 * taken to its response: the responses waiting to leave (per port, in departure order), the
 * per-request statistics and observer, and the data-bus spans waiting to be reported.
 */
final class RequestBook {
  static final String[] CLASS_NAMES = {"hit", "miss", "conflict"};

  private final DramTiming timing;
  private final List<OutPort> outputs;
  private final List<PriorityQueue<Request>> done;
  private final SpanHeap spans = new SpanHeap();
  private final int minDataLatency;
  private Consumer<RequestRecord> observer;
  private long seq;
  private long busyReportedUntil;
  /** The span {@link #dataBusy} added last, and whether no span has left the heap since. */
  private long lastStart;
  private long lastEnd;
  private boolean lastWrite;
  private boolean lastHeld;

  private long requests;
  private long bytesRead;
  private long bytesWritten;
  private long latencyTotal;
  private long latencyMax;
  private final long[] classRequests = new long[3];
  private final long[] classLatencyTotal = new long[3];
  private final long[] classLatencyMax = new long[3];

  RequestBook(DramTiming timing, List<OutPort> outputs) {
    this.timing = timing;
    this.outputs = outputs;
    Comparator<Request> byDeparture =
        Comparator.comparingLong((Request r) -> r.departureCycle).thenComparingLong(r -> r.seq);
    var queues = new ArrayList<PriorityQueue<Request>>();
    for (int i = 0; i < outputs.size(); i++) {
      queues.add(new PriorityQueue<>(byDeparture));
    }
    this.done = List.copyOf(queues);
    DramDevice.Clocks c = timing.device().clocks();
    this.minDataLatency = Math.min(c.readLatency(), c.writeLatency());
  }

  void observe(Consumer<RequestRecord> observer) {
    this.observer = observer;
  }

  /** The request {@code tile} on port {@code port}, taken in {@code cycle}. */
  Request take(Tile tile, DramRequest what, int port, long cycle) {
    return new Request(tile, what, port, seq++, cycle, timing.device().burstBytes());
  }

  /**
   * The request a tile on requester port {@code port} carries.
   *
   * @throws IllegalArgumentException if it carries none, or no bytes, or overflows
   */
  static DramRequest requestOf(Tile tile, int port) {
    // the port's name only for an error: made per request, it was 2 % of a long DOTA run
    if (!(tile.payload() instanceof DramRequest r)) {
      throw new IllegalArgumentException("tile " + tile.id() + " on "
          + DramController.requestPortName(port) + " carries no DramRequest (payload: "
          + tile.payload() + ")");
    }
    if (tile.bytes() < 1) {
      throw new IllegalArgumentException("tile " + tile.id() + " on "
          + DramController.requestPortName(port) + " requests " + tile.bytes()
          + " bytes; a DRAM access needs >= 1");
    }
    if (r.address() > Long.MAX_VALUE - tile.bytes()) {
      throw new IllegalArgumentException("tile " + tile.id() + " on "
          + DramController.requestPortName(port) + ": address " + r.address() + " + "
          + tile.bytes() + " bytes overflows");
    }
    return r;
  }

  /** Queues the response once every burst's completion is known. */
  void settle(Request r) {
    if (r.handedOver && r.unresolved == 0 && r.departureCycle == Long.MIN_VALUE) {
      r.departureCycle = timing.cycleAt(r.completeClock);
      done.get(r.port).add(r);
    }
  }

  /** A channel's data bus busy over DRAM clocks {@code [startClock, endClock)}. */
  void dataBusy(long startClock, long endClock, boolean write) {
    long start = timing.ownerCycle(startClock);
    long end = timing.cycleAt(endClock);
    // The same span as the last one added, which is still held: reporting would drop it (it ends
    // where the first was reported up to) and both leave the heap in the same flush, so it is
    // not added at all. Channels streaming in step add their bursts' spans in the same cycles:
    // most of a long DOTA run's spans are such twins (issue 13).
    if (lastHeld && start == lastStart && end == lastEnd && write == lastWrite) {
      return;
    }
    spans.add(start, end, write);
    lastStart = start;
    lastEnd = end;
    lastWrite = write;
    lastHeld = true;
  }

  /**
   * Reports the data-bus spans that start before any command issued from DRAM clock {@code
   * fromClock} on could start data, merged in start order; returns the earliest start still held
   * (a wake-up is needed by then), or MAX_VALUE.
   */
  long flushSpans(long fromClock, BlockContext ctx) {
    long bound = timing.ownerCycle(fromClock + minDataLatency);
    while (!spans.isEmpty() && spans.peekStart() < bound) {
      long from = Math.max(spans.peekStart(), busyReportedUntil);
      long end = spans.peekEnd();
      boolean write = spans.peekWrite();
      spans.poll();
      lastHeld = false;
      if (end > from) {
        ctx.busy(from, end, write ? "dram-write" : "dram-read", 0, null);
        busyReportedUntil = end;
      }
    }
    return spans.isEmpty() ? Long.MAX_VALUE : spans.peekStart();
  }

  /** Sends responses due now; returns the next departure still to come, or MAX_VALUE. */
  long sendResponses(BlockContext ctx) {
    long now = ctx.now();
    long next = Long.MAX_VALUE;
    for (int p = 0; p < done.size(); p++) {
      var q = done.get(p);
      while (!q.isEmpty() && q.peek().departureCycle <= now) {
        if (!ctx.hasCredit(outputs.get(p))) {
          ctx.stallOn(outputs.get(p));
          break;
        }
        Request r = q.poll();
        ctx.send(outputs.get(p), r.tile, 0);
        respond(r, now);
      }
      if (!q.isEmpty() && q.peek().departureCycle > now) {
        next = Math.min(next, q.peek().departureCycle);
      }
    }
    return next;
  }

  /** The earliest departure of a response not yet sent (stalled ones included), or MAX_VALUE. */
  long nextDeparture() {
    long next = Long.MAX_VALUE;
    for (var q : done) {
      if (!q.isEmpty()) {
        next = Math.min(next, q.peek().departureCycle);
      }
    }
    return next;
  }

  /** Responses not yet sent. */
  int waiting() {
    int n = 0;
    for (var q : done) {
      n += q.size();
    }
    return n;
  }

  private void respond(Request r, long now) {
    requests++;
    if (r.what.write()) {
      bytesWritten += r.tile.bytes();
    } else {
      bytesRead += r.tile.bytes();
    }
    r.leftCycle = now;
    long latency = now - r.acceptedCycle;
    latencyTotal += latency;
    latencyMax = Math.max(latencyMax, latency);
    finishIfDone(r);
  }

  /** Per-class statistics and the observer, once the response has left and every burst issued. */
  void finishIfDone(Request r) {
    if (r.leftCycle == Long.MIN_VALUE || r.unclassified > 0 || r.finished) {
      return;
    }
    r.finished = true;
    long latency = r.leftCycle - r.acceptedCycle;
    classRequests[r.worst]++;
    classLatencyTotal[r.worst] += latency;
    classLatencyMax[r.worst] = Math.max(classLatencyMax[r.worst], latency);
    if (observer != null) {
      observer.accept(new RequestRecord(r.tile.id(), r.port, r.what.address(),
          r.tile.bytes(), r.what.write(), r.acceptedCycle, r.leftCycle, r.location,
          CLASS_NAMES[r.worst]));
    }
  }

  /** The request counters: sizes, latencies and latencies per row-buffer class. */
  void putCounters(SortedMap<String, Long> m) {
    m.put("requests", requests);
    m.put("bytes_read", bytesRead);
    m.put("bytes_written", bytesWritten);
    m.put("latency_total_cycles", latencyTotal);
    m.put("latency_max_cycles", latencyMax);
    for (int c = 0; c < 3; c++) {
      m.put("requests_" + CLASS_NAMES[c], classRequests[c]);
      m.put("latency_" + CLASS_NAMES[c] + "_total_cycles", classLatencyTotal[c]);
      m.put("latency_" + CLASS_NAMES[c] + "_max_cycles", classLatencyMax[c]);
    }
  }

  /** A request from the cycle it is taken to its response. */
  static final class Request {
    final Tile tile;
    final DramRequest what;
    final int port;
    final long seq;
    final long acceptedCycle;
    final long lastBurst;
    long nextBurst;
    boolean handedOver;
    int unresolved; // bursts handed over whose completion clock is not known
    int unclassified; // bursts handed over without a row-buffer class yet
    long completeClock;
    byte worst = DramChannel.HIT;
    Location location;
    long departureCycle = Long.MIN_VALUE;
    long leftCycle = Long.MIN_VALUE;
    boolean finished;

    private Request(Tile tile, DramRequest what, int port, long seq, long acceptedCycle,
        int burstBytes) {
      this.tile = tile;
      this.what = what;
      this.port = port;
      this.seq = seq;
      this.acceptedCycle = acceptedCycle;
      this.nextBurst = what.address() / burstBytes;
      this.lastBurst = (what.address() + tile.bytes() - 1) / burstBytes;
      int count = (int) (lastBurst - nextBurst + 1);
      this.unresolved = count;
      this.unclassified = count;
    }

    void resolved(long clock) {
      unresolved--;
      completeClock = Math.max(completeClock, clock);
    }

    void classified(byte rowClass) {
      unclassified--;
      if (rank(rowClass) > rank(worst)) {
        worst = rowClass;
      }
    }

    private static int rank(byte rowClass) {
      return switch (rowClass) {
        case DramChannel.HIT -> 0;
        case DramChannel.MISS -> 1;
        default -> 2;
      };
    }
  }
}
