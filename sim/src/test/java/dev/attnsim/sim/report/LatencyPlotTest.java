package dev.attnsim.sim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.run.Simulation;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** latency.png and latency.svg: one colour per stage, units by magnitude, a title that says what ran. */
class LatencyPlotTest {

  @TempDir
  Path tmp;

  @Test
  void aStagePerColourTheOverridesInTheTitleAndBothFiles() throws IOException {
    var s = dev.attnsim.sim.config.ConfigLoader.load(
        TestConfigs.repo().resolve("traces/golden/dota-small.conf"), List.of(),
        List.of("hardware.lanes=2", "run.engine=sequential"), List.of(
            dev.attnsim.sim.config.ConfigLoader.option("--no-trace", "trace.enabled", false)));
    var o = Simulation.run(s, tmp, ProgressListener.NONE);
    assertTrue(Files.size(tmp.resolve(LatencyPlot.FILE)) > 1000);
    assertTrue(Files.readString(tmp.resolve(LatencyPlot.SVG_FILE)).contains("<svg"));
    assertTrue(Simulation.OUTPUT_FILES.contains(LatencyPlot.SVG_FILE));

    var chart = LatencyPlot.chart(o.report(), o.result(), s);
    // the command line's keys, not the engine's, are what the title names
    assertTrue(chart.getTitle().startsWith("dota-small: "), chart.getTitle());
    assertTrue(chart.getTitle().endsWith("(hardware.lanes=2)"), chart.getTitle());
    var colours = new HashSet<Color>();
    chart.getSeriesMap().forEach((name, series) -> {
      colours.add(series.getFillColor());
      assertEquals(name.equals("run") ? Palette.RUN : Palette.stage(name, 0),
          series.getFillColor(), name);
    });
    assertEquals(chart.getSeriesMap().size(), colours.size(), "one colour per stage");
    assertEquals(List.of("linear", "detection", "attention", "ffn", "run"),
        List.copyOf(chart.getSeriesMap().keySet()));
    // a run of a few µs: µs, and the stages' sum against the run decides the note
    long sum = o.report().stageCycles().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(sum > o.result().cycles(), chart.getXAxisTitle().contains("overlap"),
        chart.getXAxisTitle());
    assertTrue(chart.getYAxisTitle().startsWith("µs at 1.00 GHz"), chart.getYAxisTitle());
  }

  @Test
  void unitsFollowTheRunsMagnitude() {
    assertEquals("µs", LatencyPlot.Unit.of(999_000, 1.0).name());
    assertEquals("ms", LatencyPlot.Unit.of(1_000_000, 1.0).name());
    assertEquals(1e6, LatencyPlot.Unit.of(1_000_000, 1.0).cyclesPer());
    assertEquals("µs", LatencyPlot.Unit.of(1_000_000, 2.0).name()); // 500 µs at 2 GHz
    assertEquals(2e3, LatencyPlot.Unit.of(1_000_000, 2.0).cyclesPer());
    assertFalse(LatencyPlot.Unit.of(10, 1.0).name().isEmpty());
  }
}
