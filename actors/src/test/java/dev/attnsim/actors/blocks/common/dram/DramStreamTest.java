package dev.attnsim.actors.blocks.common.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnsim.actors.blocks.common.dram.ScriptedRequester.Req;
import dev.attnsim.actors.kernel.Link;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.SequentialEngine;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Long read streams through the block, as the accelerators use it: the presets at 1 GHz,
 * DRAMSim3's controller ({@link DramPolicy#defaults}), one requester sending as fast as a depth-8
 * request link allows, responses to an unbounded link. Figures: bytes over the cycle the last
 * response arrives.
 */
class DramStreamTest {
  private static final long STREAM_BYTES = 4L << 20;

  record Figures(double fractionOfPeak, long cycles, SortedMap<String, Long> counters) {}

  static Figures stream(DramTiming timing, long requestBytes, LongUnaryOperator address) {
    return stream(DramModel.DRAMSIM3, timing, requestBytes, address);
  }

  static Figures stream(DramModel model, DramTiming timing, long requestBytes,
      LongUnaryOperator address) {
    int count = (int) (STREAM_BYTES / requestBytes);
    var script = LongStream.range(0, count)
        .mapToObj(i -> Req.read(0, address.applyAsLong(i), requestBytes)).iterator();
    var requester = new ScriptedRequester(script, 0);
    var o = DramControllerTest.run(model, new SequentialEngine(RunLimits.DEFAULT, true), timing,
        DramPolicy.defaults(timing.device()), 8, Link.UNBOUNDED, List.of(requester));
    assertEquals(count, requester.received());
    var c = o.dram().counters();
    assertEquals(c.get("bursts"), c.get("row_hits") + c.get("row_misses")
        + c.get("row_conflicts"));
    assertEquals(STREAM_BYTES, c.get("bytes_read"));
    long cycles = requester.lastArrival();
    return new Figures(STREAM_BYTES / (cycles * timing.peakBytesPerCycle()), cycles, c);
  }

  /**
   * HBM2, 2 KiB requests, each a whole row of one channel ({@code rorabgbachco}): eight
   * requests keep all channels busy; per-channel read queues of 32 bursts hold a whole row plus
   * the next, so the stream runs at the data bus's pace (16384 cycles for 4 MiB at 256 B/cycle)
   * but for refresh (tRFC 260 of every tREFI 3900 clocks, 6.7 %, plus the rows it closes) and the
   * pipeline's fill: 17690 cycles, 92.6 % of peak, as DRAMSim3's 17689 clocks for the same bytes
   * in 64 B requests (README). 2048 rows opened, 32 refreshes (one per channel every 3900).
   */
  @Test
  void hbm2StreamsNearPeakLessRefresh() {
    var f = stream(DramPresets.hbm2(1.0), 2048, i -> i * 2048);
    assertEquals(17690, f.cycles());
    assertEquals(16384, f.counters().get("bus_busy_cycles_max"));
    assertEquals(32, f.counters().get("refreshes"));
    assertEquals(2089, f.counters().get("activates"));
  }

  /**
   * HBM2, 64 B reads at random addresses (seeded, 1 GiB): each opens a row, so the activation
   * limits decide: at most four activations per tFAW 30 per channel, 4 x 64 B / 30 ns x 8 channels
   * = 68.3 GB/s, 26.7 % of peak; measured 69020 cycles, 23.7 % (refresh and bank collisions
   * take the rest), with 65705 activations for 65536 reads.
   */
  @Test
  void hbm2RandomReadsAreFawBound() {
    var rnd = new SplittableRandom(42);
    var f = stream(DramPresets.hbm2(1.0), 64, i -> rnd.nextLong(1L << 30) / 64 * 64);
    assertEquals(69020, f.cycles());
    assertEquals(65705, f.counters().get("activates"));
    assertEquals(46, f.counters().get("row_hits"));
  }

  /**
   * DDR4 (tCK 0.63 ns) at 1 GHz, 64 B sequential reads: 128 bursts per row in one bank, so reads
   * are tCCD_L (8 clocks) apart except where the read queue spans two rows of different bank
   * groups: 248961 cycles, 66.3 % of peak (DRAMSim3: 395174 clocks of 0.63 ns = 248960 ns).
   * Pure tCCD_L would give 50 %, the bus alone 100 %.
   */
  @Test
  void ddr4SequentialReadsAreTccdLBound() {
    var f = stream(DramPresets.ddr4_3200(1.0), 64, i -> i * 64);
    assertEquals(248961, f.cycles());
    assertEquals(64981, f.counters().get("row_hits"));
    assertEquals(63, f.counters().get("refreshes"));
  }
}
