package dev.attnsim.sim.report;

import dev.attnsim.sim.io.OutputFile;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Writes a chart as PNG or SVG by the file's extension, whole or not at all. */
public final class ChartFiles {
  private ChartFiles() {}

  /** The formats a chart can be written in. */
  public enum Format {
    PNG, SVG;

    /** The format a file name's extension names, or null. */
    public static Format of(Path file) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      return name.endsWith(".png") ? PNG : name.endsWith(".svg") ? SVG : null;
    }
  }

  /** Writes {@code chart} to {@code file} in {@code format} ({@link OutputFile#write}). */
  public static void write(Path file, Chart<?, ?> chart, Format format) {
    System.setProperty("java.awt.headless", "true");
    // ImageIO's file cache registers a JVM shutdown hook, which fails while the JVM shuts down
    // (a run interrupted by Ctrl-C still writes its plot); PNGs this size need no file cache
    javax.imageio.ImageIO.setUseCache(false);
    OutputFile.write(file, out -> {
      if (format == Format.SVG) {
        VectorGraphicsEncoder.saveVectorGraphic(chart, out,
            VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
      } else {
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
      }
    });
  }
}
