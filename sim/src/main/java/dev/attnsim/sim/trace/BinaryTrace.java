package dev.attnsim.sim.trace;

/**
 * The binary encoding of a trace (traces/README.md, <i>Binary encoding</i>, is the
 * specification): magic bytes, the encoding's version, the header line as length-prefixed JSON,
 * one tagged record per event, and the footer line as length-prefixed JSON. Numbers are zigzag
 * varints, times deltas from the previous event's, and strings ids into a table that a record
 * extends the first time it uses a string, so that a writer streams without knowing the strings
 * in advance and a reader needs only the table.
 *
 * <p>The JSON Lines form of a binary trace is its header text, each event rendered as the JSON
 * Lines writer renders its record ({@link TraceJson#event}), and its footer text: the bytes the
 * JSON Lines writer writes for the same run.
 */
final class BinaryTrace {
  private BinaryTrace() {}

  /**
   * The first 8 bytes: a byte no text starts with, a name, and CR LF, SUB, LF so that a transfer
   * that rewrites line ends or stops at SUB shows in the magic.
   */
  static final byte[] MAGIC = {(byte) 0x89, 'A', 'T', 'R', '\r', '\n', 0x1a, '\n'};
  /** The byte after the magic: the version of this encoding (not of the trace's content). */
  static final int ENCODING_VERSION = 1;

  /** Record tags. */
  static final int HEADER = 'H';
  static final int FOOTER = 'E';
  static final int SEND = 1;
  static final int RECV = 2;
  static final int CREDIT = 3;
  static final int BUSY = 4;
  static final int STALL = 5;

  /** A string reference: absent (optional fields only). */
  static final int STRING_ABSENT = 0;
  /** A string reference: a new string follows and takes the next id. */
  static final int STRING_DEFINE = 1;
  /** A string reference: a string follows, used once, not added to the table. */
  static final int STRING_LITERAL = 2;
  /** A string reference {@code r >= STRING_ID} is the table's string {@code r - STRING_ID}. */
  static final int STRING_ID = 3;

  /** The table holds at most this many strings; a writer writes further ones as literals. */
  static final int MAX_TABLE_STRINGS = 4096;
  /** Longest string a writer adds to the table, in UTF-8 bytes; longer ones are literals. */
  static final int MAX_TABLE_STRING_BYTES = 1024;
  /** Longest header, footer or literal string, in bytes (the JSON Lines reader's line limit). */
  static final int MAX_TEXT_BYTES = TraceLines.MAX_LINE_CHARS;
  /** Most attributes a send record carries. */
  static final int MAX_ATTRIBUTES = 1024;

  static String tagName(int tag) {
    return switch (tag) {
      case HEADER -> "header";
      case FOOTER -> "footer";
      case SEND -> "send";
      case RECV -> "recv";
      case CREDIT -> "credit";
      case BUSY -> "busy";
      case STALL -> "stall";
      default -> String.format("0x%02x", tag);
    };
  }
}
