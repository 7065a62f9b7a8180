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
      throw new IllegalArgumentException("port index must be >= 0");
    }
    PortNames.check(name);
  }
}
