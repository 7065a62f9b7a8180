package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.blocks.common.dram.DramRequest;
import dev.attnsim.actors.compute.LayerShape;
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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Walks one DOTA lane through its encoder layers (seed 004 section 6.1), stage after stage:
 *
 * <ol>
 *   <li><b>Linear</b>: for each head the lane owns and each row block of tokens, Q, K, V = X W
 *       (FX16) and the prediction path's Q~, K~ = X (P W~) (detection precision).
 *   <li><b>Attention</b> (lane-local: the lane uses the Q, K, V it made): for each head and
 *       query block, detection Q~ K~^T on the RMMU (routed to the selector, then scheduler,
 *       softmax, SpMM), or with detection off the block goes straight to the selector with a
 *       dense mask. Each SpMM result triggers the block's output projection, whose partial goes
 *       to the accumulator.
 *   <li><b>FFN</b>, once the accumulator has every head's projection of the layer (a barrier
 *       across lanes): for each row block, FC1 on this lane's chunk of the hidden width, FC2
 *       from that chunk to d, partials to the accumulator. The next layer starts when the
 *       accumulator has the FFN output.
 * </ol>
 *
 * <p>Operands live in a {@link SramBuffer}: what is resident is read on chip, what is not is read
 * from DRAM (weights per head or chunk, X and X' per row block, the head's Q, K, V and Q~, K~).
 * DRAM reads of the next {@code prefetchSteps} steps may be in flight while the current one
 * waits; writes of results that do not fit on chip go to DRAM when their op is dispatched.
 *
 * <p>In functional mode (with a {@link LaneDatapath}) the linear, detection and output
 * projection ops carry their arithmetic; the controller stores the linear results in the lane's
 * numbers, quantises the predictions when the linear stage ends, and forgets a layer's numbers
 * when its attention stage ends. The FFN stays timing only: the workload gives no FFN weights.
 */
public final class LaneController implements Block {
  public static final InPort DRAM_RESPONSE = new InPort(0, "dramresp");
  public static final InPort DONE = new InPort(1, "done");
  public static final InPort READY = new InPort(2, "ready");
  /**
   * Attention results from an attention path outside the lane (Energon's co-processor), present
   * only on a lane built {@link #withExternalAttention}: tiles as the RMMU's SpMM results carry
   * them (a {@link ComputeOp} whose context is the block's {@link AttentionWork}).
   */
  public static final InPort ATTENTION = new InPort(3, "attn");
  /**
   * Answers of an eager predictor (FACT), present only on a lane built {@link
   * #withEagerPrediction}: the {@link PredictHead} the lane asked for, once that head is predicted.
   */
  public static final InPort PREDICTED = new InPort(4, "pred");
  public static final OutPort OPS = new OutPort(0, "ops");
  public static final OutPort JOBS = new OutPort(1, "jobs");
  public static final OutPort DRAM = new OutPort(2, "dram");

  private static final Precision FX16 = Precision.FX16;

  /** A DRAM access of a step. */
  private record Access(String region, long bytes) {}

  /** A unit of the lane's program. */
  private static final class Step {
    final Stage stage;
    final int layer;
    final Tile tile; // the op or job to dispatch; null for a barrier
    final OutPort port;
    final List<Access> reads;
    final List<Access> writes;
    final Stage awaitStage; // barrier: wait for the accumulator's notice of this stage
    final boolean awaitLocal; // barrier: wait until every op routed back here is done
    final PredictHead awaitPrediction; // barrier: wait until this head is predicted
    int readsIssued;
    int readsOutstanding;

    Step(Stage stage, int layer, Tile tile, OutPort port, List<Access> reads,
        List<Access> writes) {
      this(stage, layer, tile, port, reads, writes, null, false);
    }

    Step(Stage stage, int layer, Tile tile, OutPort port, List<Access> reads,
        List<Access> writes, Stage awaitStage, boolean awaitLocal) {
      this(stage, layer, tile, port, reads, writes, awaitStage, awaitLocal, null);
    }

