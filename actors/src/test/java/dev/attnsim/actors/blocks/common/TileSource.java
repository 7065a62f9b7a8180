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

/**
 * A test source on output {@code out}: sends one tile carrying {@code payload} (tile id 1) at
 * cycle 0, or with {@link #script} one tile per payload, in order, numbered by the block.
 */
public final class TileSource implements Block {
  private final Tile tile;
  private final List<Object> payloads;

  public TileSource(Object payload) {
    this.tile = new Tile(1, TileKind.DATA, Precision.FX16, 0, 0, 0, 2, 0, 16, 1, 8, payload);
    this.payloads = null;
  }

  private TileSource(List<Object> payloads) {
    this.tile = null;
    this.payloads = payloads;
  }

  /** One tile per payload, all at cycle 0, in order. */
  public static TileSource script(Object... payloads) {
    return new TileSource(List.of(payloads));
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
    if (!(e instanceof Event.Start)) {
      return;
    }
    if (payloads == null) {
      ctx.send(outputs().get(0), tile);
      return;
    }
    for (Object p : payloads) {
      ctx.send(outputs().get(0), new Tile(ctx.newTileId(), TileKind.DATA, Precision.FX16, 0, 0,
          0, 2, 0, 16, 1, 8, p));
    }
  }
}
