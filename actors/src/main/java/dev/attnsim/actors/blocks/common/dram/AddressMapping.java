package dev.attnsim.actors.blocks.common.dram;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How a byte address selects channel, rank, bank group, bank, row and column: an ordered list of
 * bit fields, most significant first, above the byte-within-burst bits (always the lowest
 * {@code log2(burstBytes)} bits), as DRAMSim3's {@code address_mapping} ({@code
 * configuration.cc}, {@code SetAddressMapping}).
 *
 * <p>Widths come from the geometry: {@code log2(channels)}, {@code log2(ranks)},
 * {@code log2(bankGroups)}, {@code log2(banksPerGroup)}, and {@code log2(rowBytes / burstBytes)}
 * for the column (counted in bursts). The row must be the first field and takes every remaining
 * high bit, so the number of rows is unbounded (DRAMSim3 wraps rows at the device's capacity;
 * addresses below it decode the same).
 *
 * <p>Written {@code row:rank:bankgroup:bank:channel:column} or in DRAMSim3's two-letter form
 * {@code rorabgbachco} (ro, ra, bg, ba, ch, co). {@link #DEFAULT} is
 * {@code row:rank:bank:bankgroup:column:channel}: consecutive bursts go to consecutive channels,
 * so a sequential stream spreads over all channels at burst granularity.
 */
public final class AddressMapping {

  /** An address field. */
  public enum Field {
    ROW,
    RANK,
    BANK,
    BANK_GROUP,
    CHANNEL,
    COLUMN;

    /** The name used in mapping strings ({@code "bankgroup"} for {@link #BANK_GROUP}). */
    public String key() {
      return name().replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** DRAMSim3's two-letter name. */
    String dramsim3() {
      return switch (this) {
        case ROW -> "ro";
        case RANK -> "ra";
        case BANK -> "ba";
        case BANK_GROUP -> "bg";
        case CHANNEL -> "ch";
        case COLUMN -> "co";
      };
    }
  }

  /** Where one address lands. {@code column} counts bursts within the row. */
  public record Location(int channel, int rank, int bankGroup, int bank, long row, long column) {}

  public static final AddressMapping DEFAULT = of(
      Field.ROW, Field.RANK, Field.BANK, Field.BANK_GROUP, Field.COLUMN, Field.CHANNEL);

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

  /**
   * Parses {@code "row:rank:bank:bankgroup:column:channel"} or DRAMSim3's {@code "rorabgbachco"}
   * (case-insensitive).
   */
  public static AddressMapping parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (!t.contains(":") && t.length() == 12) {
      var out = new Field[6];
      for (int i = 0; i < 6; i++) {
        String token = t.substring(2 * i, 2 * i + 2);
        out[i] = java.util.Arrays.stream(Field.values()).filter(f -> f.dramsim3().equals(token))
            .findFirst().orElseThrow(() -> new IllegalArgumentException("address mapping '"
                + text + "': unknown field '" + token + "' (DRAMSim3 fields: ro, ra, bg, ba, ch,"
                + " co)"));
      }
      return of(out);
    }
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
        + "' (fields: row, rank, bank, bankgroup, channel, column)");
  }

  /** Decodes {@code address} for a memory of the given geometry. */
  public Location locate(long address, DramDevice t) {
    return decoder(t).locate(address);
  }

  /** This mapping for one device, widths worked out once (the controller decodes each burst). */
  Decoder decoder(DramDevice t) {
    return new Decoder(t);
  }

  /**
   * {@link #locate} with each field's shift and mask worked out once, and the fields one at a time
   * without a {@link Location} (the controller decodes every burst; issue 13).
   */
  final class Decoder {
    private final int burstShift;
    private final Field[] order; // least significant first, the row excluded
    private final int[] bits;
    private final int[] shifts = new int[Field.values().length]; // above the burst bits
    private final long[] masks = new long[Field.values().length];
    private final int rowShift;
    private final int banksPerGroup;
    private final int bankGroups;

    private Decoder(DramDevice t) {
      burstShift = log2(t.burstBytes());
      banksPerGroup = t.banksPerGroup();
      bankGroups = t.bankGroups();
      int n = fields.size() - 1;
      order = new Field[n];
      bits = new int[n];
      int shift = 0;
      for (int i = fields.size() - 1, k = 0; i > 0; i--, k++) {
        Field f = fields.get(i);
        order[k] = f;
        bits[k] = switch (f) {
          case CHANNEL -> log2(t.channels());
          case RANK -> log2(t.ranks());
          case BANK_GROUP -> log2(t.bankGroups());
          case BANK -> log2(t.banksPerGroup());
          case COLUMN -> log2(t.burstsPerRow());
          case ROW -> throw new IllegalStateException("row is always the first field");
        };
        shifts[f.ordinal()] = shift;
        masks[f.ordinal()] = (1L << bits[k]) - 1;
        shift += bits[k];
      }
      rowShift = shift;
    }

    private long field(long address, Field f) {
      return (address >>> burstShift >>> shifts[f.ordinal()]) & masks[f.ordinal()];
    }

    /** The channel of {@code address}, as {@code locate(address).channel()}. */
    int channel(long address) {
      return (int) field(address, Field.CHANNEL);
    }

    int rank(long address) {
      return (int) field(address, Field.RANK);
    }

    /** The bank's index within its channel: {@code (rank x bankGroups + bankGroup) x banksPerGroup + bank}. */
    int bankInChannel(long address) {
      return ((int) field(address, Field.RANK) * bankGroups + (int) field(address,
          Field.BANK_GROUP)) * banksPerGroup + (int) field(address, Field.BANK);
    }

    long row(long address) {
      return address >>> burstShift >>> rowShift;
    }

    long column(long address) {
      return field(address, Field.COLUMN);
    }

    Location locate(long address) {
      long v = address >>> burstShift;
      int channel = 0;
      int rank = 0;
      int bankGroup = 0;
      int bank = 0;
      long column = 0;
      for (int k = 0; k < order.length; k++) {
        long value = v & ((1L << bits[k]) - 1);
        v >>>= bits[k];
        switch (order[k]) {
          case CHANNEL -> channel = (int) value;
          case RANK -> rank = (int) value;
          case BANK_GROUP -> bankGroup = (int) value;
          case BANK -> bank = (int) value;
          case COLUMN -> column = value;
          case ROW -> throw new IllegalStateException("row is always the first field");
        }
      }
      return new Location(channel, rank, bankGroup, bank, v, column);
    }
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

  /** DRAMSim3's form of this mapping, e.g. {@code rorabgbachco}. */
  public String toDramsim3() {
    return fields.stream().map(Field::dramsim3).collect(Collectors.joining());
  }

  /** The mapping string, e.g. {@code row:rank:bank:bankgroup:column:channel}. */
  @Override
  public String toString() {
    return describe(fields);
  }
}
