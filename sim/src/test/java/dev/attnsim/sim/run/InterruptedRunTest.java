package dev.attnsim.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.trace.TraceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped from outside (what Ctrl-C does, without the signal): its trace ends with an
 * 'interrupted' footer the trace tools accept as complete, summary.json says interrupted, and a
 * replay compares the events it has.
 */
class InterruptedRunTest {

  @TempDir
  Path tmp;

  @Test
  void aStoppedRunWritesAnInterruptedFooterAndSummaryTheToolsAccept() throws IOException {
    for (String engine : List.of("sequential", "actor")) {
      for (boolean gzip : new boolean[] {false, true}) {
        var s = TestConfigs.file("traces/golden/gemm-small.conf", "run.engine=" + engine,
            "trace.gzip=" + gzip);
        var control = new Simulation.Control();
        control.stop(); // before the engine exists: it stops as soon as it starts
        Path dir = tmp.resolve(engine + gzip);
        var o = Simulation.run(s, Simulation.inputs(s), dir, ProgressListener.NONE, control);
        assertEquals(RunStatus.INTERRUPTED, o.result().status());

        var summary = new ObjectMapper().readTree(dir.resolve(Simulation.SUMMARY).toFile());
        assertEquals("interrupted", summary.get("status").asText());
        try (var r = TraceReader.open(o.trace())) {
          while (r.next() != null) {
            // every line valid
          }
          assertEquals(null, r.incomplete(), "a complete trace");
          assertEquals("interrupted", r.footer().status());
        }
        var replay = Replay.replay(o.trace(), null);
        assertTrue(replay.interrupted() && replay.divergence() == null, replay.toString());
      }
    }
  }

  @Test
  void aTraceWhoseRunStoppedMidwayReplaysAsAPrefix() throws IOException {
    // the golden trace, cut after 40 events and closed with an interrupted footer
    var golden = Files.readAllLines(TestConfigs.repo().resolve("traces/golden/gemm-small.jsonl"));
    var lines = new java.util.ArrayList<>(golden.subList(0, 41));
    lines.add("{\"ev\":\"end\",\"status\":\"interrupted\",\"events\":40,\"cycles\":200}");
    Path t = Files.write(tmp.resolve("cut.jsonl"), lines);
    var replay = Replay.replay(t, "sequential");
    assertTrue(replay.interrupted(), replay.toString());
    assertEquals(null, replay.divergence());
    assertEquals(40, replay.eventLines());
  }
}
