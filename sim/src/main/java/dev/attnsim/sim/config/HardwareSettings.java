package dev.attnsim.sim.config;

import com.typesafe.config.Config;
import dev.attnsim.actors.blocks.common.PeArray;
import dev.attnsim.actors.kernel.Precision;
import java.util.EnumMap;

/**
 * {@code attnsim.hardware}: lanes, their PE arrays (geometry and GEMM timing, {@code
 * hardware.rmmu}), DRAM, accumulator and links.
 */
public record HardwareSettings(
    int lanes,
    PeArray rmmu,
    long dramBandwidthBytesPerCycle,
    long dramLatencyCycles,
    long accumulatorElementsPerCycle,
    long linkLatencyCycles,
    long creditLatencyCycles,
    int dramToLaneDepth,
    int laneToAccumulatorDepth,
    int pipelineDepth,
    int dramRequestDepth,
    double areaMm2) {

  static HardwareSettings from(Config c) {
    String h = "attnsim.hardware.";
    var macs = new EnumMap<Precision, Integer>(Precision.class);
    for (Precision p : Precision.OPERANDS) {
      macs.put(p, ConfigValidator.intIn(c, h + "rmmu.macs-per-pe-per-cycle." + p.label(), 1,
          4096));
    }
    return new HardwareSettings(
        ConfigValidator.intIn(c, h + "lanes", 1, 1024),
        new PeArray(ConfigValidator.intIn(c, h + "rmmu.rows", 1, 4096),
            ConfigValidator.intIn(c, h + "rmmu.cols", 1, 4096), macs, timing(c, h + "rmmu.")),
        ConfigValidator.longIn(c, h + "dram.bandwidth-bytes-per-cycle", 1, 1L << 20),
        ConfigValidator.longIn(c, h + "dram.latency-cycles", 0, 1L << 20),
        ConfigValidator.longIn(c, h + "accumulator.elements-per-cycle", 1, 1L << 20),
        ConfigValidator.longIn(c, h + "links.latency-cycles", 1, 1L << 20),
        ConfigValidator.longIn(c, h + "links.credit-latency-cycles", 1, 1L << 20),
        ConfigValidator.intIn(c, h + "links.dram-to-lane-depth", 1, 1 << 20),
        ConfigValidator.intIn(c, h + "links.lane-to-accumulator-depth", 1, 1 << 20),
        ConfigValidator.intIn(c, h + "links.pipeline-depth", 1, 1 << 20),
        ConfigValidator.intIn(c, h + "links.dram-request-depth", 1, 1 << 20),
        ConfigValidator.doubleIn(c, h + "area-mm2", 0.0, 1e6));
  }

  /** The PE array's GEMM timing: {@code dataflow}, the fold options, the output port. */
  private static PeArray.Timing timing(Config c, String rmmu) {
    return new PeArray.Timing(
        ConfigValidator.enumOf(c, rmmu + "dataflow", PeArray.Dataflow.class),
        c.getBoolean(rmmu + "fold-overlap"),
        c.getBoolean(rmmu + "pad-edge-folds"),
        ConfigValidator.intIn(c, rmmu + "outputs-per-cycle", 1, 1 << 20));
  }
}
