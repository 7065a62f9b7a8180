package dev.attnsim.sim.tensors;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A tensor file that cannot be used: not an archive, a missing key, a wrong shape, an unsupported
 * element type, a truncated or corrupt array. A one-line user error naming the file and, where
 * there is one, the key ({@code bert.npz: x.2 is 512 x 256, the workload needs seq-len 1024 x
 * d-model 256}); the command line maps it to exit code 2, like a config error.
 */
public final class TensorError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String key;

  /**
   * @param file the .npz archive or the directory of .npy files
   * @param key the array the problem is about, or null when it is about the whole file
   * @param problem what is wrong, one line; it follows the key ({@code is missing}), or the
   *     file's name and a colon when there is no key
   */
  public TensorError(Path file, String key, String problem) {
    super(file + ": " + (key == null ? "" : key + " ") + Objects.requireNonNull(problem));
    this.file = file;
    this.key = key;
  }

  public Path file() {
    return file;
  }

  /** The array's key, or null when the error is about the whole file. */
  public String key() {
    return key;
  }
}
