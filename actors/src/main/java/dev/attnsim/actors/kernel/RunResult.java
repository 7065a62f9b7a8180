package dev.attnsim.actors.kernel;

import java.util.List;

/**
 * The outcome of one run.
 *
 * @param cycles the last cycle anything happened (last event or end of the last busy span)
 * @param events events handled
 * @param problems for a deadlock, one line per block that holds work; for an abort, the cause
 */
public record RunResult(
    RunStatus status, long cycles, long events, List<BlockStats> blocks, List<String> problems) {

  public RunResult {
    blocks = List.copyOf(blocks);
    problems = List.copyOf(problems);
  }

  public BlockStats block(String name) {
    for (BlockStats s : blocks) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no block named " + name);
  }
}
