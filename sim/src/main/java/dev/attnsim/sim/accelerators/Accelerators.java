package dev.attnsim.sim.accelerators;

import java.util.List;

/** The registry: every accelerator a transformer run can name in {@code hardware.accelerator}. */
public final class Accelerators {
  private static final List<Accelerator> ALL = List.of(new Dota(), new Energon(), new Sanger(),
      new Fact());

  private Accelerators() {}

  /** Registry names, in registration order. */
  public static List<String> names() {
    return ALL.stream().map(Accelerator::name).toList();
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
