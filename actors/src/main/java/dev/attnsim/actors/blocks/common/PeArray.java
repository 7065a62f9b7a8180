package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.kernel.Arith;
import dev.attnsim.actors.kernel.Precision;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A systolic array of {@code rows x cols} multi-precision MAC PEs (RMMU style) and the one model
 * of how many cycles a GEMM takes on it. Every path that times a GEMM on the array uses it: the
 * gemm pipeline's {@link RmmuLane} (through a {@link Schedule}) and the transformer lanes'
 * {@link LaneController} ({@link #gemmCycles}). {@code actors/docs/pe-array.md} derives it and
 * compares it with SCALE-Sim v2.
 *
 * <p><b>Mapping.</b> A GEMM {@code C[M x N] = A[M x K] B[K x N]} is laid out as SCALE-Sim lays it
 * out: two of its dimensions are spatial ({@code Sr} along the array's rows, {@code Sc} along its
 * columns) and one is temporal ({@code T}, streamed through the array one step per cycle). With
 * {@code m} MACs per PE per cycle at the operands' precision, a PE consumes {@code m} consecutive
 * elements of the reduction per step [choice: the reduction is packed {@code m} per PE]:
 *
 * <ul>
 *   <li>{@link Dataflow#OS output stationary}: {@code Sr = M}, {@code Sc = N}, {@code T =
 *       ceil(K / m)}; every PE holds one output while A's rows and B's columns stream past.
 *   <li>{@link Dataflow#WS weight stationary}: {@code Sr = ceil(K / m)}, {@code Sc = N}, {@code
 *       T = M}; every PE holds B's elements while A's rows stream in.
 *   <li>{@link Dataflow#IS input stationary}: {@code Sr = ceil(K / m)}, {@code Sc = M}, {@code T
 *       = N}; every PE holds A's elements while B's columns stream in.
 * </ul>
 *
 * <p><b>Folds.</b> The {@code Sr x Sc} plane is cut into {@code ceil(Sr / rows) x ceil(Sc /
 * cols)} folds; a fold uses {@code r x c} PEs, smaller than the array only at the plane's edges.
 * With {@link Timing#padEdgeFolds} an edge fold is timed as a full {@code rows x cols} fold (what
 * SCALE-Sim does: it fills the unused PEs with null requests). A fold has four parts, counted in
 * cycles of the array clock:
 *
 * <ul>
 *   <li><b>load</b> {@code L}: the stationary operand shifts in, one row per cycle: {@code r} for
 *       WS and IS, none for OS (its stationary outputs start at zero);
 *   <li><b>stream</b> {@code T}: one step per cycle enters the array's edge;
 *   <li><b>skew</b> {@code (r - 1) + (c - 1)}: operands travel one PE per cycle, so PE {@code (i,
 *       j)} is {@code i + j} cycles behind PE {@code (0, 0)};
 *   <li><b>drain</b> {@code D = ceil(outputs / outputsPerCycle)}: the fold's results leave
 *       through a port of {@link Timing#outputsPerCycle} results per cycle; {@code r x c} results
 *       for OS, {@code T x c} (one row of partial sums per streamed step) for WS and IS. The first
 *       result can leave {@code T - 1} cycles into the stream for OS (PE {@code (0, 0)}'s last
 *       step) and {@code r - 1} for WS and IS (the first partial sum has crossed {@code r} rows).
 * </ul>
 *
 * <p>A fold's span from its first streamed step to its last result is {@code max(T + skew, first
 * + D)} ({@link Fold#spanCycles}). With one output per column per cycle, as SCALE-Sim drains, or
 * any {@code outputsPerCycle >= cols}, the drain never outlasts the skew and the span is {@code T
 * + (r - 1) + (c - 1)}.
 *
 * <p><b>Serial folds</b> (the default, SCALE-Sim's behaviour: its compute modules let each fold's
 * outputs drain before the next fold's operands enter): each fold takes {@code L + span} and the
 * GEMM the sum over its folds. For full folds that is SCALE-Sim's per-fold count, {@code rows +
 * cols + T - 2} for OS and {@code 2 rows + cols + T - 2} for WS and IS, and a GEMM's cycles are
 * SCALE-Sim v2's reported "total cycles" plus one: SCALE-Sim reports the index of the cycle in
 * which the last output is written, counted from 0, not the number of cycles.
 *
 * <p><b>Overlapped folds</b> ({@link Timing#foldOverlap}): the next fold's operands enter behind
 * the previous fold's, so its fill hides under the previous fold's drain. A fold's stream starts
 * {@code max(T, D)} cycles after the previous fold's (the PEs take one step per cycle, the output
 * port drains {@code outputsPerCycle} per cycle), and not before its own load is done; the load
 * may begin once the previous fold's stream has started (a shadow buffer for the stationary
 * operand). Only the first fold's load and the skew and drain of the folds in flight at the end
 * remain. Folds are issued column fold by column fold, each column fold's row folds in order, as
 * SCALE-Sim walks them and as the gemm pipeline sends its tiles.
 *
 * @param rows PE rows ({@code R})
 * @param cols PE columns ({@code C})
 * @param macsPerPe MACs one PE performs per cycle at each operand precision
 * @param timing the dataflow and the fold options
 */
public record PeArray(int rows, int cols, Map<Precision, Integer> macsPerPe, Timing timing) {

  /** Which operand stays in the PEs while the other two move (SCALE-Sim's three dataflows). */
  public enum Dataflow {
    /** Output stationary: outputs stay, A's rows and B's columns stream. */
    OS,
    /** Weight stationary: B stays, A's rows stream, partial sums flow down the columns. */
    WS,
    /** Input stationary: A stays, B's columns stream, partial sums flow down the columns. */
    IS
  }

  /**
   * How folds are timed; {@link #DEFAULT} reproduces SCALE-Sim v2 (see the class comment).
   *
   * @param dataflow which operand is stationary
   * @param foldOverlap false: each fold's outputs drain before the next fold starts (SCALE-Sim);
   *     true: folds are pipelined, each the longer of its stream and its drain [choice]
   * @param padEdgeFolds true: a partly used edge fold takes as long as a full one (SCALE-Sim);
   *     false: it is charged the PEs it uses [choice]
   * @param outputsPerCycle results the array hands on per cycle; {@code >= cols} never slows a
   *     serial fold (SCALE-Sim drains one result per column per cycle)
   */
  public record Timing(Dataflow dataflow, boolean foldOverlap, boolean padEdgeFolds,
      int outputsPerCycle) {

    /**
     * Output stationary, serial, padded, 256 results per cycle: {@code reference.conf}'s
     * {@code hardware.rmmu} defaults.
     */
    public static final Timing DEFAULT = new Timing(Dataflow.OS, false, true, 256);

    public Timing {
      Objects.requireNonNull(dataflow, "dataflow");
      if (outputsPerCycle < 1) {
        throw new IllegalArgumentException("outputs per cycle must be >= 1, got "
            + outputsPerCycle);
      }
    }
  }

  /**
   * The timing of one fold, in cycles (see the class comment).
   *
   * @param usedRows PE rows the fold is timed with ({@code r}: the array's when padded)
   * @param usedCols PE columns the fold is timed with ({@code c})
   * @param loadCycles {@code L}, the stationary operand's load before the stream
   * @param streamCycles {@code T}
   * @param skewCycles {@code (r - 1) + (c - 1)}
   * @param drainCycles {@code D}, the results through the output port
   * @param firstOutputCycle when, counted from the stream's start, the first result can leave
   */
  public record Fold(int usedRows, int usedCols, long loadCycles, long streamCycles,
      long skewCycles, long drainCycles, long firstOutputCycle) {

    /** From the first streamed step to the last result: {@code max(T + skew, first + D)}. */
    public long spanCycles() {
      return Math.max(streamCycles + skewCycles, firstOutputCycle + drainCycles);
    }

    /** The fold alone, load included: what it costs when folds run one after the other. */
    public long serialCycles() {
      return loadCycles + spanCycles();
    }

    /** The least distance between its stream's start and the next fold's: {@code max(T, D)}. */
    public long issueCycles() {
      return Math.max(streamCycles, drainCycles);
    }
  }

  /**
   * A GEMM's shape on the array under the dataflow.
   *
   * @param spatialRows {@code Sr}, laid along the array's rows
   * @param spatialCols {@code Sc}, laid along its columns
   * @param streamCycles {@code T}, one step per cycle
   */
  public record Mapping(long spatialRows, long spatialCols, long streamCycles) {}

  /** The DOTA RMMU default: FX16 1, INT8 4, INT4 16, INT2 64 MACs per PE per cycle. */
  public static Map<Precision, Integer> defaultMacsPerPe() {
    var m = new EnumMap<Precision, Integer>(Precision.class);
    m.put(Precision.FX16, 1);
    m.put(Precision.INT8, 4);
    m.put(Precision.INT4, 16);
    m.put(Precision.INT2, 64);
    return m;
  }

  public PeArray {
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException("PE array must be at least 1 x 1, got " + rows + " x "
          + cols);
    }
    macsPerPe = Map.copyOf(macsPerPe);
    for (var e : macsPerPe.entrySet()) {
      if (e.getValue() < 1) {
        throw new IllegalArgumentException(
            "MACs per PE per cycle for " + e.getKey() + " must be >= 1, got " + e.getValue());
      }
    }
    Objects.requireNonNull(timing, "timing");
  }

  /** An array with the {@link Timing#DEFAULT default timing}. */
  public PeArray(int rows, int cols, Map<Precision, Integer> macsPerPe) {
    this(rows, cols, macsPerPe, Timing.DEFAULT);
  }

  /** The same array with another timing. */
  public PeArray withTiming(Timing other) {
    return new PeArray(rows, cols, macsPerPe, other);
  }

  public int macsPerPe(Precision precision) {
    Integer m = macsPerPe.get(precision);
    if (m == null) {
      throw new IllegalArgumentException("the PE array does not support " + precision);
    }
    return m;
  }

  /** Peak MACs per cycle of the whole array at {@code precision}. */
  public long peakMacsPerCycle(Precision precision) {
    return (long) rows * cols * macsPerPe(precision);
  }

  /** How a GEMM of {@code m x n} outputs over a reduction of {@code depth} lies on the array. */
  public Mapping map(long m, long n, long depth, Precision precision) {
    if (m < 1 || n < 1 || depth < 1) {
      throw new IllegalArgumentException("a GEMM needs m, n, depth >= 1, got " + m + ", " + n
          + ", " + depth);
    }
    long packed = Arith.ceilDiv(depth, macsPerPe(precision));
    return switch (timing.dataflow()) {
      case OS -> new Mapping(m, n, packed);
      case WS -> new Mapping(packed, n, m);
      case IS -> new Mapping(packed, m, n);
    };
  }

  /**
   * One fold that uses {@code r x c} PEs with a stream of {@code t} steps; with {@link
   * Timing#padEdgeFolds} it is timed as a full fold.
   */
  public Fold fold(int r, int c, long t) {
    if (r < 1 || r > rows || c < 1 || c > cols || t < 1) {
      throw new IllegalArgumentException("fold " + r + " x " + c + " over " + t
          + " steps does not fit the " + rows + " x " + cols + " array");
    }
    int ur = timing.padEdgeFolds() ? rows : r;
    int uc = timing.padEdgeFolds() ? cols : c;
    boolean os = timing.dataflow() == Dataflow.OS;
    long outputs = os ? (long) ur * uc : t * uc;
    return new Fold(ur, uc, os ? 0 : ur, t, (ur - 1L) + (uc - 1L),
        Arith.ceilDiv(outputs, timing.outputsPerCycle()), os ? t - 1 : ur - 1L);
  }

  /** How many folds a GEMM takes: {@code ceil(Sr / rows) x ceil(Sc / cols)}. */
  public long folds(long m, long n, long depth, Precision precision) {
    Mapping g = map(m, n, depth, precision);
    return Arith.ceilDiv(g.spatialRows(), rows) * Arith.ceilDiv(g.spatialCols(), cols);
  }

  /**
   * Cycles of a whole GEMM of {@code m x n} outputs over a reduction of {@code depth} on an idle
   * array, from its first operand to its last result; 0 when a dimension is empty.
   */
  public long gemmCycles(long m, long n, long depth, Precision precision) {
    if (m < 1 || n < 1 || depth < 1) {
      return 0;
    }
    return issue(newSchedule(), m, n, depth, precision, 0);
  }

  /** An idle array's schedule. */
  public Schedule newSchedule() {
    return new Schedule(timing.foldOverlap());
  }

  /**
   * Issues a GEMM's folds on {@code schedule}, none before {@code ready}: column fold by column
   * fold, each column fold's row folds in order (SCALE-Sim's order); returns the cycle its last
   * result leaves.
   */
  public long issue(Schedule schedule, long m, long n, long depth, Precision precision,
      long ready) {
    Mapping g = map(m, n, depth, precision);
    long t = g.streamCycles();
    long rowFolds = Arith.ceilDiv(g.spatialRows(), rows);
    long colFolds = Arith.ceilDiv(g.spatialCols(), cols);
    if (timing.padEdgeFolds()) {
      return schedule.issue(fold(rows, cols, t), rowFolds * colFolds, ready);
    }
    long fullRows = g.spatialRows() / rows;
    int edgeRows = (int) (g.spatialRows() % rows);
    long done = ready;
    for (long j = 0; j < colFolds; j++) {
      int c = (int) Math.min(cols, g.spatialCols() - j * cols);
      if (fullRows > 0) {
        done = Math.max(done, schedule.issue(fold(rows, c, t), fullRows, ready));
      }
      if (edgeRows > 0) {
        done = Math.max(done, schedule.issue(fold(edgeRows, c, t), 1, ready));
      }
    }
    return done;
  }

  /**
   * The folds issued on one array so far, in issue order: when the array can take the next
   * fold's operands and when each fold ends. Serial folds follow one another; overlapped folds
   * follow the rule in the class comment.
   */
  public static final class Schedule {
    private final boolean overlap;
    private long end; // the latest end of any fold issued
    private long lastStream; // the stream start of the last fold issued (overlap)
    private long streamFree; // the earliest stream start of the next fold (overlap)

    Schedule(boolean overlap) {
      this.overlap = overlap;
    }

    /**
     * From when the array takes the next fold's operands: serial, when the last fold has ended;
     * overlapped, once the last fold's stream has started (its load may then begin).
     */
    public long acceptsAt() {
      return overlap ? lastStream : end;
    }

    /** The latest end of the folds issued so far. */
    public long end() {
      return end;
    }

    /**
     * Issues {@code count} identical folds, the first no earlier than {@code ready}; returns the
     * end of the last of them (identical folds end in issue order).
     */
    public long issue(Fold f, long count, long ready) {
      if (count < 1) {
        throw new IllegalArgumentException("fold count must be >= 1, got " + count);
      }
      if (!overlap) {
        end = Math.max(ready, end) + count * f.serialCycles();
        return end;
      }
      long loadStart = Math.max(ready, lastStream);
      long first = Math.max(loadStart + f.loadCycles(), streamFree);
      long last = first + (count - 1) * Math.max(f.loadCycles(), f.issueCycles());
      lastStream = last;
      streamFree = last + f.issueCycles();
      long lastEnd = last + f.spanCycles();
      end = Math.max(end, lastEnd);
      return lastEnd;
    }
  }
}