    Step(Stage stage, int layer, Tile tile, OutPort port, List<Access> reads,
        List<Access> writes, Stage awaitStage, boolean awaitLocal, PredictHead awaitPrediction) {
      this.stage = stage;
      this.layer = layer;
      this.tile = tile;
      this.port = port;
      this.reads = reads;
      this.writes = writes;
      this.awaitStage = awaitStage;
      this.awaitLocal = awaitLocal;
      this.awaitPrediction = awaitPrediction;
    }

    boolean readsDone() {
      return readsIssued == reads.size() && readsOutstanding == 0;
    }
  }

  private final LaneConfig cfg;
  private final LaneDatapath data; // null in timing mode
  private final boolean externalAttention;
  private final GenerationPlan plan; // FACT: rows generated and FFN precision; else null
  private final java.util.Set<PredictHead> predicted = new java.util.HashSet<>(); // lookups only
  private final Map<String, Long> planCounters = new TreeMap<>();
  private final Map<String, Long> dramBytesByPurpose = new TreeMap<>();
  private final LayerShape shape;
  private final SramBuffer sram;
  private final int kvResidentRows;
  private final Iterator<Step> program;
  private final ArrayDeque<Step> upcoming = new ArrayDeque<>();
  private final ArrayDeque<Step> reactive = new ArrayDeque<>();
  private final ArrayDeque<Access> writeQueue = new ArrayDeque<>();
  private final Map<Long, Step> readsInFlight = new HashMap<>(); // lookups only
  private final Map<String, Long> addresses = new HashMap<>(); // lookups only
  private final boolean[][] stageDone;
  private final long[][] stageStart;
  private final long[][] stageEnd;
  private long nextAddress;
  private long outstanding;
  private long dramReadBytes;
  private long dramWriteBytes;
  private long opsDispatched;
  private Step current;

  public LaneController(LaneConfig cfg) {
    this(cfg, null);
  }

  /** A lane whose ops compute with {@code data}'s numbers (functional mode), or timing only. */
  public LaneController(LaneConfig cfg, LaneDatapath data) {
    this(cfg, data, false, null);
  }

  /**
   * A lane whose attention runs outside it: query blocks leave on {@code jobs} (detection must be
   * off) and their results come back on {@code attn}, each triggering its output projection.
   */
  public static LaneController withExternalAttention(LaneConfig cfg) {
    return withExternalAttention(cfg, null);
  }

  /**
   * As {@link #withExternalAttention(LaneConfig)}, computing with {@code data}'s numbers
   * (functional mode) when it is not null: the lane's Q, K and V are what the attention path
   * reads, and its results carry the rows the output projection multiplies.
   */
  public static LaneController withExternalAttention(LaneConfig cfg, LaneDatapath data) {
    if (cfg.detection()) {
      throw new IllegalArgumentException("a lane with an external attention path has no "
          + "detection of its own");
    }
    return new LaneController(cfg, data, true, null);
  }

  /**
   * A lane with an external attention path whose linear stage and FFN follow an eager
   * predictor's {@code plan} (FACT): for each of its heads it sends a {@link PredictHead} on
   * {@code jobs} and, once the answer is back on {@code pred}, generates only the Q rows and
   * the K and V rows the plan names (a Q op over the block's generated queries, a K|V op over
   * its generated keys, [choice] gathered rows); its FFN runs the plan's low-precision tokens
   * at {@link GenerationPlan#lowPrecision} and the rest in FX16, [choice] gathered into two
   * groups of row blocks, full precision first. With {@code data}, the ops compute and store
   * the generated rows only: a row never generated stays empty, and reading it fails the run.
   */
  public static LaneController withEagerPrediction(LaneConfig cfg, LaneDatapath data,
      GenerationPlan plan) {
    if (cfg.detection()) {
      throw new IllegalArgumentException("a lane with an external attention path has no "
          + "detection of its own");
    }
    return new LaneController(cfg, data, true, java.util.Objects.requireNonNull(plan, "plan"));
  }

