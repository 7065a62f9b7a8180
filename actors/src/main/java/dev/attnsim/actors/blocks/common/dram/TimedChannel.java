package dev.attnsim.actors.blocks.common.dram;

import java.util.Arrays;

/**
 * One channel of the {@code fast} DRAM model ({@link FastDramController}): each burst is timed
 * once, when it is handed over, from the state of its bank, rank and data bus, instead of clock by
 * clock. The method is gem5's event-based DRAM controller (Hansson et al., "Simulating DRAM
 * controllers for future system architecture exploration", ISPASS 2014; {@code
 * src/mem/dram_interface.cc}, {@code doBurstAccess}, {@code activateBank}, {@code prechargeBank}):
 * every bank keeps the earliest clock its next ACT, RD, WR and PRE may issue; a burst to a closed
 * or other row precharges and activates (the activation also bounded by tRRD on the rank's other
 * banks and by the tFAW window of its last four), and its column command issues at the earliest
 * clock its bank and every earlier column command allow. The distances between commands are
 * DRAMSim3's ({@link DramDelays}), as in the clocked model.
 *
 * <p>What it leaves out, against {@link DramChannel}: commands of a channel issue their column
 * accesses in the order the bursts were handed over (first come, first served: no row hit
 * overtakes an older access; a bank's activation still overlaps the column accesses of the
 * bursts before it); writes take their place in that order instead of waiting in a write buffer
 * to drain; a read is not served from a buffered write and reads of one burst do not merge; the
 * command bus is not a limit (only the column-to-column distances are); a refresh falls between
 * two bursts, when the later one's earliest column clock has reached its due clock.
 *
 * <p>Queue room, as DRAMSim3 keeps it: a burst waits in its channel's read queue ({@code
 * read-queue-entries}; writes in the write buffer, {@code write-buffer-entries}) until its bank's
 * command queue ({@code command-queue-entries}) has room, which a column command of that bank
 * frees; it is handed over no earlier than the clock after the burst that many places before it
 * in the read queue moved on, and its first command issues the clock after it moves.
 */
final class TimedChannel {
  private static final long CLOSED = -1;

  private final DramDevice dev;
  private final DramDelays d;
  private final DramDevice.Clocks t;
  private final boolean closedPage;
  private final DramPolicy.Refresh refresh;
  private final int banksPerGroup;
  private final int banksPerRank;
  private final int nBanks;

  private final long[] openRow;
  private final boolean[] touched; // a column access since the row opened
  private final byte[] openClass;
  private final long[] actAt;
  private final long[] readAt; // a bank's own bound on its next RD (tRCD after its ACT)
  private final long[] writeAt;
  // Bounds from earlier column commands, kept per bank group (the _L delays: a command's own
  // group), per rank (_S: every group of its rank) and per rank for the other ranks' commands
  // (_O). A bank's next RD is the largest of its group's, its rank's, its rank's other-rank and
  // its own bound: DRAMSim3's per-bank tables give the same, since each _L delay is at least the
  // _S one, in O(1) per command instead of a walk over every bank.
  private final int groups;
  private final long[] groupReadAt;
  private final long[] groupWriteAt;
  private final long[] rankReadAt;
  private final long[] rankWriteAt;
  private final long[] otherReadAt;
  private final long[] otherWriteAt;
  private final long[] preAt;
  private final long[] refAt;
  private final long[][] lastActivates; // per rank, a ring of the last four ACT clocks
  private final int[] activateIndex;
  private long lastColumn = Long.MIN_VALUE;

  private final QueueRoom readQueue;
  private final QueueRoom writeBuffer;
  private final long[][] bankSlots; // per bank, column clocks of its last accesses, a ring
  private final int[] bankSlot;

  private final long refreshInterval;
  private long refreshDue;
  private int refreshRank;
  private int refreshBank;

  // the data-bus span being built: bursts whose data follow one another merge
  private long spanStart = Long.MIN_VALUE;
  private long spanEnd = Long.MIN_VALUE;
  private boolean spanWrite;

  // what the last call of book() found
  long dataEnd;
  byte rowClass;

  // statistics
  long activates;
  long precharges;
  long refreshes;
  long rowHits;
  long rowMisses;
  long rowConflicts;
  long busBusyClocks;

