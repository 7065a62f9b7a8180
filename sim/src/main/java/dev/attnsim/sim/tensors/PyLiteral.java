package dev.attnsim.sim.tensors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python literals of an .npy header. numpy writes the header with {@code repr} of a dict and
 * reads it back with {@code ast.literal_eval}; this is a recursive-descent parser of the subset
 * headers use (dicts, tuples, lists, strings, integers, {@code True}, {@code False}, {@code
 * None}), so that headers from any numpy version read alike: keys in any order, any spacing,
 * trailing commas, Python 2's {@code 3L} and {@code u'...'}.
 *
 * <p>Values: a dict is a {@code Map}, a tuple or list a {@code List}, a string a {@code String},
 * an integer a {@code Long}, a boolean a {@code Boolean}, {@code None} {@link #NONE}.
 */
final class PyLiteral {
  /** Python's {@code None}. */
  static final Object NONE = new Object() {
    @Override
    public String toString() {
      return "None";
    }
  };

  private static final int EXCERPT = 80;

  private final String text;
  private int pos;

  private PyLiteral(String text) {
    this.text = text;
  }

  /** Parses one literal filling {@code text} (blanks around it allowed). */
  static Object parse(String text) throws NpyFormatException {
    var p = new PyLiteral(text);
    Object value = p.value();
    p.skipBlanks();
    if (p.pos < text.length()) {
      throw p.corrupt("unexpected '" + text.charAt(p.pos) + "'");
    }
    return value;
  }

  private Object value() throws NpyFormatException {
    skipBlanks();
    if (pos >= text.length()) {
      throw corrupt("it ends early");
    }
    char c = text.charAt(pos);
    if (c == '{') {
      return dict();
    }
    if (c == '(' || c == '[') {
      return sequence(c == '(' ? ')' : ']');
    }
    if (c == '\'' || c == '"') {
      return string();
    }
    if (c == '-' || c == '+' || Character.isDigit(c)) {
      return integer();
    }
    if (Character.isLetter(c)) {
      return word();
    }
    throw corrupt("unexpected '" + c + "'");
  }

  private Map<Object, Object> dict() throws NpyFormatException {
    pos++; // {
    var map = new LinkedHashMap<Object, Object>();
    while (true) {
      skipBlanks();
      if (peek('}')) {
        pos++;
        return map;
      }
      Object key = value();
      skipBlanks();
      expect(':');
      map.put(key, value());
      skipBlanks();
      if (peek(',')) {
        pos++;
      } else if (!peek('}')) {
        throw corrupt("expected ',' or '}'");
      }
    }
  }

  private List<Object> sequence(char close) throws NpyFormatException {
    pos++; // ( or [
    var list = new ArrayList<Object>();
    while (true) {
      skipBlanks();
      if (peek(close)) {
        pos++;
        return list;
      }
      list.add(value());
      skipBlanks();
      if (peek(',')) {
        pos++;
      } else if (!peek(close)) {
        throw corrupt("expected ',' or '" + close + "'");
      }
    }
  }

  private String string() throws NpyFormatException {
    char quote = text.charAt(pos++);
    var s = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == quote) {
        return s.toString();
      }
      if (c != '\\') {
        s.append(c);
        continue;
      }
      if (pos >= text.length()) {
        break;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case 'n':
          s.append('\n');
          break;
        case 't':
          s.append('\t');
          break;
        case 'x':
          s.append((char) hex(2));
          break;
        case 'u':
          s.append((char) hex(4));
          break;
        case '\\':
        case '\'':
        case '"':
          s.append(e);
          break;
        default: // Python keeps the backslash of an unknown escape
          s.append('\\').append(e);
      }
    }
    throw corrupt("unterminated string");
  }

  private int hex(int digits) throws NpyFormatException {
    if (pos + digits > text.length()) {
      throw corrupt("short escape");
    }
    try {
      int v = Integer.parseInt(text.substring(pos, pos + digits), 16);
      pos += digits;
      return v;
    } catch (NumberFormatException e) {
      throw corrupt("bad escape");
    }
  }

  private Long integer() throws NpyFormatException {
    int start = pos;
    if (peek('-') || peek('+')) {
      pos++;
    }
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    String digits = text.substring(start, pos);
    if (peek('L') || peek('l')) { // Python 2's long
      pos++;
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      pos = start;
      throw corrupt("bad integer " + digits);
    }
  }

  private Object word() throws NpyFormatException {
    int start = pos;
    while (pos < text.length()
        && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    String w = text.substring(start, pos);
    if (w.length() == 1 && "uUbB".contains(w) && (peek('\'') || peek('"'))) {
      return string(); // u'...' (Python 2 unicode), b'...'
    }
    switch (w) {
      case "True":
        return Boolean.TRUE;
      case "False":
        return Boolean.FALSE;
      case "None":
        return NONE;
      default:
        pos = start;
        throw corrupt("unknown name " + w);
    }
  }

  private void skipBlanks() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char c) throws NpyFormatException {
    if (!peek(c)) {
      throw corrupt("expected '" + c + "'");
    }
    pos++;
  }

  /** {@code has a corrupt header (expected ':' at character 9): {'descr' '<f4', ...}}. */
  private NpyFormatException corrupt(String what) {
    String shown = text.strip().replaceAll("\\p{Cntrl}", "?");
    if (shown.length() > EXCERPT) {
      shown = shown.substring(0, EXCERPT - 3) + "...";
    }
    return new NpyFormatException("has a corrupt header (" + what + " at character " + pos
        + "): " + shown);
  }
}
