package dev.attnsim.sim.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnsim.actors.blocks.common.dram.DramDevice;
import dev.attnsim.actors.blocks.common.dram.DramPolicy;
import dev.attnsim.actors.blocks.common.dram.DramPresets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller against DRAMSim3 itself: traces of 8192 requests in DRAMSim3's format, fed one
 * per cycle as DRAMSim3's trace front end does, on its stock HBM2_8Gb_x128 and DDR4_8Gb_x8_3200
 * configurations. The expected figures are DRAMSim3's (commit 2981759, built locally, driven by
 * a harness that adds transactions exactly as {@code TraceBasedCPU::ClockTick} and runs until
 * the last callback): the clock of the last completion and the read latency (average to two
 * decimals, maximum), which attnsim reproduces exactly.
 *
 * <p>Traces: {@code stream} reads 64 B bursts from 0 upwards; {@code random} reads 64 B-aligned
 * addresses {@code (x >>> 40) << 6} of the LCG {@code x = x * 6364136223846793005 +
 * 1442695040888963407} from {@code x = 1} (1 GiB); {@code collide} interleaves four streams 1 MiB
 * apart (same channel and bank, different rows); {@code mixed} is random from {@code x = 7} with
 * every third request a write; {@code wstream} alternates reads and writes of the stream.
 */
class DramSim3AgreementTest {

  @TempDir
  static Path tmp;

  static final int N = 8192;

  static Path trace(String kind) throws IOException {
    Path p = tmp.resolve(kind + ".trace");
    if (Files.exists(p)) {
      return p;
    }
    long[] x = {kind.equals("mixed") ? 7 : 1};
    var lines = IntStream.range(0, N).mapToObj(i -> {
      long address;
      boolean write = false;
      switch (kind) {
        case "stream" -> address = 64L * i;
        case "collide" -> address = (i % 4) * (1L << 20) + (i / 4) * 64L;
        case "wstream" -> {
          address = 64L * i;
          write = i % 2 == 1;
        }
        default -> {
          x[0] = x[0] * 6364136223846793005L + 1442695040888963407L;
          address = (x[0] >>> 40) << 6;
          write = kind.equals("mixed") && i % 3 == 2;
        }
      }
      return String.format("0x%x %s 0", address, write ? "WRITE" : "READ");
    }).toList();
    Files.write(p, lines);
    return p;
  }

  @ParameterizedTest(name = "{0} {1}: {2} clocks, read latency {3} / {4}")
  @CsvSource({
      "hbm2, stream, 8378, 60.46, 423",
      "hbm2, random, 9583, 230.71, 2539",
      "hbm2, collide, 58239, 361.82, 797",
      "hbm2, mixed, 9047, 280.27, 1751",
      "hbm2, wstream, 8268, 45.78, 446",
      "ddr4, stream, 49582, 283.72, 969",
      "ddr4, random, 41284, 593.41, 6418",
      "ddr4, collide, 140470, 719.58, 1507",
      "ddr4, mixed, 46208, 836.19, 7913",
      "ddr4, wstream, 55756, 545.03, 1527"})
  void matchesDramsim3(String preset, String kind, long cycles, double latency, long maxLatency)
      throws IOException {
    DramDevice device = preset.equals("hbm2") ? DramPresets.HBM2 : DramPresets.DDR4_3200;
    var policy = DramPolicy.defaults(device).withIntake(DramPolicy.Intake.ONE);
    var r = DramTraceRun.run(RequestTrace.read(trace(kind), RequestTrace.Format.DRAMSIM3), device,
        policy, true);
    assertEquals(cycles, r.cycles());
    assertEquals(latency, Math.round(r.readLatency().average() * 100) / 100.0);
    assertEquals(maxLatency, r.readLatency().max());
  }
}
