package dev.attnsim.sim.accelerators;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import dev.attnsim.sim.config.ConfigValidator;
import java.util.List;
import java.util.TreeMap;

/** The registry: every accelerator a transformer run can name in {@code hardware.accelerator}. */
public final class Accelerators {
  private static final List<Accelerator> ALL = List.of(new Dota(), new Energon(), new Sanger(),
      new Fact());

  private Accelerators() {}

  /** Registry names, in registration order. */
  public static List<String> names() {
    return ALL.stream().map(Accelerator::name).toList();
  }

  /**
   * Refuses a key set under another registered accelerator's own subtree ({@code
   * attnsim.hardware.<name>}) to something other than its default: it would silently do
   * nothing. (A resolved config, such as a trace's, holds every default: those are not
   * settings.) The first such key in sorted order is named.
   */
  public static void refuseOthersSettings(Config root, String chosen) {
    for (String n : names()) {
      String path = "attnsim.hardware." + n;
      if (n.equals(chosen) || !root.hasPath(path)) {
        continue;
      }
      var keys = new TreeMap<String, ConfigValue>();
      root.getConfig(path).entrySet().forEach(e -> keys.put(e.getKey(), e.getValue()));
      Config reference = ConfigFactory.defaultReference();
      for (var e : keys.entrySet()) {
        String key = path + "." + e.getKey();
        boolean asDefault = reference.hasPath(key)
            && reference.getValue(key).unwrapped().equals(e.getValue().unwrapped());
        if (!asDefault) {
          throw ConfigValidator.invalid(root, key, "is set but "
              + "attnsim.hardware.accelerator = " + chosen + ": " + n + "'s settings do nothing "
              + "there (remove it, or set attnsim.hardware.accelerator = " + n + ")");
        }
      }
    }
  }

  /** The accelerator named {@code name}; the name was validated with the settings. */
  public static Accelerator of(String name) {
    for (Accelerator a : ALL) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("no accelerator '" + name + "'; known: "
        + String.join(", ", names()));
  }
}
