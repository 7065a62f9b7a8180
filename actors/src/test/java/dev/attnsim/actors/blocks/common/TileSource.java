package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.Tile;
import dev.attnsim.actors.kernel.TileKind;
import java.util.List;

/** A test source on output {@code out}: sends one tile carrying {@code payload} at cycle 0. */
public final class TileSource implements Block {
  private final Tile tile;

  public TileSource(Object payload) {
    this.tile = new Tile(1, TileKind.DATA, Precision.FX16, 0, 0, 0, 2, 0, 16, 1, 8, payload);
  }

  @Override
  public List<InPort> inputs() {
    return List.of();
  }

  @Override
  public List<OutPort> outputs() {
    return List.of(new OutPort(0, "out"));
  }

  @Override
  public void onEvent(Event e, BlockContext ctx) {
    if (e instanceof Event.Start) {
      ctx.send(outputs().get(0), tile);
    }
  }
}
