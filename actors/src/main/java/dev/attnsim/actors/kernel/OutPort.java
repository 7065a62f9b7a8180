package dev.attnsim.actors.kernel;

/**
 * An output of a block: the sending end of one link, guarded by credits.
 *
 * @param index position in the block's {@link Block#outputs()} list
 * @param name as used in netlists and traces
 */
public record OutPort(int index, String name) {
  public OutPort {
    if (index < 0) {
      throw new IllegalArgumentException("port " + name + ": index must be >= 0, got " + index);
    }
    PortNames.check(name);
  }

  /** One port per name, indexed in list order. */
  public static java.util.List<OutPort> named(java.util.List<String> names) {
    var ports = new java.util.ArrayList<OutPort>();
    for (int i = 0; i < names.size(); i++) {
      ports.add(new OutPort(i, names.get(i)));
    }
    return java.util.List.copyOf(ports);
  }
}
