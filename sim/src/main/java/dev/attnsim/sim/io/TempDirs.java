package dev.attnsim.sim.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories for work a command does out of sight (a replay's re-run, a bench's
 * traces, {@code bench --goals}' runs): made with an error that says why not, and deleted with
 * everything in them.
 */
public final class TempDirs {
  private TempDirs() {}

  /** A new directory in the system's temporary directory, its name starting {@code prefix}. */
  public static Path create(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory: "
          + IoReasons.of(e), e);
    }
  }

  /**
   * Deletes {@code dir} and what it holds, as far as it can: a leftover temporary directory is
   * not worth failing a command for.
   */
  public static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // left behind
    }
  }
}
