package dev.attnsim.actors.blocks.common.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The channel's bank sets answer as {@link BitSet} does, over one word and several. */
class BankSetTest {

  @Test
  void answersAsBitSetDoesOverOneWordAndSeveral() {
    for (int banks : new int[] {1, 16, 32, 64, 65, 130}) {
      var random = new SplittableRandom(banks);
      var mine = new BankSet(banks);
      var other = new BankSet(banks);
      var reference = new BitSet(banks);
      var otherReference = new BitSet(banks);
      for (int step = 0; step < 2000; step++) {
        int b = random.nextInt(banks);
        switch (random.nextInt(4)) {
          case 0 -> {
            mine.set(b);
            reference.set(b);
          }
          case 1 -> {
            mine.clear(b);
            reference.clear(b);
          }
          case 2 -> {
            boolean member = random.nextBoolean();
            other.set(b, member);
            otherReference.set(b, member);
          }
          default -> {
            other.clear(b);
            otherReference.clear(b);
          }
        }
        int from = random.nextInt(banks + 1);
        int expected = reference.nextSetBit(from);
        assertEquals(expected >= banks ? -1 : expected, mine.nextSetBit(from),
            banks + " banks, from " + from);
        assertEquals(reference.get(b), mine.get(b));
        assertEquals(reference.intersects(otherReference), mine.intersects(other));
      }
    }
  }

  @Test
  void setFirstAddsExactlyThoseBanks() {
    var s = new BankSet(70);
    s.setFirst(66);
    assertTrue(s.get(0));
    assertTrue(s.get(65));
    assertFalse(s.get(66));
    assertEquals(64, s.nextSetBit(64));
    assertEquals(-1, s.nextSetBit(66));
    assertEquals(-1, s.nextSetBit(70));
  }
}
