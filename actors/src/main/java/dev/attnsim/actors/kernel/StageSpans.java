package dev.attnsim.actors.kernel;

import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One block's busy time per workload stage, as merged intervals: a span that starts inside or at
 * the end of the stage's last interval extends it. Reports combine every block's intervals into
 * each stage's busy cycles and critical-path share ({@code sim}'s {@code StageAccounting}). A
 * lane running ops back to back keeps one interval per stage run, so memory grows with the
 * number of stage switches, not with the number of ops.
 */
final class StageSpans {
  /** One stage's intervals, {@code [start0, end0, start1, end1, ...]} in {@code a[0, n)}. */
  private static final class Intervals {
    long[] a = new long[8];
    int n;
  }

  private final Map<String, Intervals> spans = new TreeMap<>();

  void add(String stage, long start, long end) {
    if (stage == null || end <= start) {
      return;
    }
    Intervals s = spans.computeIfAbsent(stage, k -> new Intervals());
    if (s.n > 0 && start <= s.a[s.n - 1] && start >= s.a[s.n - 2]) {
      s.a[s.n - 1] = Math.max(s.a[s.n - 1], end);
      return;
    }
    if (s.n + 2 > s.a.length) {
      s.a = Arrays.copyOf(s.a, s.a.length * 2);
    }
    s.a[s.n++] = start;
    s.a[s.n++] = end;
  }

  /** Stage label to {@code [start0, end0, start1, end1, ...]}, in the order they were added. */
  SortedMap<String, long[]> snapshot() {
    var m = new TreeMap<String, long[]>();
    spans.forEach((stage, s) -> m.put(stage, Arrays.copyOf(s.a, s.n)));
    return m;
  }
}
