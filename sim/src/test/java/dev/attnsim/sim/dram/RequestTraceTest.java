package dev.attnsim.sim.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnsim.actors.blocks.common.dram.DramDevice;
import dev.attnsim.actors.blocks.common.dram.DramPolicy;
import dev.attnsim.actors.blocks.common.dram.DramPresets;
import dev.attnsim.sim.dram.RequestTrace.Format;
import dev.attnsim.sim.trace.TraceError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request traces as DRAMSim3 and Ramulator write them, line by line, and the front end's issue
 * cycles and the run's figures on HBM2 clocked with the DRAM (a read to an idle bank: taken at
 * t + 1, ACT t + 2, RD t + 16, complete t + 32, latency 31).
 */
class RequestTraceTest {

  @TempDir
  Path tmp;

  private Path file(String text) throws IOException {
    Path p = tmp.resolve("t" + System.nanoTime() + ".trace");
    Files.writeString(p, text);
    return p;
  }

  private static List<List<Object>> requests(RequestTrace t) {
    var out = new ArrayList<List<Object>>();
    for (int i = 0; i < t.size(); i++) {
      out.add(List.of(t.cycle(i), t.gap(i), t.address(i), t.write(i), t.line(i)));
    }
    return out;
  }

  private void assertRefused(String expected, String text, Format format) throws IOException {
    Path p = file(text);
    var e = assertThrows(TraceError.class, () -> RequestTrace.read(p, format));
    assertEquals(p + ": " + expected, e.getMessage());
  }

  /** Every op word DRAMSim3 knows; hex addresses with or without 0x; comments and blanks. */
  @Test
  void dramsim3LinesGiveAddressOpAndCycle() throws IOException {
    var t = RequestTrace.read(file("# c\n\n0x40 READ 3\n80 WRITE 4\n0XfF read 5\n"
        + "10 write 6\n0 P_MEM_WR 7\n0 BOFF 8\n0 P_MEM_RD 9\n  0 P_FETCH   10  \n"), Format.DRAMSIM3);
    assertEquals(List.of(
        List.of(3L, 0L, 64L, false, 3),
        List.of(4L, 0L, 128L, true, 4),
        List.of(5L, 0L, 255L, false, 5),
        List.of(6L, 0L, 16L, true, 6),
        List.of(7L, 0L, 0L, true, 7),
        List.of(8L, 0L, 0L, true, 8),
        List.of(9L, 0L, 0L, false, 9),
        List.of(10L, 0L, 0L, false, 10)), requests(t));
  }

  /**
   * Ramulator: a DRAM line (hex address, optional R/W: none is a read), a CPU line of bubbles
   * and an address (decimal or 0x hex) with an op or a write-back address.
   */
  @Test
  void ramulatorLinesGiveGapsAddressesAndWriteBacks() throws IOException {
    var t = RequestTrace.read(file("40\n40 W\n40 r\n3 64\n2 0x40 W\n1 100 0x200\n0 7 write\n"),
        Format.RAMULATOR);
    assertEquals(List.of(
        List.of(0L, 0L, 64L, false, 1),
        List.of(0L, 0L, 64L, true, 2),
        List.of(0L, 0L, 64L, false, 3),
        List.of(0L, 3L, 64L, false, 4),
        List.of(0L, 2L, 64L, true, 5),
        List.of(0L, 1L, 100L, false, 6),
        List.of(0L, 0L, 512L, true, 6),
        List.of(0L, 0L, 7L, true, 7)), requests(t));
  }