  private LaneController(LaneConfig cfg, LaneDatapath data, boolean externalAttention,
      GenerationPlan plan) {
    this.cfg = cfg;
    this.data = data;
    this.externalAttention = externalAttention;
    this.plan = plan;
    this.shape = cfg.shape();
    long rowBytes = FX16.bytesFor(2L * shape.headDim());
    long kvReserve = Math.min(rowBytes * shape.seqLen(), cfg.sramBytes() / 2);
    this.kvResidentRows = (int) (kvReserve / rowBytes);
    // K and V rows stay on chip from the linear stage, in a share of the buffer set aside for
    // them: the whole head's if it fits in half the buffer, else as many rows as half holds
    // [choice]; weights, activations and the rest share the remainder in LRU order.
    this.sram = new SramBuffer(cfg.sramBytes() - kvResidentRows * rowBytes);
    this.stageDone = new boolean[cfg.layers()][Stage.values().length];
    this.stageStart = new long[cfg.layers()][Stage.values().length];
    this.stageEnd = new long[cfg.layers()][Stage.values().length];
    for (long[] row : stageStart) {
      java.util.Arrays.fill(row, -1);
    }
    this.nextAddress = (long) cfg.lane() << 40;
    this.program = new Program();
  }

  @Override
  public List<InPort> inputs() {
    if (plan != null) {
      return List.of(DRAM_RESPONSE, DONE, READY, ATTENTION, PREDICTED);
    }
    return externalAttention ? List.of(DRAM_RESPONSE, DONE, READY, ATTENTION)
        : List.of(DRAM_RESPONSE, DONE, READY);
  }

  @Override
  public List<OutPort> outputs() {
    return List.of(OPS, JOBS, DRAM);
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    if (event instanceof Event.TileArrived a) {
      Tile t = ctx.poll(a.port());
      if (a.port().equals(DRAM_RESPONSE)) {
        Step s = readsInFlight.remove(t.id());
        if (s != null) {
          s.readsOutstanding--;
        }
      } else if (a.port().equals(DONE) || a.port().equals(ATTENTION)) {
        onDone(t, ctx);
      } else if (a.port().equals(PREDICTED)) {
        var head = (PredictHead) t.payload();
        predicted.add(head);
        stageEnd[head.layer()][Stage.PREDICTION.ordinal()] = ctx.now();
      } else {
        var notice = (StageDone) t.payload();
        stageDone[notice.layer()][notice.stage().ordinal()] = true;
        stageEnd[notice.layer()][notice.stage().ordinal()] = ctx.now();
      }
    }
    advance(ctx);
  }

  private void onDone(Tile result, BlockContext ctx) {
    outstanding--;
    var op = (ComputeOp) result.payload();
    stageEnd[result.layer()][op.stage().ordinal()] = ctx.now();
    if (op.context() instanceof AttentionWork w) {
      Step proj = outProjection(w.job(), w.mask().queries());
      if (data != null) {
        proj = withKernel(proj, data.outProjection(w.job().layer(), w.job().head(),
            () -> (double[][]) op.value()));
      }
      reactive.addLast(proj);
    } else if (data != null && op.data() != null) {
      data.store(op.op(), result.layer(), result.head(), result.row0(),
          (double[][][]) op.value());
    }
  }

  /** Makes all the progress possible now: writes, prefetches, then dispatches in order. */
  private void advance(BlockContext ctx) {
    while (true) {
      flushWrites(ctx);
      prefetch(ctx);
      Step next = !reactive.isEmpty() ? reactive.peekFirst() : nextProgramStep();
      if (next == null || !tryDispatch(next, ctx)) {
        return;
      }
      if (next == reactive.peekFirst()) {
        reactive.pollFirst();
      } else {
        upcoming.pollFirst();
      }
    }
  }

  private Step nextProgramStep() {
    if (upcoming.isEmpty() && program.hasNext()) {
      upcoming.addLast(program.next());
    }
    return upcoming.peekFirst();
  }

  /** Issues DRAM reads for the reactive steps and the next program steps. */
  private void prefetch(BlockContext ctx) {
    for (Step s : reactive) {
      if (!issueReads(s, ctx)) {
        return;
      }
    }
    while (upcoming.size() < cfg.prefetchSteps() && program.hasNext()) {
      upcoming.addLast(program.next());
    }
    for (Step s : upcoming) {
      if (!issueReads(s, ctx)) {
        return;
      }
    }
  }

