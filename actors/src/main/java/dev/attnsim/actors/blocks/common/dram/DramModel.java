package dev.attnsim.actors.blocks.common.dram;

import dev.attnsim.actors.kernel.Block;

/** How the DRAM controller block times its requests ({@code hardware.dram.model}). */
public enum DramModel {
  /** DRAMSim3's controller clock by clock ({@link DramController}): its schedule exactly. */
  DRAMSIM3,
  /**
   * Each burst timed once from its bank's state and calendars of the channel's commands ({@link
   * FastDramController}, after gem5's event-based controller): many times faster on long runs;
   * within 3 % of the clocked model's cycles on the accelerators' HBM2 traffic, far off where
   * streams collide in one bank (see {@code actors/docs/dram.md}, "The fast model").
   */
  FAST;

  /** The controller block of this model with {@code requesters} ports. */
  public Block controller(int requesters, DramTiming timing, DramPolicy policy) {
    return switch (this) {
      case DRAMSIM3 -> new DramController(requesters, timing, policy);
      case FAST -> new FastDramController(requesters, timing, policy);
    };
  }

  /** The model's name in config files: {@code dramsim3}, {@code fast}. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
