package dev.attnsim.sim.report;

import dev.attnsim.actors.kernel.ProgressListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar (me.tongfei:progressbar) that appears only on runs that last longer than
 * {@link #DELAY_NANOS}, so short runs print nothing but their summary. It only displays: nothing it
 * does reaches the run.
 */
public final class ProgressBarListener implements ProgressListener, AutoCloseable {
  static final long DELAY_NANOS = 2_000_000_000L;
  private final long started = System.nanoTime();
  private ProgressBar bar;

  @Override
  public synchronized void onProgress(long workDone, long totalWork, long cycle) {
    if (bar == null) {
      if (totalWork <= 0 || System.nanoTime() - started < DELAY_NANOS) {
        return;
      }
      bar = new ProgressBarBuilder()
          .setTaskName("simulating")
          .setInitialMax(totalWork)
          .setUnit(" tiles", 1)
          .setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(250)
          .setConsumer(new ConsoleProgressBarConsumer(System.err))
          .showSpeed()
          .build();
    }
    bar.stepTo(workDone);
    bar.setExtraMessage(String.format(java.util.Locale.ROOT, " cycle %,d", cycle));
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
