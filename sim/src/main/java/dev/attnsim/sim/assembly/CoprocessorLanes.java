package dev.attnsim.sim.assembly;

import dev.attnsim.actors.blocks.common.Accumulator;
import dev.attnsim.actors.blocks.common.AttentionUnit;
import dev.attnsim.actors.blocks.common.HeadMajorPicker;
import dev.attnsim.actors.blocks.common.FunctionalModel;
import dev.attnsim.actors.blocks.common.GenerationPlan;
import dev.attnsim.actors.blocks.common.LaneConfig;
import dev.attnsim.actors.blocks.common.LaneController;
import dev.attnsim.actors.blocks.common.LaneDatapath;
import dev.attnsim.actors.blocks.common.Rmmu;
import dev.attnsim.actors.blocks.common.dram.DramController;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.kernel.Arith;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.sim.config.SimSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The part every attention co-processor's netlist shares (Energon, Sanger, FACT): the DRAM controller,
 * the accumulator, and {@code hardware.lanes} dense lanes ({@code ctl<i>} + {@code rmmu<i>}, an
 * RMMU that runs linear ops only) for the linear layers, the output projection and the FFN,
 * whose attention leaves on {@code ctl<i>.jobs} and comes back on {@code ctl<i>.attn}.
 *
 * <pre>
 *   ctl_i.ops -> rmmu_i.ops          rmmu_i.controller -> ctl_i.done    rmmu_i.acc -> acc.lane_i
 *   acc.lane_i -> ctl_i.ready        ctl_i.dram <-> dram (requester i)
 *   ctl_i.jobs -> (co-processor)     (co-processor) -> ctl_i.attn
 * </pre>
 *
 * DRAM requesters {@code 0 .. lanes-1} are the lanes'; the co-processor's units take the next
 * ones.
 */
final class CoprocessorLanes {
  private CoprocessorLanes() {}

  /**
   * Adds the DRAM controller ({@code lanes + unitRequesters} requesters), the accumulator and the
   * lanes; in functional mode returns the lanes' datapaths (the co-processor computes with
   * their numbers), else null.
   */
  static LaneDatapath[] add(Netlist net, SimSettings s, LayerShape shape,
      FunctionalModel functional, int unitRequesters) {
    return add(net, s, shape, functional, unitRequesters, null);
  }

  /**
   * As {@link #add(Netlist, SimSettings, LayerShape, FunctionalModel, int)}, the lanes following
   * an eager predictor's {@code plan} when it is not null ({@link
   * LaneController#withEagerPrediction}: FACT), each with an input {@code ctl<i>.pred} for its
   * answers.
   */
  static LaneDatapath[] add(Netlist net, SimSettings s, LayerShape shape,
      FunctionalModel functional, int unitRequesters, GenerationPlan plan) {
    var w = s.transformer();
    var d = s.dota();
    var hw = s.hardware();
    int lanes = hw.lanes();
    LaneDatapath[] data = null;
    if (functional != null) {
      data = new LaneDatapath[lanes];
      for (int i = 0; i < lanes; i++) {
        data[i] = new LaneDatapath(functional, shape);
      }
    }
    List<String> laneNames = new ArrayList<>();
    for (int i = 0; i < lanes; i++) {
      laneNames.add("lane" + i);
    }
    net.add("dram", s.dram().controller(lanes + unitRequesters, s.clockGhz()));
    net.add("acc", new Accumulator(laneNames, laneNames, hw.accumulatorElementsPerCycle(),
        lanes, functional));
    for (int i = 0; i < lanes; i++) {
      var cfg = new LaneConfig(i, lanes, w.layerRuns(), shape, hw.rmmu(),
          false, d.detectPrecision(), d.rowBlock(), d.sramBytes(), d.prefetchSteps());
      LaneDatapath lane = data == null ? null : data[i];
      net.add("ctl" + i, plan == null ? LaneController.withExternalAttention(cfg, lane)
              : LaneController.withEagerPrediction(cfg, lane, plan))
          .add("rmmu" + i, Rmmu.linearOnly());
    }
    return data;
  }

  /**
   * Connects each lane: its RMMU, the accumulator, DRAM, its query blocks to the shared unit
   * {@code jobsUnit} (input {@code jobs<i>}, {@link HeadMajorPicker#jobPortName}) and its attention
   * rows from the attention unit {@code attentionUnit} (output {@code lane<i>}).
   */
  static void connect(Netlist net, SimSettings s, String jobsUnit, String attentionUnit) {
    var hw = s.hardware();
    long lat = hw.linkLatencyCycles();
    long credit = hw.creditLatencyCycles();
    int depth = hw.pipelineDepth();
    int dramDepth = hw.dramRequestDepth();
    for (int i = 0; i < hw.lanes(); i++) {
      String ctl = "ctl" + i;
      String rmmu = "rmmu" + i;
      net.connect(ctl + ".ops", rmmu + ".ops", lat, depth, credit)
          .connect(rmmu + ".controller", ctl + ".done", lat, depth, credit)
          .connect(rmmu + ".acc", "acc.lane" + i, lat, hw.laneToAccumulatorDepth(), credit)
          .connect("acc.lane" + i, ctl + ".ready", lat, depth, credit)
          .connect(ctl + ".dram", "dram." + DramController.requestPortName(i), lat, dramDepth,
              credit)
          .connect("dram." + DramController.responsePortName(i), ctl + ".dramresp", lat,
              dramDepth, credit)
          .connect(ctl + ".jobs", jobsUnit + "." + HeadMajorPicker.jobPortName(i), lat, depth,
              credit)
          .connect(attentionUnit + "." + AttentionUnit.lanePortName(i), ctl + ".attn", lat,
              depth, credit);
    }
  }

  /** Connects co-processor unit {@code unit}'s DRAM request and response ports. */
  static void connectDram(Netlist net, SimSettings s, int requester, String request,
      String response) {
    var hw = s.hardware();
    long lat = hw.linkLatencyCycles();
    long credit = hw.creditLatencyCycles();
    int dramDepth = hw.dramRequestDepth();
    net.connect(request, "dram." + DramController.requestPortName(requester), lat, dramDepth,
            credit)
        .connect("dram." + DramController.responsePortName(requester), response, lat,
            dramDepth, credit);
  }

  /** Work units of the run, for progress: per layer, query blocks and row blocks. */
  static long totalWork(SimSettings s) {
    var w = s.transformer();
    long perLayer = Arith.ceilDiv(w.seqLen(), s.hardware().rmmu().rows())
        + Arith.ceilDiv(w.seqLen(), s.dota().rowBlock());
    return perLayer * w.layerRuns();
  }
}
