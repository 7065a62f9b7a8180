package dev.attnsim.actors.blocks.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class FetchWindowTest {
  private static final FetchWindow.Region HEAD0 = new FetchWindow.Region(0, 0, 0);
  private static final FetchWindow.Region HEAD1 = new FetchWindow.Region(0, 0, 1);

  private static BitSet rows(int from, int to) {
    var b = new BitSet();
    b.set(from, to);
    return b;
  }

  @Test
  void aHitOnAWholeRegionStillInFlightWaitsForItsRead() {
    var w = new FetchWindow<String>();
    w.add("a", HEAD0, new BitSet(), 7, null); // miss: fetches the head's K
    w.add("b", HEAD0, null, -1, null); // hit: the buffer says resident, the data is not in
    assertNull(w.oldestReady());
    w.arrived(7);
    assertEquals("a", w.takeOldestReady());
    assertEquals("b", w.takeOldestReady());
    assertTrue(w.isEmpty());
  }

  @Test
  void aHitAfterTheReadArrivedIsReadyAtOnce() {
    var w = new FetchWindow<String>();
    w.add("a", HEAD0, new BitSet(), 7, null);
    w.arrived(7);
    w.add("b", HEAD0, null, -1, null);
    assertEquals("a", w.takeOldestReady());
    assertEquals("b", w.takeOldestReady());
  }

  @Test
  void anotherHeadsReadDoesNotHoldABlockBack() {
    var w = new FetchWindow<String>();
    w.add("a", HEAD0, new BitSet(), 7, null);
    w.add("b", HEAD1, null, -1, null);
    assertEquals("b", w.oldestReady());
    assertEquals("b", w.takeOldestReady());
    assertNull(w.takeOldestReady());
    w.arrived(7);
    assertEquals("a", w.takeOldestReady());
  }

  @Test
  void rowsWaitOnlyForTheReadsThatBringThem() {
    var w = new FetchWindow<String>();
    w.add("a", HEAD0, new BitSet(), 1, rows(0, 8)); // brings rows 0..7
    w.add("b", HEAD0, new BitSet(), 2, rows(8, 16)); // brings rows 8..15
    w.add("c", HEAD0, rows(10, 12), -1, null); // needs only rows of b's read
    w.add("d", HEAD0, rows(20, 22), -1, null); // rows of a read long done
    assertEquals("d", w.takeOldestReady());
    w.arrived(1);
    assertEquals("a", w.takeOldestReady());
    assertNull(w.oldestReady()); // c still waits for b's read
    w.arrived(2);
    assertEquals("b", w.takeOldestReady());
    assertEquals("c", w.takeOldestReady());
  }

  /** A read that has arrived no longer holds anyone back; the others still do. */
  @Test
  void onlyTheReadsStillInFlightAreWaitedFor() {
    var w = new FetchWindow<String>();
    w.add("a", HEAD0, new BitSet(), 0, rows(0, 8)); // tile ids start at 0
    w.add("b", HEAD0, new BitSet(), 1, rows(8, 16));
    assertEquals(2, w.size());
    w.arrived(0);
    w.add("c", HEAD0, rows(0, 16), -1, null); // needs a's rows (in) and b's (in flight)
    assertEquals("a", w.takeOldestReady());
    assertNull(w.oldestReady());
    w.arrived(1);
    assertEquals("b", w.takeOldestReady());
    assertEquals("c", w.takeOldestReady());
    assertEquals(0, w.size());
    assertTrue(w.isEmpty());
  }

  @Test
  void aBlockWithItsOwnReadAndHitsWaitsForBoth() {
    var w = new FetchWindow<String>();
    w.add("a", HEAD0, new BitSet(), 1, rows(0, 8));
    w.add("b", HEAD0, rows(4, 6), 2, rows(8, 10));
    w.arrived(2);
    assertNull(w.oldestReady());
    w.arrived(1);
    assertEquals("a", w.takeOldestReady());
    assertEquals("b", w.takeOldestReady());
    assertEquals(0, w.size());
  }
}
