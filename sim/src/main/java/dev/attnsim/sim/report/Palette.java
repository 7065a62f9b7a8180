package dev.attnsim.sim.report;

import dev.attnsim.actors.blocks.common.Stage;
import java.awt.Color;
import java.util.Locale;

/**
 * The colours of every attnsim plot, so that a stage is the same colour in {@code latency.png}
 * and in a timeline: one per {@link Stage}, red for stalls, grey for the whole run; names that
 * are not stages (a gemm's ops) take the extra colours in a fixed order.
 */
public final class Palette {
  private Palette() {}

  /** Stalls (waiting for a credit). */
  public static final Color STALL = new Color(0xD6, 0x27, 0x28);
  /** The whole run, beside its stages. */
  public static final Color RUN = new Color(0x59, 0x59, 0x59);

  // Tableau 10, red kept for stalls: linear, detection, prediction, filter, attention, ffn
  private static final Color[] STAGES = {new Color(0x1F, 0x77, 0xB4),
      new Color(0xFF, 0x7F, 0x0E), new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B),
      new Color(0x2C, 0xA0, 0x2C), new Color(0x17, 0xBE, 0xCF)};
  private static final Color[] EXTRA = {new Color(0xBC, 0xBD, 0x22),
      new Color(0xE3, 0x77, 0xC2), new Color(0x7F, 0x7F, 0x7F), new Color(0xAE, 0xC7, 0xE8),
      new Color(0xFF, 0xBB, 0x78), new Color(0x98, 0xDF, 0x8A)};

  /**
   * The colour of a stage (by its label, {@code "linear"}), else of the {@code otherIndex}-th
   * name that is not a stage.
   */
  public static Color stage(String name, int otherIndex) {
    for (Stage s : Stage.values()) {
      if (s.label().equals(name.toLowerCase(Locale.ROOT))) {
        return STAGES[s.ordinal() % STAGES.length];
      }
    }
    return EXTRA[Math.floorMod(otherIndex, EXTRA.length)];
  }
}