  /** Issues what it can of a step's reads; false if it ran out of DRAM credits. */
  private boolean issueReads(Step s, BlockContext ctx) {
    while (s.readsIssued < s.reads.size()) {
      Access a = s.reads.get(s.readsIssued);
      if (!sram.holds(a.region()) && !ctx.hasCredit(DRAM)) {
        return false; // a miss needs a DRAM request: wait for a credit, buffer untouched
      }
      long miss = sram.read(a.region(), a.bytes());
      if (miss > 0) {
        var req = new Tile(ctx.newTileId(), TileKind.DATA, FX16, s.layer, 0, 0, 0, 0, 0, 1,
            miss, DramRequest.read(address(a.region(), miss)));
        ctx.send(DRAM, req);
        readsInFlight.put(req.id(), s);
        s.readsOutstanding++;
        dramReadBytes += miss;
        dramBytesByPurpose.merge(purpose(a.region()), miss, Long::sum);
      }
      s.readsIssued++;
    }
    return true;
  }

  private void flushWrites(BlockContext ctx) {
    while (!writeQueue.isEmpty() && ctx.hasCredit(DRAM)) {
      Access a = writeQueue.pollFirst();
      dramBytesByPurpose.merge(purpose(a.region()), a.bytes(), Long::sum);
      ctx.send(DRAM, new Tile(ctx.newTileId(), TileKind.DATA, FX16, 0, 0, 0, 0, 0, 0, 1,
          a.bytes(), DramRequest.write(address(a.region(), a.bytes()), null)));
      dramWriteBytes += a.bytes();
    }
  }

  private boolean tryDispatch(Step s, BlockContext ctx) {
    if (s.tile == null) {
      if (s.awaitPrediction != null) {
        return predicted.remove(s.awaitPrediction);
      }
      if (s.awaitLocal) {
        if (outstanding > 0) {
          return false;
        }
        stageEnd[s.layer][s.stage.ordinal()] = ctx.now();
        if (data != null && s.stage == Stage.LINEAR) {
          data.finishLinear(s.layer, cfg.heads());
        } else if (data != null && s.stage == Stage.ATTENTION) {
          data.release(s.layer, cfg.heads());
        }
        return true;
      }
      return stageDone[s.layer][s.awaitStage.ordinal()];
    }
    if (!s.readsDone() || !ctx.hasCredit(s.port)) {
      return false;
    }
    for (Access w : s.writes) {
      long bytes = sram.write(w.region(), w.bytes());
      if (bytes > 0) {
        writeQueue.addLast(new Access(w.region(), bytes));
      }
    }
    int st = s.stage.ordinal();
    if (stageStart[s.layer][st] < 0) {
      stageStart[s.layer][st] = ctx.now();
    }
    Tile t = s.tile;
    ctx.send(s.port, t.withId(ctx.newTileId()));
    opsDispatched++;
    var op = s.tile.payload() instanceof ComputeOp c ? c : null;
    // a prediction request's answer comes back on pred and releases its head's barrier instead
    if (!(t.payload() instanceof PredictHead) && (op == null
        || op.route() == ComputeOp.Route.CONTROLLER || op.route() == ComputeOp.Route.SELECTOR)) {
      outstanding++; // comes back here: directly, or as the block's SpMM result
    }
    flushWrites(ctx);
    return true;
  }

  /**
   * What a region holds, for the DRAM traffic split of reports: weights ({@code w*}: W_QKV, the
   * detector's, W_O, the FFN's), activations (X, the FFN's input and hidden rows), and the
   * attention operands Q, K, V and the prediction path's (everything else).
   */
  private static String purpose(String region) {
    if (region.startsWith("w")) {
      return "weights";
    }
    if (region.startsWith("x") || region.startsWith("h:")) {
      return "activations";
    }
    return "qkv";
  }

