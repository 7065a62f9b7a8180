package dev.attnsim.sim.config;

import dev.attnsim.sim.trace.TraceEncoding;

/**
 * Whether and how the trace is written ({@code attnsim.trace}).
 *
 * @param format the file's encoding: JSON Lines or binary
 */
public record TraceSettings(boolean enabled, TraceEncoding format, boolean gzip) {

  /** The trace's name in the run's output directory: trace.jsonl, trace.bin, and .gz. */
  public String fileName() {
    return format.fileName(gzip);
  }
}
