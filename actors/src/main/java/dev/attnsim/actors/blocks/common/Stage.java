package dev.attnsim.actors.blocks.common;

/**
 * The phases of an encoder layer that busy spans are tagged with and reports break latency down
 * by. Each accelerator uses the ones it has (DOTA: linear, detection, attention, ffn; Energon:
 * linear, filter, attention, ffn; Sanger: linear, prediction, attention, ffn; FACT: prediction,
 * linear, attention, ffn).
 */
public enum Stage {
  /** Q, K, V generation (and the prediction path's Q~, K~). */
  LINEAR,
  /** Low-precision scores Q~ K~^T, threshold or top-k selection. */
  DETECTION,
  /**
   * Sanger's mask prediction (low-bit scores, softmax, threshold, pack and split); FACT's eager
   * prediction before QKV generation (leading-one Q^, K^, A^ and the row-wise top-k).
   */
  PREDICTION,
  /** Energon's multi-round filtering: low-precision scores and per-row thresholds. */
  FILTER,
  /** SDDMM of the kept pairs, softmax, SpMM with V, output projection. */
  ATTENTION,
  /** The two FC layers. */
  FFN;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
