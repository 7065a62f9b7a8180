package dev.attnsim.actors.blocks.fact;

import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.Tile;
import dev.attnsim.actors.kernel.TileKind;
import java.util.List;

/** A test source on output {@code out}: sends one tile per payload, in order, at cycle 0. */
final class Script implements Block {
  private final List<Object> payloads;

  Script(Object... payloads) {
    this.payloads = List.of(payloads);
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
      for (Object p : payloads) {
        ctx.send(outputs().get(0), new Tile(ctx.newTileId(), TileKind.DATA, Precision.FX16, 0,
            0, 0, 2, 0, 16, 1, 8, p));
      }
    }
  }
}
