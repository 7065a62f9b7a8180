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
      throw new IllegalArgumentException("port index must be >= 0");
    }
    PortNames.check(name);
  }
}
