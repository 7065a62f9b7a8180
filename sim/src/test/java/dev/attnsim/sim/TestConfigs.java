package dev.attnsim.sim;

import dev.attnsim.sim.config.ConfigLoader;
import dev.attnsim.sim.config.SimSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Settings for tests: the defaults, a config file of the repository, plus overrides. */
public final class TestConfigs {
  private TestConfigs() {}

  /** The repository root (tests run in a module directory). */
  public static Path repo() {
    Path here = Path.of("").toAbsolutePath();
    return here.getFileName().toString().equals("sim") ? here.getParent() : here;
  }

  public static SimSettings defaults(String... sets) {
    return ConfigLoader.load(null, List.of(sets));
  }

  public static SimSettings file(String relative, String... sets) {
    return ConfigLoader.load(repo().resolve(relative), List.of(sets));
  }

  /** One lane of a 4 x 4 array on an 8 x 8 x 16 FX16 gemm: 4 folds of 22 cycles. */
  public static List<String> oneLane(String... more) {
    var sets = new ArrayList<>(List.of(
        "workload.kind=gemm", "hardware.lanes=1", "hardware.rmmu.rows=4", "hardware.rmmu.cols=4",
        "workload.gemm.m=8", "workload.gemm.n=8", "workload.gemm.k=16",
        "workload.gemm.precision=FX16", "hardware.dram.latency-cycles=10",
        "hardware.links.latency-cycles=1", "hardware.links.credit-latency-cycles=1",
        "hardware.links.dram-to-lane-depth=2", "hardware.links.lane-to-accumulator-depth=2",
        "hardware.accumulator.elements-per-cycle=16"));
    sets.addAll(Arrays.asList(more));
    return sets;
  }
}
