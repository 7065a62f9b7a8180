package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Tile;
import java.util.ArrayList;
import java.util.List;

/**
 * A test memory on {@code req}/{@code resp}: answers every request at once (the link's cycle
 * only) and records each request's bytes.
 */
public final class EchoMemory implements Block {
  public final List<Long> bytes = new ArrayList<>();

  @Override
  public List<InPort> inputs() {
    return List.of(new InPort(0, "req"));
  }

  @Override
  public List<OutPort> outputs() {
    return List.of(new OutPort(0, "resp"));
  }

  @Override
  public void onEvent(Event e, BlockContext ctx) {
    if (e instanceof Event.TileArrived a) {
      Tile t = ctx.poll(a.port());
      bytes.add(t.bytes());
      ctx.send(outputs().get(0), t);
    }
  }
}
