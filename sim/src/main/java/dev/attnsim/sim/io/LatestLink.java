package dev.attnsim.sim.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code latest}, a symbolic link beside a run's directory naming the newest run ({@code
 * traces/runs/latest -> default-20261124-230226}), so that commands can name the last run's
 * files without a glob. It is replaced atomically (a new link renamed over the old one), never
 * replaces anything but a link, and is skipped, with a debug note only, where the file system
 * has no symbolic links.
 */
public final class LatestLink {
  private LatestLink() {}

  private static final Logger LOG = LoggerFactory.getLogger(LatestLink.class);

  /** The link's name. */
  public static final String NAME = "latest";

  /**
   * Points {@code dir}'s sibling {@code latest} at {@code dir} (a relative link).
   *
   * @return the link, or null when it was skipped
   */
  public static Path update(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    if (parent == null || abs.getFileName().toString().equals(NAME)) {
      return null;
    }
    Path link = parent.resolve(NAME);
    if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
      LOG.debug("{} is not a symbolic link; left as it is", link);
      return null;
    }
    Path tmp = parent.resolve("." + NAME + "." + Long.toHexString(
        ThreadLocalRandom.current().nextLong() >>> 16) + ".tmp");
    try {
      Files.createSymbolicLink(tmp, abs.getFileName());
      try {
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, link, StandardCopyOption.REPLACE_EXISTING);
      }
      return link;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      LOG.debug("no {} link in {}: {}", NAME, parent, e.toString());
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // nothing was made, or it cannot be removed either: the run's outputs are what matter
      }
      return null;
    }
  }
}
