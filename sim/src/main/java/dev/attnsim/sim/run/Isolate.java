package dev.attnsim.sim.run;

import dev.attnsim.actors.blocks.common.dram.DramRequest;
import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.Link;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.SequentialEngine;
import dev.attnsim.actors.kernel.Tile;
import dev.attnsim.actors.kernel.TileKind;
import dev.attnsim.actors.kernel.TraceRecord;
import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.trace.TraceEvent;
import dev.attnsim.sim.trace.TraceHeader;
import dev.attnsim.sim.trace.TraceReader;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trace-driven replay of one block ({@code attnsim replay --isolate}), as DRAM simulators replay
 * request traces: the block is rebuilt from the trace's config with some settings changed, fed
 * its recorded input tiles at their recorded arrival times (later only if its input FIFOs
 * backpressure), and its outputs go to a sink that is always ready. The report compares each
 * output's recorded and replayed departure.
 *
 * <p>Inputs must be rebuildable from the trace: today, memory requests (their address and
 * direction are on the send lines), so DRAM controllers can be isolated.
 */
public final class Isolate {
  private Isolate() {}

  /** One output tile's departure, recorded and replayed (-1: not replayed). */
  public record Output(long tile, long recorded, long replayed) {}

  /** What the replay found. */
  public record Result(String block, long inputs, List<Output> outputs, long recordedBusy,
      long replayedBusy, long recordedStall, long replayedStall, RunResult run) {

    public long matched() {
      return outputs.stream().filter(o -> o.replayed() >= 0).count();
    }

    public long recordedLast() {
      return outputs.stream().mapToLong(Output::recorded).max().orElse(0);
    }

    public long replayedLast() {
      return outputs.stream().mapToLong(Output::replayed).max().orElse(0);
    }

    public long totalShift() {
      return outputs.stream().filter(o -> o.replayed() >= 0)
          .mapToLong(o -> o.replayed() - o.recorded()).sum();
    }

    public long maxShift() {
      return outputs.stream().filter(o -> o.replayed() >= 0)
          .mapToLong(o -> Math.abs(o.replayed() - o.recorded())).max().orElse(0);
    }
  }

  /** A recorded input: the tile and the cycle it arrived. */
  private record Arrival(long at, Tile tile) {}

  public static Result run(Path trace, String blockName, List<String> sets) {
    TraceHeader header = TraceReader.readHeader(trace);
    SimSettings settings = Replay.settings(header, trace, null, sets);
    Netlist full = Simulation.assemble(settings);
    int index = full.blockNames().indexOf(blockName);
    if (index < 0) {
      throw new ConfigError("--isolate " + blockName + ": " + trace + " has no block '"
          + blockName + "' (blocks: " + String.join(", ", header.blocks()) + ")");
    }
    Block block = full.block(index);
    int traced = header.blocks().indexOf(blockName);
    if (traced < 0) {
      throw new ConfigError("--isolate " + blockName + ": the trace's run had no block '"
          + blockName + "' (the --set changes rebuilt a different accelerator)");
    }

    Map<String, List<Arrival>> inputs = new HashMap<>(); // by input port; lookups only
    Map<Long, Long> recordedOut = new HashMap<>(); // tile -> departure; lookups only
    List<Long> outOrder = new ArrayList<>();
    long recordedBusy = 0;
    long recordedStall = 0;
    long inputCount = 0;
    try (var reader = TraceReader.open(trace)) {
      TraceEvent e;
      while ((e = reader.next()) != null) {
        if (e instanceof TraceEvent.Send s && s.to() == traced) {
          if (s.address() < 0) {
            throw new ConfigError("--isolate " + blockName + ": its inputs are " + s.kind()
                + " tiles whose contents the trace does not hold; only blocks fed by memory "
                + "requests (DRAM controllers) can be isolated");
          }
          var port = header.link(s.link()).toPort();
          var tile = new Tile(s.tile(), TileKind.valueOf(s.kind()), Precision.FX16, 0, 0, 0, 0,
              0, 0, 1, s.bytes(), new DramRequest(s.address(), s.write(), null));
          inputs.computeIfAbsent(port, p -> new ArrayList<>()).add(new Arrival(s.arrive(), tile));
          inputCount++;
        } else if (e instanceof TraceEvent.Send s && s.from() == traced) {
          if (recordedOut.put(s.tile(), s.t()) == null) {
            outOrder.add(s.tile());
          }
        } else if (e instanceof TraceEvent.Busy b && b.block() == traced) {
          recordedBusy += b.end() - b.start();
        } else if (e instanceof TraceEvent.Stall st && st.block() == traced) {
          recordedStall += st.end() - st.start();
        }
      }
      if (reader.footer() == null) {
        throw reader.incomplete();
      }
    }

    var net = new Netlist();
    net.add("replay", new Source(block.inputs(), inputs));
    net.add(blockName, block);
    net.add("sink", new Sink(block.outputs()));
    for (InPort p : block.inputs()) {
      var l = original(header, blockName, p.name(), true);
      net.connect("replay." + p.name(), blockName + "." + p.name(), l.latencyCycles(),
          l.depth() > 0 ? l.depth() : Link.UNBOUNDED, Math.max(1, l.creditLatencyCycles()));
    }
    for (OutPort p : block.outputs()) {
      var l = original(header, blockName, p.name(), false);
      net.connect(blockName + "." + p.name(), "sink." + p.name(), l.latencyCycles(), Link.UNBOUNDED);
    }
    Map<Long, Long> replayedOut = new HashMap<>(); // lookups only
    RunResult run = new SequentialEngine(RunLimits.DEFAULT, true).run(net, r -> {
      if (r instanceof TraceRecord.Send s && s.from().equals(blockName)) {
        replayedOut.putIfAbsent(s.tile(), s.time());
      }
    }, ProgressListener.NONE);
    var outputs = new ArrayList<Output>();
    for (long tile : outOrder) {
      outputs.add(new Output(tile, recordedOut.get(tile), replayedOut.getOrDefault(tile, -1L)));
    }
    var stats = run.block(blockName);
    return new Result(blockName, inputCount, outputs, recordedBusy, stats.busyCycles(),
        recordedStall, stats.stallCycles(), run);
  }

