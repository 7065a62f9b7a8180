package dev.attnsim.sim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.run.Simulation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** summary.json says what ran on what, without a HOCON parser, and when each layer's stages ran. */
class SummaryParametersTest {

  @TempDir
  Path tmp;

  private JsonNode summary(String conf, String... sets) throws IOException {
    var all = new java.util.ArrayList<>(List.of(sets));
    all.add("run.engine=sequential");
    all.add("trace.enabled=false");
    var s = TestConfigs.file(conf, all.toArray(String[]::new));
    Simulation.run(s, tmp, ProgressListener.NONE);
    return new ObjectMapper().readTree(tmp.resolve(Simulation.SUMMARY).toFile());
  }

  @Test
  void aTransformerRunsParametersAndPerLayerStageSpans() throws IOException {
    JsonNode j = summary("traces/golden/dota-small.conf", "hardware.lanes=2",
        "hardware.rmmu.dataflow=ws", "workload.transformer.batch=2");
    JsonNode p = j.get("parameters");
    assertEquals("dota", p.get("accelerator").asText());
    assertEquals(2, p.get("lanes").asInt());
    assertEquals("ws", p.get("array").get("dataflow").asText());
    assertTrue(p.get("array").get("rows").asInt() > 0);
    assertEquals("int4", p.get("detection_precision").asText());
    assertTrue(p.get("precisions").toString().contains("fx16"), p.toString());
    assertEquals("hbm2", p.get("dram").asText());
    assertEquals(2, p.get("batch").asInt());
    assertEquals("timing", p.get("mode").asText());
    assertEquals("sequential", p.get("engine").asText());
    for (String k : List.of("sram_bytes", "clock_ghz", "seq_len", "layers", "heads", "d_model")) {
      assertTrue(p.has(k), k);
    }

    long cycles = j.get("cycles").asLong();
    JsonNode layers = j.get("layers");
    assertEquals(p.get("layers").asInt() * 2, layers.size(), "a layer entry per layer run");
    long previousFfnEnd = 0;
    for (int l = 0; l < layers.size(); l++) {
      JsonNode stages = layers.get(l).get("stages");
      assertEquals(l, layers.get(l).get("layer").asInt());
      assertEquals(List.of("linear", "attention", "ffn"),
          names(stages.fieldNames()), stages.toString());
      for (JsonNode st : stages) {
        long start = st.get("start_cycle").asLong();
        long end = st.get("end_cycle").asLong();
        assertEquals(end - start, st.get("cycles").asLong());
        assertTrue(start >= 0 && start < end && end <= cycles, st.toString());
      }
      // a layer's FFN waits for its attention; layers finish in order
      assertTrue(stages.get("ffn").get("start_cycle").asLong()
          >= stages.get("attention").get("start_cycle").asLong());
      assertTrue(stages.get("ffn").get("end_cycle").asLong() > previousFfnEnd);
      previousFfnEnd = stages.get("ffn").get("end_cycle").asLong();
    }
    assertTrue(previousFfnEnd <= cycles);
  }

  @Test
  void aGemmRunsParametersAndNoLayers() throws IOException {
    JsonNode j = summary("traces/golden/gemm-small.conf");
    JsonNode p = j.get("parameters");
    assertEquals("gemm pipeline", p.get("accelerator").asText());
    assertEquals("gemm", p.get("workload").asText());
    assertTrue(p.has("dram_bandwidth_bytes_per_cycle"));
    assertFalse(j.has("layers"));
  }

  private static <T> List<T> names(java.util.Iterator<T> it) {
    var list = new java.util.ArrayList<T>();
    it.forEachRemaining(list::add);
    return list;
  }
}
