package dev.attnsim.actors.kernel;

import java.util.Arrays;
import java.util.SortedMap;

/**
 * Trace records kept as columns of primitives and references, one row a record, so that the
 * thread that makes them allocates nothing per record; {@link #record} makes the {@link
 * TraceRecord} of a row, on whichever thread reads it (the trace writer's). Rows are appended and
 * then read, copied or cleared as a whole; the arrays grow as needed.
 *
 * <p>A row's fields by kind: {@code time, link, seq} as the record's; longs {@code a, b, c}: Send
 * tile, bytes, arrive; Receive tile, bytes; Credit credits; Busy start, end, macs; Stall start,
 * end. Strings {@code s1..s4}: Send from, to, kind; Receive and Credit block, port; Busy block,
 * op, stage, precision; Stall block, port, cause. {@code attributes}: Send's.
 */
public final class TraceColumns {
  private static final byte SEND = 0;
  private static final byte RECEIVE = 1;
  private static final byte CREDIT = 2;
  private static final byte BUSY = 3;
  private static final byte STALL = 4;

  private byte[] kind;
  private long[] time;
  private int[] link;
  private long[] seq;
  private long[] a;
  private long[] b;
  private long[] c;
  private String[] s1;
  private String[] s2;
  private String[] s3;
  private String[] s4;
  private SortedMap<?, ?>[] attributes;
  private int size;

  public TraceColumns() {
    this(256);
  }

  public TraceColumns(int capacity) {
    int n = Math.max(1, capacity);
    kind = new byte[n];
    time = new long[n];
    link = new int[n];
    seq = new long[n];
    a = new long[n];
    b = new long[n];
    c = new long[n];
    s1 = new String[n];
    s2 = new String[n];
    s3 = new String[n];
    s4 = new String[n];
    attributes = new SortedMap<?, ?>[n];
  }

  /** Rows held. */
  public int size() {
    return size;
  }

  /** Forgets every row (references are dropped, so nothing is kept alive). */
  public void clear() {
    Arrays.fill(s1, 0, size, null);
    Arrays.fill(s2, 0, size, null);
    Arrays.fill(s3, 0, size, null);
    Arrays.fill(s4, 0, size, null);
    Arrays.fill(attributes, 0, size, null);
    size = 0;
  }

  /** The time of row {@code i} (the time of the event that made it). */
  public long time(int i) {
    return time[i];
  }

  /** The record of row {@code i}. */
  @SuppressWarnings("unchecked")
  public TraceRecord record(int i) {
    return switch (kind[i]) {
      case SEND -> new TraceRecord.Send(time[i], link[i], seq[i], s1[i], s2[i], a[i], s3[i], b[i],
          c[i], (SortedMap<String, Long>) attributes[i]);
      case RECEIVE -> new TraceRecord.Receive(time[i], link[i], seq[i], s1[i], s2[i], a[i], b[i]);
      case CREDIT -> new TraceRecord.Credit(time[i], link[i], s1[i], s2[i], (int) a[i]);
      case BUSY -> new TraceRecord.Busy(time[i], s1[i], a[i], b[i], s2[i], s3[i], c[i], s4[i]);
      case STALL -> new TraceRecord.Stall(time[i], s1[i], s2[i], a[i], b[i], s3[i]);
      default -> throw new IllegalStateException("trace row kind " + kind[i]);
    };
  }

  /** Appends {@code r} as a row. */
  public void add(TraceRecord r) {
    if (r instanceof TraceRecord.Send x) {
      send(x.time(), x.link(), x.seq(), x.from(), x.to(), x.tile(), x.kind(), x.bytes(),
          x.arrive(), x.attributes());
    } else if (r instanceof TraceRecord.Receive x) {
      receive(x.time(), x.link(), x.seq(), x.block(), x.port(), x.tile(), x.bytes());
    } else if (r instanceof TraceRecord.Credit x) {
      credit(x.time(), x.link(), x.block(), x.port(), x.credits());
    } else if (r instanceof TraceRecord.Busy x) {
      busy(x.time(), x.block(), x.start(), x.end(), x.op(), x.stage(), x.macs(), x.precision());
    } else if (r instanceof TraceRecord.Stall x) {
      stall(x.time(), x.block(), x.port(), x.start(), x.end(), x.cause());
    } else {
      throw new IllegalArgumentException("trace record " + r);
    }
  }

  /** Appends row {@code i} of {@code from}. */
  public void copy(TraceColumns from, int i) {
    int r = row();
    kind[r] = from.kind[i];
    time[r] = from.time[i];
    link[r] = from.link[i];
    seq[r] = from.seq[i];
    a[r] = from.a[i];
    b[r] = from.b[i];
    c[r] = from.c[i];
    s1[r] = from.s1[i];
    s2[r] = from.s2[i];
    s3[r] = from.s3[i];
    s4[r] = from.s4[i];
    attributes[r] = from.attributes[i];
  }

  void send(long t, int l, long sq, String from, String to, long tile, String tileKind,
      long bytes, long arrive, SortedMap<String, Long> attrs) {
    int r = row(SEND, t, l, sq, tile, bytes, arrive);
    s1[r] = from;
    s2[r] = to;
    s3[r] = tileKind;
    attributes[r] = attrs;
  }

  void receive(long t, int l, long sq, String block, String port, long tile, long bytes) {
    int r = row(RECEIVE, t, l, sq, tile, bytes, 0);
    s1[r] = block;
    s2[r] = port;
  }

  void credit(long t, int l, String block, String port, int credits) {
    int r = row(CREDIT, t, l, 0, credits, 0, 0);
    s1[r] = block;
    s2[r] = port;
  }

  void busy(long t, String block, long start, long end, String op, String stage, long macs,
      String precision) {
    int r = row(BUSY, t, 0, 0, start, end, macs);
    s1[r] = block;
    s2[r] = op;
    s3[r] = stage;
    s4[r] = precision;
  }

  void stall(long t, String block, String port, long start, long end, String cause) {
    int r = row(STALL, t, 0, 0, start, end, 0);
    s1[r] = block;
    s2[r] = port;
    s3[r] = cause;
  }

  private int row(byte k, long t, int l, long sq, long va, long vb, long vc) {
    int r = row();
    kind[r] = k;
    time[r] = t;
    link[r] = l;
    seq[r] = sq;
    a[r] = va;
    b[r] = vb;
    c[r] = vc;
    return r;
  }

  private int row() {
    if (size == kind.length) {
      int n = 2 * size;
      kind = Arrays.copyOf(kind, n);
      time = Arrays.copyOf(time, n);
      link = Arrays.copyOf(link, n);
      seq = Arrays.copyOf(seq, n);
      a = Arrays.copyOf(a, n);
      b = Arrays.copyOf(b, n);
      c = Arrays.copyOf(c, n);
      s1 = Arrays.copyOf(s1, n);
      s2 = Arrays.copyOf(s2, n);
      s3 = Arrays.copyOf(s3, n);
      s4 = Arrays.copyOf(s4, n);
      attributes = Arrays.copyOf(attributes, n);
    }
    return size++;
  }
}
