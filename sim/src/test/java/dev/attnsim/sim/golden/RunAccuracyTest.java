package dev.attnsim.sim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnsim.actors.compute.Attention;
import dev.attnsim.actors.compute.EnergonFilter;
import dev.attnsim.sim.config.ConfigLoader;
import dev.attnsim.sim.config.DotaSettings;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.config.SimSettings;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The run's accuracy section for Energon's masks: a block filtered once, its rounds counted. */
class RunAccuracyTest {

  /** Energon on 1 layer of 4 heads, l 256: 4 blocks of {@link AccuracyEval#ROW_BLOCK} a head. */
  private static SimSettings energon(String... more) {
    var sets = new java.util.ArrayList<>(List.of("workload.transformer.layers=1",
        "workload.transformer.d-model=128", "workload.transformer.heads=4",
        "workload.transformer.ffn-hidden=256", "workload.transformer.seq-len=256"));
    sets.addAll(List.of(more));
    return ConfigLoader.load(null,
        List.of(TestConfigs.repo().resolve("config/accelerators/energon.conf")), sets);
  }

  @Test
  void energonsMasksAreFilteredOnceABlockAndTheirRoundsGiveThePredictorsMacs() {
    for (String causal : new String[] {"false", "true"}) {
      var s = energon("workload.transformer.causal=" + causal);
      var tensors = TensorSource.of(s);
      var predictor = new PredictorMasks(s, DotaSettings.MaskSourceKind.ENERGON, tensors);
      var filtered = new AtomicInteger();
      RunAccuracy.Result once = RunAccuracy.evaluate(s, tensors, "energon",
          RunAccuracy.Cost.ENERGON, (layer, head, t) -> (RunAccuracy.EnergonMasks) (q0, rows) -> {
            filtered.incrementAndGet();
            return predictor.energonFilter(layer, head, q0, rows);
          });
      // 4 heads x 4 blocks, each filtered once for its mask and its count
      assertEquals(16, filtered.get(), "causal " + causal);

      // the same masks given as masks alone: the count filters each block again
      RunAccuracy.Result twice = RunAccuracy.evaluate(s, tensors, "energon",
          RunAccuracy.Cost.ENERGON,
          (layer, head, t) -> (q0, rows) -> predictor.mask(layer, head, q0, rows));
      assertEquals(twice, once, "causal " + causal);

      // the predictor's MACs by hand: every round's scored pairs x d_head over the dense
      // attention's candidates x 2 d_head
      var w = s.transformer();
      int l = w.seqLen();
      int dh = w.headDim();
      var t = tensors.layer(0);
      EnergonFilter filter = s.energon().filter();
      long scored = 0;
      long candidates = 0;
      for (int h = 0; h < w.heads(); h++) {
        double[][] q = Attention.multiply(t.x(), TensorSource.headColumns(t.wQ(), h, dh));
        double[][] k = Attention.multiply(t.x(), TensorSource.headColumns(t.wK(), h, dh));
        for (int q0 = 0; q0 < l; q0 += AccuracyEval.ROW_BLOCK) {
          int rows = AccuracyEval.ROW_BLOCK;
          boolean[][] allowed = w.causal() ? Attention.causalMask(q0, rows, l) : null;
          for (long p : filter.filter(q, k, q0, rows, allowed).scoredPairs()) {
            scored += p;
          }
          for (int i = 0; i < rows; i++) {
            candidates += w.causal() ? q0 + i + 1 : l;
          }
        }
      }
      assertEquals((double) (scored * dh) / (candidates * 2 * dh),
          once.overall().predictMacShare(), 1e-15, "causal " + causal);
    }
  }
}
