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
        int end = from + random.nextInt(banks + 1 - from);
        var expected = (BitSet) reference.clone();
        expected.clear(0, from);
        expected.clear(end, banks);
        assertEquals(expected, inRange(mine, from, end),
            banks + " banks, [" + from + ", " + end + ")");
        assertEquals(reference, all(mine));
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
    var expected = new BitSet();
    expected.set(0, 66);
    assertEquals(expected, all(s));
    assertEquals(2, s.words());
  }

  /** The banks of {@code [from, end)}, a word at a time, as the channel's loops walk them. */
  private static BitSet inRange(BankSet s, int from, int end) {
    var found = new BitSet();
    for (int w = 0; w < s.words(); w++) {
      for (long bits = s.wordIn(w, from, end); bits != 0; bits &= bits - 1) {
        found.set((w << 6) + Long.numberOfTrailingZeros(bits));
      }
    }
    return found;
  }

  private static BitSet all(BankSet s) {
    var found = new BitSet();
    for (int w = 0; w < s.words(); w++) {
      for (long bits = s.word(w); bits != 0; bits &= bits - 1) {
        found.set((w << 6) + Long.numberOfTrailingZeros(bits));
      }
    }
    return found;
  }
}
