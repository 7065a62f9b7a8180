package dev.attnsim.actors.blocks.common.dram;

import dev.attnsim.actors.blocks.common.dram.DramController.RequestRecord;
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
 * The {@code fast} DRAM model ({@code hardware.dram.model = fast}): the same ports, protocol,
 * device, address mapping and counters as {@link DramController}, but a request's bursts are
 * timed all at once when the request is taken ({@link TimedChannel}, after gem5's event-based
 * controller), so the block wakes once per request taken and once per response instead of at
 * every DRAM clock some channel can act. It trades DRAMSim3's exact schedule for speed: first
 * come, first served per bank, requests handed over whole, no write buffer, no command-bus limit
 * (see {@link TimedChannel}); {@code actors/docs/dram.md} ("The fast model") gives its error
 * against the clocked model.
 *
 * <h2>Intake</h2>
 * Ports take turns, as in {@link DramController}: from the one after the last that took a
 * request, each port takes the requests on its link whose first burst its channel can take in a
 * DRAM clock the current cycle owns. A request's bursts are handed over in address order, each at
 * the first clock its channel has room for it from the clock the one before it was handed over
 * ({@code intake = one}: one clock later at least); the port takes its next request from the clock
 * the last burst was handed over. A request is taken (its credit returned, its latency started) in
 * the cycle owning its first burst's clock.
 *
 * <h2>Responses</h2>
 * A read leaves in the first cycle starting at or after its last burst's data is complete; a write
 * one DRAM clock after its last burst is handed over (posted), its bursts timed as writes on the
 * banks and bus.
 */
public final class FastDramController implements Block {

  private final DramTiming timing;
  private final DramDevice device;
  private final DramPorts ports;
  private final List<InPort> inputs;
  private final TimedChannel[] channels;
  private final AddressMapping.Decoder decoder;
  private final RequestBook book;
  private final long[] portFrom; // per port, the first clock it may hand a burst over
  private final int step; // clocks between a port's bursts: 0 (wide) or 1 (one)
  private final int minDataLatency;

  private int nextPort;
  private long processedUntil; // DRAM clocks below this have been processed
  private long bursts;

  /**
   * @param requesters number of requester ports: inputs {@code req0..}, outputs {@code resp0..}
   * @param timing the device and its clock against the accelerator's
   * @param policy queue sizes, page policy, address mapping, refresh and intake (the scheduling,
   *     row-hit cap and write-drain threshold are the clocked model's alone)
   */
  public FastDramController(int requesters, DramTiming timing, DramPolicy policy) {
    this.ports = new DramPorts(requesters);
    this.inputs = ports.inputs;
    this.timing = Objects.requireNonNull(timing, "timing");
    this.device = timing.device();
    Objects.requireNonNull(policy, "policy");
    this.channels = new TimedChannel[device.channels()];
    for (int c = 0; c < channels.length; c++) {
      channels[c] = new TimedChannel(device, policy);
    }
    this.decoder = policy.mapping().decoder(device);
    this.book = new RequestBook(timing, ports.outputs);
    this.portFrom = new long[requesters];
    this.step = policy.intake() == DramPolicy.Intake.ONE ? 1 : 0;
    this.minDataLatency = Math.min(device.clocks().readLatency(), device.clocks().writeLatency());
  }

  /** Calls {@code observer} once per request, when its response has left. */
  public FastDramController observeRequests(Consumer<RequestRecord> observer) {
    book.observe(observer);
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

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    if (ports.handled(event, ctx)) {
      return;
    }
    long now = ctx.now();
    long first = Math.max(timing.firstClock(now), processedUntil);
    long end = timing.firstClock(now + 1);
    for (TimedChannel ch : channels) {
      ch.forgetBefore(first);
    }
    take(first, end, ctx);
    processedUntil = Math.max(processedUntil, end);
    long next = Math.min(book.sendResponses(ctx), nextTake(end));
    // A burst timed from now on starts its data at end + 1 + min(RL, WL) at the earliest: spans
    // starting before that are final (the clocked model's rule, RequestBook.flushSpans).
    long settled = end + minDataLatency;
    for (TimedChannel ch : channels) {
      if (ch.spanStart() < settled) {
        ch.flushSpan(book);
      }
      if (ch.spanStart() != Long.MAX_VALUE) {
        next = Math.min(next, timing.ownerCycle(ch.spanStart()));
      }
    }
    next = Math.min(next, book.flushSpans(end, ctx));
    if (next != Long.MAX_VALUE) {
      ports.wake(Math.max(next, now + 1), ctx);
    }
  }

