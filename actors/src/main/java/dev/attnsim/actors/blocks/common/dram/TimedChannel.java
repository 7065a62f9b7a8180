package dev.attnsim.actors.blocks.common.dram;

import java.util.Arrays;

/**
 * One channel of the {@code fast} DRAM model ({@link FastDramController}): each burst is timed
 * once, when it is handed over, from the state of its bank, rank and data bus, instead of clock by
 * clock. The method is gem5's event-based DRAM controller (Hansson et al., "Simulating DRAM
 * controllers for future system architecture exploration", ISPASS 2014; {@code
 * src/mem/dram_interface.cc}, {@code doBurstAccess}, {@code activateBank}, {@code prechargeBank}):
 * every bank keeps the earliest clock its next ACT, RD, WR and PRE may issue; a burst to a closed
 * or other row precharges and activates, and its column command issues at the earliest clock its
 * bank allows. gem5 applies the rank's and the bus's rules from the commands it has scheduled to
 * the next; here a burst booked later may belong before one booked earlier, so the channel's
 * column commands and each rank's activations are kept in calendars ({@link ColumnCalendar},
 * {@link ActivateCalendar}) and a command takes the earliest clock far enough from every booked
 * one, before and after it. The distances between commands are DRAMSim3's ({@link DramDelays}),
 * as in the clocked model.
 *
 * <p>What it leaves out, against {@link DramChannel}: each bank serves its accesses in the order
 * they were handed over (no row hit overtakes an older access to another row of its bank; banks
 * do overtake each other); writes take their place in that order instead of waiting in a write
 * buffer to drain; a read is not served from a buffered write and reads of one burst do not
 * merge; the command bus is not a limit (only the distances between commands are); a refresh
 * falls between two bursts, when the later one's earliest command clock has reached its due
 * clock.
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
  private final long[] lastColumn; // per bank: its accesses keep their order
  private final long[] preAt;
  private final long[] refAt;
  private final ColumnCalendar columns;
  private final ActivateCalendar[] activations; // per rank
  private final QueueRoom readQueue;
  private final QueueRoom writeBuffer;
  // per bank, the column clocks of its last accesses: a ring of commandQueueEntries, bank b's
  // at [b x entries, (b + 1) x entries); bankSlot[b] is the index of its oldest, in one array
  // (a bank's ring as an array of its own, and the ring's wrap by a division, were a tenth of a
  // fast-model run's samples)
  private final long[] bankSlots;
  private final int[] bankSlot;
  private final int entries;

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
    lastColumn = new long[nBanks];
    Arrays.fill(lastColumn, Long.MIN_VALUE / 2);
    preAt = new long[nBanks];
    refAt = new long[nBanks];
    columns = new ColumnCalendar(d, dev.ranks(), dev.ranks() * dev.bankGroups());
    activations = new ActivateCalendar[dev.ranks()];
    for (int r = 0; r < activations.length; r++) {
      activations[r] = new ActivateCalendar(d, t.tFaw());
    }
    readQueue = new QueueRoom(pol.readQueueEntries());
    writeBuffer = new QueueRoom(pol.writeBufferEntries());
    entries = pol.commandQueueEntries();
    bankSlots = new long[nBanks * entries];
    Arrays.fill(bankSlots, -1);
    bankSlot = new int[nBanks];
    for (int b = 0; b < nBanks; b++) {
      bankSlot[b] = b * entries;
    }
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
    columns.forgetBefore(clock);
    for (ActivateCalendar a : activations) {
      a.forgetBefore(clock);
    }
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
    int slot = bankSlot[b];
    long moved = Math.max(clock, bankSlots[slot]);
    long from = moved + 1;
    while (refreshDue <= from) {
      refresh();
    }
    int group = b / banksPerGroup;
    if (openRow[b] != row) {
      if (openRow[b] != CLOSED) {
        precharge(b, Math.max(from, preAt[b]));
        openClass[b] = DramChannel.CONFLICT;
      } else {
        openClass[b] = DramChannel.MISS;
      }
      long act = activations[rank].place(Math.max(from, actAt[b]), group);
      activations[rank].add(act, group);
      activate(b, act, row);
    }
    long column = columns.place(Math.max(Math.max(from, lastColumn[b] + 1),
        write ? writeAt[b] : readAt[b]), rank, group, write);
    columns.add(column, rank, group, write);
    lastColumn[b] = column;
    rowClass = touched[b] ? DramChannel.HIT : openClass[b];
    switch (rowClass) {
      case DramChannel.HIT -> rowHits++;
      case DramChannel.MISS -> rowMisses++;
      default -> rowConflicts++;
    }
    touched[b] = true;
    columnTiming(write, b, column);
    bankSlots[slot] = column;
    bankSlot[b] = slot + 1 == (b + 1) * entries ? b * entries : slot + 1;
    (write ? writeBuffer : readQueue).add(moved);
    long start = column + (write ? d.writeLatency : d.readLatency);
    dataEnd = start + d.burst;
    busBusyClocks += d.burst;
    if (start == spanEnd && write == spanWrite) { // the next burst's data, straight after
      spanEnd = dataEnd;
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

  /**
   * gem5's activateBank: the bank's own delays (tRCD, tRAS, tRC); the rank's other activations
   * are kept apart by {@link ActivateCalendar} (tRRD, tFAW).
   */
  private void activate(int b, long clock, long row) {
    activates++;
    openRow[b] = row;
    touched[b] = false;
    preAt[b] = Math.max(preAt[b], clock + t.tRas());
    readAt[b] = Math.max(readAt[b], clock + t.tRcdRd());
    writeAt[b] = Math.max(writeAt[b], clock + t.tRcdWr());
    actAt[b] = Math.max(actAt[b], clock + d.tRc);
  }

  /**
   * A column command's delays on its own bank (the other banks are kept apart by {@link
   * ColumnCalendar}, with DRAMSim3's tables, as {@link DramChannel}).
   */
  private void columnTiming(boolean write, int b, long clock) {
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

  /**
   * The column commands booked on a channel, in clock order, so that a burst booked later can
   * take an earlier clock between them (a bank that is ready overtakes one that waits for its
   * activation, as DRAMSim3's round robin over the bank queues lets it): a clock is free for a
   * command when every booked one before it is at least DRAMSim3's distance from it to the new
   * one ({@link DramDelays#between}) and every one after it that distance from the new one.
   * Commands more than the longest distance before the clock asked about are forgotten.
   */
  static final class ColumnCalendar extends Calendar { // tags: rank << 16 | group << 1 | write
    private final DramDelays d;
    private final int longest;
    // the earliest clock a RD / WR may follow every command booked so far, per bank group (the
    // _L distances, at least the _S ones) and per rank (_S; and _O for the other ranks'
    // commands): the exact bound for a command after all of them, in O(1)
    private final long[] groupRead;
    private final long[] groupWrite;
    private final long[] rankRead;
    private final long[] rankWrite;
    private final long[] otherRead;
    private final long[] otherWrite;
    // [first is a write][0: same group (at least the same rank's), 1: same rank, 2: other rank]
    private final int[][] toRead = new int[2][3];
    private final int[][] toWrite = new int[2][3];

    ColumnCalendar(DramDelays d, int ranks, int groups) {
      this.d = d;
      this.longest = d.longestBetween();
      for (int k = 0; k < 2; k++) {
        boolean w = k == 1;
        toRead[k][0] = Math.max(d.between(w, false, DramDelays.SAME_GROUP),
            d.between(w, false, DramDelays.SAME_RANK));
        toWrite[k][0] = Math.max(d.between(w, true, DramDelays.SAME_GROUP),
            d.between(w, true, DramDelays.SAME_RANK));
        toRead[k][1] = d.between(w, false, DramDelays.SAME_RANK);
        toWrite[k][1] = d.between(w, true, DramDelays.SAME_RANK);
        toRead[k][2] = d.between(w, false, DramDelays.OTHER_RANK);
        toWrite[k][2] = d.between(w, true, DramDelays.OTHER_RANK);
      }
      groupRead = new long[groups];
      groupWrite = new long[groups];
      rankRead = new long[ranks];
      rankWrite = new long[ranks];
      otherRead = new long[ranks];
      otherWrite = new long[ranks];
    }

    /** The earliest clock at or after {@code earliest} free for a column command of this kind. */
    long place(long earliest, int rank, int group, boolean write) {
      if (size == head || earliest >= at[size - 1]) { // after every booked command
        return write
            ? Math.max(Math.max(earliest, groupWrite[group]),
                Math.max(rankWrite[rank], otherWrite[rank]))
            : Math.max(Math.max(earliest, groupRead[group]),
                Math.max(rankRead[rank], otherRead[rank]));
      }
      long t = earliest;
      int i = after(t);
      while (true) {
        boolean moved = false;
        for (int j = i - 1; j >= head && at[j] > t - longest; j--) { // booked before t
          long need = at[j] + d.between((tag[j] & 1) != 0, write, relation(tag[j], rank,
              group));
          if (need > t) {
            t = need;
            moved = true;
          }
        }
        if (moved) {
          i = after(t);
          continue;
        }
        for (int j = i; j < size && at[j] < t + longest; j++) { // booked after t
          long gap = d.between(write, (tag[j] & 1) != 0, relation(tag[j], rank, group));
          if (at[j] - t < gap) {
            t = at[j] + 1;
            moved = true;
            break;
          }
        }
        if (!moved) {
          return t;
        }
        i = after(t);
      }
    }

    private static int relation(int w, int rank, int group) {
      return (w >>> 16) != rank ? DramDelays.OTHER_RANK
          : ((w >>> 1) & 0x7fff) == group ? DramDelays.SAME_GROUP : DramDelays.SAME_RANK;
    }

    void add(long clock, int rank, int group, boolean write) {
      insert(clock, rank << 16 | group << 1 | (write ? 1 : 0));
      int k = write ? 1 : 0;
      groupRead[group] = Math.max(groupRead[group], clock + toRead[k][0]);
      groupWrite[group] = Math.max(groupWrite[group], clock + toWrite[k][0]);
      rankRead[rank] = Math.max(rankRead[rank], clock + toRead[k][1]);
      rankWrite[rank] = Math.max(rankWrite[rank], clock + toWrite[k][1]);
      for (int other = 0; other < otherRead.length; other++) {
        if (other != rank) {
          otherRead[other] = Math.max(otherRead[other], clock + toRead[k][2]);
          otherWrite[other] = Math.max(otherWrite[other], clock + toWrite[k][2]);
        }
      }
    }

    /** No command will be asked for before {@code clock}: forgets those too early to matter. */
    void forgetBefore(long clock) {
      while (head < size && at[head] <= clock - longest) {
        head++;
      }
      if (head == size) {
        head = 0;
        size = 0;
      }
    }
  }

  /**
   * A rank's activations, in clock order, so that a bank booked later can activate between them
   * (gem5's activateBank keeps the same two rules one way only): at least tRRD (tRRD_L in the same
   * bank group, else tRRD_S) from every other activation, and no more than four in any tFAW
   * window: the fourth activation before any of them at least tFAW earlier.
   */
  static final class ActivateCalendar extends Calendar { // tags: bank groups
    private final int rrdL;
    private final int rrdS;
    private final int faw;
    private final int reach;

    ActivateCalendar(DramDelays d, int faw) {
      this.rrdL = d.activateToActivateL;
      this.rrdS = d.activateToActivateS;
      this.faw = faw;
      this.reach = Math.max(faw, Math.max(rrdL, rrdS));
    }

    /** The earliest clock at or after {@code earliest} free for an activation in {@code g}. */
    long place(long earliest, int g) {
      long t = earliest;
      while (true) {
        int i = after(t); // activations [head, i) are at or before t
        long next = t;
        for (int j = i - 1; j >= head && at[j] > t - reach; j--) {
          int rrd = tag[j] == g ? rrdL : rrdS;
          next = Math.max(next, at[j] + rrd);
        }
        for (int j = i; j < size && at[j] < t + reach && next == t; j++) {
          int rrd = tag[j] == g ? rrdL : rrdS;
          if (at[j] - t < rrd) {
            next = at[j] + 1;
          }
        }
        if (next == t && faw > 0) {
          // with t inserted at i: the fourth before t, and for each of the four after t
          // (positions i, i+1, ...) the fourth before it, t counted
          if (i - 4 >= head && t - at[i - 4] < faw) {
            next = at[i - 4] + faw;
          }
          for (int k = 0; k < 4 && next == t && i + k < size; k++) {
            int fourthBefore = i + k - 3; // t sits in the order at position i
            long first = fourthBefore == i ? t : fourthBefore < head ? Long.MIN_VALUE / 2
                : at[fourthBefore < i ? fourthBefore : fourthBefore - 1];
            if (at[i + k] - first < faw) {
              next = at[i + k] + 1;
            }
          }
        }
        if (next == t) {
          return t;
        }
        t = next;
      }
    }

    void add(long clock, int g) {
      insert(clock, g);
    }

    /** Forgets activations too early to matter from {@code clock} on, keeping the last four. */
    void forgetBefore(long clock) {
      while (size - head > 4 && at[head] <= clock - reach) {
        head++;
      }
    }
  }

  /** Clocks booked in order, each with a tag; those before {@code head} are forgotten. */
  abstract static class Calendar {
    long[] at = new long[64];
    int[] tag = new int[64];
    int head;
    int size;

    /** The index of the first clock booked after {@code clock}. */
    int after(long clock) {
      int i = size;
      while (i > head && at[i - 1] > clock) {
        i--;
      }
      return i;
    }

    void insert(long clock, int t) {
      if (size == at.length) {
        if (head > 0) {
          System.arraycopy(at, head, at, 0, size - head);
          System.arraycopy(tag, head, tag, 0, size - head);
          size -= head;
          head = 0;
        } else {
          at = Arrays.copyOf(at, size * 2);
          tag = Arrays.copyOf(tag, size * 2);
        }
      }
      int i = size;
      while (i > head && at[i - 1] > clock) {
        at[i] = at[i - 1];
        tag[i] = tag[i - 1];
        i--;
      }
      at[i] = clock;
      tag[i] = t;
      size++;
    }
  }
}
