package dev.attnsim.actors.kernel;

/**
 * An input of a block: the receiving end of one link, with a FIFO of arrived tiles.
 *
 * @param index position in the block's {@link Block#inputs()} list
 * @param name as used in netlists and traces ({@code "in"}, {@code "lane2"})
 */
public record InPort(int index, String name) {
  public InPort {
    if (index < 0) {
      throw new IllegalArgumentException("port " + name + ": index must be >= 0, got " + index);
    }
    PortNames.check(name);
  }

  /** One port per name, indexed in list order. */
  public static java.util.List<InPort> named(java.util.List<String> names) {
    var ports = new java.util.ArrayList<InPort>();
    for (int i = 0; i < names.size(); i++) {
      ports.add(new InPort(i, names.get(i)));
    }
    return java.util.List.copyOf(ports);
  }
}
