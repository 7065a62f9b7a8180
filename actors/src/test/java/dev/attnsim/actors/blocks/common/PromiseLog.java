package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A block under test, unchanged, with a log of the promise ({@link Block#quietUntil()}) it makes
 * after each event: {@code "now:promise"}, {@code "now:-"} for no promise, {@code "now:never"}
 * for a promise that only a tile's arrival ends ({@link Long#MAX_VALUE}). A wrong promise
 * changes no result of the sequential engine, so tests read the promises themselves.
 */
public final class PromiseLog implements Block {
  private final Block block;
  public final List<String> log = new ArrayList<>();

  public PromiseLog(Block block) {
    this.block = block;
  }

  @Override
  public List<InPort> inputs() {
    return block.inputs();
  }

  @Override
  public List<OutPort> outputs() {
    return block.outputs();
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    block.onEvent(event, ctx);
    long p = block.quietUntil();
    log.add(ctx.now() + ":" + (p == Long.MIN_VALUE ? "-" : p == Long.MAX_VALUE ? "never"
        : Long.toString(p)));
  }

  @Override
  public long quietUntil() {
    return block.quietUntil();
  }

  @Override
  public Optional<String> pendingWork() {
    return block.pendingWork();
  }

  @Override
  public SortedMap<String, Long> counters() {
    return block.counters();
  }
}
