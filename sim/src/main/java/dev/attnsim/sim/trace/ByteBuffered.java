package dev.attnsim.sim.trace;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A byte buffer in front of a stream, which the trace encoders write into field by field: the
 * buffer is handed to the stream when full or when drained, so that a record costs no call into
 * the stream. Used by one thread at a time.
 */
abstract class ByteBuffered {
  protected final OutputStream out;
  protected final byte[] buf = new byte[1 << 16];
  protected int pos;

  ByteBuffered(OutputStream out) {
    this.out = out;
  }

  /** Hands the buffered bytes to the stream (without flushing the stream). */
  public void drain() throws IOException {
    out.write(buf, 0, pos);
    pos = 0;
  }

  /** Appends {@code b}, straight to the stream if it is larger than the buffer. */
  protected final void bytes(byte[] b) throws IOException {
    if (b.length > buf.length - pos) {
      drain();
      if (b.length > buf.length) {
        out.write(b);
        return;
      }
    }
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  /** Makes room for {@code n} more bytes ({@code n} at most the buffer's size). */
  protected final void room(int n) throws IOException {
    if (buf.length - pos < n) {
      drain();
    }
  }
}
