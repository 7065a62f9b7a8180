package dev.attnsim.sim.report;

import dev.attnsim.actors.kernel.BlockStats;
import dev.attnsim.actors.kernel.RunResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Per-block statistics as a CSV table ({@code blocks.csv}). */
public final class BlockTable {
  private BlockTable() {}

  static final List<String> COLUMNS = List.of("block", "busy_cycles", "stall_cycles",
      "idle_cycles", "utilization", "events", "tiles_in", "tiles_out", "bytes_in", "bytes_out");

  public static void writeCsv(Path file, RunResult r) {
    var rows = new ArrayList<List<Object>>();
    for (BlockStats b : r.blocks()) {
      rows.add(List.of(b.name(), b.busyCycles(), b.stallCycles(), b.idleCycles(r.cycles()),
          Summary.round(b.utilization(r.cycles())), b.events(), b.tilesIn(), b.tilesOut(),
          b.bytesIn(), b.bytesOut()));
    }
    Csv.write(file, COLUMNS, rows);
  }
}