  TimedChannel(DramDevice dev, DramPolicy pol) {
    this.dev = dev;
    this.d = new DramDelays(dev);
    this.t = dev.clocks();
    this.closedPage = pol.page() == DramPolicy.Page.CLOSED;
    this.refresh = pol.refresh();
    this.banksPerGroup = dev.banksPerGroup();
    this.banksPerRank = dev.banksPerRank();
    this.nBanks = dev.banksPerChannel();
    openRow = new long[nBanks];
    Arrays.fill(openRow, CLOSED);
    touched = new boolean[nBanks];
    openClass = new byte[nBanks];
    actAt = new long[nBanks];
    readAt = new long[nBanks];
    writeAt = new long[nBanks];
    groups = dev.ranks() * dev.bankGroups();
    groupReadAt = new long[groups];
    groupWriteAt = new long[groups];
    rankReadAt = new long[dev.ranks()];
    rankWriteAt = new long[dev.ranks()];
    otherReadAt = new long[dev.ranks()];
    otherWriteAt = new long[dev.ranks()];
    preAt = new long[nBanks];
    refAt = new long[nBanks];
    lastActivates = new long[dev.ranks()][4];
    for (long[] ring : lastActivates) {
      Arrays.fill(ring, Long.MIN_VALUE / 2);
    }
    activateIndex = new int[dev.ranks()];
    readQueue = new QueueRoom(pol.readQueueEntries());
    writeBuffer = new QueueRoom(pol.writeBufferEntries());
    bankSlots = new long[nBanks][pol.commandQueueEntries()];
    for (long[] ring : bankSlots) {
      Arrays.fill(ring, -1);
    }
    bankSlot = new int[nBanks];
    refreshInterval = switch (refresh) {
      case RANK_STAGGERED -> t.tRefi() / dev.ranks();
      case RANK_SIMULTANEOUS -> t.tRefi();
      case BANK_STAGGERED -> t.tRefib();
      case NONE -> 0;
    };
    refreshDue = refreshInterval > 0 ? refreshInterval : Long.MAX_VALUE;
  }

  /** The earliest clock at or after {@code clock} at which a read (write) can be handed over. */
  long acceptFrom(boolean write, long clock) {
    return (write ? writeBuffer : readQueue).firstRoom(clock);
  }

  /** No burst will be handed over before {@code clock} any more: forgets what left before it. */
  void forgetBefore(long clock) {
    readQueue.forgetBefore(clock);
    writeBuffer.forgetBefore(clock);
  }

  /**
   * Times a burst handed over at {@code clock} (no earlier than {@link #acceptFrom}): its
   * commands, its row-buffer class ({@link #rowClass}) and its data's last clock ({@link
   * #dataEnd}); returns the clock its data starts.
   */
  long book(long clock, boolean write, int rank, int b, long row, RequestBook book) {
    // DRAMSim3 moves a transaction into its bank queue in a clock's tick after the commands, at
    // the earliest in the tick of the clock it was added and of the column command that freed
    // its bank queue's entry; its first command is at the next clock.
    long moved = Math.max(clock, bankSlots[b][bankSlot[b]]);
    long from = moved + 1;
    long columnFrom = Math.max(from, lastColumn);
    while (refreshDue <= columnFrom) {
      refresh();
    }
    if (openRow[b] != row) {
      long act = from;
      if (openRow[b] != CLOSED) {
        long pre = Math.max(from, preAt[b]);
        precharge(b, pre);
        openClass[b] = DramChannel.CONFLICT;
      } else {
        openClass[b] = DramChannel.MISS;
      }
      act = Math.max(act, actAt[b]);
      activate(rank, b, Math.max(act, lastActivates[rank][activateIndex[rank]] + t.tFaw()), row);
    }
    int group = b / banksPerGroup;
    long column = Math.max(columnFrom, write
        ? Math.max(Math.max(writeAt[b], groupWriteAt[group]),
            Math.max(rankWriteAt[rank], otherWriteAt[rank]))
        : Math.max(Math.max(readAt[b], groupReadAt[group]),
            Math.max(rankReadAt[rank], otherReadAt[rank])));
    rowClass = touched[b] ? DramChannel.HIT : openClass[b];
    switch (rowClass) {
      case DramChannel.HIT -> rowHits++;
      case DramChannel.MISS -> rowMisses++;
      default -> rowConflicts++;
    }
    touched[b] = true;
    columnTiming(write, b, rank, column);
    lastColumn = column;
    bankSlots[b][bankSlot[b]] = column;
    bankSlot[b] = (bankSlot[b] + 1) % bankSlots[b].length;
    (write ? writeBuffer : readQueue).add(moved);
    long start = column + (write ? d.writeLatency : d.readLatency);
    dataEnd = start + d.burst;
    busBusyClocks += d.burst;
    if (start <= spanEnd && write == spanWrite) {
      spanEnd = Math.max(spanEnd, dataEnd);
    } else {
      flushSpan(book);
      spanStart = start;
      spanEnd = dataEnd;
      spanWrite = write;
    }
    return start;
  }

