package dev.attnsim.actors.kernel;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.ExtensibleBehavior;
import akka.actor.typed.Signal;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The actor around one {@link BlockRunner}: keeps the block's pending envelopes in key order,
 * handles those the {@link Synchronizer} allows, and reports what it sent with the end of each
 * window; the synchronizer hands those envelopes to their destinations with their next window.
 * All datapath logic is in the runner and the block.
 *
 * <p>It extends {@link ExtensibleBehavior} and tells its three messages apart itself: a
 * receive builder's matching was 8 % of the JFR samples of the gemm bench on the actor engine,
 * whose windows are a few events long.
 */
final class BlockActor extends ExtensibleBehavior<BlockActor.Command> {

  sealed interface Command {}

  /**
   * The synchronizer to report to, and {@code distTo[p]}, the least latency by which an event
   * at block {@code p} can cause one here ({@link Lookahead}); sent once, before any window.
   */
  record Connect(ActorRef<Synchronizer.Command> replyTo, long[] distTo) implements Command {}

  /**
   * Take {@code deliveries} (what other blocks sent this block since its last window, in any
   * order), then handle every envelope before {@code end}.
   *
   * <p>A block alone in its window gets {@code others}, the earliest cycle at which anything the
   * other blocks may yet send could reach it ({@code min emit[p] + dist[p][b]} over them), else
   * {@code Long.MIN_VALUE}. No other block runs until it reports, so only what it sends itself
   * can lower that bound, each envelope to {@code p} arriving at {@code x} to {@code x +
   * dist[p][b]}. Having reached {@code end}, it runs on to the least of that bound, its own
   * emit plus its shortest cycle, and {@code cap}, for as long as that passes its next event:
   * the windows a block would otherwise open one after another alone (DOTA's DRAM controller
   * between requests) cost no messages. The events it handles, and their order, are the same.
   */
  record Advance(long end, List<Envelope> deliveries, long others, long cap)
      implements Command {}

  /** The run is over: confirm and stop. */
  record Finish(ActorRef<Synchronizer.Command> replyTo) implements Command {}

  static Behavior<Command> create(BlockRunner runner) {
    return Behaviors.setup(ctx -> new BlockActor(runner));
  }

  private final BlockRunner runner;
  // Tiles from other blocks, and the block's own wake-ups with returning credits, apart: the
  // synchronizer needs the earliest tile, which voids a block's promise (Block#quietUntil).
  private final PriorityQueue<Envelope> pending = new PriorityQueue<>(Envelope.ORDER);
  private final PriorityQueue<Envelope> wakeups = new PriorityQueue<>(Envelope.ORDER);
  private List<Envelope> sent = new ArrayList<>();
  private ActorRef<Synchronizer.Command> sync;
  private long[] distTo;

  private BlockActor(BlockRunner runner) {
    this.runner = runner;
    runner.attach(new BlockRunner.Outbox() {
      @Override
      public void post(Envelope e) {
        sent.add(e);
      }

      @Override
      public void postSelf(Envelope e) {
        wakeups.add(e);
      }
    });
    wakeups.add(runner.startEnvelope());
  }

  @Override
  public Behavior<Command> receive(TypedActorContext<Command> ctx, Command msg) {
    if (msg instanceof Advance a) {
      List<Envelope> deliveries = a.deliveries();
      for (int i = 0, size = deliveries.size(); i < size; i++) {
        Envelope e = deliveries.get(i);
        (e.payload() instanceof Tile ? pending : wakeups).add(e);
      }
      runWindow(a.end(), a.others(), a.cap());
      return this;
    }
    if (msg instanceof Connect c) {
      sync = c.replyTo();
      distTo = c.distTo();
      return this;
    }
    if (msg instanceof Finish f) {
      f.replyTo().tell(new Synchronizer.Finished(runner.index()));
      return Behaviors.stopped();
    }
    return Behaviors.unhandled();
  }

  @Override
  public Behavior<Command> receiveSignal(TypedActorContext<Command> ctx, Signal signal) {
    return Behaviors.unhandled();
  }

  private void runWindow(long end, long others, long cap) {
    long workBefore = runner.workDone();
    BlockFailure failure = null;
    int counted = 0; // envelopes sent whose bound is in others
    while (true) {
      for (Envelope e = first(); e != null && e.time() < end; e = first()) {
        try {
          runner.handle(e == pending.peek() ? pending.poll() : wakeups.poll());
        } catch (BlockFailure f) {
          failure = f;
          break;
        }
      }
      if (failure != null || others == Long.MIN_VALUE) {
        break;
      }
      for (; counted < sent.size(); counted++) {
        Envelope e = sent.get(counted);
        others = Math.min(others, Lookahead.saturatingAdd(e.time(), distTo[e.dest()]));
      }
      Envelope next = first();
      long emit = Lookahead.emit(nextTile(), nextWake(), runner.quietUntil());
      long further = Math.min(Math.min(others, cap),
          Lookahead.saturatingAdd(emit, distTo[runner.index()]));
      if (next == null || next.time() >= further || further <= end) {
        break;
      }
      end = further;
    }
    List<BlockRunner.Keyed> trace = List.of();
    if (runner.hasTrace()) {
      trace = new ArrayList<>();
      runner.drainTrace(trace);
    }
    List<Envelope> out = List.of();
    if (!sent.isEmpty()) {
      out = sent;
      sent = new ArrayList<>(out.size()); // the next window's sends, likely as many
    }
    sync.tell(new Synchronizer.WindowDone(runner.index(), nextWake(), nextTile(),
        runner.quietUntil(), out, trace, runner.workDone() - workBefore, failure));
  }

  /** The earliest tile waiting to be handled, or {@link Lookahead#INF}. */
  private long nextTile() {
    return pending.isEmpty() ? Lookahead.INF : pending.peek().time();
  }

  /** The earliest own wake-up or returning credit, or {@link Lookahead#INF}. */
  private long nextWake() {
    return wakeups.isEmpty() ? Lookahead.INF : wakeups.peek().time();
  }

  /** The earliest pending envelope, tile or wake-up or credit, in key order; null if none. */
  private Envelope first() {
    Envelope a = pending.peek();
    Envelope w = wakeups.peek();
    if (a == null || w == null) {
      return a == null ? w : a;
    }
    return Envelope.ORDER.compare(a, w) <= 0 ? a : w;
  }
}
