package dev.attnsim.actors.kernel;

/** A block threw while handling an event: the run is aborted with this as its cause. */
final class BlockFailure extends RuntimeException {
  final long time;
  final int channel;
  final long seq;

  BlockFailure(String block, Envelope at, Throwable cause) {
    super("block " + block + " failed at cycle " + at.time() + ": " + describe(cause), cause);
    this.time = at.time();
    this.channel = at.channel();
    this.seq = at.seq();
  }

  private static String describe(Throwable t) {
    String msg = t.getMessage();
    return t.getClass().getSimpleName() + (msg == null ? "" : " (" + msg + ")");
  }
}