  /** Hands the data-bus span being built to {@code book}. */
  void flushSpan(RequestBook book) {
    if (spanStart != Long.MIN_VALUE) {
      book.dataBusy(spanStart, spanEnd, spanWrite);
      spanStart = Long.MIN_VALUE;
      spanEnd = Long.MIN_VALUE;
    }
  }

  /** The clock the data-bus span being built starts, or MAX_VALUE. */
  long spanStart() {
    return spanStart == Long.MIN_VALUE ? Long.MAX_VALUE : spanStart;
  }

  private void precharge(int b, long clock) {
    precharges++;
    openRow[b] = CLOSED;
    touched[b] = false;
    actAt[b] = Math.max(actAt[b], clock + t.tRp());
    refAt[b] = Math.max(refAt[b], clock + t.tRp());
  }

  /** gem5's activateBank: the bank's own delays, tRRD on the rank's others, the tFAW window. */
  private void activate(int rank, int b, long clock, long row) {
    activates++;
    openRow[b] = row;
    touched[b] = false;
    preAt[b] = Math.max(preAt[b], clock + t.tRas());
    readAt[b] = Math.max(readAt[b], clock + t.tRcdRd());
    writeAt[b] = Math.max(writeAt[b], clock + t.tRcdWr());
    int first = rank * banksPerRank;
    int group = (b - first) / banksPerGroup;
    for (int o = first; o < first + banksPerRank; o++) {
      long next = o == b ? clock + d.tRc : clock + ((o - first) / banksPerGroup == group
          ? d.activateToActivateL : d.activateToActivateS);
      actAt[o] = Math.max(actAt[o], next);
    }
    lastActivates[rank][activateIndex[rank]] = clock;
    activateIndex[rank] = (activateIndex[rank] + 1) % 4;
  }

  /** A column command's delays on later ones (DRAMSim3's tables, as {@link DramChannel}). */
  private void columnTiming(boolean write, int b, int rank, long clock) {
    int group = b / banksPerGroup;
    groupReadAt[group] = Math.max(groupReadAt[group],
        clock + (write ? Math.max(d.writeToReadL, d.writeToReadS)
            : Math.max(d.readToReadL, d.readToReadS)));
    groupWriteAt[group] = Math.max(groupWriteAt[group],
        clock + (write ? Math.max(d.writeToWriteL, d.writeToWriteS) : d.readToWrite));
    rankReadAt[rank] = Math.max(rankReadAt[rank],
        clock + (write ? d.writeToReadS : d.readToReadS));
    rankWriteAt[rank] = Math.max(rankWriteAt[rank],
        clock + (write ? d.writeToWriteS : d.readToWrite));
    long readO = clock + (write ? d.writeToReadO : d.readToReadO);
    long writeO = clock + (write ? d.writeToWriteO : d.readToWriteO);
    for (int r = 0; r < otherReadAt.length; r++) {
      if (r != rank) {
        otherReadAt[r] = Math.max(otherReadAt[r], readO);
        otherWriteAt[r] = Math.max(otherWriteAt[r], writeO);
      }
    }
    if (closedPage) { // auto-precharge
      openRow[b] = CLOSED;
      touched[b] = false;
      actAt[b] = Math.max(actAt[b], clock + (write ? d.writeToActivate : d.readpToActivate));
      refAt[b] = Math.max(refAt[b], clock + (write ? d.writeToActivate : d.readToActivate));
    } else {
      preAt[b] = Math.max(preAt[b], clock + (write ? d.writeToPrecharge : d.readToPrecharge));
    }
  }