  /** Takes the requests whose first burst fits in DRAM clocks {@code [first, end)}. */
  private void take(long first, long end, BlockContext ctx) {
    int n = inputs.size();
    int last = -1;
    for (int k = 0; k < n; k++) {
      int p = (nextPort + k) % n;
      while (true) {
        Tile tile = ctx.peek(inputs.get(p));
        if (tile == null) {
          break;
        }
        DramRequest what = RequestBook.requestOf(tile, p);
        long address = what.address() / device.burstBytes() * device.burstBytes();
        long clock = channels[decoder.channel(address)]
            .acceptFrom(what.write(), Math.max(first, portFrom[p]));
        if (clock >= end) {
          break;
        }
        ports.take(p, ctx);
        serve(book.take(tile, what, p, ctx.now()), clock);
        last = p;
      }
    }
    if (last >= 0) {
      nextPort = (last + 1) % n;
    }
  }

  /** Hands every burst of {@code r} over from {@code clock} on and times it. */
  private void serve(Request r, long clock) {
    boolean write = r.what.write();
    int burstBytes = device.burstBytes();
    r.location = decoder.locate(r.nextBurst * burstBytes);
    long at = clock;
    for (long burst = r.nextBurst; burst <= r.lastBurst; burst++) {
      long address = burst * burstBytes;
      TimedChannel ch = channels[decoder.channel(address)];
      if (burst > r.nextBurst) {
        at = ch.acceptFrom(write, at + step);
      }
      ch.book(at, write, decoder.rank(address), decoder.bankInChannel(address),
          decoder.row(address), book);
      r.resolved(write ? at + 1 : ch.dataEnd);
      r.classified(ch.rowClass);
      bursts++;
    }
    r.nextBurst = r.lastBurst + 1;
    r.handedOver = true;
    portFrom[r.port] = at + step;
    book.settle(r);
  }

  /** The earliest cycle from DRAM clock {@code from} on at which a waiting request fits. */
  private long nextTake(long from) {
    long clock = Long.MAX_VALUE;
    for (int p = 0; p < ports.size(); p++) {
      Tile head = ports.waitingHead(p);
      if (head == null) {
        continue;
      }
      if (!(head.payload() instanceof DramRequest what)) {
        return Long.MIN_VALUE; // intake refuses it at once
      }
      long address = what.address() / device.burstBytes() * device.burstBytes();
      clock = Math.min(clock, channels[decoder.channel(address)]
          .acceptFrom(what.write(), Math.max(from, portFrom[p])));
    }
    return clock == Long.MAX_VALUE ? Long.MAX_VALUE : timing.ownerCycle(clock);
  }

  /**
   * The earliest cycle at which the controller could emit anything while no request arrives: a
   * credit when it takes a waiting request (its first burst's channel has room), a response at its
   * departure.
   */
  @Override
  public long quietUntil() {
    return Math.min(nextTake(processedUntil), book.nextDeparture());
  }

  @Override
  public Optional<String> pendingWork() {
    int responses = book.waiting();
    return responses == 0 ? Optional.empty()
        : Optional.of(responses + " response(s) not sent");
  }

  @Override
  public SortedMap<String, Long> counters() {
    var m = new TreeMap<String, Long>();
    book.putCounters(m);
    long busiest = 0;
    long[] sums = new long[6];
    for (TimedChannel ch : channels) {
      busiest = Math.max(busiest, ch.busBusyClocks);
      sums[0] += ch.rowHits;
      sums[1] += ch.rowMisses;
      sums[2] += ch.rowConflicts;
      sums[3] += ch.activates;
      sums[4] += ch.precharges;
      sums[5] += ch.refreshes;
    }
    m.put("bursts", bursts);
    m.put("row_hits", sums[0]);
    m.put("row_misses", sums[1]);
    m.put("row_conflicts", sums[2]);
    m.put("activates", sums[3]);
    m.put("precharges", sums[4]);
    m.put("refreshes", sums[5]);
    m.put("bus_busy_cycles_max", timing.cycleAt(busiest));
    return m;
  }
}
