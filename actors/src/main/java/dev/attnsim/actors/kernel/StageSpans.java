package dev.attnsim.actors.kernel;

import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One block's busy time per workload stage, as merged intervals: spans of the same stage that
 * touch or overlap ({@code start <= previous end}) become one. Reports combine every block's
 * intervals into each stage's busy cycles and critical-path share ({@code sim}'s
 * {@code StageAccounting}). A lane running ops back to back keeps one interval per stage run, so
 * memory grows with the number of stage switches, not with the number of ops.
 */
final class StageSpans {
  private final Map<String, long[]> spans = new TreeMap<>();
  private final Map<String, Integer> sizes = new TreeMap<>();

  void add(String stage, long start, long end) {
    if (stage == null || end <= start) {
      return;
    }
    long[] a = spans.get(stage);
    int n = sizes.getOrDefault(stage, 0);
    if (a == null) {
      a = new long[8];
      spans.put(stage, a);
    }
    if (n > 0 && start <= a[n - 1] && start >= a[n - 2]) {
      a[n - 1] = Math.max(a[n - 1], end);
      return;
    }
    if (n + 2 > a.length) {
      a = Arrays.copyOf(a, a.length * 2);
      spans.put(stage, a);
    }
    a[n] = start;
    a[n + 1] = end;
    sizes.put(stage, n + 2);
  }

  /** Stage label to {@code [start0, end0, start1, end1, ...]}, in the order they were added. */
  SortedMap<String, long[]> snapshot() {
    var m = new TreeMap<String, long[]>();
    spans.forEach((stage, a) -> m.put(stage, Arrays.copyOf(a, sizes.get(stage))));
    return m;
  }
}
