package dev.attnsim.sim.report;

import dev.attnsim.actors.kernel.BlockStats;
import dev.attnsim.actors.kernel.RunResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one rule by which every accelerator's run is broken down by stage. Stages overlap in time
 * (Energon filters the next query block while attending to this one; DOTA's detection runs
 * inside the attention stage), so two figures per stage:
 *
 * <ul>
 *   <li><b>busy cycles</b>: cycles in which at least one block is busy on the stage (the union
 *       of every block's busy spans tagged with it). Stages' busy cycles may add up to more
 *       than the run.
 *   <li><b>critical-path share</b>: each cycle of the run is given to the stages busy in it,
 *       split equally when several are; a stage's share is what it was given over the run's
 *       cycles. Shares add up to at most 100 %; the rest ({@link #NONE}) is cycles in which no
 *       block computed for any stage (waiting for DRAM, barriers, pipeline fill).
 * </ul>
 */
public final class StageAccounting {
  /** Cycles in which no stage was busy. */
  public static final String NONE = "none";

  /** One stage's figures. */
  public record Figures(long busyCycles, double criticalCycles, double share) {}

  private StageAccounting() {}

  /**
   * Figures per stage, in the order of {@code stages} (stages no block was busy on have zeros),
   * then {@link #NONE}. Spans of stages not listed are ignored.
   */
  public static Map<String, Figures> of(RunResult r, List<String> stages) {
    int n = stages.size();
    // endpoints: (time, stage index, +1 start / -1 end)
    var points = new ArrayList<long[]>();
    for (BlockStats b : r.blocks()) {
      for (int s = 0; s < n; s++) {
        long[] spans = b.stageSpans().get(stages.get(s));
        if (spans == null) {
          continue;
        }
        for (int i = 0; i + 1 < spans.length; i += 2) {
          points.add(new long[] {spans[i], s, 1});
          points.add(new long[] {spans[i + 1], s, -1});
        }
      }
    }
    long[][] p = points.toArray(new long[0][]);
    Arrays.sort(p, (a, b) -> Long.compare(a[0], b[0]));
    int[] active = new int[n];
    long[] busy = new long[n];
    double[] critical = new double[n];
    int busyStages = 0;
    long prev = 0;
    for (long[] e : p) {
      long len = e[0] - prev;
      if (len > 0 && busyStages > 0) {
        for (int s = 0; s < n; s++) {
          if (active[s] > 0) {
            busy[s] += len;
            critical[s] += (double) len / busyStages;
          }
        }
      }
      prev = e[0];
      int s = (int) e[1];
      int before = active[s];
      active[s] += (int) e[2];
      if (before == 0 && active[s] > 0) {
        busyStages++;
      } else if (before > 0 && active[s] == 0) {
        busyStages--;
      }
    }
    long cycles = r.cycles();
    var m = new LinkedHashMap<String, Figures>();
    double given = 0;
    for (int s = 0; s < n; s++) {
      m.put(stages.get(s), new Figures(busy[s], critical[s],
          cycles == 0 ? 0 : critical[s] / cycles));
      given += critical[s];
    }
    double none = Math.max(0, cycles - given);
    m.put(NONE, new Figures(Math.round(none), none, cycles == 0 ? 0 : none / cycles));
    return m;
  }
}
