package dev.attnsim.actors.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The datapath's FX16: binary point from the largest magnitude, values worked by hand. */
class Fixed16Test {

  @Test
  void binaryPointLeavesRoomForTheLargestMagnitude() {
    assertEquals(14, Fixed16.fractionBits(1.0)); // 1.0 < 2^1: 1.0 x 2^14 = 16384
    assertEquals(15, Fixed16.fractionBits(0.75)); // 0.75 < 2^0: 24576
    assertEquals(12, Fixed16.fractionBits(5.0)); // 5 < 2^3: 20480
    assertEquals(21, Fixed16.fractionBits(0.01)); // 0.01 < 2^-6
    assertEquals(15, Fixed16.fractionBits(0.0));
  }

  @Test
  void roundsToNearestHalvesAwayAndClamps() {
    // 0.1 x 2^15 = 3276.8 -> 3277
    assertEquals(3277 / 32768.0, Fixed16.round(0.1, 15));
    // 2.5 / 2^0 exactly between codes 2 and 3: away from zero
    assertEquals(3.0, Fixed16.round(2.5, 0));
    assertEquals(-3.0, Fixed16.round(-2.5, 0));
    // 0.99999 x 2^15 = 32767.67 rounds to 32768, clamped to 32767
    assertEquals(32767 / 32768.0, Fixed16.round(0.99999, 15));
  }

  @Test
  void eachRowHasItsOwnGridAndATensorOne() {
    double[][] m = {{0.1, 0.75}, {5.0, -0.3}};
    var rows = Fixed16.perRow(m);
    assertArrayEquals(new double[] {3277 / 32768.0, 0.75}, rows[0]);
    // row 1 at 12 fraction bits: -0.3 x 4096 = -1228.8 -> -1229
    assertArrayEquals(new double[] {5.0, -1229 / 4096.0}, rows[1]);
    var tensor = Fixed16.perTensor(m);
    // one grid (12 bits) for all: 0.1 x 4096 = 409.6 -> 410
    assertEquals(410 / 4096.0, tensor[0][0]);
    assertEquals(0.75, tensor[0][1]);
  }
}
