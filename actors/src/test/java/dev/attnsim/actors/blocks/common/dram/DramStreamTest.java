package dev.attnsim.actors.blocks.common.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.blocks.common.dram.ScriptedRequester.Req;
import dev.attnsim.actors.kernel.Link;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Long read streams against the presets at 1 GHz, default policy (open page, FR-FCFS, queue 32):
 * achieved bandwidth (bytes over the cycle the last response arrives) and row-hit rate. One
 * requester sends as fast as a depth-8 request link allows; responses go to an unbounded link.
 */
class DramStreamTest {
  private static final long STREAM_BYTES = 4L << 20;

  record Figures(double fractionOfPeak, double hitRate, long cycles,
      SortedMap<String, Long> counters) {}

  static Figures stream(DramTiming timing, long requestBytes, LongUnaryOperator address) {
    int count = (int) (STREAM_BYTES / requestBytes);
    var script = LongStream.range(0, count)
        .mapToObj(i -> Req.read(0, address.applyAsLong(i), requestBytes)).iterator();
    var requester = new ScriptedRequester(script, 0);
    var o = DramControllerTest.run(timing, DramPolicy.DEFAULT, 8, Link.UNBOUNDED,
        List.of(requester));
    assertEquals(count, requester.received());
    var c = o.dram().counters();
    double hits = c.get("row_hits");
    assertEquals(c.get("bursts"), c.get("row_hits") + c.get("row_misses")
        + c.get("row_conflicts"));
    assertEquals(STREAM_BYTES, c.get("bytes_read"));
    long cycles = requester.lastArrival();
    return new Figures(STREAM_BYTES / (cycles * timing.peakBytesPerCycle()),
        hits / c.get("bursts"), cycles, c);
  }

  private static LongUnaryOperator sequential(long requestBytes) {
    return i -> i * requestBytes;
  }

  /** Aligned addresses drawn uniformly from 1 GiB (seeded). */
  private static LongUnaryOperator random(long requestBytes) {
    var rnd = new SplittableRandom(42);
    return i -> rnd.nextLong(1L << 30) / requestBytes * requestBytes;
  }

  /**
   * HBM2, 256 B requests (4 channels x 1 burst each). The stream never leaves a bus idle once
   * started: the first data moves at 1 + tRCD + tCL = 29, then 4 MiB at 256 B/cycle takes 16384
   * cycles, so the last response arrives at 29 + 16384 + 1 = 16414: 99.8 % of peak. Each channel
   * reads 16 bursts per 1 KiB row, the first a miss (the first 16 rows per channel, one per bank)
   * or a conflict: 4096 row openings for 65536 bursts, hit rate 15/16 = 93.75 %. The same bytes at
   * random addresses open a row per burst and are tFAW-bound (4 activations per 30 cycles per
   * channel: at most 4 x 64 / 30 / 32 = 26.7 % of peak); measured about 26 %.
   */
  @Test
  void hbm2SequentialStreamRunsAtPeakAndRandomDoesNot() {
    var seq = stream(DramPresets.hbm2(1.0), 256, sequential(256));
    assertEquals(16414, seq.cycles());
    assertEquals(61440, seq.counters().get("row_hits"));
    assertEquals(128, seq.counters().get("row_misses"));
    assertEquals(3968, seq.counters().get("row_conflicts"));
    assertTrue(seq.fractionOfPeak() >= 0.85, seq.toString());
    assertTrue(seq.hitRate() >= 0.90, seq.toString());

    var rnd = stream(DramPresets.hbm2(1.0), 256, random(256));
    assertTrue(rnd.fractionOfPeak() < 0.5 * seq.fractionOfPeak(), rnd.toString());
    assertTrue(rnd.fractionOfPeak() <= 4 * 64 / 30.0 / 32, rnd.toString());
    assertTrue(rnd.hitRate() < 0.05, rnd.toString());
  }

  /**
   * DDR4-3200, 64 B requests (one burst, 2.5 cycles): first data at 29, then 4 MiB at 25.6 B/cycle
   * = 163840 cycles, last arrival 163870; 8 KiB rows give 127 hits per 128 bursts (99.2 %).
   * Random 64 B reads are bound by tFAW (4 activations per 22 cycles: at most 4 x 64 / 22 / 25.6
   * = 45.5 % of peak).
   */
  @Test
  void ddr4SequentialStreamRunsAtPeakAndRandomDoesNot() {
    var seq = stream(DramPresets.ddr4_3200(1.0), 64, sequential(64));
    assertEquals(163870, seq.cycles());
    assertEquals(65536 / 128, seq.counters().get("row_misses")
        + seq.counters().get("row_conflicts"));
    assertTrue(seq.fractionOfPeak() >= 0.85, seq.toString());
    assertTrue(seq.hitRate() >= 0.90, seq.toString());

    var rnd = stream(DramPresets.ddr4_3200(1.0), 64, random(64));
    assertTrue(rnd.fractionOfPeak() < 0.6 * seq.fractionOfPeak(), rnd.toString());
    assertTrue(rnd.fractionOfPeak() <= 4 * 64 / 22.0 / 25.6 + 1e-9, rnd.toString());
    assertTrue(rnd.hitRate() < 0.05, rnd.toString());
  }
}
