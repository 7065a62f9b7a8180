package dev.attnsim.actors.blocks.common.dram;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How a byte address selects channel, bank group, bank, row and column: an ordered list of bit
 * fields, most significant first, above the byte-within-burst bits (always the lowest
 * {@code log2(burstBytes)} bits).
 *
 * <p>Widths come from the geometry: {@code log2(channels)}, {@code log2(bankGroups)},
 * {@code log2(banksPerGroup)}, and {@code log2(rowBytes / burstBytes)} for the column (counted in
 * bursts). The row must be the first field and takes every remaining high bit, so the number of
 * rows is unbounded.
 *
 * <p>{@link #DEFAULT} is {@code row:bank:bankgroup:column:channel}: consecutive bursts go to
 * consecutive channels, so a sequential stream spreads over all channels at burst granularity;
 * a channel's successive bursts then walk the columns of one row (row hits), and a stream leaving
 * a row moves on to the next bank group, whose activation overlaps the previous row's transfers.
 */
public final class AddressMapping {

  /** An address field. */
  public enum Field {
    ROW,
    BANK,
    BANK_GROUP,
    CHANNEL,
    COLUMN;

    /** The name used in mapping strings ({@code "bankgroup"} for {@link #BANK_GROUP}). */
    public String key() {
      return name().replace("_", "").toLowerCase(Locale.ROOT);
    }
  }

  /** Where one address lands. {@code column} counts bursts within the row. */
  public record Location(int channel, int bankGroup, int bank, long row, long column) {}

  public static final AddressMapping DEFAULT = of(
      Field.ROW, Field.BANK, Field.BANK_GROUP, Field.COLUMN, Field.CHANNEL);

  private final List<Field> fields;

  private AddressMapping(List<Field> fields) {
    this.fields = fields;
  }

  /** A mapping from its fields, most significant first: each field once, {@code ROW} first. */
  public static AddressMapping of(Field... msbToLsb) {
    var list = List.of(msbToLsb);
    var seen = EnumSet.noneOf(Field.class);
    for (Field f : list) {
      if (!seen.add(Objects.requireNonNull(f, "field"))) {
        throw new IllegalArgumentException("address mapping names " + f.key() + " twice");
      }
    }
    if (!seen.equals(EnumSet.allOf(Field.class))) {
      var missing = EnumSet.complementOf(seen);
      throw new IllegalArgumentException("address mapping lacks "
          + missing.stream().map(Field::key).collect(Collectors.joining(", ")));
    }
    if (list.get(0) != Field.ROW) {
      throw new IllegalArgumentException(
          "address mapping must start with row (it takes all remaining high bits), got "
              + describe(list));
    }
    return new AddressMapping(list);
  }

  /** Parses {@code "row:bank:bankgroup:column:channel"} (case-insensitive). */
  public static AddressMapping parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] parts = text.trim().split(":");
    var out = new Field[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String key = parts[i].trim().toLowerCase(Locale.ROOT);
      out[i] = fieldOf(key, text);
    }
    return of(out);
  }

  private static Field fieldOf(String key, String text) {
    for (Field f : Field.values()) {
      if (f.key().equals(key)) {
        return f;
      }
    }
    throw new IllegalArgumentException("address mapping '" + text + "': unknown field '" + key
        + "' (fields: row, bank, bankgroup, channel, column)");
  }

  /** Decodes {@code address} for a memory of the given geometry. */
  public Location locate(long address, DramTiming t) {
    long v = address >>> log2(t.burstBytes());
    int channel = 0;
    int bankGroup = 0;
    int bank = 0;
    long column = 0;
    for (int i = fields.size() - 1; i > 0; i--) {
      Field f = fields.get(i);
      int bits = switch (f) {
        case CHANNEL -> log2(t.channels());
        case BANK_GROUP -> log2(t.bankGroups());
        case BANK -> log2(t.banksPerGroup());
        case COLUMN -> log2(t.burstsPerRow());
        case ROW -> throw new IllegalStateException("row is always the first field");
      };
      long value = v & ((1L << bits) - 1);
      v >>>= bits;
      switch (f) {
        case CHANNEL -> channel = (int) value;
        case BANK_GROUP -> bankGroup = (int) value;
        case BANK -> bank = (int) value;
        case COLUMN -> column = value;
        case ROW -> throw new IllegalStateException("row is always the first field");
      }
    }
    return new Location(channel, bankGroup, bank, v, column);
  }

  private static int log2(long powerOfTwo) {
    return Long.numberOfTrailingZeros(powerOfTwo);
  }

  private static String describe(List<Field> list) {
    return list.stream().map(Field::key).collect(Collectors.joining(":"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressMapping m && m.fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  /** The mapping string, e.g. {@code row:bank:bankgroup:column:channel}. */
  @Override
  public String toString() {
    return describe(fields);
  }
}
