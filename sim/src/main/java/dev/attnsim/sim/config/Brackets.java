package dev.attnsim.sim.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * Finds an unclosed bracket in a HOCON file, so that a parse error at the end of the file can
 * say which {@code {} or {@code [} was never closed and where it was opened, instead of
 * typesafe-config's "expecting a close parentheses ')' here, not: end of file". Strings
 * ({@code "..."}, {@code """..."""}) and comments ({@code #}, {@code //}) are skipped.
 */
final class Brackets {
  private Brackets() {}

  /** "FILE: line N: '{' is never closed ...", or null when every bracket is closed. */
  static String unclosed(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      return null;
    }
    var open = new ArrayDeque<int[]>(); // {bracket char, line}
    int line = 1;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (c == '#' || (c == '/' && i + 1 < n && text.charAt(i + 1) == '/')) {
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
      } else if (text.startsWith("\"\"\"", i)) {
        int end = text.indexOf("\"\"\"", i + 3);
        end = end < 0 ? n : end + 3;
        line += count(text, i, end);
        i = end;
      } else if (c == '"') {
        i++;
        while (i < n && text.charAt(i) != '"' && text.charAt(i) != '\n') {
          boolean escape = text.charAt(i) == '\\' && i + 1 < n && text.charAt(i + 1) != '\n';
          i += escape ? 2 : 1;
        }
        if (i < n && text.charAt(i) == '"') {
          i++; // the closing quote; a string cut at a line's end leaves the newline counted
        }
      } else if (c == '{' || c == '[') {
        open.push(new int[] {c, line});
        i++;
      } else if (c == '}' || c == ']') {
        if (open.isEmpty() || open.peek()[0] != (c == '}' ? '{' : '[')) {
          return null; // a stray closer: typesafe-config's own message says it well enough
        }
        open.pop();
        i++;
      } else {
        i++;
      }
    }
    if (open.isEmpty()) {
      return null;
    }
    int last = text.endsWith("\n") ? line - 1 : line;
    var opened = new java.util.ArrayList<int[]>(open);
    java.util.Collections.reverse(opened); // in file order
    int[] first = opened.get(0);
    var more = new StringBuilder();
    for (int[] o : opened.subList(1, opened.size())) {
      more.append(more.length() == 0 ? " (nor is the '" : ", the '").append((char) o[0])
          .append("' of line ").append(o[1]);
    }
    if (more.length() > 0) {
      more.append(')');
    }
    return file + ": line " + first[1] + ": this '" + (char) first[0] + "' is never closed"
        + more + ": the file ends at line " + last + " without its '" + (first[0] == '{' ? '}'
            : ']') + "'";
  }

  private static int count(String text, int from, int to) {
    int lines = 0;
    for (int i = from; i < Math.min(to, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        lines++;
      }
    }
    return lines;
  }
}
