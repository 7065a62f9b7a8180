package dev.attnsim.actors.kernel;

import java.util.regex.Pattern;

/** Names of blocks and ports: short identifiers that read well in traces and configs. */
final class PortNames {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

  private PortNames() {}

  static String check(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid name '" + name + "': use letters, digits, '_' or '-', starting with a letter");
    }
    return name;
  }
}
