package dev.attnsim.sim.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the resolved configuration of a run: {@code --set} overrides over the user's file (with
 * its includes) over the defaults in {@code reference.conf}, then checks that every {@code
 * attnsim} key is known and reads the typed settings.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * @param file the user's config, or null for the embedded default simulation
   * @param sets {@code key=value} overrides; keys without a namespace are under {@code attnsim}
   */
  public static SimSettings load(Path file, List<String> sets) {
    return load(file, List.of(), sets);
  }

  /**
   * @param presets files layered over {@code file}, later ones winning (the CLI's {@code
   *     --accelerator} and {@code --workload})
   */
  public static SimSettings load(Path file, List<Path> presets, List<String> sets) {
    return load(file, presets, sets, List.of());
  }

  /**
   * @param options keys set by command-line options ({@link #option}), over the {@code --set}
   *     overrides, later ones winning
   */
  public static SimSettings load(Path file, List<Path> presets, List<String> sets,
      List<Config> options) {
    Config user = ConfigFactory.empty();
    if (file != null) {
      user = parseFile(file);
      if (!user.hasPath("attnsim.name")) {
        String base = file.getFileName().toString().replaceFirst("\\.conf$", "");
        user = user.withValue("attnsim.name", ConfigValueFactory.fromAnyRef(base, "file name"));
      }
    }
    for (Path preset : presets) {
      user = parseFile(preset).withFallback(user);
    }
    if (file == null && !presets.isEmpty() && !user.hasPath("attnsim.name")) {
      var names = new java.util.ArrayList<String>();
      presets.forEach(p -> names.add(p.getFileName().toString().replaceFirst("\\.conf$", "")));
      user = user.withValue("attnsim.name",
          ConfigValueFactory.fromAnyRef(String.join("-", names), "preset names"));
    }
    Config overrides = ConfigFactory.empty();
    for (String set : sets) {
      overrides = parseSet(set).withFallback(overrides);
    }
    for (Config option : options) {
      overrides = option.withFallback(overrides);
    }
    return settings(overrides.withFallback(user));
  }

  /**
   * One key set by a command-line option ({@code --engine actor}: {@code option("--engine",
   * "run.engine", "actor")}), with the option as its origin, so that an error names the option
   * the user typed rather than {@code --set}.
   *
   * @param key the key under {@code attnsim.}
   */
  public static Config option(String option, String key, Object value) {
    return ConfigFactory.parseMap(java.util.Map.of("attnsim." + key, value), option);
  }

  /**
   * Settings from a user's config (whatever it overrides, unresolved): over the defaults,
   * resolved, unknown keys refused, every value validated.
   */
  public static SimSettings settings(Config user) {
    Config reference = ConfigFactory.defaultReference();
    Config merged;
    try {
      merged = user.withFallback(reference).resolve();
    } catch (ConfigException e) {
      throw new ConfigError(e.getMessage());
    }
    ConfigValidator.checkKnownKeys(reference, merged, "attnsim");
    try {
      return SimSettings.from(merged);
    } catch (IllegalArgumentException e) {
      throw new ConfigError(e.getMessage());
    }
  }

  /**
   * A user's config file, over nothing: its includes resolved relative to it (a missing one is an
   * error naming it and the including file), its keys outside {@code attnsim { }} taken as under
   * {@code attnsim.} (the short form {@code --set} accepts), and refused when it sets no key.
   */
  private static Config parseFile(Path file) {
    if (Files.isDirectory(file)) {
      throw new ConfigError("config file " + file + " is a directory; give a .conf file (presets:"
          + " config/accelerators/, config/workloads/)");
    }
    if (!Files.isRegularFile(file)) {
      throw new ConfigError("config file " + file + " not found");
    }
    Config parsed = parseStrict(file);
    if (parsed.root().isEmpty()) {
      throw new ConfigError(file + " sets no keys");
    }
    return underAttnsim(parsed);
  }

  /**
   * Keys outside {@code attnsim} moved under it, as {@code --set} does: {@code hardware.lanes = 2}
   * at the top of a file means {@code attnsim.hardware.lanes}. Where both forms set a key, the
   * full one wins. (Akka's settings are not the user's: {@code akka.x} becomes the unknown key
   * {@code attnsim.akka.x}, as with {@code --set}.)
   */
  private static Config underAttnsim(Config parsed) {
    Config full = parsed.withOnlyPath("attnsim");
    Config short_ = parsed.withoutPath("attnsim");
    if (short_.root().isEmpty()) {
      return full;
    }
    return full.withFallback(short_.root().atKey("attnsim"));
  }

  /** Parses one file with {@link FileIncluder}; parse errors become one-line config errors. */
  private static Config parseStrict(Path file) {
    try {
      return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()
          .setAllowMissing(false).setIncluder(new FileIncluder(file)));
    } catch (ConfigException e) {
      String unclosed = e instanceof ConfigException.Parse && String.valueOf(e.getMessage())
          .contains("end of file") ? Brackets.unclosed(file) : null;
      throw new ConfigError(unclosed != null ? unclosed : e.getMessage());
    }
  }

  /**
   * HOCON {@code include "x.conf"}, {@code include required("x.conf")} and {@code include
   * file("x.conf")} in user files: the file relative to the including one ({@code file()}:
   * relative to the working directory, as HOCON says), parsed with the same rules. typesafe-config
   * would skip a missing plain include silently, and say "resource not found on classpath" of a
   * missing required one; here both name the file and the including file. {@code classpath()} and
   * {@code url()} includes keep typesafe-config's behaviour.
   */
  private static final class FileIncluder implements ConfigIncluder, ConfigIncluderFile {
    private final Path including;

    FileIncluder(Path including) {
      this.including = including;
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder fallback) {
      return this;
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
      Path dir = including.getParent();
      Path p = dir != null ? dir.resolve(what) : Path.of(what);
      String name = p.getFileName().toString();
      if (!Files.exists(p) && !name.contains(".")) {
        p = p.resolveSibling(name + ".conf"); // HOCON's include "x" finds x.conf
      }
      return includeAt(context, p, "\"" + what + "\"");
    }

    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, java.io.File what) {
      return includeAt(context, what.toPath(), "file(\"" + what + "\")");
    }

    private ConfigObject includeAt(ConfigIncludeContext context, Path p, String spelled) {
      if (!Files.isRegularFile(p)) {
        String statement = context.parseOptions().getAllowMissing()
            ? "include " + spelled : "include required(" + spelled + ")";
        throw new ConfigError(including + ": " + statement + ": no file " + p);
      }
      return parseStrict(p).root();
    }
  }

  /**
   * Finds a preset by name: an existing file as given, else {@code <kind>/<name>.conf} under the
   * config folder of {@code $ATTNSIM_HOME} (set by the launcher) or of the working directory.
   *
   * @param kind {@code workloads} or {@code accelerators}
   */
  public static Path preset(String kind, String name) {
    Path given = Path.of(name);
    if (Files.isRegularFile(given)) {
      return given;
    }
    var roots = new java.util.ArrayList<Path>();
    String home = System.getenv("ATTNSIM_HOME");
    if (home != null && !home.isBlank()) {
      roots.add(Path.of(home, "config", kind));
    }
    roots.add(Path.of("config", kind));
    for (Path root : roots) {
      Path p = root.resolve(name + ".conf");
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    var known = new java.util.TreeSet<String>();
    for (Path root : roots) {
      try (var files = Files.list(root)) {
        files.map(f -> f.getFileName().toString())
            .filter(f -> f.endsWith(".conf"))
            .forEach(f -> known.add(f.substring(0, f.length() - 5)));
      } catch (java.io.IOException e) {
        // a missing folder just offers no names
      }
    }
    throw new ConfigError("no " + kind.replaceAll("s$", "") + " preset '" + name + "'"
        + (known.isEmpty() ? " (no config/" + kind + " folder found)"
            : "; known: " + String.join(", ", known)));
  }

  /**
   * One {@code key=value} override, keys under {@code attnsim.} unless written in full. (Akka's
   * own settings are not the user's to set: {@code akka.x} means {@code attnsim.akka.x}, an
   * unknown key, not a setting silently dropped.)
   */
  public static Config parseSet(String set) {
    int eq = set.indexOf('=');
    if (eq <= 0) {
      throw new ConfigError("--set " + set + ": expected key=value");
    }
    String key = set.substring(0, eq).trim();
    String value = set.substring(eq + 1).trim();
    if (!key.startsWith("attnsim.")) {
      key = "attnsim." + key;
    }
    try {
      return ConfigFactory.parseString(key + " = " + (value.isEmpty() ? "\"\"" : value),
          ConfigParseOptions.defaults().setOriginDescription("--set"));
    } catch (ConfigException e) {
      throw new ConfigError("--set " + set + ": " + e.getMessage());
    }
  }

  /**
   * The keys of a resolved {@code attnsim} subtree that the command line set ({@code --set} or an
   * option such as {@code --mode}), as {@code key=value} sorted by key, without the keys that
   * change how a run is simulated but not what ({@code run.engine}, {@code run.parallelism},
   * {@code trace.*}): what a plot's title names as the run's overrides.
   */
  public static java.util.List<String> commandLineOverrides(Config attnsim) {
    var out = new java.util.ArrayList<String>();
    for (var e : new java.util.TreeMap<>(attnsimEntries(attnsim)).entrySet()) {
      String key = e.getKey();
      var v = e.getValue();
      String origin = v.origin().description();
      if (origin == null || !origin.startsWith("--") || key.equals("run.engine")
          || key.equals("run.parallelism") || key.startsWith("trace.")) {
        continue;
      }
      Object raw = v.unwrapped();
      out.add(key + "=" + (raw instanceof String str ? str : v.render(
          ConfigRenderOptions.concise())));
    }
    return out;
  }

  private static java.util.Map<String, com.typesafe.config.ConfigValue> attnsimEntries(
      Config attnsim) {
    var m = new java.util.HashMap<String, com.typesafe.config.ConfigValue>();
    attnsim.entrySet().forEach(e -> m.put(e.getKey(), e.getValue()));
    return m;
  }

  /** The resolved {@code attnsim} subtree as HOCON, keys sorted: what {@code check} prints. */
  public static String renderHocon(Config attnsim) {
    return ConfigFactory.empty().withValue("attnsim", attnsim.root()).root()
        .render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false)
            .setJson(false).setFormatted(true)).strip();
  }

  /** The resolved {@code attnsim} subtree as one line of JSON, keys sorted. */
  public static String renderJson(Config attnsim) {
    return attnsim.root().render(ConfigRenderOptions.concise());
  }
}
