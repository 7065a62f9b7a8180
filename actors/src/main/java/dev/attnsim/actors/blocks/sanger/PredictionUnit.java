package dev.attnsim.actors.blocks.sanger;

import dev.attnsim.actors.blocks.common.AttentionJob;
import dev.attnsim.actors.blocks.common.FetchWindow;
import dev.attnsim.actors.blocks.common.FunctionalModel;
import dev.attnsim.actors.blocks.common.HeadMajorPicker;
import dev.attnsim.actors.blocks.common.SramBuffer;
import dev.attnsim.actors.blocks.common.Stage;
import dev.attnsim.actors.blocks.common.dram.DramRequest;
import dev.attnsim.actors.compute.MaskBlock;
import dev.attnsim.actors.compute.MaskSource;
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
 * Sanger's prediction unit (seed 001): for a query block, the low-bit scores {@code Q_q K_q^T}
 * of every candidate key (Q and K quantised to {@code bits}, 4), their softmax and the threshold
 * T, giving the block's bitmap mask. Which keys are kept is the predictor's decision ({@link
 * MaskSource}: {@code SangerPredictor} on the run's tensors in timing mode, on the lanes' Q and K
 * in functional mode, where the mask is also checked against the golden model's); the unit
 * charges its time:
 *
 * <ul>
 *   <li>scores: {@code ceil(candidates x d_head / macsPerCycle)} cycles of {@code bits}-wide MACs,
 *   <li>softmax and threshold: two passes over the scores (exponentials and their sum, then
 *       normalise and compare), {@code ceil(2 x candidates / elementsPerCycle)} cycles [choice],
 * </ul>
 * in sequence, busy in stage {@code prediction}. K is read at {@code bits} once per head when it
 * fits the K buffer, else once per block; Q arrives with the job, from the lane. Up to {@code
 * window} blocks may wait for K while the unit scores another; query blocks are taken two heads
 * at a time ({@link HeadMajorPicker}), and a block starts only when pack and split has a credit for it.
 *
 * <p>Statistics: {@code blocks}, {@code pairs_scored} (candidates), {@code pairs_kept}, {@code
 * macs.int4}, {@code softmax_elements}, {@code comparisons}, {@code dram_bytes.k_int4}.
 */
public final class PredictionUnit implements Block {
  public static final InPort K = new InPort(0, "k");
  public static final OutPort MASK = new OutPort(0, "mask");
  public static final OutPort K_REQUEST = new OutPort(1, "kreq");

  private final PredictionConfig cfg;
  private final MaskSource masks;
  private final FunctionalModel model; // null in timing mode
  private final Precision precision;
  private final List<InPort> inputs = new ArrayList<>();
  private final SramBuffer kBuffer;
  private final FetchWindow<PredictedBlock> pending = new FetchWindow<>();
  private final HeadMajorPicker picker;
  private long computeEnd;
  private Tile result;
  private long blocks;
  private long scored;
  private long kept;
  private long macs;
  private long kBytes;

  /**
   * @param lanes query blocks arrive from this many lanes, on {@code jobs0 .. jobs<lanes-1>}
   * @param model the golden model the masks are checked against (functional mode), or null
   */
  public PredictionUnit(PredictionConfig cfg, MaskSource masks, int lanes,
      FunctionalModel model) {
    if (lanes < 1) {
      throw new IllegalArgumentException("prediction unit: lanes must be >= 1, got " + lanes);
    }
    this.cfg = cfg;
    this.masks = masks;
    this.model = model;
    this.precision = cfg.bits() <= 4 ? Precision.INT4 : Precision.INT8;
    inputs.add(K);
    inputs.addAll(HeadMajorPicker.jobPorts(1, lanes));
    this.picker = new HeadMajorPicker(inputs.subList(1, inputs.size()), cfg.shape().seqLen());
    this.kBuffer = new SramBuffer(cfg.kBufferBytes());
  }

  @Override
  public List<InPort> inputs() {
    return inputs;
  }

  @Override
  public List<OutPort> outputs() {
    return List.of(MASK, K_REQUEST);
  }

  /** Cycles to predict a block of {@code candidates} (query, key) pairs. */
  public long cycles(long candidates) {
    long dh = cfg.shape().headDim();
    return Math.max(1, Arith.ceilDiv(candidates * dh, cfg.macsPerCycle())
        + Arith.ceilDiv(2 * candidates, cfg.elementsPerCycle()));
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    if (event instanceof Event.TileArrived a && a.port().equals(K)) {
      pending.arrived(ctx.poll(K).id());
    } else if (event instanceof Event.Wakeup && result != null && ctx.now() == computeEnd) {
      ctx.send(MASK, result); // its credit was reserved when the block started
      result = null;
    }
    while (pending.size() < cfg.window() && ctx.hasCredit(K_REQUEST) && accept(ctx)) {
      // take what may be taken
    }
    if (result == null) {
      startNext(ctx);
    }
  }

  /** Takes the next lane's query block and asks DRAM for its head's K if needed. */
  private boolean accept(BlockContext ctx) {
    InPort port = picker.next(ctx);
    if (port != null) {
      Tile in = ctx.poll(port);
      var job = (AttentionJob) in.payload();
      picker.taken(job);
      var block = new PredictedBlock(job,
          masks.block(job.layer(), job.head(), job.q0(), job.rows()));
      long fetch = -1;
      long bytes = kBuffer.read("k:" + job.layer() + ":" + job.head(), cfg.headKBytes());
      // a hit on a head whose K is still in flight waits for that read (FetchWindow)
      if (bytes > 0) {
        var request = new Tile(ctx.newTileId(), TileKind.K, precision, job.layer(), job.head(),
            job.q0(), job.rows(), 0, cfg.shape().headDim(), 1, bytes,
            DramRequest.read(job.kvAddress()));
        fetch = request.id();
        ctx.send(K_REQUEST, request);
        kBytes += bytes;
      }
      pending.add(block, new FetchWindow.Region(0, job.layer(), job.head()),
          bytes > 0 ? new BitSet() : null, fetch, null);
      return true;
    }
    return false;
  }

  /** Scores the oldest block whose K is in, if pack and split can take its mask. */
  private void startNext(BlockContext ctx) {
    if (!ctx.hasCredit(MASK)) {
      return;
    }
    var block = pending.takeOldestReady();
    if (block != null) {
      var job = block.job();
      MaskBlock mask = block.attended();
      if (model != null) {
        model.checkMask("mask of layer " + job.layer() + " head " + job.head() + " queries "
            + job.q0() + ".." + (job.q0() + mask.queries() - 1), job.layer(), job.head(),
            job.q0(), mask.keys());
      }
      long candidates = mask.candidates();
      long dotMacs = candidates * cfg.shape().headDim();
      computeEnd = ctx.now() + cycles(candidates);
      ctx.busy(ctx.now(), computeEnd, "predict", Stage.PREDICTION.label(), dotMacs, precision);
      ctx.wakeAt(computeEnd);
      blocks++;
      scored += candidates;
      kept += mask.keptPairs();
      macs += dotMacs;
      result = new Tile(ctx.newTileId(), TileKind.MASK, Precision.INT2, job.layer(), job.head(),
          job.q0(), mask.queries(), 0, 0, 1, (candidates + 7) / 8, block);
      return;
    }
  }

  @Override
  public Optional<String> pendingWork() {
    if (result != null) {
      return Optional.of("a block still being predicted");
    }
    return pending.isEmpty() ? Optional.empty()
        : Optional.of(pending.size() + " block(s) waiting for K or a credit");
  }

  @Override
  public SortedMap<String, Long> counters() {
    var c = new TreeMap<String, Long>();
    c.put("blocks", blocks);
    c.put("pairs_scored", scored);
    c.put("pairs_kept", kept);
    c.put("macs." + precision.label(), macs);
    c.put("softmax_elements", scored);
    c.put("comparisons", scored);
    c.put("dram_bytes.k_int" + cfg.bits(), kBytes);
    return c;
  }
}