  @Test
  void malformedLinesAreNamedWithTheirLine() throws IOException {
    assertRefused("line 2: expected '<address> READ|WRITE <cycle>' (dramsim3 format), got 4 "
        + "field(s)", "0 READ 0\n0 READ 0 9\n", Format.DRAMSIM3);
    assertRefused("line 1: cycle '-1' is not a non-negative decimal number", "0 READ -1\n",
        Format.DRAMSIM3);
    assertRefused("line 1: cycle '+1' is not a non-negative decimal number", "0 READ +1\n",
        Format.DRAMSIM3);
    assertRefused("line 1: cycle '0x10' is not a non-negative decimal number", "0 READ 0x10\n",
        Format.DRAMSIM3);
    assertRefused("line 1: address '-40' is not a non-negative hex number", "-40 READ 1\n",
        Format.DRAMSIM3);
    assertRefused("line 1: expected '<address> R|W' or '<bubbles> <address> [<writeback>|R|W]' "
        + "(ramulator format), got 4 fields", "1 2 3 4\n", Format.RAMULATOR);
    assertRefused("line 1: bubble count 'x' is not a non-negative decimal number", "x 40 W\n",
        Format.RAMULATOR);
    assertRefused("line 1: address '4g' is not a non-negative decimal number", "1 4g\n",
        Format.RAMULATOR);
    assertRefused("line 1: writeback address 'q' is not a non-negative decimal number",
        "1 4 q\n", Format.RAMULATOR);
    assertRefused("holds no request", "# nothing\n\n", Format.DRAMSIM3);
    Path binary = tmp.resolve("binary.trace");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});
    var e = assertThrows(TraceError.class, () -> RequestTrace.read(binary, Format.DRAMSIM3));
    assertEquals(binary + ": is not a text file (not UTF-8)", e.getMessage());
  }

  /** A trace longer than the first arrays (1,024) keeps every request. */
  @Test
  void longTracesKeepEveryRequest() throws IOException {
    var lines = IntStream.range(0, 3000).mapToObj(i -> Integer.toHexString(64 * i) + " "
        + (i % 3 == 0 ? "WRITE" : "READ") + " " + i).toList();
    var t = RequestTrace.read(file(String.join("\n", lines)), Format.DRAMSIM3);
    assertEquals(3000, t.size());
    assertEquals(List.of(2999L, 0L, 64L * 2999, false, 3000), requests(t).get(2999));
    assertEquals(List.of(1500L, 0L, 64L * 1500, true, 1501), requests(t).get(1500));
  }

  private DramTraceRun.Result run(String text, Format format, boolean one) throws IOException {
    DramDevice hbm = DramPresets.HBM2;
    return DramTraceRun.run(RequestTrace.read(file(text), format), hbm,
        DramPolicy.defaults(hbm).withRefresh(DramPolicy.Refresh.NONE), one);
  }

  /**
   * Issue cycles: DRAMSim3 lines at their cycle, one a cycle with the front end {@code one}
   * (0, 1, 2) or all at once wide (0, 0, 0); a Ramulator CPU line's bubbles count from the cycle
   * after the previous request (3 bubbles after a request at 0: 4), the first line's from 0.
   */
  @Test
  void theFrontEndIssuesByCycleBubblesAndWidth() throws IOException {
    var one = run("0 READ 0\n800 READ 0\n1000 READ 0\n", Format.DRAMSIM3, true);
    assertEquals(List.of(0L, 1L, 2L), List.of(one.sentCycles()[0], one.sentCycles()[1],
        one.sentCycles()[2]));
    var wide = run("0 READ 0\n800 READ 0\n1000 READ 0\n", Format.DRAMSIM3, false);
    assertEquals(List.of(0L, 0L, 0L), List.of(wide.sentCycles()[0], wide.sentCycles()[1],
        wide.sentCycles()[2]));
    var later = run("0 READ 7\n", Format.DRAMSIM3, true);
    assertEquals(7L, later.sentCycles()[0]);
    assertEquals(7 + 32, later.cycles());
    var bubbles = run("2 0\n3 800\n", Format.RAMULATOR, true);
    assertEquals(List.of(2L, 6L), List.of(bubbles.sentCycles()[0], bubbles.sentCycles()[1]));
  }

  /**
   * A read, a hit, a write and a conflict on HBM2: figures per class. A (0x0) taken at 1 is a
   * miss of 31; B (0x40) a hit, RD 18, latency 32; W (write 0x80) acknowledged a clock after it
   * is taken; C (1 MiB, row 4 of A's bank) a conflict: PRE 36, ACT 50, RD 64, complete 80,
   * latency 76 from its taking at 4. 4 bursts of 64 B in 80 clocks of 1 ns.
   */
  @Test
  void theRunReportsLatencyPerClass() throws IOException {
    var r = run("0x0 READ 0\n0x40 READ 0\n0x80 WRITE 0\n0x100000 READ 0\n", Format.DRAMSIM3,
        true);
    assertEquals(List.of(4, 3L, 1L, 256L, 80L), List.of(r.requests(), r.reads(), r.writes(),
        r.bytes(), r.cycles()));
    assertEquals(new DramTraceRun.Latency(3, (31 + 32 + 76) / 3.0, 76), r.readLatency());
    assertEquals(List.of(new DramTraceRun.Latency(1, 32, 32), new DramTraceRun.Latency(1, 31, 31),
        new DramTraceRun.Latency(1, 76, 76)), r.classes());
    assertEquals(new DramTraceRun.Latency(1, 1, 1), r.writeLatency());
    assertEquals(256 / 80.0, r.gbPerS(), 1e-12);
    assertEquals(256.0, r.peakGbPerS(), 1e-12);
    assertEquals(4, r.records().length);

    // two hits (B RD 18, C RD 20: latencies 32 and 33) and two writes average over two
    var two = run("0x0 READ 0\n0x40 READ 0\n0x80 READ 0\n0xc0 WRITE 0\n0x100 WRITE 0\n",
        Format.DRAMSIM3, true);
    assertEquals(new DramTraceRun.Latency(2, 32.5, 33), two.classes().get(0));
    assertEquals(new DramTraceRun.Latency(2, 1, 1), two.writeLatency());

    // without records (no CSV asked for), the figures are summed as requests complete: the same
    DramDevice hbm = DramPresets.HBM2;
    var bare = DramTraceRun.run(RequestTrace.read(file(
        "0x0 READ 0\n0x40 READ 0\n0x80 READ 0\n0xc0 WRITE 0\n0x100 WRITE 0\n"),
        Format.DRAMSIM3), hbm, DramPolicy.defaults(hbm).withRefresh(DramPolicy.Refresh.NONE),
        true, dev.attnsim.actors.blocks.common.dram.DramModel.DRAMSIM3, false);
    assertEquals(null, bare.records());
    assertEquals(List.of(two.cycles(), two.readLatency(), two.classes(), two.writeLatency(),
        two.counters()), List.of(bare.cycles(), bare.readLatency(), bare.classes(),
        bare.writeLatency(), bare.counters()));

    // DDR4's clock is 0.63 ns: a read to an idle bank completes at 1 + 1 + tRCD 22 + CL 22 +
    // burst 4 = 50 clocks, 64 bytes in 31.5 ns
    DramDevice ddr4 = DramPresets.DDR4_3200;
    var slow = DramTraceRun.run(RequestTrace.read(file("0x0 READ 0\n"), Format.DRAMSIM3), ddr4,
        DramPolicy.defaults(ddr4).withRefresh(DramPolicy.Refresh.NONE), true);
    assertEquals(50, slow.cycles());
    assertEquals(64 / 31.5, slow.gbPerS(), 1e-9);
  }
}