  private long address(String region, long bytes) {
    Long a = addresses.get(region);
    if (a == null) {
      a = nextAddress;
      addresses.put(region, a);
      nextAddress += (bytes + 4095) / 4096 * 4096;
    }
    return a;
  }

  // ---- the program ----

  /** An op's tile; its id is assigned when it is dispatched. */
  private Tile opTile(int layer, int head, int row0, int rows, ComputeOp op) {
    return new Tile(0, TileKind.DATA, op.precision(), layer, head, row0, rows, 0, 0, 1, 1, op);
  }

  private Step gemm(Stage stage, String name, int layer, int head, int row0, int rows, int n,
      int depth, Precision p, ComputeOp.Route route, Object context, List<Access> reads,
      List<Access> writes) {
    long cycles = Math.max(1, cfg.array().gemmCycles(rows, n, depth, p));
    var op = new ComputeOp(name, stage, p, cycles, (long) rows * n * depth, route,
        (route == ComputeOp.Route.ACCUMULATOR ? Precision.INT32 : p).bytesFor((long) rows * n),
        context);
    return new Step(stage, layer, opTile(layer, head, row0, rows, op), OPS, reads, writes);
  }

  private Step outProjection(AttentionJob job, int rows) {
    int d = shape.dModel();
    int dh = shape.headDim();
    var sum = new PartialSum(job.layer(), Stage.ATTENTION, shape.heads(),
        (int) Arith.ceilDiv(shape.seqLen(), cfg.queryBlock()));
    return gemm(Stage.ATTENTION, "out-proj", job.layer(), job.head(), job.q0(), rows, d, dh,
        FX16, ComputeOp.Route.ACCUMULATOR, sum,
        List.of(new Access("wo:" + job.layer() + ":" + job.head(), FX16.bytesFor((long) dh * d))),
        List.of());
  }

  /** The step with its op's arithmetic (functional mode). */
  private static Step withKernel(Step s, ComputeOp.Kernel kernel) {
    Tile t = s.tile;
    var op = ((ComputeOp) t.payload()).withKernel(kernel);
    return new Step(s.stage, s.layer, t.withPayload(op), s.port, s.reads, s.writes,
        s.awaitStage, s.awaitLocal);
  }

  /** The lane's steps, generated as the run goes. */
  private final class Program implements Iterator<Step> {
    private final ArrayDeque<Step> buffer = new ArrayDeque<>();
    private int layer;
    private int phase; // 0 linear, 1 attention, 2 ffn, 3 next layer

    @Override
    public boolean hasNext() {
      fill();
      return !buffer.isEmpty();
    }

    @Override
    public Step next() {
      fill();
      return buffer.pollFirst();
    }

    private void fill() {
      while (buffer.isEmpty() && layer < cfg.layers()) {
        switch (phase) {
          case 0:
            linear(layer);
            break;
          case 1:
            attention(layer);
            break;
          default:
            ffn(layer);
            break;
        }
        if (++phase == 3) {
          phase = 0;
          layer++;
        }
      }
    }

    private void linear(int l) {
      if (plan != null) {
        eagerLinear(l);
        return;
      }
      int d = shape.dModel();
      int dh = shape.headDim();
      int k = shape.predictDim();
      int seq = shape.seqLen();
      Precision dp = cfg.detectPrecision();
      for (int h : cfg.heads()) {
        for (int r0 = 0; r0 < seq; r0 += cfg.rowBlock()) {
          int rows = Math.min(cfg.rowBlock(), seq - r0);
          var x = new Access("x:" + l + ":" + r0, FX16.bytesFor((long) rows * d));
          Step qkv = gemm(Stage.LINEAR, "qkv", l, h, r0, rows, 3 * dh, d, FX16,
              ComputeOp.Route.CONTROLLER, null,
              List.of(new Access("wqkv:" + l + ":" + h, FX16.bytesFor(3L * d * dh)), x),
              List.of(new Access("qkv:" + l + ":" + h + ":" + r0,
                  FX16.bytesFor(3L * rows * dh))));
          buffer.add(data == null ? qkv : withKernel(qkv, data.qkv(l, h, r0, rows)));
          if (cfg.detection()) {
            Step predict = gemm(Stage.LINEAR, "predict", l, h, r0, rows, 2 * k, d, dp,
                ComputeOp.Route.CONTROLLER, null,
                List.of(new Access("wpred:" + l + ":" + h, dp.bytesFor(2L * d * k)), x),
                List.of(new Access("pred:" + l + ":" + h + ":" + r0,
                    dp.bytesFor(2L * rows * k))));
            buffer.add(data == null ? predict
                : withKernel(predict, data.predict(l, h, r0, rows)));
          }
        }
      }
      buffer.add(new Step(Stage.LINEAR, l, null, null, List.of(), List.of(), null, true));
    }

