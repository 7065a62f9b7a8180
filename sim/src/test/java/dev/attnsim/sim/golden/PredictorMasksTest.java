package dev.attnsim.sim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.actors.compute.Attention;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.config.DotaSettings.MaskSourceKind;
import dev.attnsim.sim.run.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Timing runs whose masks come from a predictor on the synthetic tensors. */
class PredictorMasksTest {

  @TempDir
  Path tmp;

  private static final String[] SMALL = {"workload.transformer.layers=1",
      "workload.transformer.seq-len=256", "workload.transformer.d-model=128",
      "workload.transformer.heads=4", "workload.transformer.ffn-hidden=256"};

  /** The oracle keeps round(0.1 x 256) = 26 keys of every query, in every block and head. */
  @Test
  void oracleKeepsTheConfiguredShareOfEveryRow() {
    var s = TestConfigs.defaults(SMALL);
    var masks = new PredictorMasks(s, MaskSourceKind.ORACLE);
    for (int head = 0; head < 4; head++) {
      var block = masks.block(0, head, 64, 32);
      for (int kept : block.kept()) {
        assertEquals(26, kept);
      }
      assertEquals(32L * 256, block.candidates());
      assertTrue(block.unionKeys() >= 26 && block.unionKeys() <= 256);
      // each query keeps its highest exact score, computed here independently
      var t = TensorSource.of(s).layer(0);
      var q = Attention.multiply(t.x(), TensorSource.headColumns(t.wQ(), head, 32));
      var k = Attention.multiply(t.x(), TensorSource.headColumns(t.wK(), head, 32));
      var scores = Attention.scores(q, k, 64, 32);
      for (int i = 0; i < 32; i++) {
        int best = 0;
        for (int j = 1; j < 256; j++) {
          best = scores[i][j] > scores[i][best] ? j : best;
        }
        int top = best;
        assertTrue(java.util.Arrays.stream(block.keys()[i]).anyMatch(key -> key == top),
            "query " + (64 + i) + " of head " + head + " drops its top key " + top);
      }
    }
  }

  /** Selectors of four lanes ask concurrently; the trace must not care. */
  @Test
  void predictorMasksGiveTheSameTraceOnEveryEngine() throws IOException {
    List<String> reference = null;
    for (String engine : new String[] {"sequential", "actor"}) {
      var sets = new java.util.ArrayList<>(List.of(SMALL));
      sets.add("workload.masks.source=sanger");
      sets.add("run.engine=" + engine);
      sets.add("run.parallelism=2");
      var s = dev.attnsim.sim.config.ConfigLoader.load(null, sets);
      var o = Simulation.run(s, tmp.resolve(engine), ProgressListener.NONE);
      var lines = Files.readAllLines(o.trace());
      var events = lines.subList(1, lines.size());
      if (reference == null) {
        reference = events;
        assertTrue(events.get(events.size() - 1).contains("\"status\":\"ok\""));
      } else {
        assertEquals(reference, events);
      }
    }
  }
}
