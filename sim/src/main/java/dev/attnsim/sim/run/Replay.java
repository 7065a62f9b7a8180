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
import dev.attnsim.sim.io.TempDirs;
import dev.attnsim.sim.trace.TraceEncoding;
import dev.attnsim.sim.trace.TraceError;
import dev.attnsim.sim.trace.TraceHeader;
import dev.attnsim.sim.trace.TraceLines;
import dev.attnsim.sim.trace.TraceReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

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
   * @param interrupted the recorded run was interrupted (its footer says so): its events, a
   *     prefix of the whole run's, were compared, not its footer
   */
  public record Result(long eventLines, Divergence divergence, String engine,
      double wallSeconds, TraceError incomplete, boolean interrupted) {
    public boolean identical() {
      return divergence == null && incomplete == null && !interrupted;
    }
  }

  /** The footer status of a run that was asked to stop: complete, but a prefix of the run. */
  public static final String INTERRUPTED = "interrupted";

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
      // The replay must write a trace, uncompressed and in the encoding cheapest to write (its
      // lines are compared, whatever the recorded trace's encoding); it compares events, so
      // judging the masks' accuracy afterwards would only cost time.
      root = root.withValue("attnsim.trace.enabled", ConfigValueFactory.fromAnyRef(true))
          .withValue("attnsim.trace.gzip", ConfigValueFactory.fromAnyRef(false))
          .withValue("attnsim.trace.format", ConfigValueFactory.fromAnyRef(
              TraceEncoding.BINARY.label()))
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
    Recorded recorded = validate(trace);
    TraceHeader header = recorded.header();
    SimSettings s = settings(header, trace,
        engine != null ? engine : header.engine().isEmpty() ? null : header.engine());
    Path dir = TempDirs.create("attnsim-replay");
    try {
      long t0 = System.nanoTime();
      Simulation.Outcome o = Simulation.run(s, dir, ProgressListener.NONE);
      double wall = (System.nanoTime() - t0) / 1e9;
      Comparison c = compare(trace, o.trace(), recorded);
      return new Result(c.lines(), c.divergence(),
          s.run().engine().name().toLowerCase(java.util.Locale.ROOT), wall,
          recorded.incomplete(), recorded.interrupted());
    } finally {
      TempDirs.delete(dir);
    }
  }

  /**
   * What reading a recorded trace through found: its header, its valid event lines, and for a
   * trace cut short, the error saying so.
   */
  record Recorded(TraceHeader header, long events, TraceError incomplete, boolean interrupted) {}

  /** Reads every line of a recorded trace with {@link TraceReader}: a corrupt one throws. */
  static Recorded validate(Path trace) {
    try (TraceReader r = TraceReader.open(trace)) {
      while (r.next() != null) {
        // the reader checks each line as it goes
      }
      return new Recorded(r.header(), r.events(), r.incomplete(),
          r.footer() != null && INTERRUPTED.equals(r.footer().status()));
    }
  }

  /** Lines compared, and the first that differs (null: none). */
  private record Comparison(long lines, Divergence divergence) {}

  /**
   * Compares a validated recording with a replay, line by line: the events and the footer of a
   * complete trace, and then that the replay has no more lines; only the events of an
   * incomplete one. Anything after a complete trace's footer (a blank line the reader allows) is
   * not compared.
   */
  private static Comparison compare(Path recorded, Path replayed, Recorded valid) {
    // an interrupted run's events are a prefix of the whole run's: its footer is not compared
    boolean complete = valid.incomplete() == null && !valid.interrupted();
    long limit = valid.events() + (complete ? 1 : 0);
    try (TraceLines expected = TraceLines.open(recorded);
        TraceLines got = TraceLines.open(replayed)) {
      expected.next(); // headers name the engine and attnsim's version: not compared
      got.next();
      for (long index = 0; index < limit; index++) {
        String e = expected.next();
        String g = got.next();
        if (e == null || !e.equals(g)) {
          return new Comparison(index, divergence(index, e, g));
        }
      }
      if (complete) {
        String extra = got.next();
        if (extra != null) {
          return new Comparison(limit, divergence(limit, null, extra));
        }
      }
      return new Comparison(limit, null);
    }
  }

  private static Divergence divergence(long index, String expected, String got) {
    String where = expected != null ? expected : got;
    return new Divergence(index, index + 2, time(where), block(where), expected, got);
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
}
