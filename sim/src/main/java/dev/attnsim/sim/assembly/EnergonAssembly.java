package dev.attnsim.sim.assembly;

import dev.attnsim.actors.blocks.common.Accumulator;
import dev.attnsim.actors.blocks.common.FunctionalModel;
import dev.attnsim.actors.blocks.common.LaneDatapath;
import dev.attnsim.actors.blocks.common.LaneConfig;
import dev.attnsim.actors.blocks.common.LaneController;
import dev.attnsim.actors.blocks.common.Rmmu;
import dev.attnsim.actors.blocks.common.dram.DramController;
import dev.attnsim.actors.blocks.energon.AttentionUnit;
import dev.attnsim.actors.blocks.energon.FilterConfig;
import dev.attnsim.actors.blocks.energon.FilterRounds;
import dev.attnsim.actors.blocks.energon.FilterUnit;
import dev.attnsim.actors.blocks.energon.Selector;
import dev.attnsim.actors.compute.LayerShape;
import dev.attnsim.actors.kernel.Arith;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.sim.config.DotaSettings;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.golden.PredictorMasks;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds Energon (seeds 000, 002): its co-processor (filter unit, selector, attention unit) for
 * attention, beside {@code lanes} dense lanes for everything else. Energon is an attention
 * co-processor; the linear layers, the output projection and the FFN run on lanes like DOTA-F's
 * ({@code ctl<i>} + {@code rmmu<i>} as a dense array, {@code hardware.lanes} x {@code
 * hardware.rmmu}), so whole layers are comparable [choice].
 *
 * <pre>
 *   ctl_i.ops -> rmmu_i.ops          rmmu_i.controller -> ctl_i.done    rmmu_i.acc -> acc.lane_i
 *   acc.lane_i -> ctl_i.ready        ctl_i.dram <-> dram (requester i)
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
    var d = s.dota();
    var e = s.energon();
    var hw = s.hardware();
    int lanes = hw.lanes();
    LayerShape shape = w.shape(d.predictDim(w.headDim()));
    LaneDatapath[] data = null;
    FilterRounds rounds;
    if (functional != null) {
      data = new LaneDatapath[lanes];
      for (int i = 0; i < lanes; i++) {
        data[i] = new LaneDatapath(functional, shape);
      }
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
    var timing = s.dram().timing(s.clockGhz());
    var filterCfg = new FilterConfig(shape, keyBits, macs, e.planeBufferBytes(),
        timing.burstBytes(), e.windowBlocks());

    long lat = hw.linkLatencyCycles();
    long credit = hw.creditLatencyCycles();
    int depth = hw.pipelineDepth();
    int dramDepth = hw.dramRequestDepth();
    var net = new Netlist();
    List<String> laneNames = new ArrayList<>();
    for (int i = 0; i < lanes; i++) {
      laneNames.add("lane" + i);
    }
    net.add("dram", new DramController(lanes + 2, timing, s.dram().policy()));
    net.add("acc", new Accumulator(laneNames, laneNames, hw.accumulatorElementsPerCycle(),
        lanes, functional));
    for (int i = 0; i < lanes; i++) {
      var cfg = new LaneConfig(i, lanes, w.layerRuns(), shape, hw.rmmu(),
          false, d.detectPrecision(), d.rowBlock(), d.sramBytes(), d.prefetchSteps());
      net.add("ctl" + i, LaneController.withExternalAttention(cfg,
              data == null ? null : data[i]))
          .add("rmmu" + i, Rmmu.linearOnly());
    }
    net.add(FILTER, new FilterUnit(filterCfg, rounds, lanes, depth))
        .add(SELECTOR, new Selector(r, e.selectorElementsPerCycle(), functional))
        .add(ATTENTION, new AttentionUnit(lanes, w.headDim(), e.attentionMacsPerCycle(),
            e.softmaxElementsPerCycle(), e.softmaxPipelineCycles(), e.kvBufferBytes(),
            e.windowBlocks(), data));
    for (int i = 0; i < lanes; i++) {
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
          .connect(ctl + ".jobs", FILTER + "." + FilterUnit.jobPortName(i), lat, depth, credit)
          .connect(ATTENTION + "." + AttentionUnit.lanePortName(i), ctl + ".attn", lat, depth,
              credit);
    }
    net.connect(FILTER + ".scores", SELECTOR + ".scores", lat, depth, credit)
        .connect(SELECTOR + ".again", FILTER + ".again", lat, depth, credit)
        .connect(SELECTOR + ".survivors", ATTENTION + ".survivors", lat, depth, credit)
        .connect(FILTER + ".planereq", "dram." + DramController.requestPortName(lanes), lat,
            dramDepth, credit)
        .connect("dram." + DramController.responsePortName(lanes), FILTER + ".planes", lat,
            dramDepth, credit)
        .connect(ATTENTION + ".kvreq", "dram." + DramController.requestPortName(lanes + 1), lat,
            dramDepth, credit)
        .connect("dram." + DramController.responsePortName(lanes + 1), ATTENTION + ".kv", lat,
            dramDepth, credit);
    long perLayer = Arith.ceilDiv(w.seqLen(), hw.rmmu().rows())
        + Arith.ceilDiv(w.seqLen(), d.rowBlock());
    return net.totalWork(perLayer * w.layerRuns()).freeze();
  }
}
