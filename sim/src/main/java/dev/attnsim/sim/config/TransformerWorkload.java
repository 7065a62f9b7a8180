package dev.attnsim.sim.config;

import com.typesafe.config.Config;
import dev.attnsim.actors.compute.LayerShape;

/** {@code attnsim.workload.transformer}: a stack of identical encoder (or decoder) layers. */
public record TransformerWorkload(String model, int layers, int dModel, int heads, int ffnHidden,
    int seqLen, int batch, boolean causal) {

  static TransformerWorkload from(Config c) {
    String p = "attnsim.workload.transformer.";
    var w = new TransformerWorkload(
        ConfigValidator.string(c, p + "model"),
        ConfigValidator.intIn(c, p + "layers", 1, 1024),
        ConfigValidator.intIn(c, p + "d-model", 1, 1 << 16),
        ConfigValidator.intIn(c, p + "heads", 1, 1024),
        ConfigValidator.intIn(c, p + "ffn-hidden", 1, 1 << 18),
        ConfigValidator.intIn(c, p + "seq-len", 1, 1 << 20),
        ConfigValidator.intIn(c, p + "batch", 1, 1 << 16),
        c.getBoolean(p + "causal"));
    if (w.dModel % w.heads != 0) {
      throw ConfigValidator.invalid(c, p + "d-model", "is not a multiple of " + p + "heads = "
          + w.heads);
    }
    return w;
  }

  public int headDim() {
    return dModel / heads;
  }

  /** The layer's shape with a prediction-path size of {@code predictDim}. */
  public LayerShape shape(int predictDim) {
    return new LayerShape(seqLen, dModel, heads, ffnHidden, predictDim, causal);
  }

  /** Layers the hardware runs: DOTA processes one sequence at a time. */
  public int layerRuns() {
    return layers * batch;
  }
}
