package dev.attnsim.sim.cli;

import static dev.attnsim.sim.cli.Cli.attnsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.sim.cli.Cli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code attnsim dram} as a user meets it: the report, the CSV, one-line errors, exit codes. */
class DramCliTest {

  @TempDir
  Path tmp;

  private Path file(String name, String text) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  /**
   * HBM2, DRAMSim3's front end (one request a cycle), every figure by hand (DRAMSim3 gives the
   * same 80 cycles and read latency 45.67 / 74):
   * A (0x0) taken at 1: ACT 2, RD 2 + tRCDRD 14 = 16, complete 16 + CL 14 + burst 2 = 32, latency
   * 31, a miss. B (0x40, same row) taken at 2: RD at 16 + tCCD_L 2 = 18, complete 34, latency 32,
   * a hit. C (1 MiB: row 4 of the same bank) taken at 6: precharges once A and B are read, at
   * max(ACT 2 + tRAS 34, 18 + tRTP 5) = 36; ACT 50, RD 64, complete 80, latency 74, a conflict.
   * D (write 0x40) taken at 11 is acknowledged at 12; written after C (row 0 again: a conflict).
   * 256 bytes in 80 clocks of 1 ns: 3.20 GB/s, 1.3 % of 256; energy 256 x 162.5 pJ.
   */
  @Test
  void smallTraceReportAndCsv() throws IOException {
    Path trace = file("t.trace",
        "# four requests\n0x0 READ 0\n0x40 READ 0\n0x100000 READ 5\n0x40 WRITE 10\n");
    Path csv = tmp.resolve("t.csv");
    Result r = attnsim("dram", trace.toString(), "-o", csv.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(trace + ": 4 requests (3 reads, 1 writes), dramsim3 format, front end one",
        lines.get(0));
    assertEquals("cycles      80 DRAM clocks (0.080 us), last request completed", lines.get(2));
    assertEquals("bandwidth   3.20 GB/s, 1.3 % of peak 256.0 GB/s (256 bytes)", lines.get(3));
    assertEquals("read lat.   avg 45.67, max 74 DRAM clocks (3 requests)", lines.get(4));
    assertEquals("  hit       avg 32.00, max 32 DRAM clocks (1 requests)", lines.get(5));
    assertEquals("  miss      avg 31.00, max 31 DRAM clocks (1 requests)", lines.get(6));
    assertEquals("  conflict  avg 74.00, max 74 DRAM clocks (1 requests)", lines.get(7));
    assertEquals("write ack.  avg 1.00, max 1 DRAM clocks (1 requests)", lines.get(8));
    assertEquals("row buffer  1 hits, 1 misses, 2 conflicts (per burst)", lines.get(9));
    assertEquals("commands    3 ACT, 2 PRE, 0 REF", lines.get(10));
    assertEquals("energy      0.042 uJ (256 bytes x energy.dram-pj-per-byte 162.5)",
        lines.get(11));
    assertEquals(List.of(
        "request,line,trace_cycle,issue_cycle,address,type,channel,rank,bankgroup,bank,row,"
            + "class,completion_cycle,latency_cycles",
        "0,2,0,1,0x0,read,0,0,0,0,0,miss,32,31",
        "1,3,0,2,0x40,read,0,0,0,0,0,hit,34,32",
        "2,4,5,6,0x100000,read,0,0,0,0,4,conflict,80,74",
        "3,5,10,11,0x40,write,0,0,0,0,0,conflict,12,1"), Files.readAllLines(csv));
    assertEquals("", r.err());

    Result again = attnsim("dram", trace.toString(), "-o", csv.toString());
    assertEquals(2, again.code());
    assertTrue(again.err().contains("-o " + csv + " already exists; --force replaces it"),
        again.err());
  }

  /**
   * Ramulator lines: A read (0x0 R, issued at 0) and a write (0x40 W, at 1); then a CPU line,
   * 2 bubbles, a read of 0x80 and a write-back of 1 MiB: the read is issued 2 cycles after the
   * write plus one, at 4 (taken 5), the write-back at 5. A completes at 32 as above; 0x80 reads
   * at 16 + 2 = 18, complete 34: the run's 34 cycles.
   */
  /**
   * The same four requests on {@code hardware.dram.model = fast}: no request here needs
   * reordering, so it gives the clocked model's report line for line (A miss ACT 2 RD 16; B hit RD
   * 18; C conflict PRE 36 ACT 50 RD 64; D a posted write, conflict), and says which model it ran.
   */
  @Test
  void theFastModelReportsTheSameForRequestsInOrder() throws IOException {
    Path trace = file("t.trace",
        "# four requests\n0x0 READ 0\n0x40 READ 0\n0x100000 READ 5\n0x40 WRITE 10\n");
    Result clocked = attnsim("dram", trace.toString());
    Result fast = attnsim("dram", trace.toString(), "--set", "hardware.dram.model=fast");
    assertEquals(0, fast.code(), fast.err());
    List<String> lines = fast.out().lines().toList();
    assertEquals(clocked.out().lines().toList(), lines.subList(0, lines.size() - 1));
    assertTrue(lines.get(lines.size() - 1).startsWith("model       fast: each burst timed once"),
        lines.get(lines.size() - 1));
  }

  @Test
  void ramulatorFormat() throws IOException {
    Path trace = file("r.trace", "0x0 R\n0x40 W\n2 0x80 0x100000\n");
    Result r = attnsim("dram", trace.toString(), "--format", "ramulator");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith(trace + ": 4 requests (2 reads, 2 writes), ramulator format"),
        r.out());
    assertTrue(r.out().contains("\ncycles      34 DRAM clocks"), r.out());
    assertTrue(r.out().contains("\nread lat.   avg 30.00, max 31 DRAM clocks (2 requests)"),
        r.out());
  }

