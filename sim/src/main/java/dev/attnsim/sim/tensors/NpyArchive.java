package dev.attnsim.sim.tensors;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Named .npy arrays in one place: an .npz archive (a zip of {@code NAME.npy} entries, stored or
 * deflated, as {@code np.savez} and {@code np.savez_compressed} write it) or a directory of
 * {@code NAME.npy} files. A key is a name without {@code .npy}. Every problem is a {@link
 * TensorError} naming the archive and the key.
 *
 * <p>Nothing stays open between calls: each one opens the archive anew, so an instance is
 * thread-safe and needs no closing [choice: re-reading a zip's central directory costs little
 * next to decoding an array]. Arrays stream out of the archive into their rows (see {@link
 * Npy}); a zip entry's CRC-32 is checked once its data is read, since a stored entry has no
 * other protection against a corrupt byte.
 */
public final class NpyArchive {
  private static final String SUFFIX = ".npy";
  /** Keys named in a "missing key" message before "and N more". */
  private static final int LISTED_KEYS = 8;

  private final Path path;
  private final boolean directory;
  private final List<String> keys;

  private NpyArchive(Path path, boolean directory, List<String> keys) {
    this.path = path;
    this.directory = directory;
    this.keys = keys;
  }

  /**
   * Opens an .npz file or a directory of .npy files and lists its keys (an archive's in entry
   * order, a directory's sorted).
   *
   * @throws TensorError if it is neither, or cannot be read
   */
  public static NpyArchive open(Path path) {
    var keys = new ArrayList<String>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> files = Files.list(path)) {
        files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
            .filter(n -> n.endsWith(SUFFIX)).sorted().forEach(n -> keys.add(strip(n)));
      } catch (IOException e) {
        throw new TensorError(path, null, "cannot list the directory (" + reason(e) + ")");
      }
      return new NpyArchive(path, true, List.copyOf(keys));
    }
    var archive = new NpyArchive(path, false, List.of());
    try (ZipFile zip = archive.zip()) {
      zip.stream().filter(e -> !e.isDirectory() && e.getName().endsWith(SUFFIX))
          .forEach(e -> keys.add(strip(e.getName())));
    } catch (IOException e) {
      throw new TensorError(path, null, "cannot read the archive (" + reason(e) + ")");
    }
    return new NpyArchive(path, false, List.copyOf(keys));
  }

  private static String strip(String name) {
    return name.substring(0, name.length() - SUFFIX.length());
  }

  public Path path() {
    return path;
  }

  /** The keys, an archive's in entry order, a directory's sorted. */
  public List<String> keys() {
    return Collections.unmodifiableList(keys);
  }

  public boolean has(String key) {
    return keys.contains(key);
  }

  /** {@code x.0, wq.0, wk.0 and 3 more}, or {@code no .npy arrays}, for error messages. */
  public String listKeys() {
    if (keys.isEmpty()) {
      return "no .npy arrays";
    }
    int shown = Math.min(LISTED_KEYS, keys.size());
    String list = String.join(", ", keys.subList(0, shown));
    return keys.size() > shown ? list + " and " + (keys.size() - shown) + " more" : list;
  }

  /**
   * The header of {@code key}, checked against the array's size in the archive, so that a
   * truncated array is found without reading its data.
   *
   * @throws TensorError if the key is missing, or its header is corrupt or unsupported, or the
   *     array is truncated or longer than its header says
   */
  public NpyHeader header(String key) {
    return read(key, false).header;
  }

  /**
   * The rows of {@code key} (see {@link Npy#readRows}).
   *
   * @throws TensorError as {@link #header}, and if the data is corrupt
   */
  public double[][] rows(String key) {
    return read(key, true).rows;
  }

  private record Read(NpyHeader header, double[][] rows) {}

  private Read read(String key, boolean withData) {
    if (!has(key)) {
      throw new TensorError(path, key, "is missing; " + path.getFileName() + " has "
          + listKeys());
    }
    try {
      if (directory) {
        Path file = path.resolve(key + SUFFIX);
        try (InputStream in = Files.newInputStream(file)) {
          return read(in, Files.size(file), withData);
        }
      }
      try (ZipFile zip = zip()) {
        ZipEntry entry = zip.getEntry(key + SUFFIX);
        var in = new CheckedInputStream(zip.getInputStream(entry), new CRC32());
        try (in) {
          Read r = read(in, entry.getSize(), withData);
          if (withData && entry.getCrc() != -1 && in.getChecksum().getValue() != entry.getCrc()) {
            throw new NpyFormatException(String.format(Locale.ROOT, "is corrupt: its data's "
                + "CRC-32 is %08x, the archive says %08x", in.getChecksum().getValue(),
                entry.getCrc()));
          }
          return r;
        }
      }
    } catch (NpyFormatException e) {
      throw new TensorError(path, key, e.getMessage());
    } catch (ZipException e) {
      throw new TensorError(path, key, "is corrupt (" + reason(e) + ")");
    } catch (IOException e) {
      throw new TensorError(path, key, "cannot be read (" + reason(e) + ")");
    }
  }

  /** Reads a header and, if asked, the data; {@code size} is the array's bytes, or -1. */
  private static Read read(InputStream in, long size, boolean withData) throws IOException {
    NpyHeader h = NpyHeader.read(in);
    long expected = h.dataOffset() + h.dataBytes();
    if (size >= 0 && size < expected) {
      throw Npy.truncated(h, size - h.dataOffset());
    }
    if (size > expected) {
      throw new NpyFormatException(String.format(Locale.ROOT, "has %,d bytes more than its "
          + "header's %s %s", size - expected, h.shapeText(), h.dtype().name()));
    }
    return new Read(h, withData ? Npy.readRows(in, h) : null);
  }

  private ZipFile zip() throws IOException {
    try {
      return new ZipFile(path.toFile());
    } catch (ZipException e) {
      throw new TensorError(path, null, "not an .npz (zip) archive, or truncated ("
          + reason(e) + ")");
    }
  }

  /** An I/O error's message for a user: {@code no such file}, {@code zip END header not found}. */
  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * Writes {@code arrays} (key to rows, in iteration order) as an .npz archive that {@code
   * np.load} and {@link #open} read, each array a C-order {@code KEY.npy} entry of {@code
   * dtype}, deflated or stored. Each array is encoded in memory before it is written (a stored
   * entry's size and CRC come first), so this is meant for test data and small exports.
   */
  public static void writeNpz(Path file, Map<String, double[][]> arrays, NpyDtype dtype,
      boolean deflate) throws IOException {
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file));
        var zip = new ZipOutputStream(os)) {
      for (var e : arrays.entrySet()) {
        var bytes = new ByteArrayOutputStream();
        Npy.write(bytes, e.getValue(), dtype);
        var entry = new ZipEntry(e.getKey() + SUFFIX);
        if (deflate) {
          entry.setMethod(ZipEntry.DEFLATED);
        } else {
          var crc = new CRC32();
          crc.update(bytes.toByteArray());
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(bytes.size());
          entry.setCompressedSize(bytes.size());
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        bytes.writeTo(zip);
        zip.closeEntry();
      }
    }
  }
}
