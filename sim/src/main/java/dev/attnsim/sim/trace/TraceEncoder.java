package dev.attnsim.sim.trace;

import dev.attnsim.actors.kernel.TraceRecord;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A trace's lines as bytes in one {@link TraceEncoding}, buffered: the header, the events, the
 * footer. Header and footer come as the JSON text {@link TraceJson} makes, so that both encodings
 * hold the same text for them. Used by one thread at a time.
 */
interface TraceEncoder {

  void header(byte[] json) throws IOException;

  void event(TraceRecord r) throws IOException;

  void footer(byte[] json) throws IOException;

  /** Hands the buffered bytes to the stream (without flushing the stream). */
  void drain() throws IOException;

  static TraceEncoder of(TraceEncoding encoding, OutputStream out) {
    return switch (encoding) {
      case JSONL -> new JsonLines(out);
      case BINARY -> new BinaryTraceEncoder(out);
    };
  }

  /** JSON Lines: each line's text and a newline. */
  final class JsonLines implements TraceEncoder {
    private final JsonLineEncoder line;

    JsonLines(OutputStream out) {
      line = new JsonLineEncoder(out);
    }

    @Override
    public void header(byte[] json) throws IOException {
      line.text(json);
    }

    @Override
    public void event(TraceRecord r) throws IOException {
      TraceJson.event(line, r);
    }

    @Override
    public void footer(byte[] json) throws IOException {
      line.text(json);
    }

    @Override
    public void drain() throws IOException {
      line.drain();
    }
  }
}
