package dev.attnsim.sim.dram;

import dev.attnsim.sim.trace.TraceError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A memory request trace as DRAM simulators read them: per request the earliest cycle it may be
 * issued, its byte address and whether it writes, in file order.
 *
 * <h2>Formats</h2>
 * <ul>
 *   <li>{@code dramsim3} (DRAMSim3's {@code TraceBasedCPU}, {@code operator>>} of {@code
 *       Transaction} in {@code common.cc}): {@code <address> <op> <cycle>}, the address in hex
 *       ({@code 0x} optional), the op {@code READ} or {@code WRITE} (also DRAMSim3's other write
 *       words {@code write}, {@code P_MEM_WR}, {@code BOFF} and read words {@code read},
 *       {@code P_MEM_RD}, {@code P_FETCH}; DRAMSim3 takes any other word for a read, attnsim
 *       refuses it), the cycle in decimal.
 *   <li>{@code ramulator} (Ramulator's {@code Trace::get_dramtrace_request} and {@code
 *       get_unfiltered_request} / {@code get_filtered_request} in {@code Processor.cpp}): either a
 *       DRAM trace line {@code <address> [R|W]} (hex, {@code 0x} optional; no op: read), issued as
 *       soon as the front end can, or a CPU trace line {@code <bubbles> <address> [<writeback>]}
 *       or {@code <bubbles> <address> R|W} (bubbles in decimal, addresses in decimal or
 *       {@code 0x} hex): the front end waits {@code bubbles} cycles after the previous request
 *       (one non-memory instruction per cycle [choice]), then issues a read of {@code address}
 *       (or the given op), and a write of {@code writeback} right after it.
 * </ul>
 * Blank lines and lines starting with {@code #} are skipped; anything else that does not parse is
 * a {@link TraceError} naming the file and line.
 */
public final class RequestTrace {

  /** The trace formats. */
  public enum Format {
    DRAMSIM3,
    RAMULATOR
  }

  private long[] cycles = new long[1024];
  private long[] gaps = new long[1024];
  private long[] addresses = new long[1024];
  private boolean[] writes = new boolean[1024];
  private int[] lines = new int[1024];
  private int size;

  private RequestTrace() {}

  /** Number of requests. */
  public int size() {
    return size;
  }

  /** The earliest cycle request {@code i} may be issued (dramsim3), else 0. */
  public long cycle(int i) {
    return cycles[i];
  }

  /** Cycles the front end waits after the previous request before issuing {@code i}. */
  public long gap(int i) {
    return gaps[i];
  }

  public long address(int i) {
    return addresses[i];
  }

  public boolean write(int i) {
    return writes[i];
  }

  /** The 1-based line request {@code i} came from. */
  public int line(int i) {
    return lines[i];
  }

  /** Reads {@code file} in {@code format}. */
  public static RequestTrace read(Path file, Format format) {
    var t = new RequestTrace();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = in.readLine()) != null) {
        n++;
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) {
          continue;
        }
        String[] f = s.split("\\s+");
        if (format == Format.DRAMSIM3) {
          t.dramsim3(file, n, f);
        } else {
          t.ramulator(file, n, f);
        }
      }
    } catch (java.nio.charset.MalformedInputException e) {
      throw new TraceError(file, 0, "is not a text file (not UTF-8)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (t.size == 0) {
      throw new TraceError(file, 0, "holds no request");
    }
    return t;
  }

  private void dramsim3(Path file, int line, String[] f) {
    if (f.length != 3) {
      throw new TraceError(file, line, "expected '<address> READ|WRITE <cycle>' (dramsim3 "
          + "format), got " + f.length + " field(s)");
    }
    long address = number(file, line, f[0], 16, "address");
    boolean write = switch (f[1]) {
      case "WRITE", "write", "P_MEM_WR", "BOFF" -> true;
      case "READ", "read", "P_MEM_RD", "P_FETCH" -> false;
      default -> throw new TraceError(file, line, "unknown op '" + f[1]
          + "' (dramsim3 format: READ or WRITE)");
    };
    long cycle = number(file, line, f[2], 10, "cycle");
    add(cycle, 0, address, write, line);
  }

  private void ramulator(Path file, int line, String[] f) {
    if (f.length > 3) {
      throw new TraceError(file, line, "expected '<address> R|W' or '<bubbles> <address> "
          + "[<writeback>|R|W]' (ramulator format), got " + f.length + " fields");
    }
    if (f.length == 1 || (f.length == 2 && op(f[1]) != null)) {
      long address = number(file, line, f[0], 16, "address");
      add(0, 0, address, f.length == 2 && op(f[1]), line);
      return;
    }
    long bubbles = number(file, line, f[0], 10, "bubble count");
    long address = number(file, line, f[1], 0, "address");
    if (f.length == 3 && op(f[2]) != null) {
      add(0, bubbles, address, op(f[2]), line);
      return;
    }
    add(0, bubbles, address, false, line);
    if (f.length == 3) {
      add(0, 0, number(file, line, f[2], 0, "writeback address"), true, line);
    }
  }

  /** True for a write op, false for a read, null for anything else. */
  private static Boolean op(String s) {
    return switch (s) {
      case "R", "r", "READ", "read" -> Boolean.FALSE;
      case "W", "w", "WRITE", "write" -> Boolean.TRUE;
      default -> null;
    };
  }

  /** A non-negative number: radix 16 takes an optional 0x, radix 0 reads 0x as hex else decimal. */
  private static long number(Path file, int line, String text, int radix, String what) {
    String s = text;
    int r = radix;
    String lower = s.toLowerCase(Locale.ROOT);
    if ((radix == 16 || radix == 0) && lower.startsWith("0x")) {
      s = s.substring(2);
      r = 16;
    } else if (radix == 0) {
      r = 10;
    }
    try {
      long v = Long.parseLong(s, r);
      if (v < 0 || s.startsWith("+")) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new TraceError(file, line, what + " '" + text + "' is not a non-negative "
          + (r == 16 ? "hex" : "decimal") + " number");
    }
  }

  private void add(long cycle, long gap, long address, boolean write, int line) {
    if (size == cycles.length) {
      int n = size * 2;
      cycles = Arrays.copyOf(cycles, n);
      gaps = Arrays.copyOf(gaps, n);
      addresses = Arrays.copyOf(addresses, n);
      writes = Arrays.copyOf(writes, n);
      lines = Arrays.copyOf(lines, n);
    }
    cycles[size] = cycle;
    gaps[size] = gap;
    addresses[size] = address;
    writes[size] = write;
    lines[size] = line;
    size++;
  }
}
