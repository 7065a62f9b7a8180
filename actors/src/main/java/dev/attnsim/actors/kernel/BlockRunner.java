package dev.attnsim.actors.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one block: turns envelopes into {@link Event}s, keeps its input FIFOs, credits and stall
 * spans, numbers what it sends, counts statistics and produces trace records. Engines only decide
 * which envelope a runner handles next; everything a block observes is decided here, so both
 * engines give the same results.
 */
final class BlockRunner implements BlockContext {

  /** Where a runner's outgoing envelopes go; engines provide it. */
  interface Outbox {
    /** An envelope for another block (or for this one over a link). */
    void post(Envelope envelope);

    /** A wake-up of this block. */
    void postSelf(Envelope envelope);
  }

  /** A trace record with the key of the event that produced it. */
  record Keyed(long time, int channel, long seq, TraceRecord record) {}

  private final Netlist net;
  /** The netlist's links by id (frozen: read once, not through a fresh view per event). */
  private final Link[] links;
  private final int index;
  private final String name;
  private final Block block;
  private final Link[] outLinks;
  private final Link[] inLinks;
  private final int[] credits;
  private final long[] sendSeq;
  private final long[] lastArrival;
  private final long[] creditSeq;
  private final long[] stallStart;
  private final ArrayDeque<Tile>[] fifos;
  private final int wakeChannel;
  private final boolean tracing;
  /**
   * Records not yet drained, with the key of the event that made each ({@link #traceTime} ...);
   * a {@link Keyed} is made only for the actor engine, which sorts records from many blocks.
   */
  private final List<TraceRecord> trace = new ArrayList<>();
  private long[] traceTime = new long[16];
  private int[] traceChannel = new int[16];
  private long[] traceSeq = new long[16];
  private Outbox outbox;

  private long now;
  private int curChannel;
  private long curSeq;
  private long wakeSeq = 1; // 0 is the Start event
  private long tileSeq;

  private long events;
  private long busyCycles;
  private final StageSpans stageSpans = new StageSpans();
  private long stallCycles;
  private long tilesIn;
  private long tilesOut;
  private long bytesIn;
  private long bytesOut;
  private long lastEventTime;
  private long maxBusyEnd;
  private long workDone;
  private long quietUntil = Long.MIN_VALUE;

  @SuppressWarnings({"unchecked", "rawtypes"}) // an array of generic FIFOs
  BlockRunner(Netlist net, int index, boolean tracing) {
    this.net = net;
    this.links = net.links().toArray(new Link[0]);
    this.index = index;
    this.name = net.name(index);
    this.block = net.block(index);
    this.tracing = tracing;
    var outs = block.outputs();
    var ins = block.inputs();
    outLinks = new Link[outs.size()];
    credits = new int[outs.size()];
    sendSeq = new long[outs.size()];
    lastArrival = new long[outs.size()];
    stallStart = new long[outs.size()];
    for (OutPort p : outs) {
      Link l = net.linkFrom(index, p);
      outLinks[p.index()] = l;
      credits[p.index()] = l.depth();
      stallStart[p.index()] = -1;
    }
    inLinks = new Link[ins.size()];
    creditSeq = new long[ins.size()];
    fifos = new ArrayDeque[ins.size()];
    for (InPort p : ins) {
      inLinks[p.index()] = net.linkTo(index, p);
      fifos[p.index()] = new ArrayDeque<>();
    }
    wakeChannel = net.wakeChannel(index);
  }

  void attach(Outbox outbox) {
    this.outbox = outbox;
  }

  int index() {
    return index;
  }

  String name() {
    return name;
  }

  /** The envelope that starts this block at cycle 0. */
  Envelope startEnvelope() {
    return new Envelope(0, wakeChannel, 0, index, Event.Start.INSTANCE);
  }

  /** Handles one envelope; a throwing block becomes a {@link BlockFailure}. */
  void handle(Envelope env) {
    now = env.time();
    curChannel = env.channel();
    curSeq = env.seq();
    events++;
    lastEventTime = now;
    if (env.payload() instanceof Tile) {
      quietUntil = Long.MIN_VALUE; // a tile's arrival voids the promise (Block#quietUntil)
    }
    try {
      block.onEvent(toEvent(env), this);
      quietUntil = block.quietUntil();
    } catch (RuntimeException e) {
      throw new BlockFailure(name, env, e);
    } catch (OutOfMemoryError e) {
      // The allocation that failed is abandoned: the run ends as aborted, naming the block and
      // the heap, instead of an engine thread dying (Akka would exit the JVM with a stack trace).
      throw new BlockFailure(name, env, new IllegalStateException("out of memory: the JVM's "
          + "heap of " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB is full; make "
          + "the workload smaller or give Java more heap (JAVA_OPTS=-Xmx...)"));
    }
  }

