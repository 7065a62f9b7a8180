package dev.attnsim.sim.cli;

import static dev.attnsim.sim.cli.Cli.attnsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.cli.Cli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: outputs, one-line errors and exit codes. */
class CliTest {

  @TempDir
  Path tmp;

  private String example() {
    return TestConfigs.repo().resolve("config/examples/gemm.conf").toString();
  }

  @Test
  void runWritesSummaryTableConfigAndTrace() throws IOException {
    Path out = tmp.resolve("run");
    Result r = attnsim("run", example(), "--out", out.toString(), "--set",
        "workload.gemm.m=64", "--engine", "sequential", "--seed", "7");

    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("status     ok"), r.out());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals("ok", summary.get("status").asText());
    assertEquals("gemm", summary.get("name").asText());
    assertEquals("sequential", summary.get("engine").asText());
    assertEquals(7, summary.get("seed").asLong());
    long cycles = summary.get("cycles").asLong();
    JsonNode lane = summary.get("blocks").get("lane0");
    assertEquals(cycles, lane.get("busy_cycles").asLong() + lane.get("stall_cycles").asLong()
        + lane.get("idle_cycles").asLong());
    assertTrue(summary.get("sim").get("events").asLong() > 0);
    assertEquals("trace.jsonl", summary.get("trace").get("path").asText());
    long traceLines = Files.lines(out.resolve("trace.jsonl")).count();
    assertEquals(summary.get("trace").get("events").asLong() + 2, traceLines);
    assertTrue(Files.readString(out.resolve("blocks.csv")).startsWith(
        "block,busy_cycles,stall_cycles,idle_cycles,utilization,events"));
    assertTrue(Files.readString(out.resolve("config.conf")).contains("m=64"));
  }

  @Test
  void functionalModeChecksAndReportsAccuracy() throws IOException {
    Path out = tmp.resolve("functional");
    Result r = attnsim("run", "--mode", "functional", "--out", out.toString(), "--no-trace",
        "--set", "workload.transformer.seq-len=128", "--set", "workload.transformer.layers=1");

    assertEquals(0, r.code(), r.err());
    // 4 heads x 128 / 32 query blocks; 4 output tiles
    assertTrue(r.out().contains("functional 16 masks exact, 4 output tiles within 1.0e-03"),
        r.out());
    assertTrue(r.out().contains("accuracy   dsa masks: prediction accuracy "), r.out());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals("functional", summary.get("mode").asText());
    assertEquals(16, summary.get("functional").get("masks_checked").asInt());
    assertEquals("dsa", summary.get("accuracy").get("source").asText());
    assertEquals(1 + 1 + 1 + 4, Files.readAllLines(out.resolve("accuracy.csv")).size());
  }

  @Test
  void akkaSettingsAreNotSilentlyDropped() {
    Result r = attnsim("check", example(), "--set", "akka.loglevel=DEBUG");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("attnsim: error: unknown key attnsim.akka (--set)"),
        r.err());
  }

  @Test
  void noTraceAndGzipOptions() throws IOException {
    Path a = tmp.resolve("a");
    assertEquals(0, attnsim("run", example(), "--out", a.toString(), "--no-trace").code());
    assertFalse(Files.exists(a.resolve("trace.jsonl")));
    Path b = tmp.resolve("b");
    assertEquals(0, attnsim("run", example(), "--out", b.toString(), "--trace-gzip").code());
    byte[] gz = Files.readAllBytes(b.resolve("trace.jsonl.gz"));
    assertEquals((byte) 0x1f, gz[0]);
    assertEquals((byte) 0x8b, gz[1]);
  }

  @Test
  void unknownKeyIsAOneLineErrorWithASuggestion() {
    Result r = attnsim("run", example(), "--out", tmp.toString(), "--set",
        "hardware.lans=2");

    assertEquals(2, r.code());
    assertEquals("attnsim: error: unknown key attnsim.hardware.lans (--set); did you mean "
        + "attnsim.hardware.lanes?", r.err().strip());
    assertFalse(Files.exists(tmp.resolve("summary.json")));
  }

  @Test
  void outOfRangeValueNamesKeyAndOrigin() throws IOException {
    Path conf = tmp.resolve("bad.conf");
    Files.writeString(conf, "attnsim {\n  hardware.lanes = 0\n}\n");
    Result r = attnsim("check", conf.toString());

    assertEquals(2, r.code());
    assertEquals("attnsim: error: attnsim.hardware.lanes = 0 (" + conf + ": 2) is out of range: "
        + "must be between 1 and 1024", r.err().strip());
  }

  @Test
  void missingConfigFileIsBadInput() {
    Result r = attnsim("run", tmp.resolve("nope.conf").toString());

    assertEquals(2, r.code());
    assertEquals("attnsim: error: config file " + tmp.resolve("nope.conf") + " not found",
        r.err().strip());
  }

  @Test
  void unknownOptionIsAUsageError() {
    Result r = attnsim("run", "--turbo");
    assertEquals(2, r.code());
    assertEquals("attnsim: error: unknown option: '--turbo'\nsee attnsim help run",
        r.err().strip().replace("\r", ""));
    Result typo = attnsim("run", "--sed", "3");
    assertEquals(2, typo.code());
    assertEquals("attnsim: error: unknown option: '--sed'; did you mean --set or --seed?\n"
        + "see attnsim help run", typo.err().strip().replace("\r", ""));
    assertEquals("", typo.out());
  }

  @Test
  void aMissingValueOrCommandIsTwoLinesNotTheUsage() {
    Result r = attnsim("export", "t.jsonl", "--format", "csv", "-o");
    assertEquals(2, r.code());
    assertEquals("attnsim: error: missing required parameter for option '--out' (FILE)\n"
        + "see attnsim help export", r.err().strip().replace("\r", ""));
    Result c = attnsim("frob");
    assertEquals(2, c.code());
    assertEquals("attnsim: error: unknown command 'frob'\nsee attnsim help",
        c.err().strip().replace("\r", ""));
    Result v = attnsim("inspect", "t.jsonl", "--stalls", "many");
    assertEquals(2, v.code());
    assertEquals("attnsim: error: invalid value for option '--stalls': 'many' is not an int\n"
        + "see attnsim help inspect", v.err().strip().replace("\r", ""));
  }

  @Test
  void aBadValueOfARunOptionNamesTheOption() {
    Result engine = attnsim("run", "--engine", "actors");
    assertEquals(2, engine.code());
    assertEquals("attnsim: error: attnsim.run.engine = \"actors\" (--engine) must be one of: "
        + "actor, sequential", engine.err().strip());
    Result mode = attnsim("run", "--mode", "funtional");
    assertEquals(2, mode.code());
    assertEquals("attnsim: error: attnsim.run.mode = \"funtional\" (--mode) must be one of: "
        + "timing, functional", mode.err().strip());
    Result threads = attnsim("run", "--parallelism", "-3");
    assertEquals(2, threads.code());
    assertEquals("attnsim: error: attnsim.run.parallelism = -3 (--parallelism) is out of range: "
        + "must be between 0 and 256", threads.err().strip());
  }

  @Test
  void checkPrintsTheResolvedConfig() {
    Result r = attnsim("check", example(), "--set", "hardware.lanes=3");

    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("attnsim {"), r.out());
    assertTrue(r.out().contains("lanes=3"), r.out());
    assertEquals("ok: gemm: 5 blocks, 6 links, 128 output tiles", r.err().strip());
  }

  @Test
  void presetsLayerAcceleratorAndWorkloadOverTheDefaults() throws IOException {
    Path out = tmp.resolve("dota");
    String repo = TestConfigs.repo().toString();
    Result r = attnsim("run", "--accelerator", repo + "/config/accelerators/dota-a.conf",
        "--workload", repo + "/config/workloads/lra-image.conf", "--set",
        "workload.transformer.seq-len=128", "--set", "workload.transformer.layers=1", "--out",
        out.toString(), "--no-trace", "--engine", "sequential");

    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("lra-image, 1 x 128 tokens, on DOTA, INT4 detection keeping 4.0%"),
        r.out());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals("dota-a-lra-image", summary.get("name").asText());
    assertEquals(64, summary.get("workload").get("d_model").asInt());
    assertTrue(summary.get("sparsity").get("omitted_fraction").asDouble() > 0.5);
    assertTrue(summary.get("energy_pj").get("total").asLong() > 0);
    assertTrue(Files.size(out.resolve("latency.png")) > 1000);
  }

  @Test
  void unknownPresetListsTheKnownOnes() {
    Result r = attnsim("check", "--workload", "bert-huge");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("attnsim: error: no workload preset 'bert-huge'"), r.err());
  }

  @Test
  void badEngineNameListsTheChoices() {
    Result r = attnsim("check", "--set", "run.engine=actr");
    assertEquals(2, r.code());
    assertEquals("attnsim: error: attnsim.run.engine = \"actr\" (--set) must be one of: "
        + "actor, sequential", r.err().strip());
  }
}
