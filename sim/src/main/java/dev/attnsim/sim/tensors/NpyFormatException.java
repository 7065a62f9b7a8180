package dev.attnsim.sim.tensors;

import java.io.IOException;

/**
 * Bytes that are not an .npy array attnsim reads: a bad magic, an unknown format version, a
 * corrupt header, an unsupported element type, data cut short. The message is a predicate about
 * the array ({@code has dtype '|i1' (int8); ...}), so that a caller that knows the array's name
 * can put it in front ({@link NpyArchive} does, in a {@link TensorError}).
 */
public final class NpyFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  /** @param problem what is wrong, one line, phrased to follow the array's name */
  public NpyFormatException(String problem) {
    super(problem);
  }
}
