package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** A layer's shape and a block's mask as the hardware sees them, by hand. */
class ShapesAndMasksTest {

  /** Causal: query q sees keys 0..q; encoder: all l keys. */
  @Test
  void keysAndCandidatesOfCausalAndEncoderLayers() {
    var causal = new LayerShape(10, 16, 2, 64, 4, true);
    var encoder = new LayerShape(10, 16, 2, 64, 4, false);
    assertEquals(8, causal.headDim());
    assertEquals(1, causal.keysFor(0));
    assertEquals(10, causal.keysFor(9));
    assertEquals(10, encoder.keysFor(0));
    assertEquals(3 + 4 + 5, causal.candidates(2, 3));
    assertEquals(30, encoder.candidates(2, 3));
    assertEquals(55, causal.densePairs());
    assertEquals(100, encoder.densePairs());
    // half of 1, 2, 3, 4 candidates, rounded, at least one
    assertArrayEquals(new int[] {1, 1, 2, 2}, causal.keepCounts(0.5, 0, 4));
    assertArrayEquals(new int[] {5, 5}, encoder.keepCounts(0.5, 0, 2));
  }

  @Test
  void shapesOfOneAreTheSmallestAndHeadsMustDivideTheWidth() {
    var one = new LayerShape(1, 1, 1, 1, 1, false);
    assertEquals(1, one.headDim());
    for (var bad : new int[][] {{0, 1, 1, 1, 1}, {1, 0, 1, 1, 1}, {1, 1, 0, 1, 1},
        {1, 1, 1, 0, 1}, {1, 1, 1, 1, 0}}) {
      assertThrows(IllegalArgumentException.class,
          () -> new LayerShape(bad[0], bad[1], bad[2], bad[3], bad[4], false));
    }
    var e = assertThrows(IllegalArgumentException.class,
        () -> new LayerShape(4, 10, 3, 8, 2, false));
    assertEquals("d_model 10 is not a multiple of the 3 heads", e.getMessage());
  }

  /**
   * Queries 4 and 5 keep keys {0, 2} and {2, 3, 6}: 5 pairs over 4 distinct keys. With keys
   * below 3 on chip, keys 3 and 6 are fetched; below 7 none; from 0 all four.
   */
  /** Rows of several 64-key words, of different lengths, list the same keys a scan finds. */
  @Test
  void aBlockOfLongRowsListsEveryKeptKeyAcrossWords() {
    var rnd = new java.util.SplittableRandom(7);
    boolean[][] mask = new boolean[5][];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = new boolean[i == 2 ? 130 : 200]; // a shorter row, ending inside a word
      for (int j = 0; j < mask[i].length; j++) {
        mask[i][j] = rnd.nextInt(10) < 3 || j == 63 || j == 64 || j == 127;
      }
    }
    mask[4][199] = true;
    var m = MaskBlock.of(0, 0, 0, mask, 0);
    var union = new java.util.BitSet();
    for (int i = 0; i < mask.length; i++) {
      var expected = new java.util.ArrayList<Integer>();
      for (int j = 0; j < mask[i].length; j++) {
        if (mask[i][j]) {
          expected.add(j);
          union.set(j);
        }
      }
      assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), m.keys()[i]);
      assertEquals(expected.size(), m.kept()[i]);
    }
    assertEquals(union, m.union());
    assertEquals(union.cardinality(), m.unionKeys());
    assertEquals(union.get(100, 200).cardinality(), m.unionFrom(100));
  }

  @Test
  void aBlockOfABooleanMaskListsItsKeysAndItsUnion() {
    var m = MaskBlock.of(1, 2, 4, new boolean[][] {
        {true, false, true, false, false, false, false},
        {false, false, true, true, false, false, true}}, 13);
    assertEquals(2, m.queries());
    assertEquals(5, m.keptPairs());
    assertArrayEquals(new int[] {2, 3}, m.kept());
    assertArrayEquals(new int[] {0, 2}, m.keys()[0]);
    assertArrayEquals(new int[] {2, 3, 6}, m.keys()[1]);
    assertEquals(4, m.unionKeys());
    assertEquals(13, m.candidates());
    assertEquals(4, m.unionFrom(0));
    assertEquals(2, m.unionFrom(3));
    assertEquals(1, m.unionFrom(4));
    assertEquals(1, m.unionFrom(6));
    assertEquals(0, m.unionFrom(7));
    assertEquals(0, m.unionFrom(100));
  }

  /** Without a bit set the union is keys 0..unionKeys-1. */
  @Test
  void aTimingBlockCountsItsUnionFromTheFirstKeys() {
    var m = new MaskBlock(0, 0, 0, new int[] {3, 1}, 20, 5, null);
    assertEquals(5, m.unionFrom(0));
    assertEquals(2, m.unionFrom(3));
    assertEquals(0, m.unionFrom(5));
    assertEquals(0, m.unionFrom(9));
    var bits = new BitSet();
    bits.set(1);
    assertEquals(1, new MaskBlock(0, 0, 0, new int[] {1}, 4, 1, bits).unionFrom(-3));
  }

  /** Dense masks keep every candidate; a causal block's union is the last query's keys. */
  @Test
  void denseMasksKeepEveryCandidate() {
    var causal = new LayerShape(10, 16, 2, 64, 4, true);
    var b = MaskSource.dense(causal).block(0, 1, 4, 4);
    assertArrayEquals(new int[] {5, 6, 7, 8}, b.kept());
    assertEquals(26, b.candidates());
    assertEquals(8, b.unionKeys());
    var tail = MaskSource.dense(causal).block(0, 1, 8, 4); // only queries 8 and 9 exist
    assertArrayEquals(new int[] {9, 10}, tail.kept());
    assertEquals(10, tail.unionKeys());
  }
}
