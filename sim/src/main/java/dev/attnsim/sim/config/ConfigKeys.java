package dev.attnsim.sim.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every key a user may set (the gem5/SST {@code sst-info} habit): its type, default and range
 * from the settings' own checks, and its comment in {@code reference.conf}. The ranges are those
 * {@link ConfigValidator} checks when the default settings are read, so they cannot drift from
 * the code; keys no accessor reads with a range (lists, free-form maps, tables) have the
 * default's type only.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  /**
   * One key.
   *
   * @param key the full path, {@code attnsim.hardware.lanes}
   * @param type int, long, number, boolean, string, enum, list, map (free-form: any key below)
   * @param defaultValue the default as HOCON ({@code 4}, {@code "small"}, {@code [4, 4]})
   * @param range what the value must be ({@code between 1 and 1024}, {@code one of: a, b}), or
   *     null when nothing beyond the type is checked
   * @param comment the lines of reference.conf's comment above the key, or an empty list
   */
  public record Key(String key, String type, String defaultValue, String range,
      List<String> comment) {}

  /** Every key under {@code attnsim} that starts with {@code prefix}, sorted by key. */
  public static List<Key> list(String prefix) {
    Config reference = ConfigFactory.defaultReference();
    Map<String, ConfigValidator.Check> checks = ConfigValidator.recordingChecks(
        () -> ConfigLoader.settings(ConfigFactory.empty()));
    var keys = new ArrayList<Key>();
    walk("attnsim", reference.getObject("attnsim"), checks, keys);
    String p = prefix == null || prefix.isEmpty() ? "attnsim"
        : prefix.startsWith("attnsim") ? prefix : "attnsim." + prefix;
    keys.removeIf(k -> !(k.key().equals(p) || k.key().startsWith(p)));
    keys.sort(java.util.Comparator.comparing(Key::key));
    return keys;
  }

  private static void walk(String path, ConfigObject object,
      Map<String, ConfigValidator.Check> checks, List<Key> out) {
    for (var e : object.entrySet()) {
      String key = path + "." + com.typesafe.config.ConfigUtil.quoteString(e.getKey())
          .replaceAll("^\"([A-Za-z0-9_-]+)\"$", "$1");
      ConfigValue v = e.getValue();
      if (v.valueType() == ConfigValueType.OBJECT && !((ConfigObject) v).isEmpty()) {
        walk(key, (ConfigObject) v, checks, out);
        continue;
      }
      var check = checks.get(key);
      out.add(new Key(key, check != null ? check.type() : typeOf(v),
          v.render(ConfigRenderOptions.concise()), check != null ? check.range() : null,
          comment(v)));
    }
  }

  private static String typeOf(ConfigValue v) {
    return switch (v.valueType()) {
      case NUMBER -> v.unwrapped() instanceof Double ? "number" : "int";
      case BOOLEAN -> "boolean";
      case STRING -> "string";
      case LIST -> "list";
      case OBJECT -> "map";
      case NULL -> "any";
    };
  }

  private static List<String> comment(ConfigValue v) {
    var lines = new ArrayList<String>();
    for (String c : v.origin().comments()) {
      lines.add(c.strip());
    }
    return lines;
  }
}
