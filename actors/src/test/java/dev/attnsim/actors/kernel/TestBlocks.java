package dev.attnsim.actors.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small blocks for kernel tests. */
final class TestBlocks {
  private TestBlocks() {}

  static final InPort IN = new InPort(0, "in");
  static final OutPort OUT = new OutPort(0, "out");

  /** A block with one input, {@link #IN}, and one output, {@link #OUT}. */
  abstract static class InToOut implements Block {
    @Override
    public List<InPort> inputs() {
      return List.of(IN);
    }

    @Override
    public List<OutPort> outputs() {
      return List.of(OUT);
    }
  }

  /** A block with one input, {@link #IN}, and no output. */
  abstract static class InOnly implements Block {
    @Override
    public List<InPort> inputs() {
      return List.of(IN);
    }

    @Override
    public List<OutPort> outputs() {
      return List.of();
    }
  }

  /** Emits {@code count} tiles of 8 bytes, one every {@code interval} cycles, credit allowing. */
  static final class Source implements Block {
    private final int count;
    private final long interval;
    private int sent;
    private long nextAt;
    private long wakeAt = -1;

    Source(int count, long interval) {
      this(count, interval, 0);
    }

    Source(int count, long interval, long startAt) {
      this.count = count;
      this.interval = interval;
      this.nextAt = startAt;
    }

    @Override
    public List<InPort> inputs() {
      return List.of();
    }

    @Override
    public List<OutPort> outputs() {
      return List.of(OUT);
    }

    @Override
    public void onEvent(Event e, BlockContext ctx) {
      if (e instanceof Event.Wakeup && ctx.now() == wakeAt) {
        wakeAt = -1;
      }
      if (sent == count) {
        return;
      }
      if (ctx.now() < nextAt) {
        if (wakeAt != nextAt) {
          wakeAt = nextAt;
          ctx.wakeAt(nextAt);
        }
        return;
      }
      if (!ctx.hasCredit(OUT)) {
        ctx.stallOn(OUT);
        return;
      }
      ctx.busy(ctx.now(), ctx.now() + 1, "emit", 0, null);
      ctx.send(OUT, Tile.of(ctx.newTileId(), TileKind.DATA, Precision.INT8, 1, 8, 8));
      sent++;
      nextAt = ctx.now() + interval;
      if (sent < count) {
        wakeAt = nextAt;
        ctx.wakeAt(nextAt);
      }
    }

    @Override
    public Optional<String> pendingWork() {
      return sent == count ? Optional.empty() : Optional.of((count - sent) + " tiles unsent");
    }
  }

  /** Wakes itself every cycle, forever. */
  static final class Spinner implements Block {
    @Override
    public List<InPort> inputs() {
      return List.of();
    }

    @Override
    public List<OutPort> outputs() {
      return List.of();
    }

    @Override
    public void onEvent(Event e, BlockContext ctx) {
      ctx.wakeAt(ctx.now() + 1);
    }
  }

  /** Consumes tiles, each taking {@code service} cycles; records what it saw and when. */
  static final class Sink implements Block {
    private final long service;
    private final List<InPort> ins;
    final List<String> seen = new ArrayList<>();
    private boolean working;

    Sink(long service) {
      this(service, 1);
    }

    Sink(long service, int inputs) {
      this.service = service;
      var l = new ArrayList<InPort>();
      for (int i = 0; i < inputs; i++) {
        l.add(new InPort(i, "in" + (i == 0 ? "" : i)));
      }
      this.ins = List.copyOf(l);
    }

    @Override
    public List<InPort> inputs() {
      return ins;
    }

    @Override
    public List<OutPort> outputs() {
      return List.of();
    }

    @Override
    public void onEvent(Event e, BlockContext ctx) {
      if (e instanceof Event.TileArrived a) {
        seen.add(ctx.now() + ":" + a.port().name() + ":" + a.tile().id());
      }
      if (e instanceof Event.Wakeup) {
        working = false;
      }
      if (working) {
        return;
      }
      for (InPort p : ins) {
        if (ctx.queued(p) > 0) {
          ctx.poll(p);
          ctx.busy(ctx.now(), ctx.now() + service, "consume", 0, null);
          ctx.wakeAt(ctx.now() + service);
          ctx.completeWork(1);
          working = true;
          return;
        }
      }
    }
  }

  /** Forwards every tile it receives from {@code in} to {@code out}, if it has a credit. */
  static final class Relay extends InToOut {
    private Tile holding;

    @Override
    public void onEvent(Event e, BlockContext ctx) {
      if (holding == null && ctx.queued(IN) > 0) {
        holding = ctx.poll(IN);
      }
      if (holding != null) {
        if (ctx.hasCredit(OUT)) {
          ctx.send(OUT, holding);
          holding = null;
        } else {
          ctx.stallOn(OUT);
        }
      }
    }

