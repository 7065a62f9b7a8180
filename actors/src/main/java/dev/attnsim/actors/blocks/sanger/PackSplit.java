package dev.attnsim.actors.blocks.sanger;

import dev.attnsim.actors.blocks.common.Stage;
import dev.attnsim.actors.compute.LayerShape;
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
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Sanger's pack-and-split unit (seed 001, "Compression"): turns a query block's bitmap mask into
 * the load-balanced segments the score-stationary array runs. Each query's row is cut into
 * pieces {@code pieceWidth} (64) candidate keys wide [choice, the authors' code]; all-zero pieces
 * are skipped ("pack"); a piece with {@code n} kept keys becomes {@code ceil(n / peN)} segments
 * of at most {@code peN} keys ("split"), {@code peN} being the array's PEs per row (16). Each
 * segment is one pass of one PE row.
 *
 * <p>Timing [choice]: the unit reads {@code piecesPerCycle} mask pieces per cycle, {@code
 * ceil(pieces / piecesPerCycle)} cycles a block, busy in stage {@code prediction}; it starts a
 * block only when the array has a credit for it.
 *
 * <p>Statistics: {@code blocks}, {@code pieces}, {@code pieces_kept} (non-empty), {@code
 * segments}, {@code slots_filled} (kept pairs) and {@code segments_unpacked}: the segments the
 * array would run without pack and split, one per non-empty aligned {@code peN}-wide window of a
 * row. PE slot fill is {@code slots_filled / (segments x peN)} with pack and split and {@code
 * slots_filled / (segments_unpacked x peN)} without.
 */
public final class PackSplit implements Block {
  public static final InPort MASK = new InPort(0, "mask");
  public static final OutPort PACKED = new OutPort(0, "packed");

  private final LayerShape shape;
  private final int pieceWidth;
  private final int peN;
  private final long piecesPerCycle;
  private long workEnd;
  private Tile result;
  private long blocks;
  private long pieces;
  private long piecesKept;
  private long segments;
  private long slots;
  private long unpacked;

  public PackSplit(LayerShape shape, int pieceWidth, int peN, long piecesPerCycle) {
    if (pieceWidth < 1 || peN < 1 || piecesPerCycle < 1) {
      throw new IllegalArgumentException("pack and split: piece width, PEs per row and pieces "
          + "per cycle must be >= 1, got " + pieceWidth + ", " + peN + ", " + piecesPerCycle);
    }
    this.shape = shape;
    this.pieceWidth = pieceWidth;
    this.peN = peN;
    this.piecesPerCycle = piecesPerCycle;
  }

  @Override
  public List<InPort> inputs() {
    return List.of(MASK);
  }

  @Override
  public List<OutPort> outputs() {
    return List.of(PACKED);
  }

  /** What pack and split makes of {@code mask} (keys listed), and its statistics. */
  public Packing pack(MaskBlock mask) {
    if (mask.keys() == null) {
      throw new IllegalArgumentException("pack and split needs the mask's keys");
    }
    var keys = new java.util.ArrayList<Integer>();
    var bubbles = new java.util.ArrayList<Integer>();
    long pieceCount = 0;
    long kept = 0;
    long windows = 0;
    for (int i = 0; i < mask.queries(); i++) {
      int[] row = mask.keys()[i];
      pieceCount += Arith.ceilDiv(shape.keysFor(mask.q0() + i), pieceWidth);
      int c = 0;
      while (c < row.length) {
        int piece = row[c] / pieceWidth;
        int end = c;
        while (end < row.length && row[end] / pieceWidth == piece) {
          end++;
        }
        kept++;
        for (int s = c; s < end; s += peN) {
          int e = Math.min(end, s + peN);
          keys.add(e - s);
          bubbles.add(row[e - 1] - row[s] + 1 - (e - s));
        }
        c = end;
      }
      int lastWindow = -1;
      for (int key : row) {
        if (key / peN != lastWindow) {
          windows++;
          lastWindow = key / peN;
        }
      }
    }
    int[] k = keys.stream().mapToInt(Integer::intValue).toArray();
    int[] b = bubbles.stream().mapToInt(Integer::intValue).toArray();
    return new Packing(k, b, pieceCount, kept, windows);
  }

  /**
   * One block's packing.
   *
   * @param pieces pieces its rows are cut into, empty ones included
   * @param piecesKept non-empty pieces
   * @param unpacked segments without pack and split
   */
  public record Packing(int[] segmentKeys, int[] segmentBubbles, long pieces, long piecesKept,
      long unpacked) {}

  /** Cycles to read {@code pieces} mask pieces. */
  public long cycles(long pieces) {
    return Math.max(1, Arith.ceilDiv(pieces, piecesPerCycle));
  }

  @Override
  public void onEvent(Event event, BlockContext ctx) {
    if (event instanceof Event.Wakeup && result != null && ctx.now() == workEnd) {
      ctx.send(PACKED, result);
      result = null;
    }
    if (result != null || ctx.queued(MASK) == 0) {
      return;
    }
    if (!ctx.hasCredit(PACKED)) {
      ctx.stallOn(PACKED);
      return;
    }
    Tile in = ctx.poll(MASK);
    var block = (PredictedBlock) in.payload();
    var p = pack(block.attended());
    workEnd = ctx.now() + cycles(p.pieces());
    ctx.busy(ctx.now(), workEnd, "pack-split", Stage.PREDICTION.label(), 0, null);
    ctx.wakeAt(workEnd);
    blocks++;
    pieces += p.pieces();
    piecesKept += p.piecesKept();
    segments += p.segmentKeys().length;
    slots += block.attended().keptPairs();
    unpacked += p.unpacked();
    var packed = new PackedBlock(block.job(), block.attended(), p.segmentKeys(),
        p.segmentBubbles());
    // per segment: its key indices, 16 bits each [choice]
    result = new Tile(ctx.newTileId(), TileKind.MASK, Precision.FX16, in.layer(), in.head(),
        in.row0(), in.rows(), 0, 0, 1, Precision.FX16.bytesFor(block.attended().keptPairs()),
        packed);
  }

  @Override
  public long quietUntil() {
    return result != null ? workEnd : Long.MIN_VALUE;
  }

  @Override
  public Optional<String> pendingWork() {
    return result != null ? Optional.of("a block still being packed") : Optional.empty();
  }

  @Override
  public SortedMap<String, Long> counters() {
    var c = new TreeMap<String, Long>();
    c.put("blocks", blocks);
    c.put("pieces", pieces);
    c.put("pieces_kept", piecesKept);
    c.put("segments", segments);
    c.put("slots_filled", slots);
    c.put("segments_unpacked", unpacked);
    return c;
  }
}