  /** The block's latest promise (see {@link Block#quietUntil()}). */
  long quietUntil() {
    return quietUntil;
  }

  /**
   * Fails when something leaves before the block's promise. The message is built only then:
   * this runs on every send and dequeue.
   */
  private void checkPromise(long leaves, String what, String port) {
    if (leaves < quietUntil) {
      throw new IllegalStateException(name + " promised nothing would leave before cycle "
          + quietUntil + " but " + what + port + " leaves at cycle " + leaves);
    }
  }

  private Event toEvent(Envelope env) {
    int ch = env.channel();
    int linkCount = links.length;
    if (ch < linkCount) {
      Link l = links[ch];
      Tile tile = (Tile) env.payload();
      fifos[l.toPort().index()].addLast(tile);
      tilesIn++;
      bytesIn += tile.bytes();
      if (tracing) { // records are made only when traced, not made and dropped
        record(new TraceRecord.Receive(now, l.id(), env.seq(), name, l.toPort().name(),
            tile.id(), tile.bytes()));
      }
      return new Event.TileArrived(l.toPort(), tile);
    }
    if (ch < 2 * linkCount) {
      Link l = links[ch - linkCount];
      int p = l.fromPort().index();
      credits[p]++;
      if (tracing) {
        record(new TraceRecord.Credit(now, l.id(), name, l.fromPort().name(), credits[p]));
      }
      if (stallStart[p] >= 0) {
        stallCycles += now - stallStart[p];
        if (tracing) {
          record(new TraceRecord.Stall(now, name, l.fromPort().name(), stallStart[p], now,
              "no-credit"));
        }
        stallStart[p] = -1;
      }
      return new Event.CreditReturned(l.fromPort());
    }
    return (Event) env.payload();
  }

  // ---- BlockContext ----

  @Override
  public long now() {
    return now;
  }

  @Override
  public boolean hasCredit(OutPort port) {
    return credits[port.index()] > 0;
  }

  @Override
  public void send(OutPort port, Tile tile, long delayCycles) {
    if (delayCycles < 0) {
      throw new IllegalArgumentException(name + "." + port.name() + ": negative delay "
          + delayCycles);
    }
    checkPromise(now + delayCycles, "a tile sent on ", port.name());
    int p = port.index();
    Link l = outLinks[p];
    if (credits[p] <= 0) {
      throw new IllegalStateException(
          "sent on " + name + "." + port.name() + " without a credit");
    }
    if (l.bounded()) {
      credits[p]--;
    }
    long arrive = Math.max(now + delayCycles + l.latencyCycles(), lastArrival[p]);
    lastArrival[p] = arrive;
    long seq = sendSeq[p]++;
    tilesOut++;
    bytesOut += tile.bytes();
    if (tracing) {
      var attributes = tile.payload() instanceof TraceAttributes a ? a.traceAttributes() : null;
      record(new TraceRecord.Send(now, l.id(), seq, name, net.name(l.toBlock()), tile.id(),
          tile.kind().name(), tile.bytes(), arrive, attributes));
    }
    outbox.post(new Envelope(arrive, l.id(), seq, l.toBlock(), tile));
  }

  @Override
  public void stallOn(OutPort port) {
    int p = port.index();
    if (credits[p] > 0) {
      throw new IllegalStateException(
          name + "." + port.name() + " has " + credits[p] + " credits: not a stall");
    }
    if (stallStart[p] < 0) {
      stallStart[p] = now;
    }
  }

  @Override
  public int queued(InPort port) {
    return fifos[port.index()].size();
  }

  @Override
  public Tile peek(InPort port) {
    return fifos[port.index()].peekFirst();
  }

  @Override
  public Tile poll(InPort port) {
    checkPromise(now, "the credit of a tile dequeued from ", port.name());
    int p = port.index();
    Tile t = fifos[p].pollFirst();
    if (t == null) {
      throw new IllegalStateException(name + "." + port.name() + " is empty");
    }
    Link l = inLinks[p];
    if (l.bounded()) {
      outbox.post(new Envelope(now + l.creditLatencyCycles(), net.creditChannel(l.id()),
          creditSeq[p]++, l.fromBlock(), null));
    }
    return t;
  }

