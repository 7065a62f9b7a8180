package dev.attnsim.actors.blocks.common.dram;

import dev.attnsim.actors.blocks.common.dram.AddressMapping.Location;
import dev.attnsim.actors.blocks.common.dram.DramChannel.Txn;
import dev.attnsim.actors.blocks.common.dram.RequestBook.Request;
import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Tile;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A DRAM controller serving {@code N} requesters with the rules DRAMSim3 keeps (its {@code
 * Controller}, {@code CommandQueue}, {@code ChannelState}, {@code BankState}, {@code Timing} and
 * {@code Refresh}; see {@link DramChannel} and {@code actors/docs/dram.md}).
 *
 * <h2>Protocol</h2>
 * Requester {@code i} sends on input {@code req<i>} a {@link Tile} whose payload is a
 * {@link DramRequest} and whose {@code bytes()} (at least 1) is the access size; the controller
 * sends the same tile back on output {@code resp<i>} when the request is complete: a read when the
 * data of its last burst has arrived, a write when its last burst is in a write buffer (writes are
 * posted, as in DRAMSim3: acknowledged one DRAM clock after they are buffered, written to the banks
 * later). Responses of one port leave in completion order, which need not be request order.
 *
 * <h2>Intake</h2>
 * A request covers the bursts {@code floor(address / burstBytes)} to {@code floor((address + bytes
 * - 1) / burstBytes)}; each burst is one transaction of its channel ({@link AddressMapping}). Each
 * DRAM clock the ports are visited round-robin (from the one after the last that handed a burst
 * over); a port hands its current request's bursts over in
 * address order, each into its channel's read queue (or write buffer) while that has room (a port
 * waits at a burst whose channel is full: no overtaking within a port), at most one burst per clock
 * with {@link DramPolicy.Intake#ONE}. A port takes its next request from its link (returning a
 * credit) once the current one is fully handed over, so a requester whose link is full stalls.
 *
 * <h2>Time</h2>
 * Channels run in DRAM clocks ({@link DramTiming}): the accelerator cycle {@code t} in which a
 * request is taken owns DRAM clocks {@code [firstClock(t), firstClock(t + 1))}; a burst taken in
 * one is added before that clock's tick, as DRAMSim3 adds a transaction before its controller's
 * tick; a response leaves in the first cycle starting at or after its completion clock. The block
 * wakes only at cycles owning a clock at which some channel can act, and at response departures.
 * Refresh of a channel with nothing queued is caught up when it next gets work, so an idle
 * controller does not keep a run alive.
 *
 * <h2>Statistics and trace</h2>
 * {@link #counters()}: {@code requests}, {@code bytes_read}, {@code bytes_written}, {@code bursts},
 * {@code row_hits}, {@code row_misses}, {@code row_conflicts} (per burst, at its column command:
 * a hit follows an earlier column access to the open row, a miss is the first after activating a
 * closed bank, a conflict the first after precharging another row for it; reads served from the
 * write buffer count as hits), {@code activates}, {@code precharges}, {@code refreshes}, {@code
 * latency_total_cycles} and {@code latency_max_cycles} (request taken to response leaving), the
 * same per row-buffer class of the request (its worst burst: conflict, then miss, then hit):
 * {@code requests_hit}, {@code latency_hit_total_cycles}, {@code latency_hit_max_cycles}, likewise
 * {@code _miss} and {@code _conflict}, and {@code bus_busy_cycles_max} (the busiest channel's data
 * bus). Busy spans ({@code dram-read} / {@code dram-write}) cover the cycles in which some channel
 * moves data; they are emitted in order of their start once no later command can start data
 * earlier, so they never overlap.
 */
public final class DramController implements Block {

  /** A request's outcome, for per-request reports ({@code attnsim dram --csv}). */
  public record RequestRecord(long tileId, int port, long address, long bytes, boolean write,
      long acceptedCycle, long departureCycle, Location location, String rowClass) {
    public long latencyCycles() {
      return departureCycle - acceptedCycle;
    }
  }

  /** A command on a channel, for logs and tests. */
  public record CommandRecord(long clock, int channel, String command, int rank, int bankGroup,
      int bank, long row) {}

  private final DramTiming timing;
  private final DramDevice device;
  private final DramPolicy policy;
  private final DramPorts ports;
  private final List<InPort> inputs;
  private final DramChannel[] channels;
  private final AddressMapping.Decoder decoder;
  private final RequestBook book;
  private final Request[] feeding;
  private Consumer<CommandRecord> commandObserver;

  private int nextPort;
  private long processedUntil; // DRAM clocks below this have been processed

  private long bursts;

  /** A controller with {@link DramPolicy#defaults(DramDevice)}. */
  public DramController(int requesters, DramTiming timing) {
    this(requesters, timing, DramPolicy.defaults(timing.device()));
  }

  /**
   * @param requesters number of requester ports: inputs {@code req0..}, outputs {@code resp0..}
   * @param timing the device and its clock against the accelerator's
   * @param policy queues, scheduling, page policy, address mapping, refresh, intake
   */
  public DramController(int requesters, DramTiming timing, DramPolicy policy) {
    this.ports = new DramPorts(requesters);
    this.inputs = ports.inputs;
    this.timing = Objects.requireNonNull(timing, "timing");
    this.device = timing.device();
    this.policy = Objects.requireNonNull(policy, "policy");
    var listener = new ChannelEvents();
    this.channels = new DramChannel[device.channels()];
    for (int c = 0; c < channels.length; c++) {
      channels[c] = new DramChannel(c, device, policy, listener);
    }
    this.book = new RequestBook(timing, ports.outputs);
    this.feeding = new Request[requesters];
    this.decoder = policy.mapping().decoder(device);
  }

  public static String requestPortName(int requester) {
    return "req" + requester;
  }

  public static String responsePortName(int requester) {
    return "resp" + requester;
  }

  /** Calls {@code observer} once per request, when its response has left and its bursts issued. */
  public DramController observeRequests(Consumer<RequestRecord> observer) {
    book.observe(observer);
    return this;
  }

  /** Calls {@code observer} for every command issued. */
  public DramController observeCommands(Consumer<CommandRecord> observer) {
    this.commandObserver = observer;
    return this;
  }

  @Override
  public List<InPort> inputs() {
    return inputs;
  }

  @Override
  public List<OutPort> outputs() {
    return ports.outputs;
  }

  /**
   * Arrivals and credits only schedule a wake-up in the same cycle: the event key orders wake-ups
   * after all of a cycle's data and credits, so the cycle's clocks see everything that arrived.
   */
  @Override
  public void onEvent(Event event, BlockContext ctx) {
    if (ports.handled(event, ctx)) {
      return;
    }
    long now = ctx.now();
    long clock = Math.max(timing.firstClock(now), processedUntil);
    long end = timing.firstClock(now + 1);
    long nextClock = Long.MAX_VALUE;
    while (clock < end) {
      boolean idle = idle(ctx);
      for (DramChannel ch : channels) {
        ch.runUntil(clock, idle);
      }
      intake(clock, ctx, idle);
      idle = idle(ctx);
      for (DramChannel ch : channels) {
        if (ch.next <= clock) {
          ch.tick(clock, idle);
        }
      }
      processedUntil = clock + 1;
      idle = idle(ctx);
      nextClock = intakeReady(ctx) ? clock + 1 : Long.MAX_VALUE;
      for (DramChannel ch : channels) {
        if (idle) {
          ch.noteIdle(clock);
        }
        if (ch.busy(idle)) {
          nextClock = Math.min(nextClock, Math.max(ch.next, clock + 1));
        }
      }
      clock = nextClock;
    }
    long next = book.sendResponses(ctx);
    if (nextClock != Long.MAX_VALUE) {
      next = Math.min(next, timing.ownerCycle(nextClock));
    }
    next = Math.min(next, book.flushSpans(end, ctx));
    if (next != Long.MAX_VALUE) {
      ports.wake(Math.max(next, now + 1), ctx);
    }
  }

  /**
   * The earliest cycle at which the controller could emit anything, as long as no request arrives
   * (the kernel's lookahead, {@link Block#quietUntil}). It emits two things:
   * <ul>
   *   <li>a credit, when it takes a request from a link: a port takes its next request in the
   *       clock it has handed the current one's last burst over and the next one's first burst
   *       fits, so no earlier than the next clock, and while the channel the port waits on is
   *       full, no earlier than that channel's next tick (only a tick frees a queue entry);
   *   <li>a response: no earlier than a completed request's departure; than the clock after the
   *       next for a request being handed over (a write, or a read forwarded from a buffered
   *       write, is complete a clock after its last burst is buffered) or, with no write held,
   *       the next clock plus a read's {@code RL + burst}; than a channel's next tick plus {@code
   *       RL + burst} for read bursts handed over but not issued (DRAMSim3's read data timing, as
   *       {@link DramChannel} keeps it; with more bursts coming, the next clock instead of the
   *       tick).
   * </ul>
   * With none of these it promises {@link Long#MAX_VALUE}: only an arrival makes it emit.
   */
  @Override
  public long quietUntil() {
    boolean forwarding = false;
    for (DramChannel ch : channels) {
      forwarding |= ch.holdsWrites();
    }
    boolean adding = false;
    long pollClock = Long.MAX_VALUE;
    long clock = Long.MAX_VALUE; // the earliest clock a response could complete
    for (int p = 0; p < feeding.length; p++) {
      Request r = feeding[p];
      if (r != null) {
        adding = true;
        clock = Math.min(clock, r.what.write() || forwarding ? processedUntil + 1
            : processedUntil + channels[0].readDelay());
      }
      Tile head = ports.waitingHead(p);
      if (head == null) {
        continue;
      }
      adding = true;
      if (!(head.payload() instanceof DramRequest what)) {
        return Long.MIN_VALUE; // intake refuses it at once
      }
      long address = r != null ? r.nextBurst * device.burstBytes() : what.address();
      boolean write = r != null ? r.what.write() : what.write();
      DramChannel ch = channels[decoder.channel(address / device.burstBytes()
          * device.burstBytes())];
      pollClock = Math.min(pollClock, ch.willAccept(write) ? processedUntil
          : Math.max(processedUntil, ch.next));
    }
    for (DramChannel ch : channels) {
      clock = Math.min(clock, ch.earliestReadDone(processedUntil, adding));
    }
    long cycle = clock == Long.MAX_VALUE ? Long.MAX_VALUE : timing.cycleAt(clock);
    if (pollClock != Long.MAX_VALUE) {
      cycle = Math.min(cycle, timing.ownerCycle(pollClock));
    }
    return Math.min(cycle, book.nextDeparture());
  }

  /** Nothing but buffered writes anywhere: no reads queued, no request waiting at a port. */
  private boolean idle(BlockContext ctx) {
    for (int p = 0; p < inputs.size(); p++) {
      if (feeding[p] != null || ctx.queued(inputs.get(p)) > 0) {
        return false;
      }
    }
    for (DramChannel ch : channels) {
      if (ch.hasReads()) {
        return false;
      }
    }
    return true;
  }

  // ---- intake ----

  /** Whether some port can hand a burst over at the next clock. */
  private boolean intakeReady(BlockContext ctx) {
    for (int p = 0; p < inputs.size(); p++) {
      Request r = feeding[p];
      long address;
      boolean write;
      if (r == null) {
        Tile tile = ctx.peek(inputs.get(p));
        if (tile == null || !(tile.payload() instanceof DramRequest what)) {
          if (tile != null) {
            return true; // let intake refuse it
          }
          continue;
        }
        address = what.address() / device.burstBytes() * device.burstBytes();
        write = what.write();
      } else {
        address = r.nextBurst * device.burstBytes();
        write = r.what.write();
      }
      if (channels[decoder.channel(address)].willAccept(write)) {
        return true;
      }
    }
    return false;
  }

  /** Hands bursts over for {@code clock}, ports round-robin from the one after the last. */
  private void intake(long clock, BlockContext ctx, boolean idle) {
    int n = inputs.size();
    int last = -1;
    for (int k = 0; k < n; k++) {
      int p = (nextPort + k) % n;
      int handed = 0;
      while (policy.intake() != DramPolicy.Intake.ONE || handed == 0) {
        Request r = feeding[p];
        if (r == null) {
          // A request is taken from its link when its first burst fits: its latency starts then.
          Tile tile = ctx.peek(inputs.get(p));
          if (tile == null) {
            break;
          }
          var what = RequestBook.requestOf(tile, p);
          long first = what.address() / device.burstBytes() * device.burstBytes();
          DramChannel ch = channels[decoder.channel(first)];
          ch.runUntil(clock, idle);
          if (!ch.willAccept(what.write())) {
            break;
          }
          ports.take(p, ctx);
          r = book.take(tile, what, p, ctx.now());
          feeding[p] = r;
        }
        long address = r.nextBurst * device.burstBytes();
        DramChannel ch = channels[decoder.channel(address)];
        ch.runUntil(clock, idle);
        if (!ch.willAccept(r.what.write())) {
          break;
        }
        if (r.location == null) {
          r.location = decoder.locate(address);
        }
        var txn = ch.transaction(address, r.what.write(), decoder.rank(address),
            decoder.bankInChannel(address), decoder.row(address), decoder.column(address), r);
        int outcome = ch.add(txn, clock);
        bursts++;
        if (r.what.write()) {
          r.resolved(clock + 1);
          if (outcome == DramChannel.MERGED) {
            r.classified(DramChannel.HIT);
            ch.rowHits++;
          }
        } else if (outcome == DramChannel.FORWARDED) {
          r.resolved(clock + 1);
          r.classified(DramChannel.HIT);
          ch.rowHits++;
        }
        handed++;
        last = p;
        if (++r.nextBurst > r.lastBurst) {
          feeding[p] = null;
          r.handedOver = true;
          book.settle(r);
        }
      }
    }
    if (last >= 0) {
      nextPort = (last + 1) % n;
    }
  }

  /** What the channels report. */
  private final class ChannelEvents implements DramChannel.Listener {
    @Override
    public void readDone(Txn t, long clock, byte rowClass) {
      Request r = (Request) t.owner;
      r.resolved(clock);
      r.classified(rowClass);
      book.settle(r);
      book.finishIfDone(r);
    }

    @Override
    public void writeIssued(Txn t, byte rowClass) {
      Request r = (Request) t.owner;
      r.classified(rowClass);
      book.finishIfDone(r);
    }

    @Override
    public void command(int channel, long clock, int type, int rank, int bank, long row) {
      if (commandObserver != null) {
        int inRank = bank < 0 ? -1 : bank % device.banksPerRank();
        commandObserver.accept(new CommandRecord(clock, channel, DramChannel.NAMES[type], rank,
            inRank < 0 ? -1 : inRank / device.banksPerGroup(),
            inRank < 0 ? -1 : inRank % device.banksPerGroup(), row));
      }
    }

    @Override
    public void dataBusy(long startClock, long endClock, boolean write) {
      book.dataBusy(startClock, endClock, write);
    }
  }

  @Override
  public Optional<String> pendingWork() {
    int waiting = book.waiting();
    int taking = 0;
    for (Request r : feeding) {
      taking += r == null ? 0 : 1;
    }
    int reads = 0;
    int writes = 0;
    boolean commands = false;
    for (DramChannel ch : channels) {
      reads += ch.readQueueSize();
      writes += ch.writeBufferSize();
      commands |= ch.holdsTransactions();
    }
    if (waiting == 0 && taking == 0 && !commands) {
      return Optional.empty();
    }
    return Optional.of(taking + " request(s) being taken, " + reads + " read(s) and " + writes
        + " write(s) queued" + (commands ? " (commands pending)" : "") + ", " + waiting
        + " response(s) not sent");
  }

  @Override
  public SortedMap<String, Long> counters() {
    long busiest = 0;
    long hits = 0;
    long misses = 0;
    long conflicts = 0;
    long activates = 0;
    long precharges = 0;
    long refreshes = 0;
    for (DramChannel ch : channels) {
      busiest = Math.max(busiest, ch.busBusyClocks);
      hits += ch.rowHits;
      misses += ch.rowMisses;
      conflicts += ch.rowConflicts;
      activates += ch.activates;
      precharges += ch.precharges;
      refreshes += ch.refreshes;
    }
    var m = new TreeMap<String, Long>();
    book.putCounters(m);
    m.put("bursts", bursts);
    m.put("row_hits", hits);
    m.put("row_misses", misses);
    m.put("row_conflicts", conflicts);
    m.put("activates", activates);
    m.put("precharges", precharges);
    m.put("refreshes", refreshes);
    m.put("bus_busy_cycles_max", timing.cycleAt(busiest));
    return m;
  }
}