  private static TraceHeader.LinkInfo original(TraceHeader h, String block, String port,
      boolean input) {
    var link = input ? h.inLink(block, port) : h.outLink(block, port);
    if (link != null) {
      return link;
    }
    throw new ConfigError("--isolate " + block + ": port " + port
        + " is not connected in the trace's run");
  }

  /** Sends each recorded input so that it arrives when it did, credits allowing. */
  private static final class Source implements Block {
    private final List<OutPort> outs;
    private final List<ArrayDeque<Arrival>> queues = new ArrayList<>();
    private long wakeAt = -1;

    Source(List<InPort> targets, Map<String, List<Arrival>> inputs) {
      outs = OutPort.named(targets.stream().map(InPort::name).toList());
      for (InPort p : targets) {
        queues.add(new ArrayDeque<>(inputs.getOrDefault(p.name(), List.of())));
      }
    }

    @Override
    public List<InPort> inputs() {
      return List.of();
    }

    @Override
    public List<OutPort> outputs() {
      return outs;
    }

    @Override
    public void onEvent(Event e, BlockContext ctx) {
      long now = ctx.now();
      if (e instanceof Event.Wakeup && now == wakeAt) {
        wakeAt = -1;
      }
      long next = Long.MAX_VALUE;
      for (int i = 0; i < outs.size(); i++) {
        var q = queues.get(i);
        // the link adds its latency; a recorded arrival earlier than that is sent at once
        while (!q.isEmpty() && q.peekFirst().at() - 1 <= now) {
          if (!ctx.hasCredit(outs.get(i))) {
            ctx.stallOn(outs.get(i));
            break;
          }
          ctx.send(outs.get(i), q.pollFirst().tile());
        }
        if (!q.isEmpty() && q.peekFirst().at() - 1 > now) {
          next = Math.min(next, q.peekFirst().at() - 1);
        }
      }
      if (next != Long.MAX_VALUE && (wakeAt < 0 || next < wakeAt)) {
        wakeAt = next;
        ctx.wakeAt(next);
      }
    }
  }

  /** Takes every output at once. */
  private static final class Sink implements Block {
    private final List<InPort> ins;

    Sink(List<OutPort> sources) {
      ins = InPort.named(sources.stream().map(OutPort::name).toList());
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
        ctx.poll(a.port());
      }
    }
  }

}
