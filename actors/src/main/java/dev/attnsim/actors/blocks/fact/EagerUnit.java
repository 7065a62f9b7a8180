package dev.attnsim.actors.blocks.fact;

import dev.attnsim.actors.blocks.common.AttentionJob;
import dev.attnsim.actors.blocks.common.FunctionalModel;
import dev.attnsim.actors.blocks.common.HeadMajorPicker;
import dev.attnsim.actors.blocks.common.PredictHead;
import dev.attnsim.actors.blocks.common.SramBuffer;
import dev.attnsim.actors.blocks.common.Stage;
import dev.attnsim.actors.blocks.common.dram.DramRequest;
import dev.attnsim.actors.compute.FactHead;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * FACT's eager prediction unit (seed 003), before a head's Q, K and V exist. A lane asks for a
 * head ({@link PredictHead} on {@code jobs<i>}); the unit reads the layer's X (FX16, once per
 * layer while it fits the X buffer) and the head's W_Q, W_K slices as leading-one codes, and
 * computes, in sequence, busy in stage {@code prediction}:
 *
 * <ol>
 *   <li>{@code Q^ = X W_Q} and {@code K^ = X W_K} with leading-one products: {@code 2 l d
 *       d_head} log-MACs;
 *   <li>{@code A^ = Q^ K^^T} the same way: {@code candidates x d_head} log-MACs;
 *   <li>the row-wise top-k and each row's top-1 / top-2 gap: {@code candidates} scores,
 * </ol>
 * {@code ceil(2 l d d_head / logMacsPerCycle) + ceil(candidates d_head / logMacsPerCycle) +
 * ceil(candidates / topkElementsPerCycle)} cycles; then it answers the lane on {@code lane<i>}
 * and writes the head's top-k bitmap ({@code candidates} bits) to DRAM. What it decides (the
 * top-k, the decided queries, the K/V rows and FFN precisions that follow) is {@link
 * EagerPredictions}' answer for the head.
 *
 * <p>Later the lane's query blocks arrive on the same input ({@link AttentionJob}): for each the
 * unit reads the block's rows of the bitmap back ({@code candidates} bits) and hands the block
 * on to the attention array ({@code survivors}) as a {@link FactBlock}: undecided queries with
 * their top-k, decided queries with their top key alone. In functional mode that mask is checked
 * against the golden model's first ({@link FunctionalModel#checkMask}).
 *
 * <p>Up to {@code window} tasks may wait for their DRAM reads; requests are taken from the lanes
 * by {@link HeadMajorPicker} (prediction requests first, then query blocks from at most two
 * heads at a time, so that the array holds at most two heads' K and V); a head starts only when
 * its lane can take the answer, a block leaves only when the
 * array has a credit, in order. [choice] Log-MACs are charged as additions ({@code
 * elements_added}: an exponent add and a shifted accumulate), top-k scores as comparisons.
 *
 * <p>Statistics: {@code heads}, {@code queries}, {@code pairs_scored}, {@code pairs_selected},
 * {@code decided_queries}, {@code kv_rows_unneeded}, {@code log_macs}, {@code blocks}, {@code
 * dram_bytes.x}, {@code dram_bytes.weights_lo}, {@code dram_bytes.mask}.
 */
public final class EagerUnit implements Block {
  public static final InPort MEMORY = new InPort(0, "mem");
  public static final OutPort SURVIVORS = new OutPort(0, "survivors");
  public static final OutPort MEMORY_REQUEST = new OutPort(1, "memreq");

  private static final long MASK_BASE = 3L << 44;
  private static final long X_BASE = 5L << 44;

  private final EagerConfig cfg;
  private final EagerPredictions predictions;
  private final FunctionalModel model; // null in timing mode
  private final List<InPort> inputs = new ArrayList<>();
  private final List<OutPort> outputs = new ArrayList<>();
  private final SramBuffer xBuffer;
  private final ArrayDeque<Task> pending = new ArrayDeque<>();
  private final ArrayDeque<Long> writes = new ArrayDeque<>();
  private final HeadMajorPicker picker;
  private long computeEnd;
  private Tile answer;
  private long answerMaskBytes;
  private OutPort answerPort;
  private final TreeMap<String, Long> counts = new TreeMap<>();
  // per layer, the read bringing its X while in flight (looked up and removed, never iterated for
  // a result)
  private final TreeMap<Integer, Long> xInFlight = new TreeMap<>();

  private static final class Task {
    final int lane;
    final PredictHead head; // a head to predict, or
    final AttentionJob job; // a query block to hand on
    long fetchTile = -1;
    long xFetch = -1; // an earlier head's read still bringing this head's X, or -1
    boolean fetched;
    boolean ready;

    Task(int lane, PredictHead head, AttentionJob job) {
      this.lane = lane;
      this.head = head;
      this.job = job;
    }
  }

  /**
   * @param lanes requests arrive on {@code jobs0 .. jobs<lanes-1>}, answers leave on {@code
   *     lane0 ..}
   * @param model the golden model the masks are checked against (functional mode), or null
   */
  public EagerUnit(EagerConfig cfg, EagerPredictions predictions, int lanes,
      FunctionalModel model) {
    if (lanes < 1) {
      throw new IllegalArgumentException("eager prediction unit: lanes must be >= 1, got "
          + lanes);
    }
    this.cfg = cfg;
    this.predictions = java.util.Objects.requireNonNull(predictions, "predictions");
    this.model = model;
    this.xBuffer = new SramBuffer(cfg.xBufferBytes());
    inputs.add(MEMORY);
    outputs.add(SURVIVORS);
    outputs.add(MEMORY_REQUEST);
    inputs.addAll(HeadMajorPicker.jobPorts(1, lanes));
    for (int i = 0; i < lanes; i++) {
      outputs.add(new OutPort(2 + i, lanePortName(i)));
    }
    this.picker = new HeadMajorPicker(inputs.subList(1, inputs.size()), cfg.shape().seqLen());
    for (String c : List.of("heads", "queries", "pairs_scored", "pairs_selected",
        "decided_queries", "kv_rows_unneeded", "log_macs", "elements_added", "comparisons",
        "blocks", "dram_bytes.x", "dram_bytes.weights_lo", "dram_bytes.mask")) {
      counts.put(c, 0L);
    }
  }

  /** The output on which lane {@code i}'s answers leave. */
  public static String lanePortName(int lane) {
    return "lane" + lane;
  }

  @Override
  public List<InPort> inputs() {
    return inputs;
  }

  @Override
  public List<OutPort> outputs() {
    return outputs;
  }

  /** Log-MACs of one head: {@code Q^} and {@code K^}, then {@code A^}. */
  public long logMacs(long candidates) {
    var s = cfg.shape();
    return 2L * s.seqLen() * s.dModel() * s.headDim() + candidates * s.headDim();
  }

  /** Cycles to predict one head whose queries have {@code candidates} keys in all. */
  public long cycles(long candidates) {
    var s = cfg.shape();
    return Math.max(1, Arith.ceilDiv(2L * s.seqLen() * s.dModel() * s.headDim(),
        cfg.logMacsPerCycle()) + Arith.ceilDiv(candidates * s.headDim(), cfg.logMacsPerCycle())
        + Arith.ceilDiv(candidates, cfg.topkElementsPerCycle()));
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    if (event instanceof Event.TileArrived a && a.port().equals(MEMORY)) {
      long id = ctx.poll(MEMORY).id();
      xInFlight.values().remove(id);
      for (Task t : pending) {
        t.fetched |= t.fetchTile == id;
        if (t.xFetch == id) {
          t.xFetch = -1;
        }
        t.ready = t.fetched && t.xFetch < 0;
      }
    } else if (event instanceof Event.Wakeup && answer != null && ctx.now() == computeEnd) {
      ctx.send(answerPort, answer); // its credit was checked when the head started
      writes.addLast(answerMaskBytes); // the head's top-k bitmap, now complete
      count("dram_bytes.mask", answerMaskBytes);
      answer = null;
    }
    flushWrites(ctx);
    while (pending.size() < cfg.window() && ctx.hasCredit(MEMORY_REQUEST) && accept(ctx)) {
      // take what may be taken
    }
    startReady(ctx);
  }

  private void flushWrites(BlockContext ctx) {
    while (!writes.isEmpty() && ctx.hasCredit(MEMORY_REQUEST)) {
      long bytes = writes.pollFirst();
      ctx.send(MEMORY_REQUEST, new Tile(ctx.newTileId(), TileKind.MASK, Precision.INT2, 0, 0,
          0, 0, 0, 0, 1, bytes, DramRequest.write(MASK_BASE, null)));
    }
  }

  /** Takes the next lane's request and asks DRAM for what it reads. */
  private boolean accept(BlockContext ctx) {
    InPort port = picker.next(ctx);
    if (port != null) {
      int lane = inputs.indexOf(port) - 1;
      Tile in = ctx.poll(port);
      Task task;
      long bytes;
      long address;
      Long xFrom = null; // the read bringing this head's X, when it is not this head's own
      if (in.payload() instanceof PredictHead h) {
        task = new Task(lane, h, null);
        long x = xBuffer.read("x:" + h.layer(), cfg.layerXBytes());
        // X marked on chip while an earlier head's read of it is in flight: wait for that read
        // too, as a cache merges a secondary miss into the outstanding one (FetchWindow)
        xFrom = x > 0 ? null : xInFlight.get(h.layer());
        count("dram_bytes.x", x);
        count("dram_bytes.weights_lo", cfg.headWeightBytes());
        bytes = x + cfg.headWeightBytes();
        address = X_BASE + ((long) h.layer() << 32);
      } else {
        var job = (AttentionJob) in.payload();
        picker.taken(job);
        task = new Task(lane, null, job);
        int n = Math.min(job.rows(), cfg.shape().seqLen() - job.q0());
        bytes = (cfg.shape().candidates(job.q0(), n) + 7) / 8;
        count("dram_bytes.mask", bytes);
        address = MASK_BASE;
      }
      var request = new Tile(ctx.newTileId(), TileKind.DATA, Precision.INT8, in.layer(),
          in.head(), 0, 0, 0, 0, 1, bytes, DramRequest.read(address));
      task.fetchTile = request.id();
      if (task.head != null) {
        if (xFrom != null) {
          task.xFetch = xFrom;
        } else if (bytes > cfg.headWeightBytes()) {
          xInFlight.put(task.head.layer(), request.id());
        }
      }
      ctx.send(MEMORY_REQUEST, request);
      pending.addLast(task);
      return true;
    }
    return false;
  }

  /**
   * Hands on every ready query block the array can take, in order, and starts the oldest ready
   * head when the unit is free and its lane can take the answer.
   */
  private void startReady(BlockContext ctx) {
    boolean blocksInOrder = true;
    for (var it = pending.iterator(); it.hasNext(); ) {
      Task t = it.next();
      if (t.job != null) {
        if (!blocksInOrder || !t.ready) {
          blocksInOrder = false;
          continue;
        }
        if (!ctx.hasCredit(SURVIVORS)) {
          ctx.stallOn(SURVIVORS);
          blocksInOrder = false;
          continue;
        }
        it.remove();
        handOn(t, ctx);
      } else if (t.ready && answer == null) {
        OutPort out = outputs.get(2 + t.lane);
        if (!ctx.hasCredit(out)) {
          continue;
        }
        it.remove();
        predict(t, out, ctx);
      }
    }
  }

  private void handOn(Task t, BlockContext ctx) {
    var job = t.job;
    int n = Math.min(job.rows(), cfg.shape().seqLen() - job.q0());
    FactHead head = predictions.head(job.layer(), job.head());
    MaskBlock mask = head.attended(job.layer(), job.head(), job.q0(), n,
        cfg.shape().candidates(job.q0(), n));
    if (model != null) {
      model.checkMask("mask of layer " + job.layer() + " head " + job.head() + " queries "
          + job.q0() + ".." + (job.q0() + n - 1), job.layer(), job.head(), job.q0(),
          mask.keys());
    }
    count("blocks", 1);
    ctx.send(SURVIVORS, new Tile(ctx.newTileId(), TileKind.MASK, Precision.INT2, job.layer(),
        job.head(), job.q0(), n, 0, 0, 1, Math.max(1, (mask.candidates() + 7) / 8),
        new FactBlock(job, mask, head.decided(job.q0(), n))));
  }

  private void predict(Task t, OutPort out, BlockContext ctx) {
    var h = t.head;
    FactHead head = predictions.head(h.layer(), h.head());
    long candidates = head.pairsScored();
    long macs = logMacs(candidates);
    computeEnd = ctx.now() + cycles(candidates);
    ctx.busy(ctx.now(), computeEnd, "eager-predict", Stage.PREDICTION.label(), macs,
        Precision.INT4);
    ctx.wakeAt(computeEnd);
    count("heads", 1);
    count("queries", head.seqLen());
    count("pairs_scored", candidates);
    count("pairs_selected", head.pairsSelected());
    count("decided_queries", head.decidedQueries());
    count("kv_rows_unneeded", head.unneededKeys());
    count("log_macs", macs);
    count("elements_added", macs);
    count("comparisons", candidates);
    answerMaskBytes = (candidates + 7) / 8;
    answerPort = out;
    answer = new Tile(ctx.newTileId(), TileKind.DATA, Precision.INT2, h.layer(), h.head(), 0,
        head.seqLen(), 0, 0, 1, 1, h);
  }

  private void count(String name, long n) {
    counts.merge(name, n, Long::sum);
  }

  @Override
  public Optional<String> pendingWork() {
    if (answer != null) {
      return Optional.of("a head still being predicted");
    }
    if (!writes.isEmpty()) {
      return Optional.of(writes.size() + " mask write(s) waiting for a DRAM credit");
    }
    return pending.isEmpty() ? Optional.empty()
        : Optional.of(pending.size() + " task(s) waiting for DRAM, the array or a lane");
  }

  @Override
  public SortedMap<String, Long> counters() {
    return new TreeMap<>(counts);
  }
}
