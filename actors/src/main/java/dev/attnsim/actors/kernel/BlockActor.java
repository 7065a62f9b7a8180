package dev.attnsim.actors.kernel;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The actor around one {@link BlockRunner}: keeps the block's pending envelopes in key order,
 * handles those the {@link Synchronizer} allows, and reports what it sent with the end of each
 * window; the synchronizer hands those envelopes to their destinations with their next window.
 * All datapath logic is in the runner and the block.
 */
final class BlockActor extends AbstractBehavior<BlockActor.Command> {

  sealed interface Command {}

  /** The synchronizer to report to; sent once, before any window. */
  record Connect(ActorRef<Synchronizer.Command> replyTo) implements Command {}

  /**
   * Take {@code deliveries} (what other blocks sent this block since its last window, in any
   * order), then handle every envelope before {@code end}.
   */
  record Advance(long end, List<Envelope> deliveries) implements Command {}

  /** The run is over: confirm and stop. */
  record Finish(ActorRef<Synchronizer.Command> replyTo) implements Command {}

  static Behavior<Command> create(BlockRunner runner) {
    return Behaviors.setup(ctx -> new BlockActor(ctx, runner));
  }

  private final BlockRunner runner;
  // Tiles from other blocks, and the block's own wake-ups with returning credits, apart: the
  // synchronizer needs the earliest tile, which voids a block's promise (Block#quietUntil).
  private final PriorityQueue<Envelope> pending = new PriorityQueue<>(Envelope.ORDER);
  private final PriorityQueue<Envelope> wakeups = new PriorityQueue<>(Envelope.ORDER);
  private List<Envelope> sent = new ArrayList<>();
  private ActorRef<Synchronizer.Command> sync;

  private BlockActor(ActorContext<Command> ctx, BlockRunner runner) {
    super(ctx);
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
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Advance.class, this::onAdvance)
        .onMessage(Connect.class, this::onConnect)
        .onMessage(Finish.class, this::onFinish)
        .build();
  }

  private Behavior<Command> onConnect(Connect c) {
    sync = c.replyTo();
    return this;
  }

  private Behavior<Command> onAdvance(Advance a) {
    for (Envelope e : a.deliveries()) {
      (e.payload() instanceof Tile ? pending : wakeups).add(e);
    }
    runWindow(a.end());
    return this;
  }

  private Behavior<Command> onFinish(Finish f) {
    f.replyTo().tell(new Synchronizer.Finished(runner.index()));
    return Behaviors.stopped();
  }

  private void runWindow(long end) {
    long workBefore = runner.workDone();
    BlockFailure failure = null;
    for (Envelope e = first(); e != null && e.time() < end; e = first()) {
      try {
        runner.handle(e == pending.peek() ? pending.poll() : wakeups.poll());
      } catch (BlockFailure f) {
        failure = f;
        break;
      }
    }
    List<BlockRunner.Keyed> trace = List.of();
    if (runner.hasTrace()) {
      trace = new ArrayList<>();
      runner.drainTrace(trace);
    }
    List<Envelope> out = List.of();
    if (!sent.isEmpty()) {
      out = sent;
      sent = new ArrayList<>();
    }
    long nextTile = pending.isEmpty() ? Lookahead.INF : pending.peek().time();
    long nextWake = wakeups.isEmpty() ? Lookahead.INF : wakeups.peek().time();
    sync.tell(new Synchronizer.WindowDone(runner.index(), nextWake, nextTile,
        runner.quietUntil(), out, trace, runner.workDone() - workBefore, failure));
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
