package dev.attnsim.actors.blocks.common.dram;

import java.util.Objects;

/**
 * How a {@link DramController} runs its memory: page policy, scheduling, address mapping and
 * queue depth. {@link #DEFAULT} is open page, FR-FCFS, {@link AddressMapping#DEFAULT}, 32.
 *
 * @param page whether a row stays open after an access
 * @param scheduling which queued access gets the data bus next
 * @param mapping how addresses select channel, bank and row
 * @param queueDepth requests the controller holds in total, over all channels and requesters,
 *     from dequeue until its last burst is scheduled on a bus; further requests wait in their
 *     request links, so requesters stall through credits
 */
public record DramPolicy(Page page, Scheduling scheduling, AddressMapping mapping, int queueDepth) {

  /** Row-buffer management. */
  public enum Page {
    /** A row stays open until an access to another row of its bank needs the bank. */
    OPEN,
    /** Every access ends with a precharge (auto-precharge): every access is a row miss. */
    CLOSED
  }

  /** Which ready access goes next. */
  public enum Scheduling {
    /**
     * First-ready, first-come-first-served: the oldest access whose row is open gets the bus; a
     * bank keeps its row open while a queued access still hits it. No starvation cap.
     */
    FR_FCFS,
    /** Column accesses strictly in arrival order, per channel; banks still prepare in parallel. */
    FCFS
  }

  public static final DramPolicy DEFAULT =
      new DramPolicy(Page.OPEN, Scheduling.FR_FCFS, AddressMapping.DEFAULT, 32);

  public DramPolicy {
    Objects.requireNonNull(page, "page");
    Objects.requireNonNull(scheduling, "scheduling");
    Objects.requireNonNull(mapping, "mapping");
    if (queueDepth < 1) {
      throw new IllegalArgumentException("DRAM queue depth must be >= 1, got " + queueDepth);
    }
  }

  public DramPolicy withPage(Page p) {
    return new DramPolicy(p, scheduling, mapping, queueDepth);
  }

  public DramPolicy withScheduling(Scheduling s) {
    return new DramPolicy(page, s, mapping, queueDepth);
  }

  public DramPolicy withMapping(AddressMapping m) {
    return new DramPolicy(page, scheduling, m, queueDepth);
  }

  public DramPolicy withQueueDepth(int depth) {
    return new DramPolicy(page, scheduling, mapping, depth);
  }
}
