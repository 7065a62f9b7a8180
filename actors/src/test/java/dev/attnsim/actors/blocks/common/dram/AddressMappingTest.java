package dev.attnsim.actors.blocks.common.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.blocks.common.dram.AddressMapping.Location;
import org.junit.jupiter.api.Test;

/**
 * Address decoding on HBM2: 64 B bursts (6 bits), 32 bursts per 2 KiB row (5), 8 channels (3),
 * 4 bank groups (2), 4 banks (2), one rank (0 bits).
 */
class AddressMappingTest {
  private static final DramDevice HBM2 = DramPresets.HBM2;

  /**
   * DRAMSim3's {@code rorabgbachco}: column bits 6-10, channel 11-13, bank 14-15, bank group
   * 16-17, row 18 and up (1 MiB apart: same channel, bank group and bank, rows 4 apart).
   */
  @Test
  void dramsim3MappingFillsARowOfOneChannelFirst() {
    var m = HBM2.mapping();
    assertEquals(new Location(0, 0, 0, 0, 0, 0), m.locate(0, HBM2));
    assertEquals(new Location(0, 0, 0, 0, 0, 0), m.locate(63, HBM2));
    assertEquals(new Location(0, 0, 0, 0, 0, 1), m.locate(64, HBM2));
    assertEquals(new Location(1, 0, 0, 0, 0, 0), m.locate(2048, HBM2));
    assertEquals(new Location(0, 0, 0, 1, 0, 0), m.locate(1 << 14, HBM2));
    assertEquals(new Location(0, 0, 1, 0, 0, 0), m.locate(1 << 16, HBM2));
    assertEquals(new Location(0, 0, 0, 0, 1, 0), m.locate(1 << 18, HBM2));
    assertEquals(new Location(0, 0, 0, 0, 4, 0), m.locate(1 << 20, HBM2));
    assertEquals(new Location(3, 0, 2, 1, 5, 7),
        m.locate(5L * (1 << 18) + 2 * (1 << 16) + (1 << 14) + 3 * 2048 + 7 * 64 + 17, HBM2));
    assertEquals(AddressMapping.parse("row:rank:bankgroup:bank:channel:column"), m);
  }

  /** The default {@code row:rank:bank:bankgroup:column:channel}: channel = bits 6-8. */
  @Test
  void defaultInterleavesChannelsAtBurstGranularity() {
    var m = AddressMapping.DEFAULT;
    assertEquals(new Location(1, 0, 0, 0, 0, 0), m.locate(64, HBM2));
    assertEquals(new Location(7, 0, 0, 0, 0, 0), m.locate(448, HBM2));
    assertEquals(new Location(0, 0, 0, 0, 0, 1), m.locate(512, HBM2));
    assertEquals(new Location(0, 0, 1, 0, 0, 0), m.locate(512 * 32, HBM2));
    assertEquals("row:rank:bank:bankgroup:column:channel", m.toString());
    assertEquals("rorababgcoch", m.toDramsim3());
  }

  /** DDR4's {@code rochrababgco}: rank is bit 17, above bank (15-16) and bank group (13-14). */
  @Test
  void ranksDecode() {
    var d = DramPresets.DDR4_3200;
    assertEquals(new Location(0, 1, 0, 0, 0, 0), d.mapping().locate(1 << 17, d));
    assertEquals(new Location(0, 0, 1, 0, 0, 0), d.mapping().locate(1 << 13, d));
    assertEquals(new Location(0, 0, 0, 0, 1, 0), d.mapping().locate(1 << 18, d));
  }

  @Test
  void malformedMappingsAreRejected() {
    var first = assertThrows(IllegalArgumentException.class,
        () -> AddressMapping.parse("bank:row:rank:bankgroup:column:channel"));
    assertTrue(first.getMessage().contains("must start with row"), first.getMessage());
    var twice = assertThrows(IllegalArgumentException.class,
        () -> AddressMapping.parse("row:bank:bank:rank:column:channel"));
    assertEquals("address mapping names bank twice", twice.getMessage());
    var missing = assertThrows(IllegalArgumentException.class,
        () -> AddressMapping.parse("row:rank:bank:column:channel"));
    assertEquals("address mapping lacks bankgroup", missing.getMessage());
    var unknown = assertThrows(IllegalArgumentException.class,
        () -> AddressMapping.parse("rorabgbachxx"));
    assertTrue(unknown.getMessage().contains("unknown field 'xx'"), unknown.getMessage());
  }

  /**
   * The decoder's fields one at a time (shift and mask, what the controller uses per burst) agree
   * with its whole-address decoding ({@link AddressMapping#locate}, a loop over the fields) on
   * both devices (DDR4 has two ranks, so the rank bits count), for every mapping order tried.
   */
  @Test
  void decoderFieldsAgreeWithLocate() {
    var random = new java.util.SplittableRandom(13);
    for (var device : new DramDevice[] {HBM2, DramPresets.DDR4_3200}) {
      for (String order : new String[] {"rorabgbachco", "rochrababgco", "rocobabgrach",
          "row:rank:bank:bankgroup:column:channel"}) {
        var m = AddressMapping.parse(order);
        var d = m.decoder(device);
        for (int i = 0; i < 2000; i++) {
          long address = random.nextLong(1L << 40);
          var loc = m.locate(address, device);
          String at = order + " " + device.name() + " @" + address;
          assertEquals(loc.channel(), d.channel(address), at);
          assertEquals(loc.rank(), d.rank(address), at);
          assertEquals((loc.rank() * device.bankGroups() + loc.bankGroup())
              * device.banksPerGroup() + loc.bank(), d.bankInChannel(address), at);
          assertEquals(loc.row(), d.row(address), at);
          assertEquals(loc.column(), d.column(address), at);
        }
      }
    }
  }
}
