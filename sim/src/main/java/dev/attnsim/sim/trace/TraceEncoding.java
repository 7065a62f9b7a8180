package dev.attnsim.sim.trace;

import java.util.Locale;

/**
 * How a trace file is encoded ({@code attnsim.trace.format}). Both hold the same trace, format
 * {@code attnsim-trace} version 1, and every trace tool reads both (told apart by their first
 * bytes, as gzip is); converting a binary trace to JSON Lines gives the bytes the JSON Lines
 * writer writes for the same run. See traces/README.md.
 */
public enum TraceEncoding {
  /** JSON Lines, one object per line: readable as text, about 130 bytes per event. */
  JSONL("trace.jsonl"),
  /**
   * The compact binary encoding ({@link BinaryTrace}): about 12 bytes per event, so that tracing
   * a run of sub-microsecond events costs less than running it.
   */
  BINARY("trace.bin");

  private final String fileName;

  TraceEncoding(String fileName) {
    this.fileName = fileName;
  }

  /** The trace's name in a run's output directory. */
  public String fileName(boolean gzip) {
    return gzip ? fileName + ".gz" : fileName;
  }

  /** The name {@code attnsim.trace.format} and {@code --trace-format} take. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
