package dev.attnsim.actors.blocks.common.dram;

import java.util.Objects;

/**
 * How a {@link DramController} runs its memory: the controller rules DRAMSim3's {@code [system]}
 * section sets, plus how requesters hand requests over. {@link #defaults(DramDevice)} gives
 * DRAMSim3's values for the stock HBM2 and DDR4 configurations.
 *
 * @param page whether a row stays open after an access (DRAMSim3 {@code row_buf_policy})
 * @param scheduling which command of a bank's command queue may issue
 * @param mapping how addresses select channel, rank, bank group, bank, row and column
 * @param readQueueEntries read transactions (bursts) each channel holds before they enter the
 *     command queues (DRAMSim3 {@code trans_queue_size}, per channel)
 * @param writeBufferEntries write transactions each channel buffers (DRAMSim3 sizes its write
 *     buffer with {@code trans_queue_size} too)
 * @param commandQueueEntries commands each bank's command queue holds: the window in which the
 *     controller may reorder a bank's accesses (DRAMSim3 {@code cmd_queue_size}, PER_BANK)
 * @param rowHitCap column accesses to an open row after which a queued access to another row may
 *     precharge it although hits are still queued (DRAMSim3: 4, {@code
 *     CommandQueue::ArbitratePrecharge}); 0 = no cap
 * @param writeDrainThreshold the write buffer drains when it is full, or when it holds more than
 *     this many writes and every command queue is empty (DRAMSim3: 8, {@code
 *     Controller::ScheduleTransaction})
 * @param refresh when ranks or banks refresh
 * @param intake how many bursts a requester port hands over per DRAM clock
 */
public record DramPolicy(Page page, Scheduling scheduling, AddressMapping mapping,
    int readQueueEntries, int writeBufferEntries, int commandQueueEntries, int rowHitCap,
    int writeDrainThreshold, Refresh refresh, Intake intake) {

  /** Row-buffer management. */
  public enum Page {
    /** A row stays open until an access to another row of its bank needs the bank. */
    OPEN,
    /** Every access ends with an auto-precharge (read/write with precharge). */
    CLOSED
  }

  /** Which queued command of a bank goes next. */
  public enum Scheduling {
    /**
     * First ready, first come, first served within each bank's command queue: the oldest command
     * whose timing allows it issues, so a younger row hit overtakes an older conflict (DRAMSim3's
     * {@code GetFirstReadyInQueue}); a precharge waits while hits are queued, up to the row-hit
     * cap.
     */
    FR_FCFS,
    /** Each bank's commands strictly in arrival order; banks still take turns. */
    FCFS
  }

  /** Refresh schedule (DRAMSim3 {@code refresh_policy}). */
  public enum Refresh {
    /** One rank refreshes every tREFI / ranks, ranks in turn ({@code RANK_LEVEL_STAGGERED}). */
    RANK_STAGGERED,
    /** Every tREFI a refresh, each time to the first rank ({@code RANK_LEVEL_SIMULTANEOUS}). */
    RANK_SIMULTANEOUS,
    /** One bank refreshes every tREFIb, banks in turn ({@code BANK_LEVEL_STAGGERED}). */
    BANK_STAGGERED,
    /** No refresh. */
    NONE
  }

  /** How many bursts a requester port hands the controller per DRAM clock. */
  public enum Intake {
    /** At most one, as DRAMSim3's and Ramulator's trace front ends add one request per cycle. */
    ONE,
    /** Every burst its channel has room for. */
    WIDE
  }

  public DramPolicy {
    Objects.requireNonNull(page, "page");
    Objects.requireNonNull(scheduling, "scheduling");
    Objects.requireNonNull(mapping, "mapping");
    Objects.requireNonNull(refresh, "refresh");
    Objects.requireNonNull(intake, "intake");
    if (readQueueEntries < 1 || writeBufferEntries < 1 || commandQueueEntries < 1) {
      throw new IllegalArgumentException("DRAM queue sizes must be >= 1, got read queue "
          + readQueueEntries + ", write buffer " + writeBufferEntries + ", command queue "
          + commandQueueEntries);
    }
    if (rowHitCap < 0 || writeDrainThreshold < 0) {
      throw new IllegalArgumentException("row-hit cap and write-drain threshold must be >= 0, "
          + "got " + rowHitCap + " and " + writeDrainThreshold);
    }
  }

  /**
   * DRAMSim3's stock controller for {@code device}: open page, per-bank command queues of 8, read
   * queue and write buffer of 32 per channel, row-hit cap 4, drain threshold 8, staggered rank
   * refresh, the device's own address mapping; requesters hand over every burst that fits.
   */
  public static DramPolicy defaults(DramDevice device) {
    return new DramPolicy(Page.OPEN, Scheduling.FR_FCFS, device.mapping(), 32, 32, 8, 4, 8,
        Refresh.RANK_STAGGERED, Intake.WIDE);
  }

  public DramPolicy withPage(Page p) {
    return new DramPolicy(p, scheduling, mapping, readQueueEntries, writeBufferEntries,
        commandQueueEntries, rowHitCap, writeDrainThreshold, refresh, intake);
  }

  public DramPolicy withScheduling(Scheduling s) {
    return new DramPolicy(page, s, mapping, readQueueEntries, writeBufferEntries,
        commandQueueEntries, rowHitCap, writeDrainThreshold, refresh, intake);
  }

  public DramPolicy withMapping(AddressMapping m) {
    return new DramPolicy(page, scheduling, m, readQueueEntries, writeBufferEntries,
        commandQueueEntries, rowHitCap, writeDrainThreshold, refresh, intake);
  }

  /** The read queue and write buffer sizes, per channel. */
  public DramPolicy withQueues(int readQueue, int writeBuffer) {
    return new DramPolicy(page, scheduling, mapping, readQueue, writeBuffer,
        commandQueueEntries, rowHitCap, writeDrainThreshold, refresh, intake);
  }

  public DramPolicy withCommandQueueEntries(int entries) {
    return new DramPolicy(page, scheduling, mapping, readQueueEntries, writeBufferEntries,
        entries, rowHitCap, writeDrainThreshold, refresh, intake);
  }

  public DramPolicy withRowHitCap(int cap) {
    return new DramPolicy(page, scheduling, mapping, readQueueEntries, writeBufferEntries,
        commandQueueEntries, cap, writeDrainThreshold, refresh, intake);
  }

  public DramPolicy withWriteDrainThreshold(int threshold) {
    return new DramPolicy(page, scheduling, mapping, readQueueEntries, writeBufferEntries,
        commandQueueEntries, rowHitCap, threshold, refresh, intake);
  }

  public DramPolicy withRefresh(Refresh r) {
    return new DramPolicy(page, scheduling, mapping, readQueueEntries, writeBufferEntries,
        commandQueueEntries, rowHitCap, writeDrainThreshold, r, intake);
  }

  public DramPolicy withIntake(Intake i) {
    return new DramPolicy(page, scheduling, mapping, readQueueEntries, writeBufferEntries,
        commandQueueEntries, rowHitCap, writeDrainThreshold, refresh, i);
  }
}