    /**
     * FACT's linear stage: a prediction request per head, then per head, once it is predicted,
     * a Q op over each row block's generated queries and a K|V op over its generated keys.
     */
    private void eagerLinear(int l) {
      int d = shape.dModel();
      int dh = shape.headDim();
      int seq = shape.seqLen();
      for (int h : cfg.heads()) {
        var tile = new Tile(0, TileKind.DATA, FX16, l, h, 0, seq, 0, 0, 1, 1,
            new PredictHead(l, h));
        buffer.add(new Step(Stage.PREDICTION, l, tile, JOBS, List.of(), List.of()));
      }
      for (int h : cfg.heads()) {
        buffer.add(new Step(Stage.LINEAR, l, null, null, List.of(), List.of(), null, false,
            new PredictHead(l, h)));
        java.util.BitSet qRows = plan.queryRows(l, h);
        java.util.BitSet kvRows = plan.keyRows(l, h);
        planCounters.merge("qkv.tokens", (long) seq, Long::sum);
        planCounters.merge("qkv.q_rows", (long) qRows.cardinality(), Long::sum);
        planCounters.merge("qkv.kv_rows", (long) kvRows.cardinality(), Long::sum);
        var w = new Access("wqkv:" + l + ":" + h, FX16.bytesFor(3L * d * dh));
        for (int r0 = 0; r0 < seq; r0 += cfg.rowBlock()) {
          int rows = Math.min(cfg.rowBlock(), seq - r0);
          int nq = qRows.get(r0, r0 + rows).cardinality();
          int nkv = kvRows.get(r0, r0 + rows).cardinality();
          // [choice] the block's X rows are read whole; the generated ones are gathered on chip
          var x = new Access("x:" + l + ":" + r0, FX16.bytesFor((long) rows * d));
          if (nq > 0) {
            Step q = gemm(Stage.LINEAR, "q", l, h, r0, nq, dh, d, FX16,
                ComputeOp.Route.CONTROLLER, null, List.of(w, x),
                List.of(new Access("q:" + l + ":" + h + ":" + r0 + ":gen",
                    FX16.bytesFor((long) nq * dh))));
            buffer.add(data == null ? q
                : withKernel(q, data.qkvRows(l, h, r0, rows, qRows, null)));
          }
          if (nkv > 0) {
            Step kv = gemm(Stage.LINEAR, "kv", l, h, r0, nkv, 2 * dh, d, FX16,
                ComputeOp.Route.CONTROLLER, null, List.of(w, x),
                List.of(new Access("kv:" + l + ":" + h + ":" + r0 + ":gen",
                    FX16.bytesFor(2L * nkv * dh))));
            buffer.add(data == null ? kv
                : withKernel(kv, data.qkvRows(l, h, r0, rows, null, kvRows)));
          }
        }
      }
      buffer.add(new Step(Stage.LINEAR, l, null, null, List.of(), List.of(), null, true));
    }

