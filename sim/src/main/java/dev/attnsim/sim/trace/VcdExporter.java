package dev.attnsim.sim.trace;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Value Change Dump for GTKWave: per block a {@code busy} and a {@code stall} wire (1 while the
 * block has a busy or stall span open), in a scope named after the block.
 *
 * <p>A VCD lists value changes in time order, but a trace does not: busy spans are written when
 * they begin ({@code start >= t}), stall spans when they end, so a stall's start lies in the past.
 * Changes wait in a small heap until they are final: a stall on a port can only have begun after
 * the port's credits ran out, so nothing can still arrive before {@code min(t, earliest time a
 * port of a bounded link has been out of credits)}. The stall a returning credit ends is written
 * after that credit's line, at the same cycle, so a link counts as out of credits until the
 * trace has moved past the cycle its credit came back in. Should the heap ever hold
 * {@link #MAX_PENDING} changes (no trace of the shipped blocks comes near), the earliest are
 * written anyway and a change that later turns out earlier is moved to the last time written; the
 * export says how many were moved.
 */
final class VcdExporter extends TraceExporter {

  static final int MAX_PENDING = 1 << 22;
  private static final int SIGNAL_BITS = 20;
  private static final long MAX_TIME = (1L << (62 - SIGNAL_BITS)) - 1;

  private long timeFactor; // VCD time units per cycle
  private int[] open; // spans open per signal
  private boolean[] level; // value last written per signal
  private long lastWritten = -1;
  private long changes;
  private long moved;
  // per link: credits the sender holds, and since when it has had none (Long.MAX_VALUE: has some)
  private long[] credits;
  private long[] outSince;
  private boolean[] bounded;
  // links whose credits came back at cycle creditBackAt[link]: out of credits until t moves past it
  private long[] creditBackAt;
  private long[] outAgainSince; // a send at that same cycle ran them out again: since when
  private int[] clearing;
  private int nClearing;
  private long[] heap = new long[1024];
  private int size;

  @Override
  protected void begin() throws IOException {
    int signals = 2 * header.blocks().size();
    if (signals >= 1 << SIGNAL_BITS) {
      throw new TraceError(traceFile, 1, "too many blocks for a VCD export");
    }
    open = new int[signals];
    level = new boolean[signals];
    int links = header.linkCount();
    credits = new long[links];
    outSince = new long[links];
    bounded = new boolean[links];
    Arrays.fill(outSince, Long.MAX_VALUE);
    creditBackAt = new long[links];
    outAgainSince = new long[links];
    clearing = new int[links];
    Arrays.fill(creditBackAt, -1);
    for (var l : header.links()) {
      credits[l.id()] = l.depth();
      bounded[l.id()] = l.bounded();
    }
    Timescale ts = timescale(header.clockGhz());
    timeFactor = ts.unitsPerCycle();
    w("$version attnsim " + header.attnsimVersion() + " (attnsim export --format vcd) $end\n");
    w(String.format(Locale.ROOT, "$comment %s: %s engine, seed %d, clock %s GHz; busy and stall "
            + "of each block; %s $end%n", header.runName(), header.engine(), header.seed(),
        trim(header.clockGhz()), ts.comment()));
    w("$timescale " + ts.unit() + " $end\n");
    w("$scope module attnsim $end\n");
    for (int b = 0; b < header.blocks().size(); b++) {
      w("$scope module " + header.blocks().get(b).replaceAll("[^A-Za-z0-9_.]", "_") + " $end\n");
      w("$var wire 1 " + id(2 * b) + " busy $end\n");
      w("$var wire 1 " + id(2 * b + 1) + " stall $end\n");
      w("$upscope $end\n");
    }
    w("$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n");
    for (int s = 0; s < signals; s++) {
      w("0" + id(s) + "\n");
    }
    w("$end\n");
    lastWritten = 0;
  }

  /**
   * The VCD time unit and how many of them a cycle lasts: whole nanoseconds or picoseconds where
   * the clock allows it (1 ns units at 1 GHz, 1 ps units at 0.8 GHz), else whole femtoseconds
   * (3 GHz: 333,333 fs, the period rounded by 0.33 fs, which the header's comment says). A cycle
   * is always a whole number of units, so {@code time / unitsPerCycle} is the trace's cycle.
   */
  static Timescale timescale(double ghz) {
    double ps = 1000.0 / ghz;
    long wholePs = Math.round(ps);
    if (wholePs >= 1 && Math.abs(ps - wholePs) <= 1e-9 * ps) {
      return wholePs % 1000 == 0 ? new Timescale("1 ns", wholePs / 1000, null)
          : new Timescale("1 ps", wholePs, null);
    }
    double fs = 1e6 / ghz;
    long wholeFs = Math.max(1, Math.round(fs));
    String rounded = Math.abs(fs - wholeFs) <= 1e-9 * fs ? null
        : String.format(Locale.ROOT, "the clock period %.3f fs rounded to whole fs", fs);
    return new Timescale("1 fs", wholeFs, rounded);
  }

  /** A VCD {@code $timescale}, the units one cycle lasts, and why it is not exact (or null). */
  record Timescale(String unit, long unitsPerCycle, String rounding) {
    String comment() {
      return "one cycle = " + unitsPerCycle + unit.substring(1)
          + (rounding != null ? " (" + rounding + ")" : "");
    }
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** VCD identifier of a signal: base 94 over the printable characters '!'..'~'. */
  static String id(int signal) {
    var sb = new StringBuilder();
    int n = signal;
    do {
      sb.append((char) ('!' + n % 94));
      n /= 94;
    } while (n > 0);
    return sb.toString();
  }

  private void w(String s) throws IOException {
    out.write(s);
  }

  @Override
  protected void accept(TraceEvent e) throws IOException {
    clearCreditsBefore(e.t());
    if (e instanceof TraceEvent.Send s) {
      int l = s.link();
      if (bounded[l] && --credits[l] <= 0) {
        if (creditBackAt[l] >= 0) {
          outAgainSince[l] = Math.min(outAgainSince[l], s.t());
        } else if (outSince[l] == Long.MAX_VALUE) {
          outSince[l] = s.t();
        }
      }
    } else if (e instanceof TraceEvent.Credit c) {
      int l = c.link();
      credits[l] = c.credits();
      if (c.credits() > 0 && outSince[l] != Long.MAX_VALUE && creditBackAt[l] < 0) {
        // the stall this credit ends (if any) follows at this cycle: clear once t moves on
        creditBackAt[l] = c.t();
        outAgainSince[l] = Long.MAX_VALUE;
        clearing[nClearing++] = l;
      }
    } else if (e instanceof TraceEvent.Busy b) {
      span(2 * b.block(), b.start(), b.end());
    } else if (e instanceof TraceEvent.Stall s) {
      span(2 * s.block() + 1, s.start(), s.end());
    }
    long horizon = e.t();
    for (long since : outSince) {
      horizon = Math.min(horizon, since);
    }
    flushBefore(horizon);
  }

  /** Links whose credits came back before cycle {@code t} have them (or ran out again since). */
  private void clearCreditsBefore(long t) {
    int kept = 0;
    for (int i = 0; i < nClearing; i++) {
      int l = clearing[i];
      if (creditBackAt[l] < t) {
        outSince[l] = outAgainSince[l];
        creditBackAt[l] = -1;
      } else {
        clearing[kept++] = l;
      }
    }
    nClearing = kept;
  }

  private void span(int signal, long start, long end) throws IOException {
    if (end <= start) {
      return;
    }
    if (end > MAX_TIME || end > Long.MAX_VALUE / timeFactor) {
      throw new TraceError(traceFile, 0, "cycle " + end + " is too large for the VCD export");
    }
    push((start << SIGNAL_BITS | signal) << 1 | 1);
    push((end << SIGNAL_BITS | signal) << 1);
    if (size >= MAX_PENDING) {
      writeEarliest();
    }
  }

  private void flushBefore(long horizon) throws IOException {
    while (size > 0 && heap[0] >>> (SIGNAL_BITS + 1) < horizon) {
      writeEarliest();
    }
  }

  /** Applies and writes every pending change of the earliest pending time. */
  private void writeEarliest() throws IOException {
    long time = heap[0] >>> (SIGNAL_BITS + 1);
    long at = time;
    if (time < lastWritten) {
      at = lastWritten;
    }
    var sb = new StringBuilder();
    int first = -1;
    // apply all changes of this time, then write the signals whose value changed
    int[] touched = new int[8];
    int nTouched = 0;
    while (size > 0 && heap[0] >>> (SIGNAL_BITS + 1) == time) {
      long c = pop();
      if (time < lastWritten) {
        moved++;
      }
      int signal = (int) ((c >>> 1) & ((1 << SIGNAL_BITS) - 1));
      open[signal] += (c & 1) == 1 ? 1 : -1;
      if (nTouched == touched.length) {
        touched = Arrays.copyOf(touched, 2 * nTouched);
      }
      touched[nTouched++] = signal;
    }
    for (int i = 0; i < nTouched; i++) {
      int s = touched[i];
      boolean v = open[s] > 0;
      if (v != level[s]) {
        level[s] = v;
        if (first < 0) {
          first = s;
          if (at != lastWritten) {
            sb.append('#').append(at * timeFactor).append('\n');
          }
        }
        sb.append(v ? '1' : '0').append(id(s)).append('\n');
        changes++;
      }
    }
    if (first >= 0) {
      lastWritten = at;
      out.append(sb);
    }
  }

  @Override
  protected void finish(TraceFooter footer, long runEnd) throws IOException {
    flushBefore(Long.MAX_VALUE);
    if (runEnd > lastWritten) {
      w("#" + runEnd * timeFactor + "\n");
    }
  }

  @Override
  protected long written() {
    return changes;
  }

  @Override
  protected String note() {
    return moved == 0 ? null : moved + " value changes arrived after later times had been "
        + "written and were moved to the last time written";
  }

  // ---- a binary min-heap of encoded changes ----

  private void push(long v) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, 2 * size);
    }
    int i = size++;
    heap[i] = v;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent] <= heap[i]) {
        break;
      }
      long tmp = heap[parent];
      heap[parent] = heap[i];
      heap[i] = tmp;
      i = parent;
    }
  }

  private long pop() {
    long top = heap[0];
    heap[0] = heap[--size];
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        break;
      }
      int m = l + 1 < size && heap[l + 1] < heap[l] ? l + 1 : l;
      if (heap[i] <= heap[m]) {
        break;
      }
      long tmp = heap[m];
      heap[m] = heap[i];
      heap[i] = tmp;
      i = m;
    }
    return top;
  }
}
