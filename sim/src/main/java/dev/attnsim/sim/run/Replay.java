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
   * @param incomplete for a recorded trace cut short, what {@link TraceReader} says is missing
   *     (its events were compared, nothing past them); else null
   */
  public record Result(long eventLines, Divergence divergence, String engine,
      double wallSeconds, TraceError incomplete) {
    public boolean identical() {
      return divergence == null && incomplete == null;
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

  /**
   * Re-runs the trace's config on the header's engine (or {@code engine}) and compares. The
   * recorded trace is read through first with {@link TraceReader}, before the re-run: a corrupt
   * trace is a {@link TraceError} like in {@code inspect}, never a divergence, so that a
   * divergence means only that the simulator no longer gives this trace.
   */
  public static Result replay(Path trace, String engine) {
    TraceHeader header = TraceReader.readHeader(trace);
    SimSettings s = settings(header, trace,
        engine != null ? engine : header.engine().isEmpty() ? null : header.engine());
    Recorded recorded = validate(trace);
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
      Result compared = compare(trace, o.trace(), recorded);
      return new Result(compared.eventLines(), compared.divergence(),
          s.run().engine().name().toLowerCase(java.util.Locale.ROOT), wall,
          compared.incomplete());
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * What reading a recorded trace through found: its valid event lines, and for a trace cut
   * short, the error saying so.
   */
  record Recorded(long events, TraceError incomplete) {}

  /** Reads every line of a recorded trace with {@link TraceReader}: a corrupt one throws. */
  static Recorded validate(Path trace) {
    try (TraceReader r = TraceReader.open(trace)) {
      while (r.next() != null) {
        // the reader checks each line as it goes
      }
      return new Recorded(r.events(), r.incomplete());
    }
  }

  /**
   * Compares the event lines of a recorded trace with those of a replayed one, streaming, after
   * checking the recorded one ({@link #validate}; a corrupt trace is a {@link TraceError}).
   */
  public static Result compare(Path recorded, Path replayed) {
    return compare(recorded, replayed, validate(recorded));
  }

  /**
   * Compares a validated recording with a replay, line by line: every line of a complete trace
   * (the footer too), only the events of an incomplete one.
   */
  private static Result compare(Path recorded, Path replayed, Recorded valid) {
    long limit = valid.incomplete() == null ? Long.MAX_VALUE : valid.events();
    try (TraceLines expected = TraceLines.open(recorded);
        TraceLines got = TraceLines.open(replayed)) {
      expected.next(); // headers name the engine and attnsim's version: not compared
      got.next();
      long index = 0;
      for (; index < limit; index++) {
        String e = expected.next();
        String g = got.next();
        if (e == null && g == null) {
          break;
        }
        if (e == null || !e.equals(g)) {
          String where = e != null ? e : g;
          return new Result(index, new Divergence(index, index + 2, time(where), block(where), e,
              g), "", 0, null);
        }
      }
      return new Result(index, null, "", 0, valid.incomplete());
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
