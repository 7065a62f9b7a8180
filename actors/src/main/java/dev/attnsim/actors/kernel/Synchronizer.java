package dev.attnsim.actors.kernel;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.ExtensibleBehavior;
import akka.actor.typed.Signal;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs conservative time windows (see actors/README.md). Each window it tells every block with
 * work before its horizon to advance, handing it what other blocks sent it, waits for all of
 * them, folds their reports (and the envelopes they sent) into the next window, and releases the
 * trace records no later event can precede. Like {@link BlockActor}, it tells its messages apart
 * itself.
 */
final class Synchronizer extends ExtensibleBehavior<Synchronizer.Command> {

  sealed interface Command {}

  /** A block's report at the end of a window. */
  record WindowDone(int block, long nextWake, long nextTile, long quietUntil,
      List<Envelope> sent, List<BlockRunner.Keyed> trace, long workDone,
      BlockFailure failure) implements Command {}

  /** A block confirmed the end of the run. */
  record Finished(int block) implements Command {}

  /** What the synchronizer reports when the run is over: a result, or the error that ended it. */
  record Done(RunResult result, RuntimeException error) {}

  private static final Comparator<BlockRunner.Keyed> KEY_ORDER = (a, b) -> Envelope.compareKeys(
      a.time(), a.channel(), a.seq(), b.time(), b.channel(), b.seq());

  static Behavior<Command> create(Netlist net, List<BlockRunner> runners, TraceSink sink,
      ProgressListener progress, RunLimits limits, long maxWindowCycles, ActorRef<Done> replyTo,
      AtomicLong windows, java.util.concurrent.atomic.AtomicBoolean stop) {
    return Behaviors.setup(ctx -> new Synchronizer(ctx, net, runners, sink, progress, limits,
        maxWindowCycles, replyTo, windows, stop));
  }

  private final ActorContext<Command> ctx;
  private final Netlist net;
  private final List<BlockRunner> runners;
  private final TraceSink sink;
  private final ProgressListener progress;
  private final RunLimits limits;
  private final long maxWindowCycles;
  private final ActorRef<Done> replyTo;
  private boolean done;
  private final Lookahead lookahead;
  private final List<ActorRef<BlockActor.Command>> blocks = new ArrayList<>();
  private final int n;
  private final long[] next; // the earliest pending event: min(wake, tile)
  private final long[] wake; // the earliest own wake-up or returning credit
  private final long[] tile; // the earliest tile arriving, delivered or on its way
  /** Per block: envelopes sent to it, handed over with its next window (null: none). */
  private final List<Envelope>[] inbox;
  private final long[] quiet;
  private final long[] emit;
  private final long[] tilesSent; // this window's, per destination: earliest arrival
  private final long[] creditsSent;
  private final boolean[] inWindow;
  private final long[] end; // this window's end per block
  private final boolean[] failed;
  private final List<BlockRunner.Keyed> held = new ArrayList<>();
  private int awaiting;
  private BlockFailure failure;
  private String abortReason;
  private long workDone;
  private final AtomicLong windows;
  private final java.util.concurrent.atomic.AtomicBoolean stop;
  private boolean interrupted;

  private Synchronizer(ActorContext<Command> ctx, Netlist net, List<BlockRunner> runners,
      TraceSink sink, ProgressListener progress, RunLimits limits, long maxWindowCycles,
      ActorRef<Done> replyTo, AtomicLong windows, java.util.concurrent.atomic.AtomicBoolean stop) {
    this.ctx = ctx;
    this.windows = windows;
    this.stop = stop;
    this.net = net;
    this.runners = runners;
    this.sink = sink;
    this.progress = progress;
    this.limits = limits;
    this.maxWindowCycles = maxWindowCycles;
    this.replyTo = replyTo;
    this.lookahead = new Lookahead(net);
    this.n = runners.size();
    this.next = new long[n]; // every block starts with its Start event at cycle 0
    this.wake = new long[n];
    this.tile = new long[n];
    Arrays.fill(tile, Lookahead.INF);
    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of generic lists
    List<Envelope>[] boxes = new List[n];
    this.inbox = boxes;
    this.quiet = new long[n];
    Arrays.fill(quiet, Long.MIN_VALUE);
    this.emit = new long[n];
    this.tilesSent = new long[n];
    this.creditsSent = new long[n];
    this.inWindow = new boolean[n];
    this.end = new long[n];
    this.failed = new boolean[n];
    for (BlockRunner r : runners) {
      blocks.add(ctx.spawn(BlockActor.create(r), r.name()));
    }
    for (int b = 0; b < n; b++) {
      long[] toB = new long[n];
      for (int p = 0; p < n; p++) {
        toB[p] = lookahead.dist(p, b);
      }
      blocks.get(b).tell(new BlockActor.Connect(ctx.getSelf(), toB));
    }
    startWindow();
  }

  @Override
  public Behavior<Command> receive(TypedActorContext<Command> context, Command msg) {
    if (msg instanceof WindowDone d) {
      return onWindowDone(d);
    }
    if (msg instanceof Finished f) {
      return onFinished(f);
    }
    return Behaviors.unhandled();
  }

  @Override
  public Behavior<Command> receiveSignal(TypedActorContext<Command> context, Signal signal) {
    return Behaviors.unhandled();
  }

