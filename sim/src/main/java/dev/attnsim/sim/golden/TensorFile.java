package dev.attnsim.sim.golden;

import dev.attnsim.sim.config.TransformerWorkload;
import dev.attnsim.sim.tensors.NpyArchive;
import dev.attnsim.sim.tensors.TensorError;
import java.nio.file.Path;
import java.util.List;

/**
 * Real activations and weights, from an .npz archive or a directory of .npy files (see {@link
 * NpyArchive}). Layer {@code i} (for {@code i = 0 .. layers - 1} of the workload) is:
 *
 * <pre>
 *   x.i    l x d   the attention input X (the hidden states entering the layer's attention)
 *   wq.i   d x d   W_Q, with Q = X W_Q (torch's nn.Linear weight, transposed)
 *   wk.i   d x d   W_K
 *   wv.i   d x d   W_V
 *   wo.i   d x d   W_O, optional: every layer has one, or none does
 *   attn_out.i  l x d  optional: the model's own attention output of the layer, a reference
 * </pre>
 *
 * with {@code l = seq-len} and {@code d = d-model} of {@code workload.transformer}; in a
 * directory, {@code KEY.npy}. One flat layout and no aliases ({@code layers.0.x}) [choice]: a
 * missing key's error lists the keys the file has, which shows a mismatch of names at once.
 * Keys past the workload's layers are ignored, so a workload with fewer layers takes the first
 * ones of a deeper model's export.
 *
 * <p><b>Validated up front.</b> The constructor reads every array's header (not its data): each
 * key is there, its element type is float16, float32 or float64, its shape is the workload's, and
 * its size in the file is what the header says. So a wrong file stops a run before any work,
 * with a one-line {@link TensorError} naming the file and key. {@link #layer} then reads the
 * data, anew on each call (nothing is cached or kept open, so calls are thread-safe), and checks
 * that every value is finite; {@link #verify} does that for every layer, which {@code run},
 * {@code check} and {@code accuracy} call before any work, so a corrupt array is found before a
 * run starts.
 */
public final class TensorFile implements TensorSource {

  /** One kind of array of a layer: its key's prefix and what it is, for messages. */
  private record Kind(String prefix, String what, boolean input) {
    String key(int layer) {
      return prefix + "." + layer;
    }
  }

  private static final Kind X = new Kind("x", "attention input X", true);
  private static final Kind WQ = new Kind("wq", "W_Q", false);
  private static final Kind WK = new Kind("wk", "W_K", false);
  private static final Kind WV = new Kind("wv", "W_V", false);
  private static final Kind WO = new Kind("wo", "W_O", false);
  private static final Kind ATTN_OUT = new Kind("attn_out", "attention output", true);

  private final NpyArchive archive;
  private final int layers;
  private final int seqLen;
  private final int dModel;
  private final boolean hasWo;

  /**
   * Opens and checks the tensors of {@code workload} in {@code path}.
   *
   * @throws TensorError if the file is not usable for the workload
   */
  public TensorFile(Path path, TransformerWorkload workload) {
    this.archive = NpyArchive.open(path);
    this.layers = workload.layers();
    this.seqLen = workload.seqLen();
    this.dModel = workload.dModel();
    boolean wo = false;
    for (int i = 0; i < layers; i++) {
      wo |= archive.has(WO.key(i));
    }
    this.hasWo = wo;
    for (int i = 0; i < layers; i++) {
      for (Kind k : kinds()) {
        check(k, i);
      }
      if (archive.has(ATTN_OUT.key(i))) {
        check(ATTN_OUT, i);
      }
    }
  }

  /** Whether layer {@code index} carries a reference attention output. */
  public boolean hasReference(int index) {
    return archive.has(ATTN_OUT.key(index));
  }

  private List<Kind> kinds() {
    return hasWo ? List.of(X, WQ, WK, WV, WO) : List.of(X, WQ, WK, WV);
  }

  private void check(Kind kind, int layer) {
    String key = kind.key(layer);
    String rowsName = kind.input() ? "seq-len" : "d-model";
    int rows = kind.input() ? seqLen : dModel;
    if (!archive.has(key)) {
      throw new TensorError(archive.path(), key, "is missing (layer " + layer + "'s "
          + kind.what() + ", " + rowsName + " x d-model)"
          + (kind == WO ? "; W_O is optional, but then every layer needs one" : "") + "; "
          + archive.path().getFileName() + " has " + archive.listKeys());
    }
    var header = archive.header(key);
    if (!header.shape().equals(List.of((long) rows, (long) dModel))) {
      throw new TensorError(archive.path(), key, "is " + header.shapeText()
          + ", the workload needs " + rowsName + " " + rows + " x d-model " + dModel);
    }
  }

  @Override
  public String describe() {
    return "file " + archive.path();
  }

  /** Decodes every array once (CRC-32 of .npz entries, finite values) and keeps nothing. */
  @Override
  public void verify() {
    for (int i = 0; i < layers; i++) {
      layer(i);
    }
  }

  /**
   * Layer {@code index}'s tensors, read from the file; W_O and the reference output are null when
   * the file has none.
   */
  @Override
  public LayerTensors layer(int index) {
    if (index < 0 || index >= layers) {
      throw new IllegalArgumentException("layer index must be in [0, " + layers + "), got "
          + index);
    }
    return new LayerTensors(finite(X.key(index)), finite(WQ.key(index)),
        finite(WK.key(index)), finite(WV.key(index)), hasWo ? finite(WO.key(index)) : null,
        hasReference(index) ? finite(ATTN_OUT.key(index)) : null);
  }

  /**
   * The rows of {@code key}, refused when a value is NaN or infinite (a float16 export can
   * overflow to infinity): such a value would otherwise surface far away, as a failed fit or a
   * NaN accuracy.
   */
  private double[][] finite(String key) {
    double[][] rows = archive.rows(key);
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < rows[i].length; j++) {
        if (!Double.isFinite(rows[i][j])) {
          throw new TensorError(archive.path(), key, "has " + rows[i][j] + " at row " + i
              + ", column " + j + "; attnsim needs finite values");
        }
      }
    }
    return rows;
  }
}
