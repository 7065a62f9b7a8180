package dev.attnsim.actors.blocks.common.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.blocks.common.dram.AddressMapping.Location;
import org.junit.jupiter.api.Test;

/**
 * Address decoding on HBM2: 64 B bursts (6 bits), 8 channels (3), 16 bursts per 1 KiB row (4),
 * 4 bank groups (2), 4 banks (2).
 */
class AddressMappingTest {
  private static final DramTiming HBM2 = DramPresets.hbm2(1.0);

  /**
   * Default {@code row:bank:bankgroup:column:channel}: channel = bits 6-8, column 9-12, bank group
   * 13-14, bank 15-16, row 17 and up.
   */
  @Test
  void defaultInterleavesChannelsAtBurstGranularity() {
    var m = AddressMapping.DEFAULT;
    assertEquals(new Location(0, 0, 0, 0, 0), m.locate(0, HBM2));
    assertEquals(new Location(0, 0, 0, 0, 0), m.locate(63, HBM2));
    assertEquals(new Location(1, 0, 0, 0, 0), m.locate(64, HBM2));
    assertEquals(new Location(7, 0, 0, 0, 0), m.locate(448, HBM2));
    assertEquals(new Location(0, 0, 0, 0, 1), m.locate(512, HBM2));
    assertEquals(new Location(0, 1, 0, 0, 0), m.locate(8192, HBM2));
    assertEquals(new Location(0, 0, 1, 0, 0), m.locate(32768, HBM2));
    assertEquals(new Location(0, 0, 0, 1, 0), m.locate(131072, HBM2));
    assertEquals(new Location(3, 2, 1, 5, 7),
        m.locate(5L * 131072 + 32768 + 2 * 8192 + 7 * 512 + 3 * 64 + 17, HBM2));
    assertEquals("row:bank:bankgroup:column:channel", m.toString());
  }

  /** {@code row:channel:bank:bankgroup:column}: each channel a contiguous 128 KiB-row region. */
  @Test
  void parsedMappingPutsFieldsWhereTheStringSays() {
    var m = AddressMapping.parse("ROW:channel:bank:BankGroup:column");
    assertEquals(AddressMapping.of(AddressMapping.Field.ROW, AddressMapping.Field.CHANNEL,
        AddressMapping.Field.BANK, AddressMapping.Field.BANK_GROUP,
        AddressMapping.Field.COLUMN), m);
    assertEquals(new Location(0, 0, 0, 0, 1), m.locate(64, HBM2));
    assertEquals(new Location(0, 1, 0, 0, 0), m.locate(1024, HBM2));
    assertEquals(new Location(0, 0, 1, 0, 0), m.locate(4096, HBM2));
    assertEquals(new Location(1, 0, 0, 0, 0), m.locate(16384, HBM2));
    assertEquals(new Location(0, 0, 0, 1, 0), m.locate(131072, HBM2));
  }

  @Test
  void malformedMappingsAreRejected() {
    var first = assertThrows(IllegalArgumentException.class,
        () -> AddressMapping.parse("bank:row:bankgroup:column:channel"));
    assertTrue(first.getMessage().contains("must start with row"), first.getMessage());
    var twice = assertThrows(IllegalArgumentException.class,
        () -> AddressMapping.parse("row:bank:bank:column:channel"));
    assertEquals("address mapping names bank twice", twice.getMessage());
    var missing = assertThrows(IllegalArgumentException.class,
        () -> AddressMapping.parse("row:bank:column:channel"));
    assertEquals("address mapping lacks bankgroup", missing.getMessage());
    var unknown = assertThrows(IllegalArgumentException.class,
        () -> AddressMapping.parse("row:rank:bank:bankgroup:column:channel"));
    assertTrue(unknown.getMessage().contains("unknown field 'rank'"), unknown.getMessage());
  }
}
