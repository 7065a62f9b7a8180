package dev.attnsim.sim.config;

import com.typesafe.config.ConfigOrigin;
import java.util.regex.Pattern;

/**
 * A user-facing, one-line error about configuration: an unknown key, a value of the wrong type,
 * a value out of range or a missing key. The message names the full path and, where known, where
 * the value came from (see {@link #where(ConfigOrigin)}).
 */
public final class ConfigError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Trailing line suffix that typesafe-config appends to descriptions: ": 12" or ": 12-14". */
  private static final Pattern LINE_SUFFIX = Pattern.compile(": \\d+(-\\d+)?$");

  /**
   * Creates an error with the given one-line message.
   *
   * @param message the message shown to the user, without a trailing newline
   */
  public ConfigError(String message) {
    super(message);
  }

  /**
   * Renders where a value came from, for example {@code config/x.conf: 12}.
   *
   * <p>The name is {@link ConfigOrigin#filename()}, else {@link ConfigOrigin#resource()}, else
   * {@link ConfigOrigin#description()} (without the line suffix that typesafe-config appends to
   * it); {@code ": <line>"} is appended when {@link ConfigOrigin#lineNumber()} is positive. An
   * origin whose description starts with {@code --} (a command-line option such as {@code --set},
   * given as origin description to {@code ConfigFactory.parseString}) is rendered as just that
   * description, without a line.
   *
   * @param origin the origin, may be {@code null}
   * @return the rendered origin, or the empty string when {@code origin} is {@code null}
   */
  public static String where(ConfigOrigin origin) {
    if (origin == null) {
      return "";
    }
    int line = origin.lineNumber();
    String name = origin.filename();
    if (name == null) {
      name = origin.resource();
    }
    if (name == null) {
      name = origin.description();
      if (name == null) {
        name = "";
      }
      if (line >= 0) {
        name = LINE_SUFFIX.matcher(name).replaceFirst("");
      }
      if (name.startsWith("--")) {
        return name;
      }
    }
    return line > 0 ? name + ": " + line : name;
  }
}