    private void attention(int l) {
      int dh = shape.headDim();
      int k = shape.predictDim();
      int seq = shape.seqLen();
      int qb = cfg.queryBlock();
      Precision dp = cfg.detectPrecision();
      for (int h : cfg.heads()) {
        String kv = "kv:" + l + ":" + h;
        long kvBytes = FX16.bytesFor(2L * seq * dh);
        for (int q0 = 0; q0 < seq; q0 += qb) {
          int rows = Math.min(qb, seq - q0);
          var job = new AttentionJob(l, h, q0, rows, kvResidentRows, address(kv, kvBytes));
          int qRows = plan == null ? rows
              : plan.queryRows(l, h).get(q0, q0 + rows).cardinality();
          var q = new Access("q:" + l + ":" + h + ":" + q0, FX16.bytesFor((long) qRows * dh));
          if (cfg.detection()) {
            int keys = shape.causal() ? q0 + rows : seq;
            var reads = List.of(q, new Access("ktilde:" + l + ":" + h,
                dp.bytesFor((long) seq * k)));
            Step detect = gemm(Stage.DETECTION, "detect", l, h, q0, rows, keys, k, dp,
                ComputeOp.Route.SELECTOR, job, reads, List.of());
            if (data != null) {
              detect = withKernel(detect, data.detect(l, h, q0, rows));
            }
            // The step belongs to the attention stage's span; its op is accounted as detection.
            buffer.add(new Step(Stage.ATTENTION, l, detect.tile, OPS, reads, List.of()));
          } else {
            var tile = new Tile(0, TileKind.Q, FX16, l, h, q0, rows, 0, dh, 1,
                FX16.bytesFor((long) rows * dh), job);
            buffer.add(new Step(Stage.ATTENTION, l, tile, JOBS,
                qRows > 0 ? List.of(q) : List.of(), List.of()));
          }
        }
      }
      buffer.add(new Step(Stage.ATTENTION, l, null, null, List.of(), List.of(), null, true));
      buffer.add(new Step(Stage.ATTENTION, l, null, null, List.of(), List.of(), Stage.ATTENTION,
          false));
    }

    private void ffn(int l) {
      if (plan != null) {
        mixedPrecisionFfn(l, buffer);
        return;
      }
      int d = shape.dModel();
      int seq = shape.seqLen();
      int chunk = cfg.ffnChunk();
      var sum = new PartialSum(l, Stage.FFN, cfg.lanes(),
          (int) Arith.ceilDiv(seq, cfg.rowBlock()));
      for (int r0 = 0; r0 < seq; r0 += cfg.rowBlock()) {
        int rows = Math.min(cfg.rowBlock(), seq - r0);
        var hidden = new Access("h:" + l + ":" + r0, FX16.bytesFor((long) rows * chunk));
        buffer.add(gemm(Stage.FFN, "fc1", l, cfg.lane(), r0, rows, chunk, d, FX16,
            ComputeOp.Route.CONTROLLER, null,
            List.of(new Access("w1:" + l, FX16.bytesFor((long) d * chunk)),
                new Access("xa:" + l + ":" + r0, FX16.bytesFor((long) rows * d))),
            List.of(hidden)));
        buffer.add(gemm(Stage.FFN, "fc2", l, cfg.lane(), r0, rows, d, chunk, FX16,
            ComputeOp.Route.ACCUMULATOR, sum,
            List.of(new Access("w2:" + l, FX16.bytesFor((long) chunk * d)), hidden),
            List.of()));
      }
      buffer.add(new Step(Stage.FFN, l, null, null, List.of(), List.of(), Stage.FFN, false));
    }
  }

