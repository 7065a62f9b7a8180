package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.blocks.common.dram.DramRequest;
import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import java.util.ArrayList;
import java.util.List;

/**
 * A memory for tests: {@code n} request/response port pairs sharing one bus; a request holds the
 * bus {@code ceil(bytes / bandwidth)} cycles and its response leaves {@code latency} later. It
 * logs every request it serves, {@code "cycle: read|write address +bytes"}.
 */
public final class TestMemory implements Block {
  public final List<String> requests = new ArrayList<>();
  private final List<InPort> ins = new ArrayList<>();
  private final List<OutPort> outs = new ArrayList<>();
  private final long bandwidth;
  private final long latency;
  private long busFree;

  public TestMemory(int n, long bandwidth, long latency) {
    for (int i = 0; i < n; i++) {
      ins.add(new InPort(i, "req" + i));
      outs.add(new OutPort(i, "resp" + i));
    }
    this.bandwidth = bandwidth;
    this.latency = latency;
  }

  @Override
  public List<InPort> inputs() {
    return ins;
  }

  @Override
  public List<OutPort> outputs() {
    return outs;
  }

  @Override
  public void onEvent(Event e, BlockContext ctx) {
    for (int i = 0; i < ins.size(); i++) {
      while (ctx.queued(ins.get(i)) > 0 && ctx.hasCredit(outs.get(i))) {
        var t = ctx.poll(ins.get(i));
        if (t.payload() instanceof DramRequest r) {
          requests.add(ctx.now() + ": " + (r.write() ? "write " : "read ") + r.address() + " +"
              + t.bytes());
        }
        long start = Math.max(ctx.now(), busFree);
        busFree = start + Math.max(1, (t.bytes() + bandwidth - 1) / bandwidth);
        ctx.send(outs.get(i), t, busFree - ctx.now() + latency);
      }
    }
  }
}
