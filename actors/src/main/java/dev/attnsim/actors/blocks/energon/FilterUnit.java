package dev.attnsim.actors.blocks.energon;

import dev.attnsim.actors.blocks.common.AttentionJob;
import dev.attnsim.actors.blocks.common.AttentionUnit;
import dev.attnsim.actors.blocks.common.FetchWindow;
import dev.attnsim.actors.blocks.common.HeadMajorPicker;
import dev.attnsim.actors.blocks.common.KeyRowCache;
import dev.attnsim.actors.blocks.common.SramBuffer;
import dev.attnsim.actors.blocks.common.Stage;
import dev.attnsim.actors.blocks.common.dram.DramRequest;
import dev.attnsim.actors.compute.MaskBlock;
import dev.attnsim.actors.kernel.Arith;
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
 * Energon's Filter Unit (seed 000, "Energon co-processor"): low-precision dot-product lanes that
 * score a query block's candidate keys, round after round of mix-precision multi-round filtering
 * (MP-MRF). Round 0 scores every candidate key with the top {@code keyBits[0]} bits of K (INT4 x
 * INT2 by default); each later round rescores only the previous round's survivors with more of
 * K's bits (INT4 x INT4). The {@link Selector} thresholds each round's scores.
 *
 * <h2>Memory: K as bit planes, most significant first [choice]</h2>
 * A head's K is stored in DRAM as bit planes (plane {@code b} holds bit {@code 15 - b} of every
 * element, key by key), so a round reads only the planes it adds, "only the missed ones are
 * refetched":
 * <ul>
 *   <li>round 0 reads planes {@code [0, keyBits[0])} of every key of the head, once per head when
 *       they fit the plane buffer ({@link SramBuffer} over heads, LRU), else once per block;
 *   <li>round {@code r > 0} reads planes {@code [keyBits[r-1], keyBits[r])} of the keys that
 *       survived round {@code r - 1} in any query of the block and are not already on chip (a
 *       buffer of {@code planeBufferBytes} per round, key rows per head, LRU): a key's row in a
 *       plane is {@code ceil(d_head / 8)} bytes, and each DRAM burst a missing key touches is read
 *       whole, in one request per block and round (bytes exact to the burst, the request
 *       coalesced [choice]).
 * </ul>
 * Q arrives with the job, from the lane.
 *
 * <h2>Timing</h2>
 * Up to {@code window} blocks may wait for their planes while the lanes score another; the
 * oldest block whose planes are in is scored next, in {@code ceil(pairs x d_head /
 * macsPerCycle[r])} cycles. Blocks coming back for a later round come before new ones; new
 * blocks are taken two heads at a time ({@link HeadMajorPicker}). Like the RMMU, the unit starts a
 * block only when its result has a credit to the selector. New blocks are admitted only
 * while fewer than {@code loopLimit} blocks may still come back from the selector, so the
 * filter-selector loop never fills both its links (no credit deadlock).
 *
 * <h2>Statistics</h2>
 * Per round {@code r}: {@code round<r>.pairs_scored}, {@code round<r>.dram_bytes}; {@code
 * macs.<precision>}, {@code dram_bytes.qk_planes}, {@code blocks}.
 */
public final class FilterUnit implements Block {
  public static final InPort AGAIN = new InPort(0, "again");
  public static final InPort PLANES = new InPort(1, "planes");
  public static final OutPort SCORES = new OutPort(0, "scores");
  public static final OutPort PLANE_REQUEST = new OutPort(1, "planereq");

  private final FilterConfig cfg;
  private final FilterRounds filter;
  private final int loopLimit;
  private final List<InPort> inputs = new ArrayList<>();
  private final SramBuffer planeBuffer;
  private final KeyRowCache[] laterPlanes; // per round > 0: the key rows of its planes held
  private final FetchWindow<FilterWork> pending = new FetchWindow<>();
  private final HeadMajorPicker picker;
  private int inLoop; // admitted blocks that will come back on AGAIN at least once more
  private long computeEnd;
  private Tile result;
  private long blocks;
  private final long[] pairsScored;
  private final long[] roundBytes;
  private final long[] macs = new long[Precision.values().length];


