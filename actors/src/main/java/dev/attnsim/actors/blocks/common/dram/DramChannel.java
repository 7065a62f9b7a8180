package dev.attnsim.actors.blocks.common.dram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One channel's controller in DRAM clocks: a read queue and a write buffer of transactions (one
 * burst each), per-bank command queues, bank and rank timing state and refresh. Each clock it does
 * what DRAMSim3's {@code Controller::ClockTick} does, in the same order:
 *
 * <ol>
 *   <li>refresh: every refresh interval a refresh of the next rank (or bank) is queued;
 *   <li>a command: a pending refresh first (precharging the banks it needs, then REF), else the
 *       first ready command of the bank queues taken round-robin from the one after the queue
 *       that last issued (within a queue: the oldest command whose timing allows it, FR-FCFS);
 *       HBM issues a second command in the same clock if one is ready and of the other kind (row
 *       vs column);
 *   <li>one transaction moves from the read queue (or, while writes drain, the write buffer) into
 *       its bank's command queue: the oldest whose bank queue has room.
 * </ol>
 *
 * A command needs its bank in the right state (closed: ACT; open on its row: RD/WR; open on
 * another row: PRE) and its clock at or after every constraint earlier commands set on it: the
 * same bank, other banks of its bank group, other bank groups of its rank, other ranks (the table
 * in {@link #updateTiming}), and for ACT at most four activations per tFAW per rank. A precharge
 * for a queued access is allowed only for the oldest access of its bank, and only if no queued
 * access hits the open row or the row has had {@code rowHitCap} column accesses. A write waits for
 * an older read of the same column in its queue.
 *
 * <p>Plain state machine, no Akka and no iteration over hash order: the maps only answer
 * look-ups. {@link DramController} drives it and converts time at its ports.
 */
final class DramChannel {

  static final int ACT = 0;
  static final int PRE = 1;
  static final int RD = 2;
  static final int WR = 3;
  static final int REF = 4;
  static final int REFB = 5;
  private static final int TYPES = 6;
  static final String[] NAMES = {"ACT", "PRE", "RD", "WR", "REF", "REFB"};

  static final byte HIT = 0;
  static final byte MISS = 1;
  static final byte CONFLICT = 2;

  static final int QUEUED = 0;
  static final int MERGED = 1;
  static final int FORWARDED = 2;

  private static final long CLOSED = -1;
  private static final long NEVER = Long.MAX_VALUE;
  private static final long STALE = Long.MIN_VALUE;

  /**
   * One burst: a transaction of the read queue or write buffer, later a bank-queue command. A
   * channel reuses its transactions once they are done ({@link #transaction}): its few hundred
   * live ones stay in the processor's caches, where a new object per burst was written to fresh
   * memory (issue 13: the allocation was 8 % of a long DOTA run's samples).
   */
  static final class Txn {
    long address;
    boolean write;
    int rank;
    int bank; // index within the channel: (rank x bankGroups + bankGroup) x banksPerGroup + b
    long row;
    long column;
    Object owner;
    long addedClock;
    List<Txn> merged; // younger reads of the same burst, served with this one
    private Txn nextFree;

    Txn(long address, boolean write, int rank, int bank, long row, long column, Object owner) {
      set(address, write, rank, bank, row, column, owner);
    }

    private void set(long address, boolean write, int rank, int bank, long row, long column,
        Object owner) {
      this.address = address;
      this.write = write;
      this.rank = rank;
      this.bank = bank;
      this.row = row;
      this.column = column;
      this.owner = owner;
    }
  }

  /** What the channel tells its controller. */
  interface Listener {
    /** A read burst's data is complete at {@code clock}; {@code rowClass} is HIT/MISS/CONFLICT. */
    void readDone(Txn t, long clock, byte rowClass);

    /** A buffered write burst was written to its bank with this row-buffer class. */
    void writeIssued(Txn t, byte rowClass);

    /** A command issued (for logs and tests). */
    void command(int channel, long clock, int type, int rank, int bank, long row);

    /** The data bus moves a burst over DRAM clocks {@code [start, end)}. */
    void dataBusy(long startClock, long endClock, boolean write);
  }

  /** A command found to issue. A tick finds at most two, so two are kept and reused. */
  private static final class Cmd {
    int type;
    int rank;
    int bank;
    Txn txn;

    Cmd set(int type, int rank, int bank, Txn txn) {
      this.type = type;
      this.rank = rank;
      this.bank = bank;
      this.txn = txn;
      return this;
    }
  }

  private final Cmd firstCmd = new Cmd();
  private final Cmd secondCmd = new Cmd();
  /** Where a search for a command writes what it finds: {@link #firstCmd} or {@link #secondCmd}. */
  private Cmd found;

  private final int index;
  private final DramDevice dev;
  private final DramPolicy pol;
  private final Listener out;
  private final boolean closedPage;
  private final boolean fcfs;

  private final int banksPerGroup;
  private final int banksPerRank;
  private final int nBanks;

  // delays between commands, in clocks (DRAMSim3's timing.cc names in comments)
  private final DramDelays d;
  private final int burst;
  private final int readLatency;
  private final int writeLatency;
  private final int readDelay; // RL + burst: read issue to data complete
  private final DramDevice.Clocks t;

  // banks
  private final long[] openRow;
  private final int[] hits; // column accesses since the row opened
  private final byte[] openClass; // MISS or CONFLICT: how the open row was reached
  private final boolean[] conflictPending; // the bank was precharged for another row
  private final long[][] ready; // [bank][command type]: earliest clock
  /**
   * Per bank group (of the channel, ranks included): the earliest clock of a RD ({@code [0]}) and
   * a WR ({@code [1]}) that column commands set. A column command constrains every bank of a group
   * alike (the distance depends on same group, same rank or other rank only), so it updates one
   * pair per group instead of every bank's (issue 13: updating every bank was 6 % of a long DOTA
   * run); a bank's RD and WR bound is the later of its own {@link #ready} and its group's.
   */
  private final long[][] groupColumn;
  private final int[] groupOf;

  // ranks: the last four activation clocks, a ring
  private final long[][] fourActivates;
  private final int[] fawCount;
  private final int[] fawOldest;

  // queues
  private final ArrayList<Txn> readQueue = new ArrayList<>();
  private final ArrayList<Txn> writeBuffer = new ArrayList<>();
  private final TxnByAddress pendingReads = new TxnByAddress(); // look-ups only
  private final TxnByAddress pendingWrites = new TxnByAddress(); // look-ups only
  /** Per bank: its command queue, oldest first, {@link #bankQueued} long (plain arrays: issue 13). */
  private final Txn[][] bankQueues;
  private int queued;
  private int queueIndex;
  private int writeDraining;

  // What scans found, kept until it may have changed (issue 13: these scans were most of a long
  // run's time). Every value only ever errs early, so a skipped scan is one that would have found
  // nothing; the results are those of the full scans.
  /**
   * Per bank queue: no command of it can issue before this clock. Commands on other banks only
   * raise the timing constraints (every update is a max) and the tFAW window, so the bound stays
   * true until its own bank changes (a command on the bank, a transaction added), which resets it
   * to {@link #STALE}.
   */
  private final long[] bankFrom;
  private final long[] scratchEarliest = new long[WR + 1];
  /** Per bank queue: its length (the lists' sizes, read without touching the lists). */
  private final int[] bankQueued;
  /**
   * Per bank queue: how many of its accesses are to the bank's open row (0 while it is closed):
   * a column command is a candidate only if some are, a precharge only if none are (or the row
   * reached {@code rowHitCap}). Kept as accesses come and go and rows open and close.
   */
  private final int[] hitsQueued;
  /**
   * Per bank: read-queue (write-buffer) transactions waiting for it, and as bits, the banks some
   * wait for and the bank queues with room: whether a transaction can move is one intersection,
   * not a walk of the queue (issue 13).
   */
  private final int[] readsWaiting;
  private final int[] writesWaiting;
  private final BankSet readsWaitFor;
  private final BankSet writesWaitFor;
  private final BankSet bankRoom;
  /** The bank queues holding commands. */
  private final BankSet nonEmpty;
  /** Per bank queue: the {@link #issued} count at which {@link #bankFrom} was exact. */
  private final long[] bankExactAt;
  /**
   * No bank queue's command can issue before this clock: the least {@link #bankFrom} when the
   * last {@link #commandToIssue} found nothing, until a bank changes (a bound going stale resets
   * it). A pending refresh only holds more queues back.
   */
  private long noCommandBefore = STALE;
  /** Commands issued so far: the version of the timing state. */
  private long issued;
  /** No transaction of the read queue (write buffer) has room in its bank queue. */
  private boolean readsStuck;
  private boolean writesStuck;

  // refresh: {rank, bank or -1}
  private final ArrayDeque<int[]> refreshQueue = new ArrayDeque<>();
  /** The bank queues the pending refresh holds back, {@code [heldFrom, heldTo)}; none if empty. */
  private int heldFrom;
  private int heldTo;
  private final long refreshInterval;
  /**
   * The next multiple of {@link #refreshInterval} after the last tick: when a refresh falls due.
   * Kept instead of dividing every tick's clock by the interval (two long divisions a tick).
   */
  private long refreshDue;
  private int nextRefreshRank;
  private int nextRefreshBank;

  /** The next clock at which a tick may change anything (refresh included). */
  long next;

  // statistics
  long activates;
  long precharges;
  long refreshes;
  long readBursts;
  long writeBursts;
  long rowHits;
  long rowMisses;
  long rowConflicts;
  long busBusyClocks;

  DramChannel(int index, DramDevice dev, DramPolicy pol, Listener out) {
    this.index = index;
    this.dev = dev;
    this.pol = pol;
    this.out = out;
    this.closedPage = pol.page() == DramPolicy.Page.CLOSED;
    this.fcfs = pol.scheduling() == DramPolicy.Scheduling.FCFS;
    this.t = dev.clocks();
    this.banksPerGroup = dev.banksPerGroup();
    this.banksPerRank = dev.banksPerRank();
    this.nBanks = dev.banksPerChannel();
    this.d = new DramDelays(dev);
    burst = d.burst;
    readLatency = d.readLatency;
    writeLatency = d.writeLatency;
    readDelay = d.readDelay;


    openRow = new long[nBanks];
    java.util.Arrays.fill(openRow, CLOSED);
    hits = new int[nBanks];
    openClass = new byte[nBanks];
    conflictPending = new boolean[nBanks];
    ready = new long[nBanks][TYPES];
    groupColumn = new long[nBanks / banksPerGroup][2];
    groupOf = new int[nBanks];
    for (int b = 0; b < nBanks; b++) {
      groupOf[b] = b / banksPerGroup;
    }
    bankQueues = new Txn[nBanks][pol.commandQueueEntries()];
    bankFrom = new long[nBanks];
    java.util.Arrays.fill(bankFrom, NEVER); // empty queues
    bankExactAt = new long[nBanks];
    bankQueued = new int[nBanks];
    hitsQueued = new int[nBanks];
    readsWaiting = new int[nBanks];
    writesWaiting = new int[nBanks];
    readsWaitFor = new BankSet(nBanks);
    writesWaitFor = new BankSet(nBanks);
    bankRoom = new BankSet(nBanks);
    bankRoom.setFirst(nBanks);
    nonEmpty = new BankSet(nBanks);
    fourActivates = new long[dev.ranks()][4];
    fawCount = new int[dev.ranks()];
    fawOldest = new int[dev.ranks()];
    refreshInterval = switch (pol.refresh()) {
      case RANK_STAGGERED -> t.tRefi() / dev.ranks();
      case RANK_SIMULTANEOUS -> t.tRefi();
      case BANK_STAGGERED -> t.tRefib();
      case NONE -> 0;
    };
    next = refreshInterval > 0 ? refreshInterval : NEVER;
    refreshDue = next;
  }

  // ---- intake ----

  /** Done transactions, for {@link #transaction} to reuse; linked through {@code nextFree}. */
  private Txn free;

  /**
   * A transaction for {@link #add}: a done one reused, or a new one. It stays the channel's: once
   * done (its command issued, or {@link #add} found it merged into a buffered write or forwarded)
   * it is reused, so a caller keeps no transaction past those calls.
   */
  Txn transaction(long address, boolean write, int rank, int bank, long row, long column,
      Object owner) {
    Txn x = free;
    if (x == null) {
      return new Txn(address, write, rank, bank, row, column, owner);
    }
    free = x.nextFree;
    x.nextFree = null;
    x.set(address, write, rank, bank, row, column, owner);
    return x;
  }

  private void release(Txn x) {
    x.owner = null;
    if (x.merged != null) {
      x.merged.clear();
    }
    x.nextFree = free;
    free = x;
  }

  /** Whether a read (write) can be added now: the read queue (write buffer) has room. */
  boolean willAccept(boolean write) {
    return write ? writeBuffer.size() < pol.writeBufferEntries()
        : readQueue.size() < pol.readQueueEntries();
  }

  /**
   * Adds a transaction before the tick of {@code clock} (the caller has run the channel up to
   * it): QUEUED; MERGED (a write to a burst already buffered, or a read of a burst already being
   * read: it completes with that read); FORWARDED (a read of a buffered write: served from the
   * buffer). Writes and forwarded reads are complete at {@code clock + 1}.
   */
  int add(Txn x, long clock) {
    x.addedClock = clock;
    next = Math.min(next, clock);
    if (x.write) {
      if (pendingWrites.containsKey(x.address)) {
        release(x);
        return MERGED;
      }
      pendingWrites.put(x.address, x);
      writeBuffer.add(x);
      waiting(x, 1);
      writesStuck = false;
      return QUEUED;
    }
    if (pendingWrites.containsKey(x.address)) {
      release(x);
      return FORWARDED;
    }
    Txn head = pendingReads.get(x.address);
    if (head != null) {
      if (head.merged == null) {
        head.merged = new ArrayList<>(2);
      }
      head.merged.add(x);
      return MERGED; // released with its head
    }
    pendingReads.put(x.address, x);
    readQueue.add(x);
    waiting(x, 1);
    readsStuck = false;
    return QUEUED;
  }

  /**
   * The earliest DRAM clock at which a read burst not yet issued could have its data complete:
   * its column command issues no earlier than {@code from} (and, while nothing is added, no
   * earlier than {@link #next}, since commands issue only in ticks), then {@code RL + burst}
   * clocks; {@link Long#MAX_VALUE} if no read waits.
   */
  long earliestReadDone(long from, boolean addsPossible) {
    if (!hasReads()) {
      return Long.MAX_VALUE;
    }
    long issue = addsPossible ? from : Math.max(from, next);
    return issue > Long.MAX_VALUE - readDelay ? Long.MAX_VALUE : issue + readDelay;
  }

  /** RL + burst: a read's column command to its data complete, in DRAM clocks. */
  int readDelay() {
    return readDelay;
  }

  /** Whether writes are buffered or queued here (a read of one is forwarded). */
  boolean holdsWrites() {
    return pendingWrites.size() > 0;
  }

  /** Reads waiting or in the command queues (not yet issued). */
  boolean hasReads() {
    return !readQueue.isEmpty() || queued > writesQueued();
  }

  private int writesQueued() {
    return pendingWrites.size() - writeBuffer.size();
  }

  /** Anything queued: reads, buffered writes or commands. */
  boolean holdsTransactions() {
    return !readQueue.isEmpty() || !writeBuffer.isEmpty() || queued > 0;
  }

  /**
   * Whether the channel needs clocking for its own sake: reads or commands queued, or writes
   * draining. Buffered writes alone wait (DRAMSim3 keeps up to 8 there indefinitely) until
   * {@code idle} says the whole controller has nothing else to do.
   */
  boolean busy(boolean idle) {
    return !readQueue.isEmpty() || queued > 0 || writeDraining > 0
        || (!writeBuffer.isEmpty() && (drainTriggers() || idle));
  }

  /** The controller has just become idle: buffered writes may start draining next clock. */
  void noteIdle(long clock) {
    if (writeDraining == 0 && !writeBuffer.isEmpty() && queued == 0 && readQueue.isEmpty()) {
      next = Math.min(next, clock + 1);
    }
  }

  int readQueueSize() {
    return readQueue.size();
  }

  int writeBufferSize() {
    return writeBuffer.size();
  }

  // ---- clocking ----

  /** Runs every tick before {@code clock} at which something could happen. */
  void runUntil(long clock, boolean idle) {
    while (next < clock) {
      long c = next;
      tick(c, idle);
    }
  }

  /** DRAMSim3's ClockTick for {@code clock}; then {@link #next} is recomputed. */
  void tick(long clock, boolean idle) {
    if (clock >= refreshDue) {
      // every multiple of the interval is ticked (nextClock stops there), so clock == refreshDue
      if (clock == refreshDue) {
        insertRefresh();
      }
      refreshDue = (clock / refreshInterval + 1) * refreshInterval;
    }
    found = firstCmd;
    Cmd first = null;
    if (!refreshQueue.isEmpty()) {
      first = refreshCommand(clock);
    }
    if (first == null) {
      first = commandToIssue(clock);
    }
    if (first != null) {
      issue(first, clock);
      if (dev.dualCommand()) {
        found = secondCmd;
        Cmd second = commandToIssue(clock);
        if (second != null && column(second.type) != column(first.type)) {
          issue(second, clock);
        }
      }
    }
    scheduleTransaction(idle);
    next = nextClock(clock, idle);
  }

  private static boolean column(int type) {
    return type == RD || type == WR;
  }

  private void insertRefresh() {
    switch (pol.refresh()) {
      case RANK_SIMULTANEOUS -> refreshQueue.addLast(new int[] {0, -1});
      case RANK_STAGGERED -> {
        refreshQueue.addLast(new int[] {nextRefreshRank, -1});
        nextRefreshRank = (nextRefreshRank + 1) % dev.ranks();
      }
      case BANK_STAGGERED -> {
        // bank groups first, then banks, then ranks (DRAMSim3 Refresh::IterateNext)
        int bankGroup = nextRefreshBank % dev.bankGroups();
        int bank = nextRefreshBank / dev.bankGroups();
        refreshQueue.addLast(new int[] {nextRefreshRank,
            nextRefreshRank * banksPerRank + bankGroup * banksPerGroup + bank});
        nextRefreshBank++;
        if (nextRefreshBank == banksPerRank) {
          nextRefreshBank = 0;
          nextRefreshRank = (nextRefreshRank + 1) % dev.ranks();
        }
      }
      case NONE -> { }
    }
    refreshChanged();
  }

  /** Keeps {@link #heldFrom} and {@link #heldTo} to the refresh queue's head. */
  private void refreshChanged() {
    int[] ref = refreshQueue.peekFirst();
    if (ref == null) {
      heldFrom = 0;
      heldTo = 0;
    } else {
      heldFrom = ref[1] >= 0 ? ref[1] : ref[0] * banksPerRank;
      heldTo = ref[1] >= 0 ? ref[1] + 1 : heldFrom + banksPerRank;
    }
  }

  /** The pending refresh's next command: a precharge it needs, or the refresh itself. */
  private Cmd refreshCommand(long clock) {
    int[] ref = refreshQueue.peekFirst();
    int rank = ref[0];
    if (ref[1] >= 0) {
      int b = ref[1];
      if (openRow[b] != CLOSED) {
        return ready[b][PRE] <= clock ? found.set(PRE, rank, b, null) : null;
      }
      return ready[b][REFB] <= clock ? found.set(REFB, rank, b, null) : null;
    }
    int readyBanks = 0;
    for (int b = rank * banksPerRank; b < (rank + 1) * banksPerRank; b++) {
      if (openRow[b] != CLOSED) {
        if (ready[b][PRE] <= clock) {
          return found.set(PRE, rank, b, null);
        }
      } else if (ready[b][REF] <= clock) {
        readyBanks++;
      }
    }
    return readyBanks == banksPerRank ? found.set(REF, rank, -1, null) : null;
  }

  /** Whether a pending refresh holds bank queue {@code q} back. */
  private boolean refreshBlocks(int q) {
    return q >= heldFrom && q < heldTo;
  }

  /** The first ready command, bank queues taken round-robin after the last that issued. */
  private Cmd commandToIssue(long clock) {
    if (clock < noCommandBefore) {
      return null;
    }
    long least = NEVER;
    // Round-robin over the queues holding commands, from the one after queueIndex (an empty queue
    // has nothing to issue; in a long stream most of a channel's queues are empty).
    int start = queueIndex + 1 == nBanks ? 0 : queueIndex + 1;
    // The set's words bit by bit (BankSet.nextSetBit per queue was 6 % of a long DOTA run).
    for (int round = 0; round < 2; round++) {
      int from = round == 0 ? start : 0;
      int end = round == 0 ? nBanks : start;
      for (int w = from >>> 6; w < nonEmpty.words(); w++) {
        for (long bits = nonEmpty.wordIn(w, from, end); bits != 0; bits &= bits - 1) {
          int q = (w << 6) + Long.numberOfTrailingZeros(bits);
          if (refreshBlocks(q)) {
            continue;
          }
          if (bankFrom[q] <= clock) {
            long bound = candidatesFrom(q);
            if (bound > clock) {
              bankFrom[q] = bound; // a lower bound, not the exact one
              bankExactAt[q] = -1;
            } else {
              Cmd c = scan(q, clock);
              if (c != null) {
                queueIndex = q;
                return c;
              }
            }
          }
          least = Math.min(least, bankFrom[q]);
        }
      }
    }
    noCommandBefore = least;
    return null;
  }

  private int required(Txn x) {
    long open = openRow[x.bank];
    if (open == CLOSED) {
      return ACT;
    }
    return open == x.row ? (x.write ? WR : RD) : PRE;
  }

  /**
   * A lower bound, found without walking the queue, of the clock at which a command of bank queue
   * {@code q} can issue: the least timing constraint of the kinds of command its accesses could
   * need (ACT while the bank is closed; RD or WR if an access hits the open row; PRE if the
   * oldest does not). Arbitration only removes candidates, so the bound never exceeds what
   * {@link #scan} would find (issue 13: most scans were of queues waiting on a column-to-column
   * delay that another bank's access had just set).
   */
  private long candidatesFrom(int q) {
    if (bankQueued[q] == 0) {
      return NEVER;
    }
    Txn oldest = bankQueues[q][0];
    if (openRow[q] == CLOSED) {
      return earliest(ACT, oldest);
    }
    long[] r = ready[q];
    long[] g = groupColumn[groupOf[q]];
    long from = hitsQueued[q] > 0
        ? Math.min(Math.max(r[RD], g[0]), Math.max(r[WR], g[1])) : NEVER;
    return oldest.row != openRow[q] ? Math.min(from, r[PRE]) : from;
  }

  /**
   * The first command of bank queue {@code q} ready at {@code clock}, in queue order (FR-FCFS),
   * or null; then {@link #bankFrom} holds the exact earliest clock of its allowed commands.
   */
  private Cmd scan(int q, long clock) {
    Txn[] queue = bankQueues[q];
    int size = bankQueued[q];
    long from = NEVER;
    long[] byType = size == 0 ? null : earliestOfBank(q, queue[0]);
    for (int j = 0; j < size; j++) {
      if (fcfs && j > 0) {
        break;
      }
      Txn x = queue[j];
      int type = required(x);
      long e = byType[type];
      if (e > clock) {
        if (e < from && allowed(type, queue, j)) {
          from = e;
        }
        continue;
      }
      if (!allowed(type, queue, j)) {
        continue;
      }
      return found.set(type, x.rank, x.bank, x);
    }
    bankFrom[q] = from;
    bankExactAt[q] = issued;
    return null;
  }

  /**
   * The earliest clock a command of bank queue {@code q} meets its timing and arbitration, as of
   * now (refresh aside): the cached bound if still exact, else a scan (one that no command is
   * ready for, so it only finds the bound).
   */
  private long exactFrom(int q) {
    if (bankFrom[q] == STALE || bankExactAt[q] != issued) {
      scan(q, Long.MIN_VALUE);
    }
    return bankFrom[q];
  }


  /** The earliest clock command {@code type} for {@code x} meets its timing. */
  private long earliest(int type, Txn x) {
    long r = ready[x.bank][type];
    if (type == ACT && fawCount[x.rank] == 4) {
      r = Math.max(r, fourActivates[x.rank][fawOldest[x.rank]] + t.tFaw());
    }
    return r;
  }

  /** {@link #earliest} of ACT, PRE, RD and WR for bank queue {@code q}'s bank, into {@code e}. */
  private long[] earliestOfBank(int q, Txn any) {
    long[] e = scratchEarliest;
    long[] r = ready[q];
    long[] g = groupColumn[groupOf[q]];
    e[PRE] = r[PRE];
    e[RD] = Math.max(r[RD], g[0]);
    e[WR] = Math.max(r[WR], g[1]);
    e[ACT] = earliest(ACT, any);
    return e;
  }

  /** Arbitration that time alone does not change: precharge and write-after-read rules. */
  private boolean allowed(int type, Txn[] queue, int j) {
    Txn x = queue[j];
    if (type == PRE) {
      if (j > 0) {
        return false; // only the bank's oldest access may close its row (a queue is one bank's)
      }
      if (fcfs) {
        return true; // in order: a younger hit waits for the oldest access, never the reverse
      }
      boolean pendingHit = hitsQueued[x.bank] > 0; // j == 0: the whole queue
      boolean capped = pol.rowHitCap() > 0 && hits[x.bank] >= pol.rowHitCap();
      return !pendingHit || capped;
    }
    if (type == WR) {
      for (int k = 0; k < j; k++) {
        Txn y = queue[k];
        if (!y.write && y.bank == x.bank && y.row == x.row && y.column == x.column) {
          return false;
        }
      }
    }
    return true;
  }

  private void issue(Cmd c, long clock) {
    int b = c.bank;
    issued++;
    noCommandBefore = STALE;
    if (b >= 0) {
      bankFrom[b] = STALE;
    }
    switch (c.type) {
      case ACT -> {
        activates++;
        openRow[b] = c.txn.row;
        hitsQueued[b] = countHits(b);
        hits[b] = 0;
        openClass[b] = conflictPending[b] ? CONFLICT : MISS;
        conflictPending[b] = false;
        int r = c.rank;
        fourActivates[r][fawOldest[r]] = clock;
        fawOldest[r] = (fawOldest[r] + 1) % 4;
        fawCount[r] = Math.min(4, fawCount[r] + 1);
      }
      case PRE -> {
        precharges++;
        openRow[b] = CLOSED;
        hitsQueued[b] = 0;
        hits[b] = 0;
        conflictPending[b] = c.txn != null; // closed for a queued access to another row
      }
      case RD, WR -> column(c, clock);
      case REF, REFB -> {
        refreshes++;
        refreshQueue.pollFirst();
        refreshChanged();
      }
      default -> throw new IllegalStateException("command " + c.type);
    }
    out.command(index, clock, c.type, c.rank, b, c.txn == null ? -1 : c.txn.row);
    updateTiming(c, clock);
    if (c.type == RD || c.type == WR) {
      Txn x = c.txn;
      if (x.merged != null) {
        for (Txn m : x.merged) {
          release(m);
        }
      }
      release(x);
    }
  }

  private void column(Cmd c, long clock) {
    int b = c.bank;
    Txn x = c.txn;
    Txn[] queue = bankQueues[b];
    int at = 0;
    while (queue[at] != x) {
      at++;
    }
    System.arraycopy(queue, at + 1, queue, at, bankQueued[b] - at - 1);
    queue[bankQueued[b] - 1] = null;
    if (--bankQueued[b] == 0) {
      nonEmpty.clear(b);
    }
    bankRoom.set(b);
    hitsQueued[b]--; // a column command is for the open row
    queued--;
    readsStuck = false;
    writesStuck = false;
    byte rowClass = hits[b] != 0 ? HIT : openClass[b];
    switch (rowClass) {
      case HIT -> rowHits++;
      case MISS -> rowMisses++;
      default -> rowConflicts++;
    }
    hits[b]++;
    if (x.write) {
      writeBursts++;
      pendingWrites.remove(x.address);
      out.dataBusy(clock + writeLatency, clock + writeLatency + burst, true);
      out.writeIssued(x, rowClass);
    } else {
      readBursts++;
      pendingReads.remove(x.address);
      out.dataBusy(clock + readLatency, clock + readLatency + burst, false);
      long done = clock + readDelay;
      out.readDone(x, done, rowClass);
      if (x.merged != null) {
        for (Txn m : x.merged) {
          out.readDone(m, done, rowClass);
          switch (rowClass) {
            case HIT -> rowHits++;
            case MISS -> rowMisses++;
            default -> rowConflicts++;
          }
        }
      }
    }
    busBusyClocks += burst;
    if (closedPage) {
      openRow[b] = CLOSED;
      hitsQueued[b] = 0;
      hits[b] = 0;
      conflictPending[b] = false;
    }
  }

  private int countHits(int b) {
    int n = 0;
    for (int j = 0; j < bankQueued[b]; j++) {
      if (bankQueues[b][j].row == openRow[b]) {
        n++;
      }
    }
    return n;
  }

  /**
   * The constraints a command sets on later ones (DRAMSim3's {@code Timing} tables): on its bank,
   * the other banks of its bank group, the other bank groups of its rank and the other ranks.
   */
  private void updateTiming(Cmd c, long clock) {
    int b = c.bank;
    int rank = c.rank;
    int first = rank * banksPerRank;
    switch (c.type) {
      case ACT -> {
        int group = (b - first) / banksPerGroup;
        for (int o = first; o < first + banksPerRank; o++) {
          if (o == b) {
            later(o, ACT, clock + d.tRc);
            later(o, RD, clock + t.tRcdRd());
            later(o, WR, clock + t.tRcdWr());
            later(o, PRE, clock + t.tRas());
          } else {
            boolean sameGroup = (o - first) / banksPerGroup == group;
            later(o, ACT, clock + (sameGroup ? d.activateToActivateL : d.activateToActivateS));
            later(o, REFB, clock + d.tRc);
          }
        }
      }
      case PRE -> {
        later(b, ACT, clock + t.tRp());
        later(b, REF, clock + t.tRp());
        later(b, REFB, clock + t.tRp());
      }
      case RD, WR -> columnTiming(c.type == WR, b, rank, clock);
      case REF -> {
        for (int o = first; o < first + banksPerRank; o++) {
          later(o, ACT, clock + t.tRfc());
          later(o, REF, clock + t.tRfc());
          later(o, REFB, clock + t.tRfc());
        }
      }
      case REFB -> {
        // The refreshed bank only. (DRAMSim3's table for REFRESH_BANK sets nothing on the bank
        // itself and tRFC on the other banks; attnsim blocks the bank for tRFCb instead.)
        later(b, ACT, clock + t.tRfcb());
        later(b, REF, clock + t.tRfcb());
        later(b, REFB, clock + t.tRfcb());
      }
      default -> throw new IllegalStateException("command " + c.type);
    }
  }

  private void columnTiming(boolean write, int b, int rank, long clock) {
    int groupsPerRank = dev.bankGroups();
    int rankFirst = rank * groupsPerRank;
    int own = groupOf[b];
    long readO = clock + (write ? d.writeToReadO : d.readToReadO);
    long writeO = clock + (write ? d.writeToWriteO : d.readToWriteO);
    long readS = clock + (write ? d.writeToReadS : d.readToReadS);
    long writeS = clock + (write ? d.writeToWriteS : d.readToWrite);
    long readL = clock + (write ? d.writeToReadL : d.readToReadL);
    long writeL = clock + (write ? d.writeToWriteL : d.readToWrite);
    for (int g = 0; g < groupColumn.length; g++) {
      boolean otherRank = g < rankFirst || g >= rankFirst + groupsPerRank;
      long[] gc = groupColumn[g];
      long rd = otherRank ? readO : g == own ? readL : readS;
      long wr = otherRank ? writeO : g == own ? writeL : writeS;
      if (gc[0] < rd) {
        gc[0] = rd;
      }
      if (gc[1] < wr) {
        gc[1] = wr;
      }
    }
    if (closedPage) { // read/write with auto-precharge
      later(b, ACT, clock + (write ? d.writeToActivate : d.readpToActivate));
      later(b, REF, clock + (write ? d.writeToActivate : d.readToActivate));
      later(b, REFB, clock + (write ? d.writeToActivate : d.readToActivate));
    } else {
      later(b, PRE, clock + (write ? d.writeToPrecharge : d.readToPrecharge));
    }
  }

  private void later(int bank, int type, long clock) {
    if (ready[bank][type] < clock) {
      ready[bank][type] = clock;
    }
  }

  /** Whether the write buffer starts draining now (DRAMSim3's two triggers). */
  private boolean drainTriggers() {
    int w = writeBuffer.size();
    return w >= pol.writeBufferEntries() || (w > pol.writeDrainThreshold() && queued == 0);
  }

  /**
   * Moves the oldest transaction whose bank queue has room into it: from the write buffer while
   * writes drain, else from the read queue. A drain starts when DRAMSim3's triggers say so, or
   * when {@code idle} (the controller has nothing but buffered writes) and the channel's command
   * queues are empty; it covers the writes buffered when it starts, and stops at a write whose
   * burst a read still waits for.
   */
  private void scheduleTransaction(boolean idle) {
    if (writeDraining == 0 && (drainTriggers()
        || (idle && !writeBuffer.isEmpty() && queued == 0 && readQueue.isEmpty()))) {
      writeDraining = writeBuffer.size();
    }
    boolean writes = writeDraining > 0;
    if (writes ? writesStuck : readsStuck) {
      return;
    }
    if (!(writes ? writesWaitFor : readsWaitFor).intersects(bankRoom)) {
      stuck(writes);
      return;
    }
    var list = writes ? writeBuffer : readQueue;
    for (int i = 0; ; i++) {
      Txn x = list.get(i);
      if (bankRoom.get(x.bank)) {
        if (x.write) {
          if (pendingReads.containsKey(x.address)) {
            writeDraining = 0;
            return;
          }
          writeDraining--;
        }
        bankQueues[x.bank][bankQueued[x.bank]] = x;
        if (++bankQueued[x.bank] == pol.commandQueueEntries()) {
          bankRoom.clear(x.bank);
        }
        nonEmpty.set(x.bank);
        if (x.row == openRow[x.bank]) {
          hitsQueued[x.bank]++;
        }
        queued++;
        bankFrom[x.bank] = STALE;
        noCommandBefore = STALE;
        list.remove(i);
        waiting(x, -1);
        return;
      }
    }
  }

  /** Counts {@code x} in (+1) or out of (-1) the transactions waiting for its bank. */
  private void waiting(Txn x, int change) {
    int[] count = x.write ? writesWaiting : readsWaiting;
    var bits = x.write ? writesWaitFor : readsWaitFor;
    count[x.bank] += change;
    bits.set(x.bank, count[x.bank] > 0);
  }

  private void stuck(boolean writes) {
    if (writes) {
      writesStuck = true;
    } else {
      readsStuck = true;
    }
  }

  /**
   * The next clock after {@code clock} at which a tick may change anything: a refresh falls due
   * or progresses, a queued command meets its timing, or a transaction can move. A lower bound:
   * a tick that finds nothing to do changes nothing.
   */
  private long nextClock(long clock, boolean idle) {
    long n = NEVER;
    if (refreshInterval > 0) {
      n = refreshDue; // the next multiple after clock: tick has just moved it past clock
    }
    if (!writeBuffer.isEmpty() || !readQueue.isEmpty()) {
      boolean drain = writeDraining > 0 || drainTriggers()
          || (idle && !writeBuffer.isEmpty() && queued == 0 && readQueue.isEmpty());
      if (!(drain ? writesStuck : readsStuck)) {
        if ((drain ? writesWaitFor : readsWaitFor).intersects(bankRoom)) {
          return clock + 1;
        }
        stuck(drain);
      }
    }
    if (!refreshQueue.isEmpty()) {
      n = Math.min(n, refreshReadyClock());
    }
    // The least exact bound over the bank queues, scanning only queues whose (lower) bound could
    // still be the least: a stale bound below the best so far is made exact, and the least exact
    // one below every other bound is the answer.
    while (true) {
      int least = -1;
      for (int w = 0; w < nonEmpty.words(); w++) {
        for (long bits = nonEmpty.word(w); bits != 0; bits &= bits - 1) {
          int q = (w << 6) + Long.numberOfTrailingZeros(bits);
          if (bankFrom[q] < n && (least < 0 || bankFrom[q] < bankFrom[least])
              && !refreshBlocks(q)) {
            least = q;
          }
        }
      }
      if (least < 0) {
        break;
      }
      boolean exact = bankFrom[least] != STALE && bankExactAt[least] == issued;
      long e = exactFrom(least);
      if (exact || e <= clock + 1) {
        n = Math.min(n, e);
        break;
      }
    }
    return Math.max(n, clock + 1);
  }

  private long refreshReadyClock() {
    int[] ref = refreshQueue.peekFirst();
    if (ref[1] >= 0) {
      int b = ref[1];
      return openRow[b] != CLOSED ? ready[b][PRE] : ready[b][REFB];
    }
    long precharge = NEVER;
    long refresh = 0;
    for (int b = ref[0] * banksPerRank; b < (ref[0] + 1) * banksPerRank; b++) {
      if (openRow[b] != CLOSED) {
        precharge = Math.min(precharge, ready[b][PRE]);
      } else {
        refresh = Math.max(refresh, ready[b][REF]);
      }
    }
    return precharge != NEVER ? precharge : refresh;
  }
}