  private void startWindow() {
    if (stop.get()) { // between windows, the records so far are a prefix of the whole run's
      interrupted = true;
      finishRun();
      return;
    }
    long t = Lookahead.INF;
    for (long x : next) {
      t = Math.min(t, x);
    }
    if (t == Lookahead.INF) {
      finishRun();
      return;
    }
    if (t > limits.maxCycles()) {
      abortReason = Outcome.limitExceeded(t, limits);
      finishRun();
      return;
    }
    windows.incrementAndGet();
    // No event past the cycle limit is handled, as in the sequential engine; after a failure,
    // none past its cycle.
    long cap = Math.min(Lookahead.saturatingAdd(t, maxWindowCycles),
        Lookahead.saturatingAdd(limits.maxCycles(), 1));
    if (failure != null) {
      cap = Math.min(cap, failure.time + 1);
    }
    Arrays.fill(tilesSent, Lookahead.INF);
    Arrays.fill(creditsSent, Lookahead.INF);
    for (int b = 0; b < n; b++) {
      emit[b] = Lookahead.emit(tile[b], wake[b], quiet[b]);
    }
    int solo = -1;
    for (int b = 0; b < n; b++) {
      // every emit is at least t, the earliest event; only whether the horizon passes next[b]
      // matters to a block that cannot take part
      end[b] = next[b] >= cap ? cap : Math.min(lookahead.horizon(b, emit, t, next[b]), cap);
      inWindow[b] = next[b] < end[b];
      if (inWindow[b]) {
        awaiting++;
        solo = b;
      }
    }
    // A block alone in its window may run on past its end while nothing it sends could come
    // back to it sooner (BlockActor.Advance): it needs the others' bound, emit[p] + dist[p][b]
    // over the others, which no one changes while it runs alone but itself.
    long others = Long.MIN_VALUE;
    if (awaiting == 1) {
      others = Lookahead.INF;
      for (int p = 0; p < n; p++) {
        if (p != solo && emit[p] != Lookahead.INF && lookahead.dist(p, solo) != Lookahead.INF) {
          others = Math.min(others, Lookahead.saturatingAdd(emit[p], lookahead.dist(p, solo)));
        }
      }
    }
    for (int b = 0; b < n; b++) {
      if (inWindow[b]) {
        List<Envelope> deliveries = inbox[b] == null ? List.of() : inbox[b];
        inbox[b] = null;
        blocks.get(b).tell(new BlockActor.Advance(end[b], deliveries, others, cap));
      }
    }
  }

  private Behavior<Command> onWindowDone(WindowDone d) {
    wake[d.block()] = d.nextWake();
    tile[d.block()] = d.nextTile(); // what the window's senders add is folded in at its end
    quiet[d.block()] = d.quietUntil();
    List<Envelope> sent = d.sent();
    for (int i = 0, size = sent.size(); i < size; i++) {
      Envelope e = sent.get(i);
      int b = e.dest();
      if (inbox[b] == null) {
        inbox[b] = new ArrayList<>();
      }
      inbox[b].add(e);
      if (e.payload() instanceof Tile) {
        tilesSent[b] = Math.min(tilesSent[b], e.time());
      } else {
        creditsSent[b] = Math.min(creditsSent[b], e.time());
      }
    }
    if (!d.trace().isEmpty()) {
      held.addAll(d.trace());
    }
    workDone += d.workDone();
    if (d.failure() != null) {
      failed[d.block()] = true;
      if (failure == null || before(d.failure(), failure)) {
        failure = d.failure();
      }
    }
    if (--awaiting == 0) {
      endWindow();
    }
    return this;
  }

  private static boolean before(BlockFailure a, BlockFailure b) {
    return Envelope.compareKeys(a.time, a.channel, a.seq, b.time, b.channel, b.seq) < 0;
  }

  private void endWindow() {
    long t = Lookahead.INF;
    for (int b = 0; b < n; b++) {
      tile[b] = Math.min(tile[b], tilesSent[b]);
      wake[b] = Math.min(wake[b], creditsSent[b]);
      if (failed[b]) {
        // a block that threw handles nothing more, and sends nothing
        wake[b] = Lookahead.INF;
        tile[b] = Lookahead.INF;
      }
      next[b] = Math.min(wake[b], tile[b]);
      t = Math.min(t, next[b]);
    }
    held.sort(KEY_ORDER);
    if (failure != null && t <= failure.time) {
      // Blocks behind the failure still have events that come before it in the sequential
      // engine's order: run them (up to the failure's cycle) before the trace is cut there.
      startWindow();
      return;
    }
    if (failure != null) {
      release(k -> Envelope.compareKeys(k.time(), k.channel(), k.seq(),
          failure.time, failure.channel, failure.seq) <= 0);
      finishRun();
      return;
    }
    final long safe = t;
    release(k -> k.time() < safe);
    if (done) {
      return; // the trace sink failed: the run is over
    }
    progress.onProgress(workDone, net.totalWork(), t == Lookahead.INF ? 0 : t);
    startWindow();
  }

  /** Writes out, in key order, the leading held records that satisfy {@code ready}. */
  private void release(java.util.function.Predicate<BlockRunner.Keyed> ready) {
    int i = 0;
    try {
      while (i < held.size() && ready.test(held.get(i))) {
        sink.accept(held.get(i).record());
        i++;
      }
    } catch (RuntimeException e) {
      done = true;
      replyTo.tell(new Done(null, e));
      for (var b : blocks) {
        ctx.stop(b);
      }
      return;
    }
    held.subList(0, i).clear();
  }

  private void finishRun() {
    if (done) {
      return;
    }
    awaiting = n;
    for (var b : blocks) {
      b.tell(new BlockActor.Finish(ctx.getSelf()));
    }
  }

  private Behavior<Command> onFinished(Finished f) {
    if (--awaiting == 0 && !done) {
      done = true;
      RunResult r = failure != null ? Outcome.failed(runners, failure)
          : Outcome.finish(runners, abortReason, interrupted);
      progress.onProgress(workDone, net.totalWork(), r.cycles());
      replyTo.tell(new Done(r, null));
      return Behaviors.stopped();
    }
    return this;
  }
}
