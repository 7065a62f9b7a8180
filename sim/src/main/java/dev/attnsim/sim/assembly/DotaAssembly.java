package dev.attnsim.sim.assembly;

import dev.attnsim.actors.blocks.common.Accumulator;
import dev.attnsim.actors.blocks.common.FunctionalModel;
import dev.attnsim.actors.blocks.common.LaneDatapath;
import dev.attnsim.actors.blocks.common.LaneConfig;
import dev.attnsim.actors.blocks.common.LaneController;
import dev.attnsim.actors.blocks.common.Rmmu;
import dev.attnsim.actors.blocks.dota.Scheduler;
import dev.attnsim.actors.blocks.dota.Selector;
import dev.attnsim.actors.blocks.common.SoftmaxUnit;
import dev.attnsim.actors.blocks.common.dram.DramController;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.compute.MaskSource;
import dev.attnsim.actors.compute.SpareThreads;
import dev.attnsim.actors.compute.SyntheticMasks;
import dev.attnsim.actors.kernel.Arith;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.sim.config.DotaSettings;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.golden.AheadMasks;
import dev.attnsim.sim.golden.PredictorMasks;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds DOTA (seed 004, section 6): {@code lanes} lanes, each a controller, an RMMU, a selector,
 * a scheduler and a softmax unit; one banked DRAM controller and one accumulator shared by all.
 *
 * <pre>
 *   ctl_i.ops  -> rmmu_i.ops         rmmu_i.selector -> sel_i.scores    sel_i.mask -> sched_i.mask
 *   ctl_i.jobs -> sel_i.jobs         sched_i.sddmm   -> rmmu_i.sddmm    rmmu_i.softmax -> smx_i
 *   smx_i.spmm -> rmmu_i.spmm        rmmu_i.controller -> ctl_i.done    rmmu_i.acc -> acc.lane_i
 *   ctl_i.dram <-> dram (requester 2i)   sched_i.kvreq <-> dram (requester 2i+1)
 *   acc.lane_i -> ctl_i.ready (stage barriers)
 * </pre>
 *
 * With a {@link FunctionalModel} (functional mode) each lane gets a {@link LaneDatapath} that its
 * controller, selector, scheduler and softmax unit compute with, and the accumulator checks the
 * attention outputs against the model.
 */
public final class DotaAssembly {
  private DotaAssembly() {}

  /** DOTA whose tiles carry numbers from {@code functional}, or shapes only when it is null. */
  public static Netlist build(SimSettings s, FunctionalModel functional) {
    return build(s, functional, null);
  }

  /**
   * DOTA as above; in timing mode with a predictor's masks, {@code predictor} supplies them (null:
   * a new {@link PredictorMasks} on the run's tensors).
   */
  public static Netlist build(SimSettings s, FunctionalModel functional,
      PredictorMasks predictor) {
    var w = s.transformer();
    var d = s.dota();
    var hw = s.hardware();
    int lanes = hw.lanes();
    LayerShape shape = w.shape(d.predictDim(w.headDim()));
    MaskSource masks;
    if (!d.detection() || functional != null) {
      masks = MaskSource.dense(shape); // functional: unused, the selectors select on real scores
    } else if (s.maskSource() == DotaSettings.MaskSourceKind.SYNTHETIC) {
      masks = new AheadMasks(new SyntheticMasks(shape, s.run().seed(), d.keepRatio(),
          d.globalTokens(), d.localWindow(), d.spread(), d.affinity()), w.seqLen(),
          SpareThreads.commonPool(s.run().spareCores()));
    } else {
      masks = predictor != null ? predictor : new PredictorMasks(s, s.maskSource());
    }
    long lat = hw.linkLatencyCycles();
    long credit = hw.creditLatencyCycles();
    int depth = hw.pipelineDepth();
    int dramDepth = hw.dramRequestDepth();

    var net = new Netlist();
    List<String> laneNames = new ArrayList<>();
    for (int i = 0; i < lanes; i++) {
      laneNames.add("lane" + i);
    }
    net.add("dram", s.dram().controller(2 * lanes, s.clockGhz()));
    net.add("acc", new Accumulator(laneNames, laneNames, hw.accumulatorElementsPerCycle(),
        lanes, functional));
    for (int i = 0; i < lanes; i++) {
      var cfg = new LaneConfig(i, lanes, w.layerRuns(), shape, hw.rmmu(), d.detection(),
          d.detectPrecision(), d.rowBlock(), d.sramBytes(), d.prefetchSteps());
      var data = functional == null ? null : new LaneDatapath(functional, shape);
      net.add("ctl" + i, new LaneController(cfg, data))
          .add("rmmu" + i, new Rmmu())
          .add("sel" + i, new Selector(masks, d.comparatorsPerCycle(), data))
          .add("sched" + i, new Scheduler(hw.rmmu(), w.headDim(), d.policy(), d.windowBlocks(),
              data))
          .add("smx" + i, new SoftmaxUnit(d.softmaxElementsPerCycle(),
              d.softmaxPipelineCycles(), w.headDim(), data));
    }
    for (int i = 0; i < lanes; i++) {
      String ctl = "ctl" + i;
      String rmmu = "rmmu" + i;
      String sel = "sel" + i;
      String sched = "sched" + i;
      String smx = "smx" + i;
      net.connect(ctl + ".ops", rmmu + ".ops", lat, depth, credit)
          .connect(ctl + ".jobs", sel + ".jobs", lat, depth, credit)
          .connect(rmmu + ".controller", ctl + ".done", lat, depth, credit)
          .connect(rmmu + ".selector", sel + ".scores", lat, depth, credit)
          .connect(sel + ".mask", sched + ".mask", lat, depth, credit)
          .connect(sched + ".sddmm", rmmu + ".sddmm", lat, depth, credit)
          .connect(rmmu + ".softmax", smx + ".scores", lat, depth, credit)
          .connect(smx + ".spmm", rmmu + ".spmm", lat, depth, credit)
          .connect(rmmu + ".acc", "acc.lane" + i, lat, hw.laneToAccumulatorDepth(), credit)
          .connect("acc.lane" + i, ctl + ".ready", lat, depth, credit)
          .connect(ctl + ".dram", "dram." + DramController.requestPortName(2 * i), lat,
              dramDepth, credit)
          .connect("dram." + DramController.responsePortName(2 * i), ctl + ".dramresp", lat,
              dramDepth, credit)
          .connect(sched + ".kvreq", "dram." + DramController.requestPortName(2 * i + 1), lat,
              dramDepth, credit)
          .connect("dram." + DramController.responsePortName(2 * i + 1), sched + ".kv", lat,
              dramDepth, credit);
    }
    long perLayer = Arith.ceilDiv(w.seqLen(), hw.rmmu().rows())
        + Arith.ceilDiv(w.seqLen(), d.rowBlock());
    return net.totalWork(perLayer * w.layerRuns()).freeze();
  }

}
