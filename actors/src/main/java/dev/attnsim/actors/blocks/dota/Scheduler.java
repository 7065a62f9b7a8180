package dev.attnsim.actors.blocks.dota;

import dev.attnsim.actors.blocks.common.AttentionJob;
import dev.attnsim.actors.blocks.common.AttentionWork;
import dev.attnsim.actors.blocks.common.ComputeOp;
import dev.attnsim.actors.blocks.common.LaneDatapath;
import dev.attnsim.actors.blocks.common.PeArray;
import dev.attnsim.actors.blocks.common.Stage;

import dev.attnsim.actors.blocks.common.dram.DramRequest;
import dev.attnsim.actors.compute.MaskBlock;
import dev.attnsim.actors.kernel.Block;
import dev.attnsim.actors.kernel.BlockContext;
import dev.attnsim.actors.kernel.Event;
import dev.attnsim.actors.kernel.InPort;
import dev.attnsim.actors.kernel.OutPort;
import dev.attnsim.actors.kernel.Precision;
import dev.attnsim.actors.kernel.Tile;
import dev.attnsim.actors.kernel.TileKind;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * DOTA's Scheduler: turns each selected query block into token-parallel SDDMM and SpMM work on
 * the RMMU, fetches the K and V rows the block needs once for all its queries, and issues the
 * blocks' work in query order (a reorder buffer: a block whose rows arrive early waits for the
 * blocks before it).
 *
 * <p>Token-parallel arithmetic on an {@code R x C} array at FX16 ({@code m} MACs per PE per
 * cycle), head size {@code dh}, query {@code i} keeping {@code k_i} keys:
 *
 * <ul>
 *   <li>SDDMM: a PE row computes {@code C} scores of one query at a time, {@code ceil(dh / m)}
 *       cycles each group: query {@code i} is {@code g_i = ceil(k_i / C)} groups.
 *   <li>SpMM: a PE row accumulates {@code C} output columns of one query per kept key: query
 *       {@code i} is {@code s_i = k_i x ceil(dh / (C m))} steps.
 *   <li>Policy {@code IN_ORDER}: query {@code i} runs on row {@code i mod R}; the block takes the
 *       busiest row's time. {@code BALANCED}: groups and steps are spread over all rows (out of
 *       order with respect to query index): {@code ceil(sum / R)}.
 *   <li>Both add the array's fill, {@code (R - 1) + (C - 1)} cycles.
 * </ul>
 *
 * K/V rows of a block: the block's distinct kept keys that are not resident on chip, {@code dh x 2
 * B} each of K and V, fetched in one request per block (an optimistic, coalesced fetch
 * [choice]).
 *
 * <p>In functional mode (with a {@link LaneDatapath}) each SDDMM op carries its arithmetic.
 */
public final class Scheduler implements Block {
  public static final InPort MASK = new InPort(0, "mask");
  public static final InPort KV = new InPort(1, "kv");
  public static final OutPort SDDMM = new OutPort(0, "sddmm");
  public static final OutPort KV_REQUEST = new OutPort(1, "kvreq");

  /** How queries are assigned to PE rows. */
  public enum Policy {
    IN_ORDER,
    BALANCED
  }

  private final PeArray array;
  private final LaneDatapath data; // null in timing mode
  private final int headDim;
  private final Policy policy;
  private final int windowBlocks;
  private final ArrayDeque<Slot> window = new ArrayDeque<>();
  private final int macsPerPe; // FX16
  private final long groupCycles; // one SDDMM group of C keys
  private final long stepCycles; // one SpMM step per kept key
  private final long fill; // the array's fill, (R - 1) + (C - 1)
  private Tile costedTile; // the mask at the head of the queue, and its cost
  private AttentionWork costed;
  private long blocks;
  private long keptPairs;
  private long unionKeys;
  private long usefulMacs;
  private long capacityMacs;
  private long kvBytes;

  private static final class Slot {
    final AttentionWork work;
    long fetchTile = -1;
    boolean ready;

    Slot(AttentionWork work) {
      this.work = work;
    }
  }

  /**
   * @param windowBlocks query blocks scheduled ahead (their K/V fetches overlap earlier blocks'
   *     compute)
   */
  public Scheduler(PeArray array, int headDim, Policy policy, int windowBlocks) {
    this(array, headDim, policy, windowBlocks, null);
  }

  /** A scheduler whose SDDMM ops compute with {@code data}'s numbers (functional mode). */
  public Scheduler(PeArray array, int headDim, Policy policy, int windowBlocks,
      LaneDatapath data) {
    this.data = data;
    if (headDim < 1 || windowBlocks < 1) {
      throw new IllegalArgumentException("head size and window must be >= 1, got " + headDim
          + " and " + windowBlocks);
    }
    this.array = array;
    this.headDim = headDim;
    this.policy = policy;
    this.windowBlocks = windowBlocks;
    this.macsPerPe = array.macsPerPe(Precision.FX16);
    this.groupCycles = (headDim + macsPerPe - 1) / macsPerPe;
    this.stepCycles = (headDim + (long) array.cols() * macsPerPe - 1)
        / ((long) array.cols() * macsPerPe);
    this.fill = (array.rows() - 1L) + (array.cols() - 1L);
  }

