package dev.attnsim.sim.assembly;

import dev.attnsim.actors.blocks.common.AttentionUnit;
import dev.attnsim.actors.blocks.common.FunctionalModel;
import dev.attnsim.actors.blocks.common.LaneDatapath;
import dev.attnsim.actors.blocks.sanger.ArrayTiming;
import dev.attnsim.actors.blocks.sanger.PackSplit;
import dev.attnsim.actors.blocks.sanger.PredictionConfig;
import dev.attnsim.actors.blocks.sanger.PredictionUnit;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.compute.MaskBlock;
import dev.attnsim.actors.compute.MaskSource;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.sim.config.DotaSettings;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.golden.PredictorMasks;

/**
 * Builds Sanger (seed 001): its attention hardware (prediction unit, pack and split, a
 * score-stationary array) beside {@code lanes} dense lanes for everything else ({@link
 * CoprocessorLanes}), so whole layers are comparable with DOTA's and Energon's [choice].
 *
 * <pre>
 *   (the lanes: {@link CoprocessorLanes})
 *   ctl_i.jobs -> pred.jobs_i        pred.mask -> pack.mask        pack.packed -> array.survivors
 *   pred.kreq <-> dram (requester lanes)    array.kvreq <-> dram (requester lanes + 1)
 *   array.lane_i -> ctl_i.attn       (results of lane i's heads, h mod lanes = i)
 * </pre>
 *
 * In timing mode the masks are Sanger's predictor's on the run's tensors ({@link
 * PredictorMasks}), the same masks the run's accuracy section judges; in functional mode the
 * predictor's on the Q and K the lanes computed, checked against the golden model's.
 */
public final class SangerAssembly {
  /** Block names, as reports look them up. */
  public static final String PREDICTION = "pred";
  public static final String PACK = "pack";
  public static final String ARRAY = "array";

  private SangerAssembly() {}

  public static Netlist build(SimSettings s, FunctionalModel functional,
      PredictorMasks predictor) {
    var w = s.transformer();
    var g = s.sanger();
    var hw = s.hardware();
    int lanes = hw.lanes();
    LayerShape shape = w.shape(s.dota().predictDim(w.headDim()));
    var net = new Netlist();
    LaneDatapath[] data = CoprocessorLanes.add(net, s, shape, functional, 2);
    MaskSource masks;
    if (data != null) {
      var sanger = g.predictor();
      LaneDatapath[] lanesData = data;
      masks = (layer, head, q0, rows) -> {
        int n = Math.min(rows, shape.seqLen() - q0);
        return MaskBlock.of(layer, head, q0,
            lanesData[head % lanes].onQk(sanger::mask, layer, head, q0, n),
            shape.candidates(q0, n));
      };
    } else {
      masks = predictor != null ? predictor
          : new PredictorMasks(s, DotaSettings.MaskSourceKind.SANGER);
    }
    var predCfg = new PredictionConfig(shape, g.bits(), g.predictionMacsPerCycle(),
        g.predictionElementsPerCycle(), g.kBufferBytes(), g.windowBlocks());
    net.add(PREDICTION, new PredictionUnit(predCfg, masks, lanes, functional))
        .add(PACK, new PackSplit(shape, g.pieceWidth(), g.arrayCols(), g.piecesPerCycle()))
        .add(ARRAY, new AttentionUnit(lanes, w.headDim(),
            new ArrayTiming(g.arrayRows(), g.arrayCols(), w.headDim(), g.expCycles()),
            g.kvBufferBytes(), g.windowBlocks(), data));
    CoprocessorLanes.connect(net, s, PREDICTION, ARRAY);
    long lat = hw.linkLatencyCycles();
    long credit = hw.creditLatencyCycles();
    int depth = hw.pipelineDepth();
    net.connect(PREDICTION + ".mask", PACK + ".mask", lat, depth, credit)
        .connect(PACK + ".packed", ARRAY + ".survivors", lat, depth, credit);
    CoprocessorLanes.connectDram(net, s, lanes, PREDICTION + ".kreq", PREDICTION + ".k");
    CoprocessorLanes.connectDram(net, s, lanes + 1, ARRAY + ".kvreq", ARRAY + ".kv");
    return net.totalWork(CoprocessorLanes.totalWork(s)).freeze();
  }
}