    @Override
    public Optional<String> pendingWork() {
      return holding == null ? Optional.empty() : Optional.of("holding tile " + holding.id());
    }
  }

  /** Starts by sending a tile (seeding a ring) and then relays, but never frees its input. */
  static final class Hoarder extends InToOut {
    @Override
    public void onEvent(Event e, BlockContext ctx) {
      while (ctx.hasCredit(OUT)) {
        ctx.send(OUT, Tile.of(ctx.newTileId(), TileKind.DATA, Precision.INT8, 1, 1, 1));
      }
      ctx.stallOn(OUT);
    }
  }

  /** Takes tiles into its FIFO and never reads them: a consumer that hangs. */
  static final class Deaf extends InOnly {
    @Override
    public void onEvent(Event e, BlockContext ctx) {}
  }

  /**
   * Busy every cycle from the start, waking itself each cycle, until a tile arrives on {@code
   * in} or cycle {@code until}: a block that is alone in its windows for as long as it ticks.
   */
  static final class Ticker extends InOnly {
    private final long until;
    private boolean told;

    Ticker(long until) {
      this.until = until;
    }

    @Override
    public void onEvent(Event e, BlockContext ctx) {
      if (ctx.queued(IN) > 0) {
        ctx.poll(IN);
        told = true; // the tile stops the ticking
      }
      if ((e == Event.Start.INSTANCE || e == Event.Wakeup.INSTANCE) && !told
          && ctx.now() < until) {
        ctx.busy(ctx.now(), ctx.now() + 1, "tick", 0, null);
        ctx.wakeAt(ctx.now() + 1);
      }
    }
  }

  /** Throws on the {@code n}-th tile it receives. */
  static final class Faulty extends InOnly {
    private final int failOn;
    private int got;

    Faulty(int failOn) {
      this.failOn = failOn;
    }

    @Override
    public void onEvent(Event e, BlockContext ctx) {
      if (e instanceof Event.TileArrived) {
        ctx.poll(IN);
        if (++got == failOn) {
          throw new IllegalStateException("parity error in tile " + got);
        }
      }
    }
  }

  /**
   * Breaks its promise: takes each tile at once, promises nothing will leave for 10 cycles, and
   * sends the tile on its next wake-up, a cycle later (a wake-up is held to the promise; the
   * tile's arrival, which voided the previous one, is not).
   */
  static final class Liar extends InToOut {
    private long promise = Long.MIN_VALUE;
    private Tile held;

    @Override
    public void onEvent(Event e, BlockContext ctx) {
      if (e instanceof Event.TileArrived && held == null) {
        held = ctx.poll(IN);
        promise = ctx.now() + 10;
        ctx.wakeAt(ctx.now() + 1);
      } else if (e instanceof Event.Wakeup && held != null) {
        ctx.send(OUT, held);
        held = null;
      }
    }

    @Override
    public long quietUntil() {
      return promise;
    }
  }

  /**
   * Keeps its promise as the kernel reads it: forwards each tile the moment it arrives, then
   * promises nothing will leave for 10 cycles, which only the next tile's arrival ends.
   */
  static final class Reactor extends InToOut {
    private long promise = Long.MIN_VALUE;

    @Override
    public void onEvent(Event e, BlockContext ctx) {
      if (e instanceof Event.TileArrived) {
        ctx.send(OUT, ctx.poll(IN));
        promise = ctx.now() + 10;
      }
    }

    @Override
    public long quietUntil() {
      return promise;
    }
  }

  /**
   * Breaks its promise on a returning credit: sends one tile at start, promises nothing more
   * before cycle 100, and sends a second tile as soon as the first one's credit is back.
   */
  static final class CreditLiar implements Block {
    private int sent;

    @Override
    public List<InPort> inputs() {
      return List.of();
    }

    @Override
    public List<OutPort> outputs() {
      return List.of(OUT);
    }

    @Override
    public void onEvent(Event e, BlockContext ctx) {
      if (sent < 2 && ctx.hasCredit(OUT)) {
        ctx.send(OUT, Tile.of(ctx.newTileId(), TileKind.DATA, Precision.INT8, 1, 1, 1));
        sent++;
      }
    }

    @Override
    public long quietUntil() {
      return 100;
    }
  }

  /** Collects trace records in a list. */
  static final class ListSink implements TraceSink {
    final List<TraceRecord> records = new ArrayList<>();

    @Override
    public void accept(TraceRecord r) {
      records.add(r);
    }
  }
}