  /**
   * The refresh due at {@link #refreshDue}, whenever its rank (bank) allows: its open banks are
   * precharged, then REF holds them tRFC (a bank's REFb tRFCb); the schedule is DRAMSim3's
   * ({@link DramPolicy.Refresh}).
   */
  private void refresh() {
    long due = refreshDue;
    refreshDue += refreshInterval;
    refreshes++;
    int from;
    int to;
    long hold;
    switch (refresh) {
      case BANK_STAGGERED -> {
        int group = refreshBank % dev.bankGroups();
        int bank = refreshBank / dev.bankGroups();
        from = refreshRank * banksPerRank + group * banksPerGroup + bank;
        to = from + 1;
        hold = t.tRfcb();
        if (++refreshBank == banksPerRank) {
          refreshBank = 0;
          refreshRank = (refreshRank + 1) % dev.ranks();
        }
      }
      case RANK_SIMULTANEOUS -> {
        from = 0;
        to = banksPerRank;
        hold = t.tRfc();
      }
      default -> {
        from = refreshRank * banksPerRank;
        to = from + banksPerRank;
        hold = t.tRfc();
        refreshRank = (refreshRank + 1) % dev.ranks();
      }
    }
    long ref = due;
    for (int b = from; b < to; b++) {
      if (openRow[b] != CLOSED) {
        precharge(b, Math.max(due, preAt[b]));
      }
      ref = Math.max(ref, refAt[b]);
    }
    for (int b = from; b < to; b++) {
      actAt[b] = Math.max(actAt[b], ref + hold);
      refAt[b] = ref + hold;
    }
  }

  /**
   * A read queue or write buffer, as the clocks its bursts leave it (move into their bank queue):
   * a burst handed over at {@code t} sits there until its clock {@code m >= t}, and a burst can be
   * handed over at {@code t} while fewer than {@code capacity} leave at {@code t} or later. Bursts
   * to different banks leave out of order, so this is a count, not a ring: the clocks are kept
   * sorted, from {@code head} to {@code size}.
   */
  static final class QueueRoom {
    private final int capacity;
    private long[] leaves = new long[64];
    private int head;
    private int size;
    // leaves[head, below) are all before belowClock: where the last search ended, so that the
    // searches of a request's bursts, at clocks that only grow, walk on from there
    private int below;
    private long belowClock = Long.MIN_VALUE;

    QueueRoom(int capacity) {
      this.capacity = capacity;
    }

    void add(long leaveClock) {
      if (size == leaves.length) {
        if (head > 0) {
          System.arraycopy(leaves, head, leaves, 0, size - head);
          size -= head;
          below -= head;
          head = 0;
        } else {
          leaves = Arrays.copyOf(leaves, size * 2);
        }
      }
      int i = size;
      while (i > head && leaves[i - 1] > leaveClock) {
        leaves[i] = leaves[i - 1];
        i--;
      }
      leaves[i] = leaveClock;
      size++;
      if (leaveClock < belowClock) {
        below++;
      }
    }

    void forgetBefore(long clock) {
      while (head < size && leaves[head] < clock) {
        head++;
      }
      if (head == size) {
        head = 0;
        size = 0;
      }
      below = Math.max(below, head);
      if (below > size) {
        below = head;
        belowClock = Long.MIN_VALUE;
      }
    }

    /** The earliest clock at or after {@code clock} at which a burst can be handed over. */
    long firstRoom(long clock) {
      if (size - head < capacity) {
        return clock;
      }
      int lo;
      if (clock >= belowClock) {
        lo = below;
        while (lo < size && leaves[lo] < clock) {
          lo++;
        }
      } else {
        lo = head; // the first clock >= clock, by bisection
        int hi = size;
        while (lo < hi) {
          int mid = (lo + hi) >>> 1;
          if (leaves[mid] < clock) {
            lo = mid + 1;
          } else {
            hi = mid;
          }
        }
      }
      below = lo;
      belowClock = clock;
      int staying = size - lo;
      return staying < capacity ? clock : leaves[lo + staying - capacity] + 1;
    }
  }
}
