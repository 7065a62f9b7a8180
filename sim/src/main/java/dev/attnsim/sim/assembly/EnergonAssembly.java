package dev.attnsim.sim.assembly;

import dev.attnsim.actors.blocks.common.FunctionalModel;
import dev.attnsim.actors.blocks.common.LaneDatapath;
import dev.attnsim.actors.blocks.common.AttentionUnit;
import dev.attnsim.actors.blocks.energon.AttentionTiming;
import dev.attnsim.actors.blocks.energon.FilterConfig;
import dev.attnsim.actors.blocks.energon.FilterRounds;
import dev.attnsim.actors.blocks.energon.FilterUnit;
import dev.attnsim.actors.blocks.energon.Selector;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.sim.config.DotaSettings;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.golden.PredictorMasks;

/**
 * Builds Energon (seeds 000, 002): its co-processor (filter unit, selector, attention unit) for
 * attention, beside {@code lanes} dense lanes for everything else. Energon is an attention
 * co-processor; the linear layers, the output projection and the FFN run on lanes like DOTA-F's
 * ({@code ctl<i>} + {@code rmmu<i>} as a dense array, {@code hardware.lanes} x {@code
 * hardware.rmmu}), so whole layers are comparable [choice].
 *
 * <pre>
 *   (the lanes: {@link CoprocessorLanes})
 *   ctl_i.jobs -> filter.jobs_i      filter.scores -> esel.scores
 *   esel.again -> filter.again       esel.survivors -> attn.survivors
 *   filter.planereq <-> dram (requester lanes)    attn.kvreq <-> dram (requester lanes + 1)
 *   attn.lane_i -> ctl_i.attn        (results of lane i's heads, h mod lanes = i)
 * </pre>
 *
 * In timing mode which keys survive each round comes from Energon's filter on the run's tensors
 * ({@link PredictorMasks#energonRounds}), the same masks the run's accuracy section judges; in
 * functional mode from the filter on the Q and K the lanes computed, checked against the golden
 * model's ({@link FilterRounds#onLanes}).
 */
public final class EnergonAssembly {
  /** Block names, as reports look them up. */
  public static final String FILTER = "filter";
  public static final String SELECTOR = "esel";
  public static final String ATTENTION = "attn";

  private EnergonAssembly() {}

  /** Energon in timing mode, its filter's rounds from {@code predictor} (null: a new one). */
  public static Netlist build(SimSettings s, PredictorMasks predictor) {
    return build(s, null, predictor);
  }

  /**
   * Energon whose tiles carry numbers from {@code functional} (the lanes compute Q, K, V; the
   * filter unit filters them; the attention unit attends with them; the selector and the
   * accumulator check masks and outputs), or shapes only when it is null, the rounds then from
   * {@code predictor} (null: a new {@link PredictorMasks} on the run's tensors).
   */
  public static Netlist build(SimSettings s, FunctionalModel functional,
      PredictorMasks predictor) {
    var w = s.transformer();
    var e = s.energon();
    var hw = s.hardware();
    int lanes = hw.lanes();
    LayerShape shape = w.shape(s.dota().predictDim(w.headDim()));
    var net = new Netlist();
    LaneDatapath[] data = CoprocessorLanes.add(net, s, shape, functional, 2);
    FilterRounds rounds;
    if (data != null) {
      rounds = FilterRounds.onLanes(data, e.filter(), shape);
    } else {
      var masks = predictor != null ? predictor
          : new PredictorMasks(s, DotaSettings.MaskSourceKind.ENERGON);
      rounds = (layer, head, q0, rows) -> {
        int n = Math.min(rows, shape.seqLen() - q0);
        return FilterRounds.blocks(layer, head, q0, masks.energonRounds(layer, head, q0, n),
            shape.candidates(q0, n));
      };
    }
    int r = e.keyBits().size();
    int[] keyBits = new int[r];
    long[] macs = new long[r];
    for (int i = 0; i < r; i++) {
      keyBits[i] = e.keyBits().get(i);
      macs[i] = e.filterMacsPerCycle().get(FilterConfig.roundPrecision(keyBits[i]));
    }
    var filterCfg = new FilterConfig(shape, keyBits, macs, e.planeBufferBytes(),
        s.dram().timing(s.clockGhz()).burstBytes(), e.windowBlocks());
    int depth = hw.pipelineDepth();
    net.add(FILTER, new FilterUnit(filterCfg, rounds, lanes, depth))
        .add(SELECTOR, new Selector(r, e.selectorElementsPerCycle(), functional))
        .add(ATTENTION, new AttentionUnit(lanes, w.headDim(),
            new AttentionTiming(w.headDim(), e.attentionMacsPerCycle(),
                e.softmaxElementsPerCycle(), e.softmaxPipelineCycles()),
            e.kvBufferBytes(), e.windowBlocks(), data));
    CoprocessorLanes.connect(net, s, FILTER, ATTENTION);
    long lat = hw.linkLatencyCycles();
    long credit = hw.creditLatencyCycles();
    net.connect(FILTER + ".scores", SELECTOR + ".scores", lat, depth, credit)
        .connect(SELECTOR + ".again", FILTER + ".again", lat, depth, credit)
        .connect(SELECTOR + ".survivors", ATTENTION + ".survivors", lat, depth, credit);
    CoprocessorLanes.connectDram(net, s, lanes, FILTER + ".planereq", FILTER + ".planes");
    CoprocessorLanes.connectDram(net, s, lanes + 1, ATTENTION + ".kvreq", ATTENTION + ".kv");
    return net.totalWork(CoprocessorLanes.totalWork(s)).freeze();
  }
}