  @Override
  public List<InPort> inputs() {
    return List.of(MASK, KV);
  }

  @Override
  public List<OutPort> outputs() {
    return List.of(SDDMM, KV_REQUEST);
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    if (event instanceof Event.TileArrived a && a.port().equals(KV)) {
      Tile rows = ctx.poll(KV);
      for (Slot s : window) {
        if (s.fetchTile == rows.id()) {
          s.ready = true;
        }
      }
    }
    issueReady(ctx);
    while (window.size() < windowBlocks && ctx.queued(MASK) > 0 && canAccept(ctx)) {
      accept(ctx);
      issueReady(ctx);
    }
  }

  /** The queue's head can be taken: its K/V rows are on chip, or a fetch has a credit. */
  private boolean canAccept(BlockContext ctx) {
    Tile head = ctx.peek(MASK);
    if (head != costedTile) { // costed once per block, however long it waits for a credit
      var selected = (AttentionWork) head.payload();
      costed = cost(selected.job(), selected.mask());
      costedTile = head;
    }
    return costed.kvBytes() == 0 || ctx.hasCredit(KV_REQUEST);
  }

  private void accept(BlockContext ctx) {
    ctx.poll(MASK);
    var work = costed; // canAccept costed this tile
    MaskBlock mask = work.mask();
    var slot = new Slot(work);
    if (work.kvBytes() > 0) {
      var request = new Tile(ctx.newTileId(), TileKind.K, Precision.FX16, mask.layer(),
          mask.head(), mask.q0(), mask.unionKeys(), 0, headDim, 1, work.kvBytes(),
          DramRequest.read(work.job().kvAddress()));
      slot.fetchTile = request.id();
      ctx.send(KV_REQUEST, request);
    } else {
      slot.ready = true;
    }
    window.addLast(slot);
    blocks++;
    keptPairs += mask.keptPairs();
    usefulMacs += 2 * work.macs();
    capacityMacs += (work.sddmmCycles() + work.spmmCycles()) * array.rows() * array.cols()
        * macsPerPe;
    unionKeys += mask.unionKeys();
    kvBytes += work.kvBytes();
  }

  /** Sends the SDDMM of the oldest blocks whose K/V rows are in, in query order. */
  private void issueReady(BlockContext ctx) {
    while (!window.isEmpty() && window.peekFirst().ready) {
      if (!ctx.hasCredit(SDDMM)) {
        ctx.stallOn(SDDMM);
        return;
      }
      var work = window.pollFirst().work;
      var mask = work.mask();
      var op = new ComputeOp("sddmm", Stage.ATTENTION, Precision.FX16, work.sddmmCycles(),
          work.macs(), ComputeOp.Route.SOFTMAX, Precision.INT32.bytesFor(mask.keptPairs()),
          work); // scores leave at the accumulators' 32 bits (LaneDatapath)
      if (data != null) {
        op = op.withKernel(data.sddmm(mask));
      }
      ctx.send(SDDMM, new Tile(ctx.newTileId(), TileKind.SCORES, Precision.FX16, mask.layer(),
          mask.head(), mask.q0(), mask.queries(), 0, 0, headDim, 0, op));
    }
  }

  /** The token-parallel cost of one block (see the class comment); changes no state. */
  public AttentionWork cost(AttentionJob job, MaskBlock mask) {
    int rows = array.rows();
    int cols = array.cols();
    long[] sddmmLoad = new long[rows];
    long[] spmmLoad = new long[rows];
    long sddmmTotal = 0;
    long spmmTotal = 0;
    int[] kept = mask.kept();
    for (int i = 0; i < kept.length; i++) {
      long g = (kept[i] + cols - 1L) / cols * groupCycles;
      long s = kept[i] * stepCycles;
      sddmmLoad[i % rows] += g;
      spmmLoad[i % rows] += s;
      sddmmTotal += g;
      spmmTotal += s;
    }
    long sddmm;
    long spmm;
    if (policy == Policy.IN_ORDER) {
      sddmm = max(sddmmLoad);
      spmm = max(spmmLoad);
    } else {
      sddmm = (sddmmTotal / groupCycles + rows - 1) / rows * groupCycles;
      spmm = (spmmTotal + rows - 1) / rows;
    }
    sddmm = Math.max(1, sddmm + fill);
    spmm = Math.max(1, spmm + fill);
    long macs = mask.keptPairs() * headDim;
    long kv = 2 * Precision.FX16.bytesFor((long) mask.unionFrom(job.kvResidentRows()) * headDim);
    return new AttentionWork(job, mask, sddmm, spmm, macs, kv);
  }

  private static long max(long[] a) {
    long m = 0;
    for (long x : a) {
      m = Math.max(m, x);
    }
    return m;
  }

  @Override
  public Optional<String> pendingWork() {
    return window.isEmpty() ? Optional.empty()
        : Optional.of(window.size() + " block(s) scheduled but not issued");
  }

  @Override
  public SortedMap<String, Long> counters() {
    return Block.countersOf(Map.of(
        "blocks", blocks,
        "kept_pairs", keptPairs,
        "union_keys", unionKeys,
        "useful_macs", usefulMacs,
        "capacity_macs", capacityMacs,
        "dram_bytes.kv", kvBytes));
  }
}
