package dev.attnsim.sim.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** attnsim's version, from the build. */
public final class Version {
  private Version() {}

  public static String get() {
    try (InputStream in = Version.class.getResourceAsStream("/attnsim-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      var p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
