package dev.attnsim.actors.kernel;

import java.util.Objects;

/**
 * A block of a tensor travelling between blocks.
 *
 * <p>Identity is {@code (layer, head, row0, rows, col0, cols)}: the region of the logical tensor
 * the tile covers. {@code depth} is the reduction length for operand tiles (1 otherwise). In
 * timing mode {@code payload} is null and only shapes and bytes matter; in functional mode it
 * carries the data. A payload is handed over on send: the sender never touches it again.
 *
 * @param id unique per run, from {@link BlockContext#newTileId()}
 * @param bytes bytes the tile occupies on a link or in a buffer
 */
public record Tile(
    long id,
    TileKind kind,
    Precision precision,
    int layer,
    int head,
    int row0,
    int rows,
    int col0,
    int cols,
    int depth,
    long bytes,
    Object payload) {

  public Tile {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(precision, "precision");
    if (rows < 0 || cols < 0 || depth < 0 || bytes < 0) {
      throw new IllegalArgumentException(
          "tile dimensions and bytes must be >= 0: rows=" + rows + " cols=" + cols
              + " depth=" + depth + " bytes=" + bytes);
    }
  }

  /** A shape-only tile with no layer/head identity, for tests and synthetic pipelines. */
  public static Tile of(long id, TileKind kind, Precision precision, int rows, int cols, long bytes) {
    return new Tile(id, kind, precision, 0, 0, 0, rows, 0, cols, 1, bytes, null);
  }

  /** This tile under another id (the same shape and payload). */
  public Tile withId(long newId) {
    return new Tile(newId, kind, precision, layer, head, row0, rows, col0, cols, depth, bytes,
        payload);
  }

  /** This tile carrying another payload. */
  public Tile withPayload(Object newPayload) {
    return new Tile(id, kind, precision, layer, head, row0, rows, col0, cols, depth, bytes,
        newPayload);
  }

  public long elements() {
    return (long) rows * cols;
  }
}