  /**
   * @param lanes query blocks arrive from this many lanes, on {@code jobs0 .. jobs<lanes-1>}
   * @param loopLimit depth of the selector's link back here ({@code again})
   */
  public FilterUnit(FilterConfig cfg, FilterRounds filter, int lanes, int loopLimit) {
    if (lanes < 1 || loopLimit < 1) {
      throw new IllegalArgumentException("filter unit: lanes and loop limit must be >= 1, got "
          + lanes + " and " + loopLimit);
    }
    this.cfg = cfg;
    this.filter = filter;
    this.loopLimit = loopLimit;
    inputs.add(AGAIN);
    inputs.add(PLANES);
    inputs.addAll(HeadMajorPicker.jobPorts(2, lanes));
    this.picker = new HeadMajorPicker(inputs.subList(2, inputs.size()), cfg.shape().seqLen());
    this.planeBuffer = new SramBuffer(cfg.planeBufferBytes());
    this.laterPlanes = new KeyRowCache[cfg.rounds()];
    for (int r = 1; r < cfg.rounds(); r++) {
      laterPlanes[r] = new KeyRowCache(cfg.planeBufferBytes(),
          cfg.planeRowBytes() * cfg.newPlanes(r));
    }
    this.pairsScored = new long[cfg.rounds()];
    this.roundBytes = new long[cfg.rounds()];
  }

  @Override
  public List<InPort> inputs() {
    return inputs;
  }

  @Override
  public List<OutPort> outputs() {
    return List.of(SCORES, PLANE_REQUEST);
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    if (event instanceof Event.TileArrived a && a.port().equals(PLANES)) {
      pending.arrived(ctx.poll(PLANES).id());
    } else if (event instanceof Event.Wakeup && computing() && ctx.now() == computeEnd) {
      ctx.send(SCORES, result); // its credit was reserved when the block started
      result = null;
    }
    while (pending.size() < cfg.window() && accept(ctx)) {
      // take what may be taken
    }
    if (!computing()) {
      startNext(ctx);
    }
  }

  /** Takes one block, a returning one first, and asks DRAM for its planes; false if none. */
  private boolean accept(BlockContext ctx) {
    if (!ctx.hasCredit(PLANE_REQUEST)) {
      return false; // every block may need a fetch: take none without a request credit
    }
    if (ctx.queued(AGAIN) > 0) {
      Tile in = ctx.poll(AGAIN);
      var work = ((FilterWork) in.payload()).next();
      if (work.lastRound()) {
        inLoop--;
      }
      admit(work, ctx);
      return true;
    }
    InPort port = picker.next(ctx);
    if (port != null) {
      if (cfg.rounds() > 1 && inLoop >= loopLimit) {
        return false;
      }
      Tile in = ctx.poll(port);
      var job = (AttentionJob) in.payload();
      picker.taken(job);
      var rounds = filter.rounds(job.layer(), job.head(), job.q0(), job.rows());
      if (rounds.size() != cfg.rounds()) {
        throw new IllegalStateException("the filter decided " + rounds.size() + " rounds, the "
            + "unit has " + cfg.rounds());
      }
      long candidates = cfg.shape().candidates(job.q0(), rounds.get(0).queries());
      if (cfg.rounds() > 1) {
        inLoop++;
      }
      blocks++;
      admit(new FilterWork(job, rounds, 0, candidates, candidates), ctx);
      return true;
    }
    return false;
  }

  private void admit(FilterWork work, BlockContext ctx) {
    long fetch = -1;
    int r = work.round();
    var job = work.job();
    long bytes;
    BitSet hits; // what the block finds on chip (null: the whole region)
    BitSet miss; // what its read brings (null: the whole region)
    if (r == 0) {
      bytes = planeBuffer.read("kplanes:" + job.layer() + ":" + job.head(),
          cfg.newPlanes(0) * cfg.planeBytes());
      hits = bytes > 0 ? new BitSet() : null;
      miss = null;
    } else {
      BitSet wanted = wholeBursts(AttentionUnit.keysOf(work.survivors().get(r - 1)));
      miss = laterPlanes[r].missing(job.layer(), job.head(), wanted);
      bytes = burstsTouched(miss) * cfg.burstBytes() * cfg.newPlanes(r);
      hits = wanted;
      hits.andNot(miss);
    }
    if (bytes > 0) {
      long address = job.kvAddress() + (r == 0 ? 0 : cfg.keyBits()[r - 1] * cfg.planeBytes());
      var request = new Tile(ctx.newTileId(), TileKind.K, Precision.INT4, job.layer(),
          job.head(), job.q0(), job.rows(), 0, cfg.shape().headDim(), 1, bytes,
          DramRequest.read(address));
      fetch = request.id();
      ctx.send(PLANE_REQUEST, request);
      roundBytes[r] += bytes;
    }
    // a block that finds planes on chip whose read is still in flight waits for it (FetchWindow)
    pending.add(work, new FetchWindow.Region(r, job.layer(), job.head()), hits, fetch, miss);
  }

