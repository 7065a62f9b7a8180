package dev.attnsim.sim.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Checks a user configuration against the reference configuration and reads single settings with
 * range checks. Every problem is reported as a one-line {@link ConfigError} naming the full path
 * and where the value came from; no raw {@link ConfigException} escapes this class.
 */
public final class ConfigValidator {

  /** Longest rendering of a string value quoted in a message, quotes included. */
  private static final int MAX_QUOTED = 40;

  private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

  private ConfigValidator() {
  }

  /** What {@link #recordingChecks} collects: per full path, the type read and its range. */
  public record Check(String type, String range) {}

  private static final ThreadLocal<java.util.Map<String, Check>> RECORDING = new ThreadLocal<>();

  /**
   * Runs {@code read} (reading settings with this class's accessors) and returns, per full path
   * read, the type and range the accessor checked: what {@code attnsim keys} prints. The range is
   * the wording of the out-of-range error without "must be" ({@code "between 1 and 1024"}).
   */
  public static java.util.Map<String, Check> recordingChecks(Runnable read) {
    var checks = new java.util.TreeMap<String, Check>();
    var before = RECORDING.get();
    RECORDING.set(checks);
    try {
      read.run();
    } finally {
      RECORDING.set(before);
    }
    return checks;
  }

  /** Notes a key's type and range while {@link #recordingChecks} runs; a no-op otherwise. */
  public static void noteCheck(String path, String type, String range) {
    var checks = RECORDING.get();
    if (checks != null) {
      checks.putIfAbsent(path, new Check(type, range));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Known keys
  // ---------------------------------------------------------------------------------------------

  /**
   * Checks that every path under {@code namespace} in {@code user} is known in {@code defaults}
   * and has a compatible type.
   *
   * <p>Empty objects ({@code {}}) in {@code defaults} are free-form maps: any key is allowed below
   * them. Values whose default is a list are not looked into, and a default of {@code null}
   * accepts anything. A user value is compatible with the default's type when typesafe-config
   * converts it (a quoted {@code "4"} is a number, {@code "yes"} a boolean, {@code 4} a string).
   *
   * <p>Keys are walked in sorted order, segment by segment. Unknown keys are reported before type
   * errors: the first unknown key, with a suggestion when a known key is close, and the count of
   * the other unknown keys; else the first value of an incompatible type.
   *
   * @param defaults the reference configuration: every known key with its default value
   * @param user the user configuration (resolved here if it is not yet)
   * @param namespace the path to check, for example {@code "attnsim"}; empty for the whole config
   * @throws ConfigError on the first problem found
   */
  public static void checkKnownKeys(Config defaults, Config user, String namespace) {
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(user, "user");
    try {
      checkKnownKeys0(defaults, user, namespace == null ? "" : namespace);
    } catch (ConfigException e) {
      throw wrap(null, e);
    }
  }

  private static void checkKnownKeys0(Config defaults, Config user, String namespace) {
    Config d = defaults.isResolved() ? defaults : defaults.resolve();
    Config u = user.isResolved() ? user : user.resolve();
    List<String> prefix = namespace.isEmpty() ? List.of() : splitPath(namespace);
    ConfigValue userValue = navigate(u.root(), prefix);
    if (userValue == null) {
      return;
    }
    ConfigValue defaultValue = navigate(d.root(), prefix);
    if (defaultValue == null) {
      throw new IllegalArgumentException("the defaults have no " + namespace);
    }
    Walk walk = new Walk();
    walk.visit(prefix, userValue, defaultValue);
    if (!walk.unknown.isEmpty()) {
      throw unknownKeyError(walk.unknown, prefix, defaultValue);
    }
    if (!walk.typeErrors.isEmpty()) {
      throw walk.typeErrors.get(0);
    }
  }

  /** An unknown key: its path, its value in the user config and its parent in the defaults. */
  private static final class Unknown {
    final List<String> path;
    final ConfigValue value;
    final ConfigObject defaultParent;

    Unknown(List<String> path, ConfigValue value, ConfigObject defaultParent) {
      this.path = path;
      this.value = value;
      this.defaultParent = defaultParent;
    }
  }

  /** Depth-first walk of the user config alongside the defaults, in sorted key order. */
  private static final class Walk {
    final List<Unknown> unknown = new ArrayList<>();
    final List<ConfigError> typeErrors = new ArrayList<>();

    void visit(List<String> path, ConfigValue user, ConfigValue def) {
      ConfigValueType expected = def.valueType();
      if (expected == ConfigValueType.NULL) {
        return;
      }
      if (user.valueType() != expected && !converts(user, expected)) {
        typeErrors.add(typeError(ConfigUtil.joinPath(path), user, article(expected)));
        return;
      }
      if (expected != ConfigValueType.OBJECT || user.valueType() != ConfigValueType.OBJECT) {
        return;
      }
      ConfigObject defObject = (ConfigObject) def;
      if (defObject.isEmpty()) {
        return;
      }
      ConfigObject userObject = (ConfigObject) user;
      for (String key : new TreeSet<>(userObject.keySet())) {
        List<String> child = append(path, key);
        ConfigValue childDefault = defObject.get(key);
        if (childDefault == null) {
          unknown.add(new Unknown(child, userObject.get(key), defObject));
        } else {
          visit(child, userObject.get(key), childDefault);
        }
      }
    }
  }

  /** Whether typesafe-config converts {@code value} to {@code type} (never called for NULL). */
  private static boolean converts(ConfigValue value, ConfigValueType type) {
    Config holder = ConfigFactory.empty().withValue("v", value);
    try {
      switch (type) {
        case NUMBER:
          holder.getNumber("v");
          break;
        case BOOLEAN:
          holder.getBoolean("v");
          break;
        case STRING:
          holder.getString("v");
          break;
        case OBJECT:
          holder.getObject("v");
          break;
        case LIST:
          holder.getList("v");
          break;
        default:
          return true;
      }
      return true;
    } catch (ConfigException e) {
      return false;
    }
  }

  private static ConfigError unknownKeyError(
      List<Unknown> unknown, List<String> namespace, ConfigValue namespaceDefault) {
    Unknown first = unknown.get(0);
    StringBuilder msg = new StringBuilder("unknown key ")
        .append(ConfigUtil.joinPath(first.path))
        .append(at(first.value.origin()));
    String suggestion = suggest(first, namespace, namespaceDefault);
    if (suggestion != null) {
      msg.append("; did you mean ").append(suggestion).append('?');
    }
    int more = unknown.size() - 1;
    if (more > 0) {
      msg.append(" (and ").append(more).append(" more unknown key").append(more == 1 ? "" : "s")
          .append(')');
    }
    return new ConfigError(msg.toString());
  }

  /**
   * The closest known path to an unknown key: first among its siblings (comparing the last
   * segment), then among all other known paths (comparing the full dotted path, ancestors
   * excluded). A candidate must be within {@code max(2, length / 3)} edits of the compared
   * string; ties go to the first candidate in sorted order.
   */
  private static String suggest(Unknown key, List<String> namespace, ConfigValue namespaceDefault) {
    List<String> parent = key.path.subList(0, key.path.size() - 1);
    String segment = key.path.get(key.path.size() - 1);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String sibling : new TreeSet<>(key.defaultParent.keySet())) {
      int distance = distance(segment, sibling);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = sibling;
      }
    }
    if (best != null && bestDistance <= limit(segment)) {
      return ConfigUtil.joinPath(append(parent, best));
    }
    String full = ConfigUtil.joinPath(key.path);
    List<List<String>> known = new ArrayList<>();
    collectPaths(namespace, namespaceDefault, known);
    String bestPath = null;
    bestDistance = Integer.MAX_VALUE;
    for (List<String> candidate : known) {
      boolean sibling = candidate.size() == key.path.size()
          && candidate.subList(0, candidate.size() - 1).equals(parent);
      boolean ancestor = candidate.size() < key.path.size()
          && key.path.subList(0, candidate.size()).equals(candidate);
      if (sibling || ancestor) {
        continue;
      }
      String joined = ConfigUtil.joinPath(candidate);
      int distance = distance(full, joined);
      if (distance < bestDistance) {
        bestDistance = distance;
        bestPath = joined;
      }
    }
    return bestPath != null && bestDistance <= limit(full) ? bestPath : null;
  }

