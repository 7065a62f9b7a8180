package dev.attnsim.sim.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.config.SimSettings;
import dev.attnsim.sim.trace.TraceError;
import dev.attnsim.sim.trace.TraceHeader;
import dev.attnsim.sim.trace.TraceLines;
import dev.attnsim.sim.trace.TraceReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code attnsim replay}: re-runs the config and seed embedded in a trace's header and compares
 * the event lines (everything after the header, footer included) with the recorded ones, in one
 * streaming pass over both files.
 *
 * <p>The pieces are separate so that a later {@code --isolate BLOCK} (re-run one block against
 * the recorded inputs of the others) can reuse {@link #settings} and {@link #compare}.
 */
public final class Replay {
  private Replay() {}

  /**
   * What a replay found.
   *
   * @param eventLines lines compared after the header (events and footer)
   * @param divergence the first difference, or null when identical
   * @param engine the engine the replay ran on
   */
  public record Result(long eventLines, Divergence divergence, String engine,
      double wallSeconds) {
    public boolean identical() {
      return divergence == null;
    }
  }

  /**
   * The first event line that differs.
   *
   * @param index 0-based index among the event lines (the footer counts as the last one)
   * @param line the 1-based line number in the files
   * @param time the cycle of the expected line (of the replayed one when the trace ended first)
   * @param block the block of that line, or empty
   * @param expected the recorded line, or null when the recording ended first
   * @param got the replayed line, or null when the replay ended first
   */
  public record Divergence(long index, long line, long time, String block, String expected,
      String got) {}

  /**
   * Settings from a trace header's config, validated like a config file.
   *
   * @param engine an engine overriding the config's, or null
   */
  public static SimSettings settings(TraceHeader header, Path trace, String engine) {
    return settings(header, trace, engine, List.of());
  }

  /** As {@link #settings(TraceHeader, Path, String)}, with {@code --set} changes on top. */
  public static SimSettings settings(TraceHeader header, Path trace, String engine,
      List<String> sets) {
    Config root;
    try {
      root = ConfigFactory.parseString(header.configJson()).atKey("attnsim");
      for (String set : sets) {
        root = dev.attnsim.sim.config.ConfigLoader.parseSet(set).withFallback(root);
      }
      if (engine != null) {
        root = ConfigFactory.parseString("attnsim.run.engine = \"" + engine + "\"",
            com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("--engine"))
            .withFallback(root);
      }
      // The replay must write a trace, and always plain text so that it can be compared cheaply;
      // it compares events, so judging the masks' accuracy afterwards would only cost time.
      root = root.withValue("attnsim.trace.enabled", ConfigValueFactory.fromAnyRef(true))
          .withValue("attnsim.trace.gzip", ConfigValueFactory.fromAnyRef(false))
          .withValue("attnsim.run.accuracy", ConfigValueFactory.fromAnyRef(false));
      return dev.attnsim.sim.config.ConfigLoader.settings(root);
    } catch (ConfigException | ConfigError e) {
      throw new ConfigError(trace + ": the trace's config: " + e.getMessage());
    }
  }

  /** Re-runs the trace's config on the header's engine (or {@code engine}) and compares. */
  public static Result replay(Path trace, String engine) {
    TraceHeader header = TraceReader.readHeader(trace);
    SimSettings s = settings(header, trace,
        engine != null ? engine : header.engine().isEmpty() ? null : header.engine());
    Path dir;
    try {
      dir = Files.createTempDirectory("attnsim-replay");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory: " + e.getMessage(), e);
    }
    try {
      long t0 = System.nanoTime();
      Simulation.Outcome o = Simulation.run(s, dir, ProgressListener.NONE);
      double wall = (System.nanoTime() - t0) / 1e9;
      Result compared = compare(trace, o.trace());
      return new Result(compared.eventLines(), compared.divergence(),
          s.run().engine().name().toLowerCase(java.util.Locale.ROOT), wall);
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Compares the event lines of a recorded trace with those of a replayed one, streaming. A
   * recorded trace that ends without its footer after matching lines is a {@link TraceError}
   * (incomplete), since nothing can be said about the rest.
   */
  public static Result compare(Path recorded, Path replayed) {
    try (TraceLines expected = TraceLines.open(recorded);
        TraceLines got = TraceLines.open(replayed)) {
      expected.next(); // headers name the engine and attnsim's version: not compared
      got.next();
      long index = 0;
      String lastExpected = null;
      while (true) {
        String e = expected.next();
        String g = got.next();
        if (e == null && g == null) {
          if (lastExpected == null || !lastExpected.startsWith("{\"ev\":\"end\"")) {
            throw new TraceError(recorded, expected.lineNumber() + 1, "incomplete trace: no "
                + "footer after " + index + " lines, which match the replay");
          }
          return new Result(index, null, "", 0);
        }
        if (e != null && !e.equals(g) && !e.endsWith("}")) {
          throw new TraceError(recorded, expected.lineNumber(), "line cut short or malformed, "
              + "after " + index + " event lines that match the replay");
        }
        if (e == null || !e.equals(g)) {
          if (e == null && (expected.cutShort() || lastExpected == null
              || !lastExpected.startsWith("{\"ev\":\"end\""))) {
            throw new TraceError(recorded, expected.lineNumber() + 1, "incomplete trace: it "
                + "stops after " + index + " event lines, which match the replay");
          }
          String where = e != null ? e : g;
          return new Result(index, new Divergence(index, index + 2, time(where), block(where), e,
              g), "", 0);
        }
        lastExpected = e;
        index++;
      }
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static long time(String line) {
    JsonNode n = parse(line);
    if (n == null) {
      return -1;
    }
    JsonNode t = n.get("t");
    return t != null ? t.asLong() : n.path("cycles").asLong(-1);
  }

  private static String block(String line) {
    JsonNode n = parse(line);
    if (n == null) {
      return "";
    }
    for (String field : new String[] {"block", "from"}) {
      if (n.hasNonNull(field)) {
        return n.get(field).asText();
      }
    }
    return "";
  }

  private static JsonNode parse(String line) {
    try {
      return MAPPER.readTree(line);
    } catch (IOException e) {
      return null;
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is not worth failing a replay for
    }
  }
}
