package dev.attnsim.sim.report;

import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.sim.config.SimSettings;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import dev.attnsim.sim.io.OutputFile;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * {@code latency.png}: where a transformer run's time goes, per stage, in µs at the configured
 * clock, next to the whole run: each stage's busy time ({@link StageAccounting}; stages
 * overlap, so the bars may add up to more than the run).
 */
public final class LatencyPlot {
  private LatencyPlot() {}

  public static final String FILE = "latency.png";

  public static void write(Path png, TransformerReport report, RunResult r, SimSettings s) {
    System.setProperty("java.awt.headless", "true");
    List<String> names = new ArrayList<>();
    List<Number> micros = new ArrayList<>();
    report.stageCycles().forEach((stage, cycles) -> {
      names.add(stage);
      micros.add(cycles / s.clockGhz() / 1000.0);
    });
    names.add("run");
    micros.add(r.cycles() / s.clockGhz() / 1000.0);
    var w = s.transformer();
    CategoryChart chart = new CategoryChartBuilder().width(900).height(520)
        .title(String.format(Locale.ROOT, "%s: %s, %d x %d tokens, %.1f%% of pairs omitted",
            s.name(), w.model(), w.layerRuns(), w.seqLen(), 100 * report.omittedFraction()))
        .xAxisTitle("stage (busy cycles; stages overlap, see summary.json's shares)")
        .yAxisTitle(String.format(Locale.ROOT, "latency (us at %.2f GHz)", s.clockGhz()))
        .build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setYAxisDecimalPattern("#,##0.#");
    chart.getStyler().setSeriesColors(new Color[] {new Color(0x1F, 0x77, 0xB4)});
    chart.addSeries("latency", names, micros);
    OutputFile.write(png, out -> BitmapEncoder.saveBitmap(chart, out,
        BitmapEncoder.BitmapFormat.PNG));
  }
}
