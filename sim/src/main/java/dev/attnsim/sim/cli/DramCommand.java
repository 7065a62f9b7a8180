package dev.attnsim.sim.cli;

import dev.attnsim.actors.blocks.common.dram.DramController.RequestRecord;
import dev.attnsim.actors.blocks.common.dram.DramModel;
import dev.attnsim.actors.blocks.common.dram.DramPolicy;
import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.config.ConfigLoader;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.dram.DramTraceRun;
import dev.attnsim.sim.dram.DramTraceRun.Latency;
import dev.attnsim.sim.dram.RequestTrace;
import dev.attnsim.sim.io.OutputFile;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code attnsim dram}: the DRAM controller alone, driven by a standard request trace. */
@Command(name = "dram", mixinStandardHelpOptions = true,
    description = "Drive the DRAM controller (hardware.dram) from a DRAMSim3 or Ramulator request "
        + "trace, as their trace front ends do, and print cycles (DRAM clocks), bandwidth, "
        + "latency per row-buffer class, row hits/misses/conflicts, commands and energy.")
final class DramCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "TRACE", description = "The request trace.")
  Path trace;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "dramsim3 (<addr> READ|WRITE <cycle>, the default) or ramulator "
          + "(<addr> R|W, or <bubbles> <addr> [<writeback>]).")
  String format = "dramsim3";

  @Option(names = "--frontend", paramLabel = "MODE",
      description = "one (default): at most one request issued and taken per cycle, as "
          + "DRAMSim3's and Ramulator's trace front ends; wide: every request that is due, as "
          + "many as the controller's queues take.")
  String frontend = "one";

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override a hardware.dram.* key (or energy.dram-pj-per-byte), repeatable.")
  List<String> sets = new ArrayList<>();

  @Option(names = {"-o", "--out"}, paramLabel = "FILE.csv",
      description = "Also write one row per request: issue and completion cycle, address, type, "
          + "channel, rank, bank group, bank, row, row-buffer class, latency.")
  Path outFile;

  @Option(names = "--csv", hidden = true, paramLabel = "FILE",
      description = "Old spelling of -o/--out.")
  Path oldCsv;

  @Option(names = "--force", description = "Replace the -o/--out file if it exists.")
  boolean force;

  static final List<String> CSV_COLUMNS = List.of("request", "line", "trace_cycle",
      "issue_cycle", "address", "type", "channel", "rank", "bankgroup", "bank", "row", "class",
      "completion_cycle", "latency_cycles");

  @Override
  public Integer call() {
    var fmt = choice("--format", format, RequestTrace.Format.class);
    var mode = choice("--frontend", frontend, DramPolicy.Intake.class);
    for (String set : sets) {
      String key = set.contains("=") ? set.substring(0, set.indexOf('=')).strip() : set.strip();
      String k = key.startsWith("attnsim.") ? key.substring("attnsim.".length()) : key;
      if (!k.startsWith("hardware.dram.") && !k.equals("energy.dram-pj-per-byte")) {
        throw new ConfigError("--set " + set + ": attnsim dram reads only hardware.dram.* and "
            + "energy.dram-pj-per-byte");
      }
    }
    SimSettings s = ConfigLoader.load(null, List.of(), sets);
    var named = Outputs.chosen(outFile, "--csv", oldCsv, err());
    Path csv = named != null ? named.path() : null;
    if (csv != null) {
      Outputs.check(named.option(), csv, force, List.of(trace));
    }
    if (!Files.isRegularFile(trace)) {
      throw new ConfigError("TRACE " + trace + ": no such file");
    }
    var requests = RequestTrace.read(trace, fmt);
    var device = s.dram().device();
    var policy = s.dram().policy().withIntake(mode);
    var model = s.dram().model();
    var r = DramTraceRun.run(requests, device, policy, mode == DramPolicy.Intake.ONE, model,
        csv != null); // a record per request only for the CSV
    print(out(), r, fmt, mode, s.energy().dramPjPerByte());
    if (model != DramModel.DRAMSIM3) {
      out().printf(Locale.ROOT, "model       %s: each burst timed once, first come first served "
          + "per bank (hardware.dram.model; actors/docs/dram.md)%n", model.key());
    }
    if (csv != null) {
      writeCsv(csv, requests, r);
    }
    return ExitCodes.OK;
  }

  private static <E extends Enum<E>> E choice(String option, String value, Class<E> type) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value.strip())) {
        return e;
      }
    }
    var names = new ArrayList<String>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw new ConfigError(option + " " + value + ": expected " + String.join(" or ", names));
  }

  private void print(PrintWriter out, DramTraceRun.Result r, RequestTrace.Format fmt,
      DramPolicy.Intake mode, double pjPerByte) {
    var c = r.counters();
    var d = r.device();
    out.printf(Locale.ROOT, "%s: %d requests (%d reads, %d writes), %s format, front end %s%n",
        trace, r.requests(), r.reads(), r.writes(), fmt.name().toLowerCase(Locale.ROOT),
        mode.name().toLowerCase(Locale.ROOT));
    out.printf(Locale.ROOT, "device      %s: %d channel(s) x %d rank(s) x %d bank groups x %d "
        + "banks, %d B rows, tCK %s ns%n", d.name(), d.channels(), d.ranks(), d.bankGroups(),
        d.banksPerGroup(), d.rowBytes(), d.tCkNs());
    out.printf(Locale.ROOT, "cycles      %d DRAM clocks (%.3f us), last request completed%n",
        r.cycles(), r.cycles() * d.tCkNs() / 1000);
    out.printf(Locale.ROOT, "bandwidth   %.2f GB/s, %.1f %% of peak %.1f GB/s (%d bytes)%n",
        r.gbPerS(), 100 * r.gbPerS() / r.peakGbPerS(), r.peakGbPerS(), r.bytes());
    line(out, "read lat.", r.readLatency());
    String[] names = {"hit", "miss", "conflict"};
    for (int i = 0; i < 3; i++) {
      line(out, "  " + names[i], r.classes().get(i));
    }
    if (r.writes() > 0) {
      line(out, "write ack.", r.writeLatency());
    }
    out.printf(Locale.ROOT, "row buffer  %d hits, %d misses, %d conflicts (per burst)%n",
        c.get("row_hits"), c.get("row_misses"), c.get("row_conflicts"));
    out.printf(Locale.ROOT, "commands    %d ACT, %d PRE, %d REF%n", c.get("activates"),
        c.get("precharges"), c.get("refreshes"));
    out.printf(Locale.ROOT, "energy      %.3f uJ (%d bytes x energy.dram-pj-per-byte %s)%n",
        r.bytes() * pjPerByte / 1e6, r.bytes(), pjPerByte);
  }

  private static void line(PrintWriter out, String name, Latency l) {
    out.printf(Locale.ROOT, "%-11s avg %.2f, max %d DRAM clocks (%d requests)%n", name,
        l.average(), l.max(), l.requests());
  }

  private static void writeCsv(Path file, RequestTrace t, DramTraceRun.Result r) {
    OutputFile.write(file, stream -> {
      var w = new PrintWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8));
      w.println(String.join(",", CSV_COLUMNS));
      for (int i = 0; i < r.requests(); i++) {
        RequestRecord rec = r.records()[i];
        var loc = rec.location();
        w.printf(Locale.ROOT, "%d,%d,%d,%d,0x%x,%s,%d,%d,%d,%d,%d,%s,%d,%d%n", i, t.line(i),
            t.cycle(i), rec.acceptedCycle(), rec.address(), rec.write() ? "write" : "read",
            loc.channel(), loc.rank(), loc.bankGroup(), loc.bank(), loc.row(), rec.rowClass(),
            rec.departureCycle(), rec.latencyCycles());
      }
      w.flush();
    });
  }
}