  /**
   * {@code keys} and every other key whose plane row lies in a burst they touch: a burst read
   * for one key brings its neighbours on chip too.
   */
  BitSet wholeBursts(BitSet keys) {
    long rowBytes = cfg.planeRowBytes();
    long burst = cfg.burstBytes();
    int seq = cfg.shape().seqLen();
    var all = new BitSet();
    for (int j = keys.nextSetBit(0); j >= 0; j = keys.nextSetBit(j + 1)) {
      long first = j * rowBytes / burst;
      long end = ((j + 1) * rowBytes - 1) / burst;
      int from = (int) (first * burst / rowBytes);
      int to = (int) Math.min(seq, Arith.ceilDiv((end + 1) * burst, rowBytes));
      all.set(from, Math.max(from, to));
      j = Math.max(j, to - 1);
    }
    return all;
  }

  /** DRAM bursts holding the plane rows of {@code keys}. */
  long burstsTouched(BitSet keys) {
    long rowBytes = cfg.planeRowBytes();
    long burst = cfg.burstBytes();
    long count = 0;
    long last = -1;
    for (int j = keys.nextSetBit(0); j >= 0; j = keys.nextSetBit(j + 1)) {
      long first = j * rowBytes / burst;
      long end = ((j + 1) * rowBytes - 1) / burst;
      long from = Math.max(first, last + 1);
      if (end >= from) {
        count += end - from + 1;
      }
      last = Math.max(last, end);
    }
    return count;
  }

  /** Scores the oldest block whose planes are in, if the selector can take its result. */
  private void startNext(BlockContext ctx) {
    if (!ctx.hasCredit(SCORES)) {
      return;
    }
    var w = pending.takeOldestReady();
    if (w != null) {
      int r = w.round();
      long dotMacs = w.scoredPairs() * cfg.shape().headDim();
      long cycles = Math.max(1, Arith.ceilDiv(dotMacs, cfg.macsPerCycle()[r]));
      Precision p = cfg.precision(r);
      computeEnd = ctx.now() + cycles;
      ctx.busy(ctx.now(), computeEnd, "filter-round" + r, Stage.FILTER.label(), dotMacs, p);
      ctx.wakeAt(computeEnd);
      pairsScored[r] += w.scoredPairs();
      macs[p.ordinal()] += dotMacs;
      var job = w.job();
      result = new Tile(ctx.newTileId(), TileKind.SCORES, p, job.layer(), job.head(), job.q0(),
          w.roundSurvivors().queries(), 0, 0, 1, Precision.INT32.bytesFor(w.scoredPairs()), w);
      return;
    }
  }

  private boolean computing() {
    return result != null;
  }

  @Override
  public Optional<String> pendingWork() {
    if (computing()) {
      return Optional.of("a block still being scored");
    }
    return pending.isEmpty() ? Optional.empty()
        : Optional.of(pending.size() + " block(s) waiting for their K planes or a credit");
  }

  @Override
  public SortedMap<String, Long> counters() {
    var c = new TreeMap<String, Long>();
    c.put("blocks", blocks);
    long bytes = 0;
    for (int r = 0; r < cfg.rounds(); r++) {
      c.put("round" + r + ".pairs_scored", pairsScored[r]);
      c.put("round" + r + ".dram_bytes", roundBytes[r]);
      bytes += roundBytes[r];
    }
    c.put("dram_bytes.qk_planes", bytes);
    for (Precision p : Precision.values()) {
      if (macs[p.ordinal()] > 0) {
        c.put("macs." + p.label(), macs[p.ordinal()]);
      }
    }
    return c;
  }
}
