package dev.attnsim.sim.trace;

import java.nio.file.Path;

/**
 * A trace that cannot be read as format {@code attnsim-trace} version 1: a one-line user error
 * naming the file, where in it and the reason ({@code trace.jsonl: line 7: malformed JSON: ...};
 * in a binary trace, which has no lines, {@code trace.bin: event 6, byte 5291: ...}). The command
 * line maps it to exit code 2, like a config error.
 */
public final class TraceError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;
  private final String reason;

  /**
   * @param file the trace
   * @param line the 1-based line the problem is on, or 0 when it is about the whole file
   * @param reason what is wrong, one line
   */
  public TraceError(Path file, long line, String reason) {
    this(file, line, line > 0 ? "line " + line : "", reason);
  }

  /**
   * @param file the trace
   * @param line the line the problem is on in the trace's JSON Lines form (what {@code attnsim
   *     export --format jsonl} writes), or 0 when it is about the whole file
   * @param where where the problem is, as the message names it ({@code event 6, byte 5291}), or
   *     empty
   * @param reason what is wrong, one line
   */
  public TraceError(Path file, long line, String where, String reason) {
    super(file + (where.isEmpty() ? "" : ": " + where) + ": " + oneLine(reason));
    this.file = file;
    this.line = line;
    this.reason = oneLine(reason);
  }

  public Path file() {
    return file;
  }

  /**
   * The 1-based line (in a binary trace: of its JSON Lines form), or 0 when the error is about the
   * whole file.
   */
  public long line() {
    return line;
  }

  public String reason() {
    return reason;
  }

  /** The first line of a message, without trailing blanks (Jackson's messages span lines). */
  static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return (nl >= 0 ? message.substring(0, nl) : message).strip();
  }
}
