package dev.attnsim.actors.blocks.common.dram;

import static dev.attnsim.actors.blocks.common.dram.DramControllerTest.RRGBCC;
import static dev.attnsim.actors.blocks.common.dram.DramControllerTest.SMALL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnsim.actors.blocks.common.dram.DramPolicy.Intake;
import dev.attnsim.actors.blocks.common.dram.DramPolicy.Page;
import dev.attnsim.actors.blocks.common.dram.DramPolicy.Refresh;
import dev.attnsim.actors.blocks.common.dram.DramPolicy.Scheduling;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The controller's parts on their own: the transaction map and span heap against plain Java
 * collections, and every validation with its exact message (a check that is dropped or moved by
 * one lets the wrong value through or names the wrong figure).
 */
class DramPartsTest {

  private static void assertMessage(String expected, Executable e) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, e).getMessage());
  }

  private static DramChannel.Txn txn(long address) {
    return new DramChannel.Txn(address, false, 0, 0, 0, 0, null);
  }

  /**
   * 5,000 burst addresses of one channel (multiples of 512, so they share their low bits) put,
   * looked up, half removed and looked up again, against a HashMap: the map grows past its 64
   * slots and its probe chains survive every removal.
   */
  @Test
  void txnByAddressAgreesWithAHashMap() {
    var map = new TxnByAddress();
    var reference = new HashMap<Long, DramChannel.Txn>();
    var rnd = new SplittableRandom(3);
    for (int i = 0; i < 5000; i++) {
      long a = rnd.nextLong(1L << 20) * 512;
      var t = txn(a);
      map.put(a, t);
      reference.put(a, t);
    }
    assertEquals(reference.size(), map.size());
    for (var e : reference.entrySet()) {
      assertSame(e.getValue(), map.get(e.getKey()));
    }
    var keys = new ArrayList<>(reference.keySet());
    for (int i = 0; i < keys.size(); i += 2) {
      map.remove(keys.get(i));
      reference.remove(keys.get(i));
    }
    map.remove(7); // absent: nothing changes
    assertEquals(reference.size(), map.size());
    for (int i = 0; i < keys.size(); i++) {
      long a = keys.get(i);
      assertEquals(reference.get(a), map.get(a), "address " + a);
      assertEquals(reference.containsKey(a), map.containsKey(a));
    }
    var replaced = txn(keys.get(1));
    map.put(keys.get(1), replaced);
    assertSame(replaced, map.get(keys.get(1)));
    assertEquals(reference.size(), map.size());
    assertNull(map.get(1));
  }

  /** 1,000 spans polled in (start, end, read before write) order, as a sorted list gives them. */
  @Test
  void spanHeapPollsInStartEndKindOrder() {
    var heap = new SpanHeap();
    var reference = new ArrayList<long[]>();
    var rnd = new SplittableRandom(5);
    for (int i = 0; i < 1000; i++) {
      long s = rnd.nextLong(200);
      long e = s + rnd.nextLong(1, 6);
      long w = rnd.nextInt(2);
      heap.add(s, e, w == 1);
      reference.add(new long[] {s, e, w});
    }
    reference.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0])
        : x[1] != y[1] ? Long.compare(x[1], y[1]) : Long.compare(x[2], y[2]));
    for (long[] r : reference) {
      assertArrayEquals(r, new long[] {heap.peekStart(), heap.peekEnd(),
          heap.peekWrite() ? 1 : 0});
      heap.poll();
    }
    assertEquals(true, heap.isEmpty());
  }

  @Test
  void devicesRefuseImpossibleGeometryNamingTheFigure() {
    var c = SMALL.clocks();
    assertMessage("x: ranks must be a power of two >= 1, got 3",
        () -> new DramDevice("x", false, 1, 3, 1, 1, 512, 64, 8, 1.0, c, RRGBCC));
    assertMessage("x: bankGroups must be a power of two >= 1, got 0",
        () -> new DramDevice("x", false, 1, 1, 0, 1, 512, 64, 8, 1.0, c, RRGBCC));
    assertMessage("x: banksPerGroup must be a power of two >= 1, got 6",
        () -> new DramDevice("x", false, 1, 1, 1, 6, 512, 64, 8, 1.0, c, RRGBCC));
    assertMessage("x: rowBytes must be a power of two >= 1, got 1000",
        () -> new DramDevice("x", false, 1, 1, 1, 1, 1000, 64, 8, 1.0, c, RRGBCC));
    assertMessage("x: busBits must be a positive multiple of 8, got 12",
        () -> new DramDevice("x", false, 1, 1, 1, 1, 512, 12, 8, 1.0, c, RRGBCC));
    assertMessage("x: busBits must be a positive multiple of 8, got 0",
        () -> new DramDevice("x", false, 1, 1, 1, 1, 512, 0, 8, 1.0, c, RRGBCC));
    assertMessage("x: burstLength must be even and >= 2, got 0",
        () -> new DramDevice("x", false, 1, 1, 1, 1, 512, 64, 0, 1.0, c, RRGBCC));
    assertMessage("x: burst bytes (busBits / 8 x burstLength) must be a power of two >= 1, "
        + "got 6", () -> new DramDevice("x", false, 1, 1, 1, 1, 512, 24, 2, 1.0, c, RRGBCC));
    assertMessage("x: rowBytes (32) must hold at least one burst (64 B)",
        () -> new DramDevice("x", false, 1, 1, 1, 1, 32, 64, 8, 1.0, c, RRGBCC));
    assertMessage("x: tCkNs must be > 0, got 0.0",
        () -> new DramDevice("x", false, 1, 1, 1, 1, 512, 64, 8, 0.0, c, RRGBCC));
    assertMessage("x: tCkNs must be > 0, got Infinity", () -> new DramDevice("x", false, 1, 1,
        1, 1, 512, 64, 8, Double.POSITIVE_INFINITY, c, RRGBCC));
    // the smallest legal figures: an 8-bit bus, bursts of 2, one burst per row
    var least = new DramDevice("x", false, 1, 1, 1, 1, 2, 8, 2, 1.0, c, RRGBCC);
    assertEquals(List.of(2, 1, 1L), List.of(least.burstBytes(), least.burstClocks(),
        least.burstsPerRow()));
    // named by the argument that is wrong (the message once printed the unset fields: all 0)
    assertMessage("DRAM timing parameters must be >= 0, got tRefib = -1",
        () -> DramDevice.Clocks.builder().tRefib(-1).build());
  }

  /** Every setter of the builder sets its own parameter and returns the builder. */
  @Test
  void clocksBuilderSetsEachParameter() {
    var c = DramDevice.Clocks.builder().al(1).cl(2).cwl(3).tRcdRd(4).tRcdWr(5).tRp(6).tRas(7)
        .tRrdS(8).tRrdL(9).tFaw(10).tCcdS(11).tCcdL(12).tWtrS(13).tWtrL(14).tWr(15).tRtp(16)
        .tRtrs(17).tRfc(18).tRefi(19).tRfcb(20).tRefib(21).build();
    assertEquals(new DramDevice.Clocks(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
        18, 19, 20, 21), c);
    assertEquals(List.of(3, 4), List.of(c.readLatency(), c.writeLatency()));
    assertMessage("DRAM timing parameters must be >= 0, got al = -2",
        () -> DramDevice.Clocks.builder().al(-2).build());
    assertEquals(c, c.toBuilder().build());
  }

  /**
   * tCK x clock as a fraction of accelerator cycles: exact ones, the largest denominator
   * allowed (10^6), one within the 1e-9 relative tolerance of a small fraction, and ones that
   * are none (named in the message).
   */
  @Test
  void dramClocksBecomeExactFractionsOfCycles() {
    var h = DramPresets.HBM2;
    assertEquals(List.of(5L, 2L), fraction(h.withTCkNs(2.5).atClock(1.0)));
    assertEquals(List.of(1L, 3L), fraction(h.withTCkNs(1.0 / 3).atClock(1.0)));
    assertEquals(List.of(1L, 1_000_000L), fraction(h.withTCkNs(1e-6).atClock(1.0)));
    assertEquals(List.of(1000L, 1L), fraction(h.withTCkNs(1000.0000001).atClock(1.0)));
    assertEquals(List.of(5L, 2L), fraction(h.withTCkNs(2.5000000001).atClock(1.0)));
    assertMessage("HBM2: tCK 1.0E-10 ns at 1.0 GHz is not a fraction of accelerator cycles "
        + "with a denominator up to 1000000", () -> h.withTCkNs(1e-10).atClock(1.0));
    assertMessage("HBM2: tCK 1.0E-13 ns at 1.0 GHz is not a fraction of accelerator cycles "
        + "with a denominator up to 1000000", () -> h.withTCkNs(1e-13).atClock(1.0));
    assertMessage("HBM2: clock must be > 0 GHz, got 0.0", () -> h.atClock(0));
    assertMessage("HBM2: clock must be > 0 GHz, got Infinity",
        () -> h.atClock(Double.POSITIVE_INFINITY));
    assertMessage("cycles per DRAM clock must be a positive fraction, got 0/1",
        () -> new DramTiming(h, 0, 1));
    var t = DramPresets.hbm2(1.0);
    assertEquals(List.of(8, 64), List.of(t.channels(), t.burstBytes()));
  }

  private static List<Long> fraction(DramTiming t) {
    return List.of(t.cyclesPerClockNum(), t.cyclesPerClockDen());
  }

  @Test
  void policiesRefuseEmptyQueuesAndNegativeLimits() {
    var p = DramPolicy.defaults(SMALL);
    assertMessage("DRAM queue sizes must be >= 1, got read queue 32, write buffer 32, command "
        + "queue 0", () -> p.withCommandQueueEntries(0));
    assertMessage("DRAM queue sizes must be >= 1, got read queue 32, write buffer 0, command "
        + "queue 8", () -> p.withQueues(32, 0));
    assertMessage("row-hit cap and write-drain threshold must be >= 0, got -1 and 8",
        () -> p.withRowHitCap(-1));
    assertMessage("row-hit cap and write-drain threshold must be >= 0, got 4 and -1",
        () -> p.withWriteDrainThreshold(-1));
    var least = p.withQueues(1, 1).withCommandQueueEntries(1).withRowHitCap(0)
        .withWriteDrainThreshold(0);
    assertEquals(List.of(1, 1, 1, 0, 0), List.of(least.readQueueEntries(),
        least.writeBufferEntries(), least.commandQueueEntries(), least.rowHitCap(),
        least.writeDrainThreshold()));
    var other = p.withPage(Page.CLOSED).withScheduling(Scheduling.FCFS)
        .withMapping(AddressMapping.DEFAULT).withRefresh(Refresh.NONE).withIntake(Intake.ONE);
    assertEquals(new DramPolicy(Page.CLOSED, Scheduling.FCFS, AddressMapping.DEFAULT, 32, 32, 8,
        4, 8, Refresh.NONE, Intake.ONE), other);
  }

  @Test
  void mappingsParseBothFormsAndCompareByTheirFields() {
    var ddr4 = AddressMapping.parse("ROCHRABABGCO");
    assertEquals("row:channel:rank:bank:bankgroup:column", ddr4.toString());
    assertEquals(DramPresets.DDR4_3200.mapping(), ddr4);
    assertNotEquals(AddressMapping.DEFAULT, ddr4);
    assertNotEquals(ddr4, "rochrababgco");
    assertEquals(2, Set.of(ddr4, AddressMapping.DEFAULT).size());
    assertEquals(ddr4.hashCode(), AddressMapping.parse("row:channel:rank:bank:bankgroup:column")
        .hashCode());
    assertMessage("address mapping 'row:rank:bank:bankgroup:column:chan': unknown field 'chan' "
        + "(fields: row, rank, bank, bankgroup, channel, column)",
        () -> AddressMapping.parse("row:rank:bank:bankgroup:column:chan"));
  }

  @Test
  void requestsAreReadsOrWritesOfNonNegativeAddresses() {
    assertEquals(new DramRequest(64, false, null), DramRequest.read(64));
    assertEquals(new DramRequest(64, true, "d"), DramRequest.write(64, "d"));
    assertMessage("DRAM address must be >= 0, got -1", () -> DramRequest.read(-1));
    assertMessage("a DRAM controller needs >= 1 requester, got 0",
        () -> new DramController(0, DramTiming.sameClock(SMALL)));
  }
}
