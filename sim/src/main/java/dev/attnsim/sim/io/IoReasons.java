package dev.attnsim.sim.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file operation failed, in words: Java's file exceptions often carry only the path
 * ({@code AccessDeniedException: /ro/x}), which makes "cannot write /ro/x: /ro/x".
 */
public final class IoReasons {
  private IoReasons() {}

  /** The reason of {@code e}, with the path it concerns when that is not the one named anyway. */
  public static String of(IOException e) {
    if (e instanceof FileSystemException f) {
      String reason = f.getReason() != null ? f.getReason().toLowerCase(java.util.Locale.ROOT)
          : e instanceof AccessDeniedException ? "permission denied"
          : e instanceof NoSuchFileException ? "no such file or directory"
          : e instanceof FileAlreadyExistsException ? "a file is in the way"
          : e instanceof NotDirectoryException ? "not a directory"
          : e instanceof DirectoryNotEmptyException ? "directory not empty"
          : e.getClass().getSimpleName();
      return f.getFile() != null ? reason + " (" + f.getFile() + ")" : reason;
    }
    return String.valueOf(e.getMessage());
  }
}