  /**
   * FACT's FFN: the layer's full-precision tokens, then its low-precision ones, each group in row
   * blocks (positions in that gathered order), FC1 and FC2 at the group's precision.
   */
  private void mixedPrecisionFfn(int l, ArrayDeque<Step> buffer) {
    int d = shape.dModel();
    int seq = shape.seqLen();
    int chunk = cfg.ffnChunk();
    int rb = cfg.rowBlock();
    int low = plan.lowPrecisionFfn(l).cardinality();
    int[] group = {seq - low, low};
    Precision[] precision = {FX16, plan.lowPrecision()};
    var sum = new PartialSum(l, Stage.FFN, cfg.lanes(),
        (int) (Arith.ceilDiv(group[0], rb) + Arith.ceilDiv(group[1], rb)));
    int pos = 0;
    for (int g = 0; g < 2; g++) {
      Precision p = precision[g];
      planCounters.merge("ffn.tokens." + p.label(), (long) group[g], Long::sum);
      for (int i = 0; i < group[g]; i += rb) {
        int rows = Math.min(rb, group[g] - i);
        int r0 = pos + i;
        var hidden = new Access("h:" + l + ":" + r0, p.bytesFor((long) rows * chunk));
        // [choice] one FX16 copy of the weights; the low-precision pass uses their top bits
        Step fc1 = gemm(Stage.FFN, "fc1", l, cfg.lane(), r0, rows, chunk, d, p,
            ComputeOp.Route.CONTROLLER, null,
            List.of(new Access("w1:" + l, FX16.bytesFor((long) d * chunk)),
                new Access("xa:" + l + ":" + r0, p.bytesFor((long) rows * d))),
            List.of(hidden));
        Step fc2 = gemm(Stage.FFN, "fc2", l, cfg.lane(), r0, rows, d, chunk, p,
            ComputeOp.Route.ACCUMULATOR, sum,
            List.of(new Access("w2:" + l, FX16.bytesFor((long) chunk * d)), hidden),
            List.of());
        for (Step s : List.of(fc1, fc2)) {
          planCounters.merge("ffn.cycles." + p.label(), ((ComputeOp) s.tile.payload()).cycles(),
              Long::sum);
          buffer.add(s);
        }
      }
      pos += group[g];
    }
    buffer.add(new Step(Stage.FFN, l, null, null, List.of(), List.of(), Stage.FFN, false));
  }

  @Override
  public Optional<String> pendingWork() {
    if (!program.hasNext() && upcoming.isEmpty() && reactive.isEmpty() && outstanding == 0
        && writeQueue.isEmpty() && readsInFlight.isEmpty()) {
      return Optional.empty();
    }
    Step next = !reactive.isEmpty() ? reactive.peekFirst() : upcoming.peekFirst();
    String at = next == null ? "program" : "layer " + next.layer + " " + next.stage.label()
        + (next.tile == null ? (next.awaitPrediction != null ? " (waiting for the prediction of "
            + "head " + next.awaitPrediction.head() + ")" : next.awaitLocal ? " (waiting for " + outstanding
            + " op(s) to return)" : " (waiting for the accumulator's "
            + next.awaitStage.label() + " notice)") : " (" + describe(next) + ")");
    return Optional.of("stuck at " + at);
  }

  private static String describe(Step s) {
    var op = s.tile.payload() instanceof ComputeOp c ? c.op()
        : s.tile.payload() instanceof PredictHead ? "prediction request" : "attention job";
    return op + ", " + s.readsOutstanding + " DRAM read(s) outstanding";
  }

  @Override
  public SortedMap<String, Long> counters() {
    var c = new TreeMap<String, Long>();
    c.put("dram_read_bytes", dramReadBytes);
    c.put("dram_write_bytes", dramWriteBytes);
    c.put("sram_hits", sram.hits());
    c.put("sram_misses", sram.misses());
    c.put("sram_bytes", sram.bytesAccessed());
    c.put("kv_resident_rows", (long) kvResidentRows);
    c.put("ops", opsDispatched);
    dramBytesByPurpose.forEach((purpose, bytes) -> c.put("dram_bytes." + purpose, bytes));
    c.putAll(planCounters);
    var spans = new EnumMap<Stage, Long>(Stage.class);
    for (int l = 0; l < cfg.layers(); l++) {
      for (Stage s : Stage.values()) {
        if (stageStart[l][s.ordinal()] >= 0 && stageEnd[l][s.ordinal()] >= 0) {
          spans.merge(s, stageEnd[l][s.ordinal()] - stageStart[l][s.ordinal()], Long::sum);
          // per layer: when this lane began the stage and when it last finished work of it
          c.put("layer." + l + "." + s.label() + ".start", stageStart[l][s.ordinal()]);
          c.put("layer." + l + "." + s.label() + ".end", stageEnd[l][s.ordinal()]);
        }
      }
    }
    spans.forEach((s, v) -> c.put("stage." + s.label(), v));
    return c;
  }

}
