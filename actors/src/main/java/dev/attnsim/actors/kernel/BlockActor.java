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
 * handles those the {@link Synchronizer} allows, and ships what it sent as one batch per
 * destination at the end of each window. All datapath logic is in the runner and the block.
 */
final class BlockActor extends AbstractBehavior<BlockActor.Command> {

  sealed interface Command {}

  /** Peers indexed by block; sent once, before any window. */
  record Connect(List<ActorRef<Command>> peers, ActorRef<Synchronizer.Command> replyTo)
      implements Command {}

  /** Envelopes another block sent during one window. */
  record Deliver(List<Envelope> batch) implements Command {}

  /**
   * Handle every envelope before {@code end}, once {@code expectedDeliveries} batches have been
   * received in total.
   */
  record Advance(long end, long expectedDeliveries) implements Command {}

  /** The run is over: confirm and stop. */
  record Finish(ActorRef<Synchronizer.Command> replyTo) implements Command {}

  static Behavior<Command> create(BlockRunner runner, int blockCount) {
    return Behaviors.setup(ctx -> new BlockActor(ctx, runner, blockCount));
  }

  private final BlockRunner runner;
  // Tiles from other blocks, and the block's own wake-ups with returning credits, apart: the
  // synchronizer needs the earliest tile, which voids a block's promise (Block#quietUntil).
  private final PriorityQueue<Envelope> pending = new PriorityQueue<>(Envelope.ORDER);
  private final PriorityQueue<Envelope> wakeups = new PriorityQueue<>(Envelope.ORDER);
  private final List<Envelope>[] batches;
  private List<ActorRef<Command>> peers = List.of();
  private ActorRef<Synchronizer.Command> sync;
  private long delivered;
  private Advance waiting;

  @SuppressWarnings({"unchecked", "rawtypes"}) // an array of generic lists
  private BlockActor(ActorContext<Command> ctx, BlockRunner runner, int blockCount) {
    super(ctx);
    this.runner = runner;
    this.batches = new List[blockCount];
    runner.attach(new BlockRunner.Outbox() {
      @Override
      public void post(Envelope e) {
        var batch = batches[e.dest()];
        if (batch == null) {
          batch = new ArrayList<>();
          batches[e.dest()] = batch;
        }
        batch.add(e);
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
        .onMessage(Connect.class, this::onConnect)
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(Advance.class, this::onAdvance)
        .onMessage(Finish.class, this::onFinish)
        .build();
  }

  private Behavior<Command> onConnect(Connect c) {
    peers = c.peers();
    sync = c.replyTo();
    return this;
  }

  private Behavior<Command> onDeliver(Deliver d) {
    for (Envelope e : d.batch()) {
      (e.payload() instanceof Tile ? pending : wakeups).add(e);
    }
    delivered++;
    if (waiting != null && delivered >= waiting.expectedDeliveries()) {
      Advance a = waiting;
      waiting = null;
      runWindow(a.end());
    }
    return this;
  }

  private Behavior<Command> onAdvance(Advance a) {
    if (delivered >= a.expectedDeliveries()) {
      runWindow(a.end());
    } else {
      waiting = a;
    }
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
    int n = batches.length;
    long[] sent = new long[n];
    long[] firstTile = new long[n];
    long[] firstCredit = new long[n];
    for (int b = 0; b < n; b++) {
      firstTile[b] = Lookahead.INF;
      firstCredit[b] = Lookahead.INF;
      var batch = batches[b];
      if (batch != null) {
        for (Envelope e : batch) {
          if (e.payload() instanceof Tile) {
            firstTile[b] = Math.min(firstTile[b], e.time());
          } else {
            firstCredit[b] = Math.min(firstCredit[b], e.time());
          }
        }
        sent[b] = 1;
        peers.get(b).tell(new Deliver(batch));
        batches[b] = null;
      }
    }
    var trace = new ArrayList<BlockRunner.Keyed>();
    runner.drainTrace(trace);
    long nextTile = pending.isEmpty() ? Lookahead.INF : pending.peek().time();
    long nextWake = wakeups.isEmpty() ? Lookahead.INF : wakeups.peek().time();
    sync.tell(new Synchronizer.WindowDone(runner.index(), nextWake, nextTile,
        runner.quietUntil(), sent, firstTile, firstCredit, trace, runner.workDone() - workBefore,
        failure));
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
