package dev.attnsim.sim.assembly;

import dev.attnsim.actors.blocks.common.AttentionUnit;
import dev.attnsim.actors.blocks.common.FunctionalModel;
import dev.attnsim.actors.blocks.common.LaneDatapath;
import dev.attnsim.actors.blocks.fact.EagerConfig;
import dev.attnsim.actors.blocks.fact.EagerPredictions;
import dev.attnsim.actors.blocks.fact.EagerUnit;
import dev.attnsim.actors.blocks.fact.FactAttentionTiming;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.sim.config.DotaSettings;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.golden.PredictorMasks;

/**
 * Builds FACT (seed 003): its eager prediction unit, which predicts each head before the lanes
 * generate it and hands the kept pairs on to an attention array, beside {@code lanes} dense lanes
 * ({@link CoprocessorLanes}) that generate only the Q, K and V rows the prediction needs and run
 * the FFN at two precisions.
 *
 * <pre>
 *   (the lanes: {@link CoprocessorLanes}, following the prediction's plan)
 *   ctl_i.jobs -> eager.jobs_i       (heads to predict, then query blocks)
 *   eager.lane_i -> ctl_i.pred       (a head is predicted: the lane generates it)
 *   eager.survivors -> attn.survivors
 *   eager.memreq <-> dram (requester lanes)    attn.kvreq <-> dram (requester lanes + 1)
 *   attn.lane_i -> ctl_i.attn        (results of lane i's heads, h mod lanes = i)
 * </pre>
 *
 * In timing mode the prediction is FACT's on the run's tensors ({@link PredictorMasks}, the
 * masks the run's accuracy section judges); in functional mode FACT's on the golden model's FX16
 * X and weights, each attended mask checked against the golden model's.
 */
public final class FactAssembly {
  /** Block names, as reports look them up. */
  public static final String EAGER = "eager";
  public static final String ATTENTION = "attn";

  private FactAssembly() {}

  public static Netlist build(SimSettings s, FunctionalModel functional,
      PredictorMasks predictor) {
    var w = s.transformer();
    var f = s.fact();
    var hw = s.hardware();
    int lanes = hw.lanes();
    LayerShape shape = w.shape(s.dota().predictDim(w.headDim()));
    var fact = f.predictor();
    EagerPredictions.Operands operands;
    if (functional != null) {
      operands = (layer, head) -> {
        var x = functional.input(layer);
        var weights = functional.weights(layer, head);
        return new double[][][] {fact.project(x, weights.wQ()), fact.project(x, weights.wK())};
      };
    } else {
      var masks = predictor != null ? predictor
          : new PredictorMasks(s, DotaSettings.MaskSourceKind.FACT);
      operands = masks::factProjections;
    }
    var predictions = new EagerPredictions(shape, w.layers(), fact, f.keepRatio(),
        f.decideGap(), f.ffnRatio(), f.ffnLowPrecision(), s.run().spareCores(), operands);
    var net = new Netlist();
    LaneDatapath[] data = CoprocessorLanes.add(net, s, shape, functional, 2, predictions);
    var eagerCfg = new EagerConfig(shape, f.bits(), f.logMacsPerCycle(),
        f.topkElementsPerCycle(), f.xBufferBytes(), f.windowBlocks());
    net.add(EAGER, new EagerUnit(eagerCfg, predictions, lanes, functional))
        .add(ATTENTION, new AttentionUnit(lanes, w.headDim(),
            new FactAttentionTiming(w.headDim(), f.attentionMacsPerCycle(),
                f.softmaxElementsPerCycle(), f.softmaxPipelineCycles()),
            f.kvBufferBytes(), f.windowBlocks(), data));
    CoprocessorLanes.connect(net, s, EAGER, ATTENTION);
    long lat = hw.linkLatencyCycles();
    long credit = hw.creditLatencyCycles();
    int depth = hw.pipelineDepth();
    for (int i = 0; i < lanes; i++) {
      net.connect(EAGER + "." + EagerUnit.lanePortName(i), "ctl" + i + ".pred", lat, depth,
          credit);
    }
    net.connect(EAGER + ".survivors", ATTENTION + ".survivors", lat, depth, credit);
    CoprocessorLanes.connectDram(net, s, lanes, EAGER + ".memreq", EAGER + ".mem");
    CoprocessorLanes.connectDram(net, s, lanes + 1, ATTENTION + ".kvreq", ATTENTION + ".kv");
    return net.totalWork(CoprocessorLanes.totalWork(s)).freeze();
  }
}
