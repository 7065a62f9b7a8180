package dev.attnsim.sim.report;

import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.sim.config.ConfigLoader;
import dev.attnsim.sim.config.SimSettings;
import java.awt.Color;
import java.awt.Font;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * {@code latency.png} and {@code latency.svg}: where a transformer run's time goes, per stage,
 * next to the whole run: each stage's busy time ({@link StageAccounting}), one colour per stage
 * ({@link Palette}), in µs or ms by the run's magnitude at the configured clock. The title names
 * the run, its workload and accelerator and the keys the command line set; when stages overlap
 * in time (their bars add up to more than the run) the axis says so.
 */
public final class LatencyPlot {
  private LatencyPlot() {}

  public static final String FILE = "latency.png";
  public static final String SVG_FILE = "latency.svg";

  /** Overrides named in the title before "+N more". */
  static final int TITLE_OVERRIDES = 3;

  /** A time unit for the axis and labels: µs below a millisecond of run, ms from there. */
  record Unit(String name, double cyclesPer) {
    static Unit of(long runCycles, double clockGhz) {
      double us = runCycles / clockGhz / 1000.0;
      return us >= 1000 ? new Unit("ms", clockGhz * 1e6) : new Unit("µs", clockGhz * 1e3);
    }
  }

  /** Writes both files, {@link #FILE} and {@link #SVG_FILE}, in {@code dir}. */
  public static void write(Path dir, TransformerReport report, RunResult r, SimSettings s) {
    CategoryChart chart = chart(report, r, s);
    ChartFiles.write(dir.resolve(FILE), chart, ChartFiles.Format.PNG);
    ChartFiles.write(dir.resolve(SVG_FILE), chart, ChartFiles.Format.SVG);
  }

  static CategoryChart chart(TransformerReport report, RunResult r, SimSettings s) {
    System.setProperty("java.awt.headless", "true");
    Unit unit = Unit.of(r.cycles(), s.clockGhz());
    var stages = report.stageCycles();
    List<String> names = new ArrayList<>(stages.keySet());
    names.add("run");
    long stageSum = stages.values().stream().mapToLong(Long::longValue).sum();
    CategoryChart chart = new CategoryChartBuilder().width(1100).height(560)
        .title(title(report, s))
        .xAxisTitle(stageSum > r.cycles()
            ? String.format(Locale.ROOT, "busy time per stage; stages overlap in time, so the "
                + "bars add up to %.0f%% of the run (shares: summary.json)",
                100.0 * stageSum / r.cycles())
            : "busy time per stage")
        .yAxisTitle(String.format(Locale.ROOT, "%s at %s GHz", unit.name(),
            trim(s.clockGhz())))
        .build();
    var st = chart.getStyler();
    st.setLegendVisible(false);
    st.setOverlapped(true); // one series per stage, each with a bar at its own category only
    st.setLabelsVisible(false); // the values are in the axis labels, legible on any bar
    st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotGridVerticalLinesVisible(false);
    st.setYAxisDecimalPattern(yPattern(r.cycles() / unit.cyclesPer()));
    st.setYAxisMin(0.0);
    st.setLegendPosition(Styler.LegendPosition.InsideNE);
    List<Long> cycles = new ArrayList<>(stages.values());
    cycles.add(r.cycles());
    String pattern = "%s  %," + (r.cycles() / unit.cyclesPer() >= 100 ? ".0f" : ".2f") + " %s";
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      labels.add(String.format(Locale.ROOT, pattern, names.get(i),
          cycles.get(i) / unit.cyclesPer(), unit.name()));
    }
    int other = 0;
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      List<Double> ys = new ArrayList<>();
      for (int j = 0; j < names.size(); j++) {
        ys.add(j == i ? cycles.get(i) / unit.cyclesPer() : null);
      }
      var series = chart.addSeries(name, labels, ys);
      boolean run = i == names.size() - 1;
      boolean stage = isStage(name);
      series.setFillColor(run ? Palette.RUN : Palette.stage(name, stage ? 0 : other));
      if (!run && !stage) {
        other++;
      }
    }
    return chart;
  }

  private static boolean isStage(String name) {
    for (var st : dev.attnsim.actors.blocks.common.Stage.values()) {
      if (st.label().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The run, its workload on its accelerator, the pairs omitted and the overrides it ran with. */
  static String title(TransformerReport report, SimSettings s) {
    var w = s.transformer();
    String title = String.format(Locale.ROOT, "%s: %s, %d x %d tokens on %s, %.1f%% of pairs "
        + "omitted", s.name(), w.model(), w.layerRuns(), w.seqLen(),
        s.accelerator().name(), 100 * report.omittedFraction());
    List<String> overrides = ConfigLoader.commandLineOverrides(s.config());
    if (!overrides.isEmpty()) {
      var shown = overrides.subList(0, Math.min(TITLE_OVERRIDES, overrides.size()));
      title += " (" + String.join(", ", shown)
          + (overrides.size() > shown.size() ? ", +" + (overrides.size() - shown.size())
              + " more" : "") + ")";
    }
    return title;
  }

  /** Decimals enough to tell the bars apart: none above 100 units, one above 1, else three. */
  private static String yPattern(double runUnits) {
    return runUnits >= 100 ? "#,##0" : runUnits >= 1 ? "#,##0.0" : "#,##0.###";
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%.2f", v) : String.valueOf(v);
  }
}
