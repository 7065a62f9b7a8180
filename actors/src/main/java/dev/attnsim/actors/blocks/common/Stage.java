package dev.attnsim.actors.blocks.common;

/** The phases of a DOTA encoder layer that reports break latency down by. */
public enum Stage {
  /** Q, K, V generation (and the prediction path's Q~, K~). */
  LINEAR,
  /** Low-precision scores Q~ K~^T, threshold or top-k selection. */
  DETECTION,
  /** SDDMM of the kept pairs, softmax, SpMM with V, output projection. */
  ATTENTION,
  /** The two FC layers. */
  FFN;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