  @Test
  void malformedLineIsOneLineNamingFileAndLine() throws IOException {
    Path trace = file("bad.trace", "0x0 READ 0\n0x40 READ\n");
    Result r = attnsim("dram", trace.toString());
    assertEquals(2, r.code());
    assertEquals("attnsim: error: " + trace + ": line 2: expected '<address> READ|WRITE "
        + "<cycle>' (dramsim3 format), got 2 field(s)", r.err().strip());
    assertEquals("", r.out());

    Path op = file("op.trace", "0x0 FETCH 0\n");
    Result o = attnsim("dram", op.toString());
    assertEquals(2, o.code());
    assertEquals("attnsim: error: " + op + ": line 1: unknown op 'FETCH' (dramsim3 format: "
        + "READ or WRITE)", o.err().strip());

    Path hex = file("hex.trace", "0xZZ R\n");
    Result h = attnsim("dram", hex.toString(), "--format", "ramulator");
    assertEquals(2, h.code());
    assertEquals("attnsim: error: " + hex + ": line 1: address '0xZZ' is not a non-negative "
        + "hex number", h.err().strip());
  }

  @Test
  void unknownFormatFrontEndOrKeyIsRefused() throws IOException {
    Path trace = file("t.trace", "0x0 READ 0\n");
    Result f = attnsim("dram", trace.toString(), "--format", "usimm");
    assertEquals(2, f.code());
    assertEquals("attnsim: error: --format usimm: expected dramsim3 or ramulator",
        f.err().strip());
    Result m = attnsim("dram", trace.toString(), "--frontend", "two");
    assertEquals(2, m.code());
    assertEquals("attnsim: error: --frontend two: expected one or wide", m.err().strip());
    Result k = attnsim("dram", trace.toString(), "--set", "clock-ghz=2");
    assertEquals(2, k.code());
    assertEquals("attnsim: error: --set clock-ghz=2: attnsim dram reads only hardware.dram.* "
        + "and energy.dram-pj-per-byte", k.err().strip());
    Result v = attnsim("dram", trace.toString(), "--set",
        "hardware.dram.devices.hbm2.channels=3");
    assertEquals(2, v.code());
    assertTrue(v.err().startsWith("attnsim: error: attnsim.hardware.dram.devices.hbm2.channels"
        + " = 3"), v.err());
    assertTrue(v.err().strip().endsWith("must be a power of two"), v.err());
    Result missing = attnsim("dram", tmp.resolve("none.trace").toString());
    assertEquals(2, missing.code());
    assertEquals("attnsim: error: TRACE " + tmp.resolve("none.trace") + ": no such file",
        missing.err().strip());
  }
}
