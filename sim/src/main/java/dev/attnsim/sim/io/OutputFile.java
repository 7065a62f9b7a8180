package dev.attnsim.sim.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Output files written whole or not at all: the content goes to a temporary file next to the
 * target ({@code .NAME.XXXXXXXX.part}, same directory, so the rename cannot cross file
 * systems) and is renamed onto the target only once it is complete. A failed or interrupted
 * write leaves the target as it was, and nothing that looks finished.
 */
public final class OutputFile {
  private OutputFile() {}

  /** Writes a file's content. */
  @FunctionalInterface
  public interface Body {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} through a temporary file in its directory (created if missing),
   * renamed into place when {@code body} returns; on any failure the temporary file is removed
   * and the exception passed on (an {@link IOException} as an {@link UncheckedIOException}
   * naming the target).
   */
  public static void write(Path target, Body body) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    boolean done = false;
    try {
      Files.createDirectories(dir);
      tmp = dir.resolve("." + target.getFileName() + "."
          + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 32) + ".part");
      // CREATE_NEW with default permissions (createTempFile would make the result owner-only)
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp,
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16)) {
        body.write(out);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + IoReasons.of(e), e);
    } finally {
      if (!done && tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // the original failure matters more
        }
      }
    }
  }

  /**
   * Whether {@code output} is one of {@code inputs}: the same existing file (symlinks, {@code
   * ./}, {@code ..} and hard links resolved). An output that does not exist yet overwrites
   * nothing; an input that does not exist is reported by whoever reads it.
   */
  public static Path sameAsInput(Path output, Collection<Path> inputs) {
    for (Path in : inputs) {
      if (in != null && same(output, in)) {
        return in;
      }
    }
    return null;
  }

  private static boolean same(Path a, Path b) {
    try {
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false; // an input that cannot be resolved is not the output
    }
  }
}
