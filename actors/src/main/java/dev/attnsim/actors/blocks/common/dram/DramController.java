package dev.attnsim.actors.blocks.common.dram;

import dev.attnsim.actors.kernel.Arith;
import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Tile;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A request-driven, banked DRAM controller serving {@code N} requesters.
 *
 * <h2>Protocol</h2>
 * Requester {@code i} sends on input {@code req<i>} a {@link Tile} whose payload is a
 * {@link DramRequest} and whose {@code bytes()} (at least 1) is the access size; the controller
 * sends the same tile back on output {@code resp<i>} in the cycle the last burst's data has been
 * transferred (read) or written (write). Requesters match responses by tile id: responses of one
 * port leave in completion order, which need not be request order.
 *
 * <p>The controller holds at most {@link DramPolicy#queueDepth()} requests in total (all channels,
 * all requesters) from dequeue until its last burst is scheduled on a data bus. It dequeues
 * ({@code poll}s) a request only when it has room, taking ports round-robin, so a requester whose
 * request link is full stalls on credits. A response whose port has no credit waits (a stall on
 * that port only: responses of one port queue behind each other, other ports are unaffected).
 *
 * <h2>Timing model</h2>
 * Everything is in accelerator cycles ({@link DramTiming}); only data-bus time is kept in
 * sub-cycle ticks so a fractional burst time (2.5 cycles) does not lose bandwidth.
 * <ul>
 *   <li><b>Bursts and segments.</b> A request covers the bursts {@code floor(address /
 *       burstBytes)} to {@code floor((address + bytes - 1) / burstBytes)}; a partial burst costs a
 *       whole one. Each burst is located by the {@link AddressMapping}. Per channel, consecutive
 *       bursts of one request in the same bank and row form one <i>segment</i>, the unit of
 *       scheduling: it is issued as one column run and moves its bursts back to back. A request
 *       completes when all its segments' data has moved; a request spanning several channels
 *       is served by them in parallel. Events per request: its arrival, about one wake-up per
 *       segment and one for its response; burst timing is computed, never simulated.
 *   <li><b>Banks.</b> Each bank has an open row or none. A bank with queued work prepares for
 *       its <i>target</i>, the oldest segment queued for it (FR-FCFS: only when no queued
 *       segment hits its open row, so a row stays open while it has hits). Open on another row:
 *       precharge no earlier than {@code activate + tRAS} and no earlier than the end of the
 *       bank's last data transfer (standing in for tRTP / tWR). Closed: activate {@code tRP}
 *       after the precharge, {@code tRRD} after the channel's previous activation and
 *       {@code tFAW} after its fourth-last; the column command may issue {@code tRCD} later. So a
 *       row hit costs {@code tCL}, a miss {@code tRCD + tCL}, a conflict
 *       {@code tRP + tRCD + tCL} (plus burst time and any wait). Each command is decided in the
 *       cycle it issues, so a hit arriving before a precharge still keeps the row, and
 *       activations take their tRRD/tFAW slots in issue order. Banks prepare while the bus
 *       serves other banks (bank parallelism); there is no command bus to collide on.
 *   <li><b>Data bus, per channel.</b> A segment whose row is open and whose bank accepts a
 *       column command is <i>ready</i>. The channel picks among ready segments (FR-FCFS: the
 *       oldest ready; FCFS: only the channel's oldest segment, when ready) in the latest cycle
 *       that still keeps the bus busy, {@code floor(busFree - tCL)}, or at once if the bus would
 *       otherwise idle. Its data occupies the bus from {@code max(now + tCL, busFree)} for
 *       {@code bursts x burst} cycles. Back-to-back bursts are thus one burst apart (tCCD_S).
 *   <li><b>Decisions</b> run in a wake-up: an arrival or a credit only schedules one in its
 *       cycle, and the event key orders wake-ups after all of a cycle's data and credits, so a
 *       decision sees every request that arrived in its cycle.
 *   <li><b>Row outcomes</b> are counted per burst: the first burst of a segment is a miss (bank
 *       was closed), a conflict (another row was open) or a hit (its row was already open or
 *       opened for an older segment); the rest of a segment's bursts are hits.
 *   <li><b>Page policy.</b> Open: rows stay open. Closed: every column run ends with an
 *       auto-precharge at {@code max(activate + tRAS, data end)} rounded up to a cycle, and the
 *       bank may activate again {@code tRP} later.
 *   <li><b>Writes</b> are timed like reads (write latency = tCL, no read/write turnaround).
 * </ul>
 * Not modelled: refresh, bank-group timing (tCCD_L, tRRD_L: tRRD is tRRD_S for every pair),
 * tRTP / tWR / tWTR / CWL, the command bus, power-down, starvation caps, functional contents (see
 * {@link DramRequest}).
 *
 * <h2>Statistics and trace</h2>
 * {@link #counters()}: {@code requests}, {@code bytes_read}, {@code bytes_written}, {@code bursts},
 * {@code row_hits}, {@code row_misses}, {@code row_conflicts}, {@code latency_total_cycles} and
 * {@code latency_max_cycles} (dequeue to the response leaving), {@code bus_busy_cycles_max} (the
 * busiest channel's data bus, rounded up). Busy spans ({@code dram-read} / {@code dram-write})
 * cover cycles in which at least one channel moves data: each column run reports its bus time
 * minus what earlier spans already cover, so spans never overlap.
 *
 * <p>{@link #quietUntil()} keeps the default (no promise): a request may be dequeued in any cycle.
 */
public final class DramController implements Block {

  private static final long NO_ROW = -1;
  private static final byte HIT = 0;
  private static final byte MISS = 1;
  private static final byte CONFLICT = 2;

  private final DramTiming timing;
  private final DramPolicy policy;
  private final List<InPort> inputs;
  private final List<OutPort> outputs;
  private final Channel[] channels;
  private final List<PriorityQueue<Request>> done;
  private final Segment[] openSegment;

  private final int tpc;
  private final long burstTicks;
  private final long tClTicks;
  private final long tRcdTicks;
  private final long tRpTicks;
  private final long tRasTicks;
  private final long tRrdTicks;
  private final long tFawTicks;

  private int held;
  private int nextPort;
  private long requestSeq;
  private final ArrayDeque<Long> wakes = new ArrayDeque<>(); // pending wake-ups, earliest first
  private long busyReportedUntil;

  private long requests;
  private long bytesRead;
  private long bytesWritten;
  private long bursts;
  private long rowHits;
  private long rowMisses;
  private long rowConflicts;
  private long latencyTotal;
  private long latencyMax;

  /** A controller with {@link DramPolicy#DEFAULT}. */
  public DramController(int requesters, DramTiming timing) {
    this(requesters, timing, DramPolicy.DEFAULT);
  }

  /**
   * @param requesters number of requester ports: inputs {@code req0..}, outputs {@code resp0..}
   * @param timing geometry and timing in accelerator cycles
   * @param policy page policy, scheduling, address mapping, queue depth
   */
  public DramController(int requesters, DramTiming timing, DramPolicy policy) {
    if (requesters < 1) {
      throw new IllegalArgumentException("a DRAM controller needs >= 1 requester, got "
          + requesters);
    }
    this.timing = Objects.requireNonNull(timing, "timing");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.inputs = InPort.named(java.util.stream.IntStream.range(0, requesters)
        .mapToObj(DramController::requestPortName).toList());
    this.outputs = OutPort.named(java.util.stream.IntStream.range(0, requesters)
        .mapToObj(DramController::responsePortName).toList());
    this.channels = new Channel[timing.channels()];
    for (int c = 0; c < channels.length; c++) {
      channels[c] = new Channel(timing.banksPerChannel(),
          policy.scheduling() == DramPolicy.Scheduling.FCFS);
    }
    Comparator<Request> byDeparture =
        Comparator.comparingLong((Request r) -> r.departureCycle).thenComparingLong(r -> r.seq);
    var queues = new ArrayList<PriorityQueue<Request>>();
    for (int i = 0; i < requesters; i++) {
      queues.add(new PriorityQueue<>(byDeparture));
    }
    this.done = List.copyOf(queues);
    this.openSegment = new Segment[timing.channels()];
    this.tpc = timing.ticksPerCycle();
    this.burstTicks = timing.burstTicks();
    this.tClTicks = timing.tClCycles() * tpc;
    this.tRcdTicks = timing.tRcdCycles() * tpc;
    this.tRpTicks = timing.tRpCycles() * tpc;
    this.tRasTicks = timing.tRasCycles() * tpc;
    this.tRrdTicks = timing.tRrdCycles() * tpc;
    this.tFawTicks = timing.tFawCycles() * tpc;
  }

  public static String requestPortName(int requester) {
    return "req" + requester;
  }

  public static String responsePortName(int requester) {
    return "resp" + requester;
  }

  @Override
  public List<InPort> inputs() {
    return inputs;
  }

  @Override
  public List<OutPort> outputs() {
    return outputs;
  }

  /**
   * Arrivals and credits only schedule a decision in the same cycle: the event key orders wake-ups
   * after all of a cycle's data and credits, so each decision sees everything that arrived in its
   * cycle (a row hit arriving with a conflict still keeps the row open).
   */
  @Override
  public void onEvent(Event event, BlockContext ctx) {
    long now = ctx.now();
    if (!(event instanceof Event.Wakeup)) {
      if (wakes.isEmpty() || wakes.peekFirst() > now) {
        wakes.addFirst(now);
        ctx.wakeAt(now);
      }
      return;
    }
    while (!wakes.isEmpty() && wakes.peekFirst() <= now) {
      wakes.pollFirst();
    }
    boolean progress;
    do {
      progress = accept(ctx);
      for (Channel ch : channels) {
        // A channel changes only when it gets a segment or its next decision comes due.
        if (ch.dirty || ch.nextDecisionCycle <= now) {
          progress |= prepareBanks(ch, now);
          progress |= issueColumns(ch, now, ctx);
        }
      }
    } while (progress);
    long next = sendResponses(ctx);
    for (Channel ch : channels) {
      if (ch.dirty || ch.nextDecisionCycle <= now) {
        ch.nextDecisionCycle = nextDecision(ch, now);
        ch.dirty = false;
      }
      next = Math.min(next, ch.nextDecisionCycle);
    }
    if (next != Long.MAX_VALUE && (wakes.isEmpty() || next < wakes.peekFirst())) {
      wakes.addFirst(next);
      ctx.wakeAt(next);
    }
  }

  // ---- accepting requests ----

  /** Dequeues requests round-robin over the ports while the queue has room. */
  private boolean accept(BlockContext ctx) {
    boolean any = false;
    while (held < policy.queueDepth()) {
      int port = -1;
      for (int k = 0; k < inputs.size(); k++) {
        int p = (nextPort + k) % inputs.size();
        if (ctx.queued(inputs.get(p)) > 0) {
          port = p;
          break;
        }
      }
      if (port < 0) {
        break;
      }
      nextPort = (port + 1) % inputs.size();
      Tile tile = ctx.poll(inputs.get(port));
      enqueue(new Request(tile, requestOf(tile, port), port, requestSeq++, ctx.now()));
      any = true;
    }
    return any;
  }

  private DramRequest requestOf(Tile tile, int port) {
    if (!(tile.payload() instanceof DramRequest r)) {
      throw new IllegalArgumentException("tile " + tile.id() + " on " + requestPortName(port)
          + " carries no DramRequest (payload: " + tile.payload() + ")");
    }
    if (tile.bytes() < 1) {
      throw new IllegalArgumentException("tile " + tile.id() + " on " + requestPortName(port)
          + " requests " + tile.bytes() + " bytes; a DRAM access needs >= 1");
    }
    if (r.address() > Long.MAX_VALUE - tile.bytes()) {
      throw new IllegalArgumentException("tile " + tile.id() + " on " + requestPortName(port)
          + ": address " + r.address() + " + " + tile.bytes() + " bytes overflows");
    }
    return r;
  }

  /** Splits a request into per-channel segments (bursts sharing bank and row) and queues them. */
  private void enqueue(Request req) {
    long burstBytes = timing.burstBytes();
    long first = req.what.address() / burstBytes;
    long last = (req.what.address() + req.tile.bytes() - 1) / burstBytes;
    Arrays.fill(openSegment, null);
    for (long b = first; b <= last; b++) {
      var loc = policy.mapping().locate(b * burstBytes, timing);
      int bank = loc.bankGroup() * timing.banksPerGroup() + loc.bank();
      Segment seg = openSegment[loc.channel()];
      if (seg != null && seg.bank == bank && seg.row == loc.row()) {
        seg.bursts++;
      } else {
        seg = new Segment(req, bank, loc.row());
        openSegment[loc.channel()] = seg;
        channels[loc.channel()].add(seg);
        req.segmentsLeft++;
      }
    }
    held++;
  }

  // ---- banks ----

  /**
   * Issues the precharges and activations that can issue now, for each bank's oldest queued
   * segment, banks taken in the age order of those segments; returns whether anything changed.
   * A command that cannot issue yet is retried at the cycle it can ({@code prepareWakeCycle}).
   */
  private boolean prepareBanks(Channel ch, long now) {
    // Nothing it depends on changed since it last found nothing to do, and no blocked command
    // is due yet: it would find nothing again.
    if (!ch.prepareDirty && now < ch.prepareWakeCycle) {
      return false;
    }
    ch.prepareWakeCycle = Long.MAX_VALUE;
    if (ch.size == 0) {
      ch.prepareDirty = false;
      return false;
    }
    int n = 0;
    for (int b = 0; b < ch.banks.length; b++) {
      long open = ch.banks[b].openRow;
      ch.hasHit[b] = open != NO_ROW && ch.firstHit(b, open) != null;
      Segment head = ch.head(b);
      if (head != null) {
        ch.targets[n++] = head;
      }
    }
    for (int a = 1; a < n; a++) { // at most one head per bank: insertion sort by age
      Segment x = ch.targets[a];
      int j = a - 1;
      while (j >= 0 && ch.targets[j].seq > x.seq) {
        ch.targets[j + 1] = ch.targets[j];
        j--;
      }
      ch.targets[j + 1] = x;
    }
    long nowTicks = now * tpc;
    boolean changed = false;
    for (int t = 0; t < n; t++) {
      Segment target = ch.targets[t];
      ch.targets[t] = null;
      int i = target.bank;
      Bank bank = ch.banks[i];
      if (target.row == bank.openRow
          || (policy.scheduling() == DramPolicy.Scheduling.FR_FCFS && ch.hasHit[i])) {
        continue;
      }
      if (bank.openRow != NO_ROW) {
        long precharge = earliestPrecharge(bank);
        if (precharge > nowTicks) {
          ch.prepareWakeCycle = Math.min(ch.prepareWakeCycle, Arith.ceilDiv(precharge, tpc));
          continue;
        }
        bank.openRow = NO_ROW;
        bank.activateReadyTicks = nowTicks + tRpTicks;
        target.outcome = CONFLICT;
        changed = true;
      }
      long activate = Math.max(bank.activateReadyTicks, ch.earliestActivate(tRrdTicks, tFawTicks));
      if (activate > nowTicks) {
        ch.prepareWakeCycle = Math.min(ch.prepareWakeCycle, Arith.ceilDiv(activate, tpc));
        continue;
      }
      ch.activated(nowTicks);
      bank.openRow = target.row;
      bank.activateTicks = nowTicks;
      bank.columnReadyTicks = nowTicks + tRcdTicks;
      if (target.outcome != CONFLICT) {
        target.outcome = MISS;
      }
      changed = true;
    }
    ch.prepareDirty = changed;
    return changed;
  }

  /** tRAS after the activation and after the bank's last data, on a cycle boundary. */
  private long earliestPrecharge(Bank bank) {
    long t = Math.max(bank.activateTicks + tRasTicks, bank.lastDataEndTicks);
    return Arith.ceilDiv(t, tpc) * tpc;
  }

  // ---- data bus ----

  /** The last cycle a column command can issue without leaving the bus idle. */
  private long decisionCycle(Channel ch) {
    return Math.floorDiv(ch.busFreeTicks - tClTicks, tpc);
  }

  private boolean ready(Channel ch, Segment s, long nowTicks) {
    Bank bank = ch.banks[s.bank];
    return bank.openRow == s.row && bank.columnReadyTicks <= nowTicks;
  }

  /** Issues column runs due now; returns whether any was issued. */
  private boolean issueColumns(Channel ch, long now, BlockContext ctx) {
    boolean any = false;
    long nowTicks = now * tpc;
    while (ch.size > 0 && decisionCycle(ch) <= now) {
      Segment pick = null;
      if (policy.scheduling() == DramPolicy.Scheduling.FCFS) {
        Segment head = ch.oldest();
        pick = ready(ch, head, nowTicks) ? head : null;
      } else {
        for (int b = 0; b < ch.banks.length; b++) {
          Bank bank = ch.banks[b];
          if (bank.openRow == NO_ROW || bank.columnReadyTicks > nowTicks) {
            continue;
          }
          Segment s = ch.firstHit(b, bank.openRow);
          if (s != null && (pick == null || s.seq < pick.seq)) {
            pick = s;
          }
        }
      }
      if (pick == null) {
        break;
      }
      ch.remove(pick);
      serve(ch, pick, nowTicks, ctx);
      any = true;
    }
    return any;
  }

  private void serve(Channel ch, Segment s, long nowTicks, BlockContext ctx) {
    ch.prepareDirty = true; // the bank's timing and the channel's queue change
    Bank bank = ch.banks[s.bank];
    long start = Math.max(nowTicks + tClTicks, ch.busFreeTicks);
    long end = start + s.bursts * burstTicks;
    ch.busFreeTicks = end;
    ch.busBusyTicks += end - start;
    bank.lastDataEndTicks = end;
    bursts += s.bursts;
    rowHits += s.bursts - 1;
    switch (s.outcome) {
      case MISS -> rowMisses++;
      case CONFLICT -> rowConflicts++;
      default -> rowHits++;
    }
    if (policy.page() == DramPolicy.Page.CLOSED) {
      bank.openRow = NO_ROW;
      bank.activateReadyTicks = earliestPrecharge(bank) + tRpTicks;
    }
    reportBusy(start, end, s.request.what.write(), ctx);
    Request r = s.request;
    r.dataEndTicks = Math.max(r.dataEndTicks, end);
    if (--r.segmentsLeft == 0) {
      held--;
      r.departureCycle = Arith.ceilDiv(r.dataEndTicks, tpc);
      done.get(r.port).add(r);
    }
  }

  /** Reports {@code [start, end)} ticks as busy cycles, minus what is already reported. */
  private void reportBusy(long startTicks, long endTicks, boolean write, BlockContext ctx) {
    long from = Math.max(Math.floorDiv(startTicks, tpc), busyReportedUntil);
    long to = Arith.ceilDiv(endTicks, tpc);
    if (to > from) {
      ctx.busy(from, to, write ? "dram-write" : "dram-read", 0, null);
      busyReportedUntil = to;
    }
  }

  /** The next cycle after {@code now} at which this channel can issue anything, or MAX_VALUE. */
  private long nextDecision(Channel ch, long now) {
    long next = ch.prepareWakeCycle;
    long decision = decisionCycle(ch);
    if (policy.scheduling() == DramPolicy.Scheduling.FCFS) {
      Segment s = ch.oldest();
      if (s != null && ch.banks[s.bank].openRow == s.row) {
        next = Math.min(next,
            Math.max(decision, Arith.ceilDiv(ch.banks[s.bank].columnReadyTicks, tpc)));
      }
    } else {
      for (int b = 0; b < ch.banks.length; b++) {
        Bank bank = ch.banks[b];
        if (bank.openRow != NO_ROW && ch.firstHit(b, bank.openRow) != null) {
          next = Math.min(next, Math.max(decision, Arith.ceilDiv(bank.columnReadyTicks, tpc)));
        }
      }
    }
    if (next <= now) {
      throw new IllegalStateException("DRAM scheduler stuck at cycle " + now
          + ": next decision at " + next);
    }
    return next;
  }

  // ---- responses ----

  /** Sends responses due now; returns the next departure still to come, or MAX_VALUE. */
  private long sendResponses(BlockContext ctx) {
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
        complete(r, now);
      }
      if (!q.isEmpty() && q.peek().departureCycle > now) {
        next = Math.min(next, q.peek().departureCycle);
      }
    }
    return next;
  }

  private void complete(Request r, long now) {
    requests++;
    if (r.what.write()) {
      bytesWritten += r.tile.bytes();
    } else {
      bytesRead += r.tile.bytes();
    }
    long latency = now - r.acceptedCycle;
    latencyTotal += latency;
    latencyMax = Math.max(latencyMax, latency);
  }

  @Override
  public Optional<String> pendingWork() {
    int waiting = 0;
    for (var q : done) {
      waiting += q.size();
    }
    if (held == 0 && waiting == 0) {
      return Optional.empty();
    }
    return Optional.of(held + " request(s) queued, " + waiting + " response(s) not sent");
  }

  @Override
  public SortedMap<String, Long> counters() {
    long busiest = 0;
    for (Channel ch : channels) {
      busiest = Math.max(busiest, ch.busBusyTicks);
    }
    var m = new TreeMap<String, Long>();
    m.put("requests", requests);
    m.put("bytes_read", bytesRead);
    m.put("bytes_written", bytesWritten);
    m.put("bursts", bursts);
    m.put("row_hits", rowHits);
    m.put("row_misses", rowMisses);
    m.put("row_conflicts", rowConflicts);
    m.put("latency_total_cycles", latencyTotal);
    m.put("latency_max_cycles", latencyMax);
    m.put("bus_busy_cycles_max", Arith.ceilDiv(busiest, tpc));
    return m;
  }

  // ---- state ----

  /** A request from dequeue to response. */
  private static final class Request {
    final Tile tile;
    final DramRequest what;
    final int port;
    final long seq;
    final long acceptedCycle;
    int segmentsLeft;
    long dataEndTicks;
    long departureCycle;

    Request(Tile tile, DramRequest what, int port, long seq, long acceptedCycle) {
      this.tile = tile;
      this.what = what;
      this.port = port;
      this.seq = seq;
      this.acceptedCycle = acceptedCycle;
    }
  }

  /** Bursts of one request on one channel, in one bank and row: one column run. */
  private static final class Segment {
    final Request request;
    final int bank;
    final long row;
    int bursts = 1;
    byte outcome = HIT;
    long seq; // age within its channel
    boolean served;

    Segment(Request request, int bank, long row) {
      this.request = request;
      this.bank = bank;
      this.row = row;
    }
  }

  /** One bank's row buffer and command timing, in ticks. */
  private static final class Bank {
    long openRow = NO_ROW;
    long activateTicks;
    long columnReadyTicks;
    long lastDataEndTicks;
    long activateReadyTicks;
  }

  /**
   * One channel: its banks, its queued segments and its data bus. Segments are indexed three ways,
   * each in age order: all of them (FCFS only), per bank (each bank's oldest), and per bank and row
   * (the oldest segment hitting an open row), so a decision costs O(banks), not O(queue). Served
   * segments are dropped lazily from the heads.
   */
  private static final class Channel {
    private static final long LONG_AGO = Long.MIN_VALUE / 4;
    final Bank[] banks;
    final ArrayDeque<Segment> all = new ArrayDeque<>(); // FCFS only: nothing else trims it
    final boolean fcfs;
    final ArrayDeque<Segment>[] byBank;
    final HashMap<Long, ArrayDeque<Segment>>[] byRow; // lookups only, never iterated
    final long[] cachedRow; // per bank, the row whose deque is cached (decisions ask about one)
    final ArrayDeque<Segment>[] cachedQueue;
    final Segment[] targets;
    int size;
    long nextSeq;
    final boolean[] hasHit;
    final long[] lastActivates = {LONG_AGO, LONG_AGO, LONG_AGO, LONG_AGO}; // ring, for tFAW
    int oldestActivate;
    long lastActivate = LONG_AGO;
    long busFreeTicks;
    long busBusyTicks;
    long prepareWakeCycle = Long.MAX_VALUE;
    long nextDecisionCycle = Long.MAX_VALUE;
    boolean dirty;
    boolean prepareDirty = true;

    @SuppressWarnings({"unchecked", "rawtypes"}) // arrays of generic deques
    Channel(int banks, boolean fcfs) {
      this.fcfs = fcfs;
      this.banks = new Bank[banks];
      this.byBank = new ArrayDeque[banks];
      this.byRow = new HashMap[banks];
      this.cachedRow = new long[banks];
      java.util.Arrays.fill(cachedRow, NO_ROW);
      this.cachedQueue = new ArrayDeque[banks];
      for (int i = 0; i < banks; i++) {
        this.banks[i] = new Bank();
        this.byBank[i] = new ArrayDeque<>();
        this.byRow[i] = new HashMap<>();
      }
      this.targets = new Segment[banks];
      this.hasHit = new boolean[banks];
    }

    void add(Segment s) {
      s.seq = nextSeq++;
      if (fcfs) {
        all.addLast(s);
      }
      byBank[s.bank].addLast(s);
      var q = byRow[s.bank].computeIfAbsent(s.row, r -> new ArrayDeque<>());
      q.addLast(s);
      if (cachedRow[s.bank] == s.row) {
        cachedQueue[s.bank] = q;
      }
      size++;
      dirty = true;
      prepareDirty = true;
    }

    void remove(Segment s) {
      s.served = true;
      size--;
    }

    /** The channel's oldest queued segment, or null. */
    Segment oldest() {
      return live(all);
    }

    /** Bank {@code b}'s oldest queued segment, or null. */
    Segment head(int b) {
      return live(byBank[b]);
    }

    /**
     * The oldest queued segment of bank {@code b} in {@code row}, or null. Decisions ask about each
     * bank's open row, so that row's deque is cached; moving the cache drops an emptied deque.
     */
    Segment firstHit(int b, long row) {
      if (cachedRow[b] != row) {
        var old = cachedQueue[b];
        if (old != null && live(old) == null) {
          byRow[b].remove(cachedRow[b]);
        }
        cachedRow[b] = row;
        cachedQueue[b] = byRow[b].get(row);
      }
      var q = cachedQueue[b];
      return q == null ? null : live(q);
    }

    private static Segment live(ArrayDeque<Segment> q) {
      while (!q.isEmpty() && q.peekFirst().served) {
        q.pollFirst();
      }
      return q.peekFirst();
    }

    /** The earliest an activation may issue: tRRD after the last, tFAW after the 4th last. */
    long earliestActivate(long tRrd, long tFaw) {
      return Math.max(lastActivate + tRrd, lastActivates[oldestActivate] + tFaw);
    }

    void activated(long ticks) {
      lastActivate = ticks;
      lastActivates[oldestActivate] = ticks;
      oldestActivate = (oldestActivate + 1) % lastActivates.length;
    }
  }
}
