package dev.attnsim.actors.blocks.common;

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
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A sparse-attention co-processor's attention unit, shared by accelerators whose attention runs
 * outside the lanes (Energon's Attention Unit, Sanger's score-stationary array): attention at
 * 16 bits on a query block's kept keys only. It fetches the kept keys' K and V rows in INT16 (V
 * "only for the final survivors"; K as a second, key-major INT16 copy [choice]): one request per
 * block for the rows its K/V buffer does not hold yet ({@code kvBufferBytes}, per head, LRU),
 * then computes one block at a time, for as many cycles as the accelerator's {@link Timing}
 * says. The output rows go back to the lane that owns the head ({@code head mod lanes}), as the
 * tile an RMMU's SpMM result would be, and the lane runs the output projection. The units
 * before it (filter, selector, pack and split) are other blocks, so their work on the next
 * blocks overlaps this block's attention. Up to {@code window} blocks may wait for their K/V
 * rows while one computes; the oldest ready one goes next, and only when its lane has a credit.
 *
 * <p>In functional mode the unit computes the block's output rows with the numbers of the lane
 * that owns the head ({@link LaneDatapath#attention}: FX16 scores, probabilities and outputs
 * [choice: the lane's 16-bit format stands for the accelerators' INT16]) and the result tile
 * carries them to the lane's output projection.
 *
 * <p>16-bit MACs ({@code 2 x kept x d_head}: {@code QK^T} and {@code AV}) are counted as {@code
 * macs.fx16}. Statistics: {@code blocks}, {@code kept_pairs}, {@code softmax_elements}, {@code
 * macs.fx16}, {@code dram_bytes.kv}, and the timing's own ({@link Timing#counters}).
 */
public final class AttentionUnit implements Block {
  public static final InPort SURVIVORS = new InPort(0, "survivors");
  public static final InPort KV = new InPort(1, "kv");
  public static final OutPort KV_REQUEST = new OutPort(0, "kvreq");

  private final int headDim;
  private final Timing timing;
  private final int window;
  private final LaneDatapath[] data; // per lane; null in timing mode
  private final List<OutPort> outputs = new ArrayList<>();
  private final FetchWindow<AttendedBlock> pending = new FetchWindow<>();
  private final KeyRowCache kvBuffer;
  private long workEnd;
  private Tile result;
  private OutPort resultPort;
  private long blocks;
  private long keptPairs;
  private long softmaxElements;
  private long macs;
  private long kvBytes;

  /** How long one block takes on the unit: the accelerator's cost model of its datapath. */
  public interface Timing {
    /** Cycles of {@code block}, at least 1. */
    long cycles(AttendedBlock block);

    /** The busy span's label in traces. */
    default String label() {
      return "attention";
    }

    /** Adds the timing's own statistics of a block just started to {@code counters}. */
    default void count(AttendedBlock block, java.util.Map<String, Long> counters) {}

    /** 16-bit MACs of {@code block}: {@code Q K^T} and {@code A V} on every kept pair. */
    default long macs(AttendedBlock block, int headDim) {
      return 2 * block.attended().keptPairs() * headDim;
    }

    /** Scores the softmax normalises: every kept pair. */
    default long softmaxElements(AttendedBlock block) {
      return block.attended().keptPairs();
    }
  }

  private final TreeMap<String, Long> timingCounters = new TreeMap<>();

  /** A timing-mode unit. */
  public AttentionUnit(int lanes, int headDim, Timing timing, long kvBufferBytes, int window) {
    this(lanes, headDim, timing, kvBufferBytes, window, null);
  }

  /**
   * @param lanes results go to {@code lane0 .. lane<lanes-1>}
   * @param data one per lane: the unit computes with the lanes' numbers (functional mode); null
   *     in timing mode
   */
  public AttentionUnit(int lanes, int headDim, Timing timing, long kvBufferBytes, int window,
      LaneDatapath[] data) {
    if (lanes < 1 || headDim < 1 || window < 1 || kvBufferBytes < 0) {
      throw new IllegalArgumentException("attention unit: lanes, head size and window must be "
          + ">= 1 and the K/V buffer >= 0, got " + lanes + ", " + headDim + ", " + window
          + ", " + kvBufferBytes);
    }
    this.headDim = headDim;
    this.timing = java.util.Objects.requireNonNull(timing, "timing");
    this.window = window;
    if (data != null && data.length != lanes) {
      throw new IllegalArgumentException("attention unit: " + data.length + " lane datapaths "
          + "for " + lanes + " lanes");
    }
    this.data = data;
    this.kvBuffer = new KeyRowCache(kvBufferBytes, rowBytes(headDim));
    outputs.add(KV_REQUEST);
    for (int i = 0; i < lanes; i++) {
      outputs.add(new OutPort(1 + i, lanePortName(i)));
    }
  }

  /** Bytes of one key's K and V rows in INT16. */
  private static long rowBytes(int headDim) {
    return 2 * Precision.FX16.bytesFor(headDim);
  }

  /** The output on which lane {@code i}'s results leave. */
  public static String lanePortName(int lane) {
    return "lane" + lane;
  }

  @Override
  public List<InPort> inputs() {
    return List.of(SURVIVORS, KV);
  }

  @Override
  public List<OutPort> outputs() {
    return outputs;
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    if (event instanceof Event.TileArrived a && a.port().equals(KV)) {
      pending.arrived(ctx.poll(KV).id());
    } else if (event instanceof Event.Wakeup && working() && ctx.now() == workEnd) {
      ctx.send(resultPort, result);
      result = null;
    }
    while (pending.size() < window && ctx.queued(SURVIVORS) > 0 && ctx.hasCredit(KV_REQUEST)) {
      accept(ctx);
    }
    if (!working()) {
      startNext(ctx);
    }
  }

  private void accept(BlockContext ctx) {
    var work = (AttendedBlock) ctx.poll(SURVIVORS).payload();
    long fetch = -1;
    MaskBlock mask = work.attended();
    var job0 = work.job();
    BitSet union = keysOf(mask);
    BitSet miss = kvBuffer.missing(job0.layer(), job0.head(), union);
    long bytes = miss.cardinality() * rowBytes(headDim);
    if (bytes > 0) {
      var job = work.job();
      var request = new Tile(ctx.newTileId(), TileKind.V, Precision.FX16, job.layer(),
          job.head(), job.q0(), mask.unionKeys(), 0, headDim, 1, bytes,
          DramRequest.read(job.kvAddress()));
      fetch = request.id();
      ctx.send(KV_REQUEST, request);
      kvBytes += bytes;
    }
    BitSet hits = (BitSet) union.clone();
    hits.andNot(miss);
    pending.add(work, new FetchWindow.Region(0, job0.layer(), job0.head()), hits, fetch, miss);
  }

  /** The keys any query of {@code block} kept. */
  public static BitSet keysOf(MaskBlock block) {
    if (block.union() != null) {
      return block.union();
    }
    var keys = new BitSet();
    if (block.keys() != null) {
      for (int[] row : block.keys()) {
        for (int key : row) {
          keys.set(key);
        }
      }
    } else {
      keys.set(0, block.unionKeys());
    }
    return keys;
  }

  private void startNext(BlockContext ctx) {
    AttendedBlock next = pending.oldestReady();
    if (next == null) {
      return;
    }
    var job = next.job();
    OutPort out = outputs.get(1 + job.head() % (outputs.size() - 1));
    if (!ctx.hasCredit(out)) {
      ctx.stallOn(out);
      return; // in order: the oldest ready block waits for its lane
    }
    AttendedBlock block = pending.takeOldestReady();
    MaskBlock mask = block.attended();
    long kept = mask.keptPairs();
    long cycles = Math.max(1, timing.cycles(block));
    long blockMacs = timing.macs(block, headDim);
    workEnd = ctx.now() + cycles;
    ctx.busy(ctx.now(), workEnd, timing.label(), Stage.ATTENTION.label(), blockMacs,
        Precision.FX16);
    timing.count(block, timingCounters);
    ctx.wakeAt(workEnd);
    blocks++;
    keptPairs += kept;
    softmaxElements += timing.softmaxElements(block);
    macs += blockMacs;
    var work = new AttentionWork(job, mask, cycles, 0, blockMacs / 2, 0);
    var op = new ComputeOp("attention-rows", Stage.ATTENTION, Precision.FX16, cycles,
        blockMacs, ComputeOp.Route.CONTROLLER,
        Precision.FX16.bytesFor((long) mask.queries() * headDim), work);
    if (data != null) {
      op = op.withData(block.attention(data[job.head() % data.length]).compute());
    }
    resultPort = out;
    result = new Tile(ctx.newTileId(), TileKind.DATA, Precision.FX16, job.layer(), job.head(),
        job.q0(), mask.queries(), 0, headDim, 1, op.resultBytes(), op);
  }

  private boolean working() {
    return result != null;
  }

  @Override
  public Optional<String> pendingWork() {
    if (working()) {
      return Optional.of("a block still in attention");
    }
    return pending.isEmpty() ? Optional.empty()
        : Optional.of(pending.size() + " block(s) waiting for K/V rows or a lane's credit");
  }

  @Override
  public SortedMap<String, Long> counters() {
    var c = new TreeMap<String, Long>(timingCounters);
    c.put("blocks", blocks);
    c.put("kept_pairs", keptPairs);
    c.put("softmax_elements", softmaxElements);
    c.put("macs.fx16", macs);
    c.put("dram_bytes.kv", kvBytes);
    return c;
  }
}
