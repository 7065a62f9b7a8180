package dev.attnsim.sim.trace;

import dev.attnsim.sim.report.ChartFiles;
import dev.attnsim.sim.report.Palette;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Annotation;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A per-block timeline (Gantt style) drawn with XChart: one row per block, busy spans coloured by
 * stage (or op), stalls in red, the time axis in cycles. Drawn from {@link TimelineBins}, so a
 * trace of any length renders in the same memory: in each bin (about a pixel column) a bar is as
 * tall as the share of the bin the block was busy or stalled.
 */
public final class TimelinePlot {
  private TimelinePlot() {}

  /** Plot width in pixels; the bins are at least this fine. */
  public static final int WIDTH = 1600;
  /** Bins to ask {@link TimelineBins} for: about one per pixel column of the plot area. */
  public static final int BINS = 1400;

  /** A row is one unit of y; its bar spans these offsets from the row's y, its name sits above. */
  private static final double BAR_BOTTOM = -0.40;
  private static final double BAR_HEIGHT = 0.56;

  /**
   * Writes the timeline as a PNG or SVG ({@code format}).
   *
   * @param blocks the block names of the rows, top to bottom, with their indices in the bins
   * @param end the last cycle to show
   */
  public static void write(Path file, ChartFiles.Format format, TimelineBins bins,
      List<String> blocks, List<Integer> blockIndices, long end, String title,
      double clockGhz) {
    System.setProperty("java.awt.headless", "true");
    int rows = blocks.size();
    int height = Math.max(320, 150 + 44 * rows);
    XYChart chart = new XYChartBuilder().width(WIDTH).height(height).title(title)
        .xAxisTitle(String.format(Locale.ROOT, "cycle  (%,.0f cycles = 1 us at %.2f GHz)",
            clockGhz * 1000, clockGhz))
        .build();
    var st = chart.getStyler();
    st.setLegendPosition(Styler.LegendPosition.OutsideS);
    st.setLegendLayout(Styler.LegendLayout.Horizontal);
    st.setPlotGridHorizontalLinesVisible(false);
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(new Color(0xF4, 0xF4, 0xF4));
    st.setXAxisDecimalPattern("#,###");
    st.setXAxisTickMarkSpacingHint(110);
    st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    st.setXAxisMin((double) bins.origin());
    st.setXAxisMax((double) Math.max(end, bins.origin() + 1));
    st.setYAxisMin(-0.55);
    st.setYAxisMax(rows - 0.45);
    // Block names are drawn over their rows (RowLabels): XChart's numeric y ticks cannot be
    // made to fall on the rows reliably.
    st.setYAxisTicksVisible(false);
    chart.addAnnotation(new RowLabels(blocks));

    int stages = bins.stages().size();
    // series 0..stages-1: busy by stage; series stages: stall. Each bin of a row is a stacked
    // bar: busy stages from the bottom, then stall, each as tall as its share of the bin, in
    // steps of 1/LEVELS (a share above zero shows at least one step, so short stalls stay
    // visible). Equal neighbouring bars merge into one rectangle.
    var xs = new ArrayList<List<Double>>();
    var ys = new ArrayList<List<Double>>();
    for (int i = 0; i <= stages; i++) {
      xs.add(new ArrayList<>());
      ys.add(new ArrayList<>());
    }
    long binCycles = bins.binCycles();
    int lastBin = (int) Math.min(bins.capacity(),
        (Math.max(end, bins.origin()) - bins.origin() + binCycles - 1) / binCycles);
    int[] level = new int[stages + 1];
    for (int r = 0; r < rows; r++) {
      int b = blockIndices.get(r);
      double base = rows - 1 - r + BAR_BOTTOM;
      int[][] run = new int[stages + 1][]; // per series: {runStart, bottom, top}
      for (int bin = 0; bin <= lastBin; bin++) {
        if (bin < lastBin) {
          levels(bins, stages, b, bin, level);
        } else {
          java.util.Arrays.fill(level, 0);
        }
        int bottom = 0;
        for (int i = 0; i <= stages; i++) {
          int top = bottom + level[i];
          int[] open = run[i];
          if (open != null && (open[1] != bottom || open[2] != top)) {
            rectangle(xs.get(i), ys.get(i), bins.origin() + (double) open[0] * binCycles,
                Math.min(end, bins.origin() + (double) bin * binCycles),
                base + BAR_HEIGHT * open[1] / LEVELS, base + BAR_HEIGHT * open[2] / LEVELS);
            run[i] = null;
          }
          if (run[i] == null && top > bottom) {
            run[i] = new int[] {bin, bottom, top};
          }
          bottom = top;
        }
      }
    }
    for (int i = 0; i <= stages; i++) {
      boolean stall = i == stages;
      String name = stall ? "stall" : "busy: " + bins.stages().get(i);
      if (xs.get(i).isEmpty()) {
        continue;
      }
      XYSeries s = chart.addSeries(name, xs.get(i), ys.get(i));
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
      s.setMarker(SeriesMarkers.NONE);
      Color c = stall ? Palette.STALL : Palette.stage(bins.stages().get(i), i);
      s.setFillColor(c);
      s.setLineColor(c);
      s.setLineStyle(new BasicStroke(0.5f));
    }
    if (chart.getSeriesMap().isEmpty()) { // nothing happened in the window: still draw the axes
      XYSeries s = chart.addSeries("no busy or stall span", new double[] {bins.origin()},
          new double[] {Double.NaN});
      s.setMarker(SeriesMarkers.NONE);
    }
    ChartFiles.write(file, chart, format);
  }

  /** Height steps of a bar: the share of a bin a stage or stall fills, in 1/LEVELS. */
  static final int LEVELS = 12;

  /** Bar heights of one bin, in steps: busy per stage, then stall; together at most LEVELS. */
  private static void levels(TimelineBins bins, int stages, int block, int bin, int[] level) {
    double width = bins.binCycles();
    int total = 0;
    for (int i = 0; i <= stages; i++) {
      double cycles = i < stages ? bins.busy(i, block, bin) : bins.stall(block, bin);
      int steps = cycles <= 0 ? 0 : Math.max(1, (int) Math.round(LEVELS * cycles / width));
      steps = Math.min(steps, LEVELS - total);
      level[i] = steps;
      total += steps;
    }
  }

  private static void rectangle(List<Double> x, List<Double> y, double x0, double x1,
      double y0, double y1) {
    x.add(x0);
    y.add(y0);
    x.add(x0);
    y.add(y1);
    x.add(x1);
    y.add(y1);
    x.add(x1);
    y.add(y0);
    x.add(x1);
    y.add(Double.NaN);
  }

  /** The block names, left-aligned in the plot, centred on their rows over a light box. */
  private static final class RowLabels extends Annotation {
    private final List<String> names;

    RowLabels(List<String> names) {
      super(false);
      this.names = names;
    }

    @Override
    public void paint(Graphics2D g) {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      int x = getXAxisScreenValueForMin() + 6;
      var metrics = g.getFontMetrics();
      for (int r = 0; r < names.size(); r++) {
        double mid = names.size() - 1 - r + BAR_BOTTOM + BAR_HEIGHT / 2;
        int baseline = getYAxisScreenValue(mid) + metrics.getAscent() / 2 - 1;
        int w = metrics.stringWidth(names.get(r));
        g.setColor(new Color(255, 255, 255, 200));
        g.fillRect(x - 3, baseline - metrics.getAscent(), w + 6, metrics.getAscent() + 4);
        g.setColor(Color.DARK_GRAY);
        g.drawString(names.get(r), x, baseline);
      }
      bounds = new Rectangle2D.Double();
    }
  }
}