  /** All known paths below {@code path} in the defaults, depth first in sorted key order. */
  private static void collectPaths(List<String> path, ConfigValue def, List<List<String>> out) {
    if (def.valueType() != ConfigValueType.OBJECT) {
      return;
    }
    ConfigObject object = (ConfigObject) def;
    for (String key : new TreeSet<>(object.keySet())) {
      List<String> child = append(path, key);
      out.add(child);
      collectPaths(child, object.get(key), out);
    }
  }

  private static int limit(String compared) {
    return Math.max(2, compared.length() / 3);
  }

  /** Case-insensitive Levenshtein distance. */
  static int distance(String a, String b) {
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    int[] previous = new int[y.length() + 1];
    int[] current = new int[y.length() + 1];
    for (int j = 0; j <= y.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= x.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= y.length(); j++) {
        int substitute = previous[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[y.length()];
  }

  // ---------------------------------------------------------------------------------------------
  // Typed reads with range checks
  // ---------------------------------------------------------------------------------------------

  /**
   * Reads an integer and checks {@code min <= value <= max}. A number with a fractional part is
   * rejected rather than truncated.
   *
   * @param c the config to read from
   * @param path the full path, for example {@code "attnsim.hardware.lanes"}
   * @param min the smallest allowed value
   * @param max the largest allowed value; {@link Integer#MAX_VALUE} for no upper bound
   * @return the value
   * @throws ConfigError if the key is missing, not an integer or out of range
   */
  public static int intIn(Config c, String path, int min, int max) {
    noteCheck(path, "int", range(Long.toString(min), Long.toString(max),
        min == Integer.MIN_VALUE, max == Integer.MAX_VALUE));
    return (int) whole(c, path, min, max, min == Integer.MIN_VALUE, max == Integer.MAX_VALUE);
  }

  /**
   * Reads a long and checks {@code min <= value <= max}. A number with a fractional part is
   * rejected rather than truncated.
   *
   * @param c the config to read from
   * @param path the full path
   * @param min the smallest allowed value
   * @param max the largest allowed value; {@link Long#MAX_VALUE} for no upper bound
   * @return the value
   * @throws ConfigError if the key is missing, not an integer or out of range
   */
  public static long longIn(Config c, String path, long min, long max) {
    noteCheck(path, "long", range(Long.toString(min), Long.toString(max),
        min == Long.MIN_VALUE, max == Long.MAX_VALUE));
    return whole(c, path, min, max, min == Long.MIN_VALUE, max == Long.MAX_VALUE);
  }

  /** A whole number in {@code [min, max]}; {@code noMin}, {@code noMax}: a bound is no bound. */
  private static long whole(Config c, String path, long min, long max, boolean noMin,
      boolean noMax) {
    checkBounds(min <= max, min, max);
    try {
      ConfigValue value = valueAt(c, path, "a number");
      String bounds = bounds(Long.toString(min), Long.toString(max), noMin, noMax);
      long v = wholeNumber(c, path, value, bounds);
      if (v < min || v > max) {
        throw outOfRange(path, value, bounds);
      }
      return v;
    } catch (ConfigException e) {
      throw wrap(path, e);
    }
  }

  /**
   * Reads a double and checks {@code min <= value <= max}; NaN is always out of range.
   *
   * @param c the config to read from
   * @param path the full path
   * @param min the smallest allowed value; {@code -Double.MAX_VALUE} or negative infinity for no
   *     lower bound
   * @param max the largest allowed value; {@link Double#MAX_VALUE} or positive infinity for no
   *     upper bound
   * @return the value
   * @throws ConfigError if the key is missing, not a number or out of range
   */
  public static double doubleIn(Config c, String path, double min, double max) {
    checkBounds(min <= max, min, max);
    noteCheck(path, "number", range(format(min), format(max),
        min == Double.NEGATIVE_INFINITY || min == -Double.MAX_VALUE,
        max == Double.POSITIVE_INFINITY || max == Double.MAX_VALUE));
    try {
      ConfigValue value = valueAt(c, path, "a number");
      double v;
      try {
        v = c.getDouble(path);
      } catch (ConfigException.WrongType e) {
        throw typeError(path, value, "a number");
      }
      if (!(v >= min && v <= max)) {
        boolean noMin = min == Double.NEGATIVE_INFINITY || min == -Double.MAX_VALUE;
        boolean noMax = max == Double.POSITIVE_INFINITY || max == Double.MAX_VALUE;
        throw outOfRange(path, value, bounds(format(min), format(max), noMin, noMax));
      }
      return v;
    } catch (ConfigException e) {
      throw wrap(path, e);
    }
  }

  /**
   * Reads an enum constant by name, ignoring case and accepting {@code -} for {@code _}.
   *
   * @param c the config to read from
   * @param path the full path
   * @param type the enum class
   * @param <E> the enum type
   * @return the constant
   * @throws ConfigError if the key is missing, not a string or names no constant; the message
   *     lists the constants in lower case, in declaration order
   */
  public static <E extends Enum<E>> E enumOf(Config c, String path, Class<E> type) {
    return enumOf(c, path, type, java.util.Arrays.asList(type.getEnumConstants()));
  }

  /**
   * As {@link #enumOf(Config, String, Class)}, accepting only {@code accepted}: the message of a
   * value outside them (another constant of the type, or none) lists only those.
   */
  public static <E extends Enum<E>> E enumOf(Config c, String path, Class<E> type,
      java.util.Collection<E> accepted) {
    var names = new java.util.StringJoiner(", ");
    for (E constant : accepted) {
      names.add(constant.name().toLowerCase(Locale.ROOT));
    }
    noteCheck(path, "enum", "one of: " + names);
    try {
      ConfigValue value = valueAt(c, path, "a string");
      String name = readString(c, path, value).trim().replace('-', '_');
      for (E constant : accepted) {
        if (constant.name().equalsIgnoreCase(name)) {
          return constant;
        }
      }
      throw new ConfigError(path + " = " + render(value) + at(value.origin())
          + " must be one of: " + names);
    } catch (ConfigException e) {
      throw wrap(path, e);
    }
  }

  /**
   * Reads a string. Numbers and booleans are converted as typesafe-config does; objects, lists
   * and {@code null} are rejected.
   *
   * @param c the config to read from
   * @param path the full path
   * @return the value
   * @throws ConfigError if the key is missing or not a string
   */
  public static String string(Config c, String path) {
    noteCheck(path, "string", null);
    try {
      return readString(c, path, valueAt(c, path, "a string"));
    } catch (ConfigException e) {
      throw wrap(path, e);
    }
  }

  /**
   * Reads an optional path to an existing, readable file or directory. Relative paths are left
   * relative: they resolve against the current directory, not the config file's.
   *
   * @param c the config to read from
   * @param path the full path of the key
   * @return the path, or empty when the value is the empty string (not set)
   * @throws ConfigError if the key is missing or not a string, or the value is not a valid path,
   *     or names nothing, or something that cannot be read; the message quotes the value whole
   */
  public static Optional<Path> readablePath(Config c, String path) {
    String text = string(c, path);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String what = path + " = \"" + text + "\"" + at(c.getValue(path).origin());
    Path file;
    try {
      file = Path.of(text);
    } catch (InvalidPathException e) {
      throw new ConfigError(what + " is not a valid path: " + e.getReason());
    }
    if (!Files.exists(file)) {
      throw new ConfigError(what + ": no such file or directory");
    }
    if (!Files.isReadable(file)) {
      throw new ConfigError(what + " cannot be read: permission denied");
    }
    return Optional.of(file);
  }

  private static String readString(Config c, String path, ConfigValue value) {
    try {
      return c.getString(path);
    } catch (ConfigException.WrongType e) {
      throw typeError(path, value, "a string");
    }
  }

  /**
   * Reads an integral number as a long, rejecting fractions; a whole number beyond the range of
   * long is reported as out of {@code bounds}.
   */
  private static long wholeNumber(Config c, String path, ConfigValue value, String bounds) {
    Number n;
    try {
      n = c.getNumber(path);
    } catch (ConfigException.WrongType e) {
      throw typeError(path, value, "a number");
    }
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return n.longValue();
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || (!Double.isInfinite(d) && d != Math.rint(d))) {
      throw typeError(path, value, "an integer");
    }
    if (!(d >= -0x1p63 && d < 0x1p63)) {
      throw outOfRange(path, value, bounds);
    }
    return (long) d;
  }

  /**
   * The value at {@code path}, walking from the root so that a missing key, a {@code null} and a
   * non-object on the way are each reported precisely.
   */
  private static ConfigValue valueAt(Config c, String path, String expected) {
    List<String> segments = splitPath(path);
    ConfigObject object = c.root();
    for (int i = 0; i < segments.size(); i++) {
      ConfigValue value = object.get(segments.get(i));
      if (value == null) {
        throw missing(path, i == 0 ? null : object.origin());
      }
      boolean last = i == segments.size() - 1;
      if (value.valueType() == ConfigValueType.NULL) {
        if (last) {
          throw typeError(path, value, expected);
        }
        throw missing(path, value.origin());
      }
      if (last) {
        return value;
      }
      if (value.valueType() != ConfigValueType.OBJECT) {
        throw typeError(ConfigUtil.joinPath(segments.subList(0, i + 1)), value, "an object");
      }
      object = (ConfigObject) value;
    }
    throw new ConfigError("invalid path \"" + path + "\"");
  }

  // ---------------------------------------------------------------------------------------------
  // Messages
  // ---------------------------------------------------------------------------------------------

  private static ConfigError missing(String path, ConfigOrigin parentOrigin) {
    String where = ConfigError.where(parentOrigin);
    return new ConfigError("missing key " + path + (where.isEmpty() ? "" : " in " + where));
  }

  private static ConfigError typeError(String path, ConfigValue value, String expected) {
    return new ConfigError(path + at(value.origin()) + ": expected " + expected + ", got "
        + describe(value));
  }

  /**
   * The error for a value that reads fine but is not allowed: {@code path = value (origin)
   * reason}, in the same form as every other config error.
   */
  public static ConfigError invalid(Config c, String path, String reason) {
    ConfigValue value = c.getValue(path);
    return new ConfigError(path + " = " + render(value) + at(value.origin()) + " " + reason);
  }

  private static ConfigError outOfRange(String path, ConfigValue value, String bounds) {
    return new ConfigError(path + " = " + render(value) + at(value.origin())
        + " is out of range: " + bounds);
  }

  /** A range as {@code keys} shows it ({@code "between 1 and 4"}); null for no bound at all. */
  private static String range(String min, String max, boolean noMin, boolean noMax) {
    return noMin && noMax ? null : bounds(min, max, noMin, noMax).substring("must be ".length());
  }

  private static String bounds(String min, String max, boolean noMin, boolean noMax) {
    if (noMin && noMax) { // the type's own limits: say both, not a lower bound alone
      return "must be between " + min + " and " + max;
    }
    if (noMax) {
      return "must be >= " + min;
    }
    if (noMin) {
      return "must be <= " + max;
    }
    return "must be between " + min + " and " + max;
  }

  /** Converts an unexpected typesafe-config exception to a one-line error. */
  private static ConfigError wrap(String path, ConfigException e) {
    String detail = String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " ");
    ConfigError error = new ConfigError(path == null ? detail : path + ": " + detail);
    error.initCause(e);
    return error;
  }