  @Override
  public void wakeAt(long time) {
    if (time < now) {
      throw new IllegalArgumentException(
          name + ": wake-up at " + time + " is in the past (now " + now + ")");
    }
    outbox.postSelf(new Envelope(time, wakeChannel, wakeSeq++, index, Event.Wakeup.INSTANCE));
  }

  @Override
  public void busy(long startCycle, long endCycle, String operation, String stage, long macs,
      Precision precision) {
    if (endCycle < startCycle || startCycle < now) {
      throw new IllegalArgumentException(name + ": bad busy span [" + startCycle + ", "
          + endCycle + ") at " + now);
    }
    if (startCycle < maxBusyEnd) { // reports and trace readers rely on spans never overlapping
      throw new IllegalArgumentException(name + ": busy span [" + startCycle + ", " + endCycle
          + ") overlaps the previous one, which ends at " + maxBusyEnd);
    }
    busyCycles += endCycle - startCycle;
    stageSpans.add(stage, startCycle, endCycle);
    maxBusyEnd = Math.max(maxBusyEnd, endCycle);
    if (tracing) {
      record(new TraceRecord.Busy(now, name, startCycle, endCycle, operation, stage, macs,
          precision == null ? null : precision.name()));
    }
  }

  @Override
  public long newTileId() {
    return ((long) index << 32) | tileSeq++;
  }

  @Override
  public void completeWork(long units) {
    workDone += units;
  }

  // ---- for engines ----

  private void record(TraceRecord r) {
    if (tracing) {
      int i = trace.size();
      if (i == traceTime.length) {
        traceTime = java.util.Arrays.copyOf(traceTime, 2 * i);
        traceChannel = java.util.Arrays.copyOf(traceChannel, 2 * i);
        traceSeq = java.util.Arrays.copyOf(traceSeq, 2 * i);
      }
      traceTime[i] = now;
      traceChannel[i] = curChannel;
      traceSeq[i] = curSeq;
      trace.add(r);
    }
  }

  /** Whether records are waiting to be drained. */
  boolean hasTrace() {
    return !trace.isEmpty();
  }

  /** Moves the trace records produced so far to {@code into}. */
  void drainTrace(List<Keyed> into) {
    for (int i = 0; i < trace.size(); i++) {
      into.add(new Keyed(traceTime[i], traceChannel[i], traceSeq[i], trace.get(i)));
    }
    trace.clear();
  }

  /** Sends the records produced so far straight to a sink (single-threaded engines). */
  void drainTrace(TraceSink sink) {
    for (int i = 0; i < trace.size(); i++) {
      sink.accept(trace.get(i));
    }
    trace.clear();
  }

  long workDone() {
    return workDone;
  }

  long events() {
    return events;
  }

  /** The last cycle this block did anything. */
  long lastCycle() {
    return Math.max(lastEventTime, maxBusyEnd);
  }

  /** Closes stall spans still open at the end of the run (they count up to {@code end}). */
  void closeStalls(long end) {
    for (int p = 0; p < stallStart.length; p++) {
      if (stallStart[p] >= 0) {
        stallCycles += Math.max(0, end - stallStart[p]);
      }
    }
  }

  /** Why this block is not finished, or empty if it is. */
  Optional<String> pending() {
    var parts = new ArrayList<String>();
    for (int p = 0; p < fifos.length; p++) {
      if (!fifos[p].isEmpty()) {
        Tile head = fifos[p].peekFirst();
        parts.add(fifos[p].size() + " tile(s) queued at " + inLinks[p].toPort().name()
            + " (oldest tile " + head.id() + ", " + head.kind() + ")");
      }
    }
    for (int p = 0; p < stallStart.length; p++) {
      if (stallStart[p] >= 0) {
        parts.add("waiting for a credit on " + outLinks[p].fromPort().name() + " -> "
            + net.name(outLinks[p].toBlock()) + " since cycle " + stallStart[p]);
      }
    }
    block.pendingWork().ifPresent(parts::add);
    return parts.isEmpty() ? Optional.empty() : Optional.of(name + ": " + String.join("; ", parts));
  }

  BlockStats stats() {
    return new BlockStats(name, busyCycles, stallCycles, events, tilesIn, tilesOut, bytesIn,
        bytesOut, block.counters(), stageSpans.snapshot());
  }
}
