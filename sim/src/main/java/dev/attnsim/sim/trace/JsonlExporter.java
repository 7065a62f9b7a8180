package dev.attnsim.sim.trace;

import java.io.IOException;

/**
 * The trace as JSON Lines: each line's text as the reader has it, so that a binary trace comes
 * out as the bytes the JSON Lines writer writes for the same run, and a JSON Lines trace as
 * itself (line ends normalised to LF). The reader checks every line on the way, as for the other
 * formats, so a corrupt or incomplete trace writes nothing.
 */
final class JsonlExporter extends TraceExporter {

  private long lines;

  @Override
  protected void begin() throws IOException {
    line(reader.headerLine());
  }

  @Override
  protected void accept(TraceEvent e) throws IOException {
    line(reader.eventLine());
  }

  @Override
  protected void finish(TraceFooter footer, long runEnd) throws IOException {
    line(reader.footerLine());
  }

  private void line(String text) throws IOException {
    out.write(text);
    out.write('\n');
    lines++;
  }

  @Override
  protected long written() {
    return lines;
  }
}