  /** {@code " (file.conf: 3)"}, or empty when the origin is unknown. */
  private static String at(ConfigOrigin origin) {
    String where = ConfigError.where(origin);
    return where.isEmpty() ? "" : " (" + where + ")";
  }

  /** For "got ...": {@code string "abc"}, {@code number 4}, {@code an object}, {@code null}. */
  private static String describe(ConfigValue value) {
    switch (value.valueType()) {
      case NULL:
        return "null";
      case OBJECT:
        return "an object";
      case LIST:
        return "a list";
      case STRING:
        return "string " + render(value);
      case NUMBER:
        return "number " + render(value);
      case BOOLEAN:
        return "boolean " + render(value);
      default:
        return value.valueType().name().toLowerCase(Locale.ROOT);
    }
  }

  private static String article(ConfigValueType type) {
    switch (type) {
      case OBJECT:
        return "an object";
      case LIST:
        return "a list";
      default:
        return "a " + type.name().toLowerCase(Locale.ROOT);
    }
  }

  /** A scalar as written (strings quoted), shortened to keep messages on one short line. */
  private static String render(ConfigValue value) {
    if (value.valueType() == ConfigValueType.OBJECT) {
      return "{...}";
    }
    if (value.valueType() == ConfigValueType.LIST) {
      return "[...]";
    }
    String text = value.render(CONCISE);
    if (text.length() > MAX_QUOTED) {
      boolean quoted = text.endsWith("\"");
      text = text.substring(0, MAX_QUOTED - 4) + "..." + (quoted ? "\"" : "");
    }
    return text;
  }

  private static String format(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  private static void checkBounds(boolean ordered, Object min, Object max) {
    if (!ordered) {
      throw new IllegalArgumentException("min " + min + " > max " + max);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Paths
  // ---------------------------------------------------------------------------------------------

  private static List<String> splitPath(String path) {
    try {
      return ConfigUtil.splitPath(path);
    } catch (ConfigException e) {
      throw new ConfigError("invalid path \"" + path + "\"");
    }
  }

  private static ConfigValue navigate(ConfigObject root, List<String> path) {
    ConfigValue value = root;
    for (String segment : path) {
      if (value.valueType() != ConfigValueType.OBJECT) {
        return null;
      }
      value = ((ConfigObject) value).get(segment);
      if (value == null) {
        return null;
      }
    }
    return value;
  }

  private static List<String> append(List<String> path, String key) {
    List<String> out = new ArrayList<>(path.size() + 1);
    out.addAll(path);
    out.add(key);
    return out;
  }
}
