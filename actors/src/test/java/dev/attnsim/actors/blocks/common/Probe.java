package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Tile;
import java.util.ArrayList;
import java.util.List;

/** A test sink on input {@code in}: records each tile and its arrival time, frees its slot at once. */
public final class Probe implements Block {
  public final List<Long> arrivals = new ArrayList<>();
  public final List<Tile> tiles = new ArrayList<>();

  @Override
  public List<InPort> inputs() {
    return List.of(new InPort(0, "in"));
  }

  @Override
  public List<OutPort> outputs() {
    return List.of();
  }

  @Override
  public void onEvent(Event e, BlockContext ctx) {
    if (e instanceof Event.TileArrived a) {
      arrivals.add(ctx.now());
      tiles.add(ctx.poll(a.port()));
    }
  }
}
