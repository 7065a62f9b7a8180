package dev.attnsim.sim.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.attnsim.sim.TestConfigs;
import dev.attnsim.sim.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's figures stay true: every code block marked {@code <!-- readme-check -->} on the
 * line above its fence is run, command by command ({@code $ ./attnsim ...}, and {@code $ head -N
 * FILE}), and what each prints is compared with the lines the README shows under it.
 *
 * <p>Comparison: the lines before the first {@code ...} are the output's first lines; after a
 * {@code ...} the next line is found by its first word (a label such as {@code dram} or {@code
 * sim}) and the lines from there compared in order; a block's last command must end where its
 * lines end unless they end with {@code ...}. Wall-clock figures ({@code 1.11 s}, {@code events/s}),
 * the thread count of the actor engine and run directories' timestamps are masked on both sides.
 *
 * <p>Paths: relative ones are the repository's; {@code /tmp/} and {@code traces/runs/} are a
 * temporary directory's (a {@code run} without {@code -o} writes there), and are printed back as
 * the README writes them.
 *
 * <p>{@code mvn -B -pl actors,sim test -Dtest=ReadmeCheckTest -Dreadme.update=true} rewrites every
 * line whose figures differ with what the command printed (that line's wall time too, as measured
 * inside the test), keeps lines that differ only in masked figures, and keeps the {@code ...}
 * structure; a line whose label is no longer printed still fails and needs a hand edit.
 */
class ReadmeCheckTest {

  static final String MARK = "<!-- readme-check -->";

  @TempDir
  Path tmp;

  private Path repo;
  private int runs;

  private static final List<Pattern> MASKS = List.of(
      Pattern.compile("\\d+(\\.\\d+)? s\\b"),
      Pattern.compile("[\\d,]+ events/s"),
      Pattern.compile("actor engine, \\d+ threads?"),
      Pattern.compile("\\d{8}-\\d{6}(-\\d+)?"));

  static String mask(String line) {
    String m = line.stripTrailing();
    m = MASKS.get(0).matcher(m).replaceAll("<s> s");
    m = MASKS.get(1).matcher(m).replaceAll("<n> events/s");
    m = MASKS.get(2).matcher(m).replaceAll("actor engine, <n> threads");
    return MASKS.get(3).matcher(m).replaceAll("<stamp>");
  }

  /** One command of a checked block and the lines the README shows for it. */
  record Command(int line, String text, List<Integer> outputLines) {}

  @Test
  void theReadmesQuickExamplesPrintWhatItShows() throws IOException {
    repo = TestConfigs.repo();
    Path readme = repo.resolve("README.md");
    List<String> lines = new ArrayList<>(Files.readAllLines(readme));
    boolean update = Boolean.getBoolean("readme.update");
    var problems = new ArrayList<String>();
    int blocks = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals(MARK)) {
        continue;
      }
      blocks++;
      assertTrue(lines.get(i + 1).startsWith("```"), "README line " + (i + 2)
          + ": a code fence must follow " + MARK);
      int end = i + 2;
      while (!lines.get(end).startsWith("```")) {
        end++;
      }
      List<Command> commands = commands(lines, i + 2, end);
      for (int c = 0; c < commands.size(); c++) {
        Command cmd = commands.get(c);
        List<String> got = run(cmd.text());
        String where = "README line " + (cmd.line() + 1) + ": " + cmd.text();
        String problem = compare(lines, cmd.outputLines(), got, where, update);
        if (problem != null) {
          problems.add(problem);
        }
      }
      i = end;
    }
    assertTrue(blocks >= 5, "README has " + blocks + " checked blocks");
    if (update) {
      Files.write(readme, lines);
    }
    if (!problems.isEmpty()) {
      fail(problems.size() + " README example(s) print something else (regenerate with "
          + "-Dreadme.update=true, then review the diff):\n" + String.join("\n\n", problems));
    }
  }

  @Test
  void ciRunsExactlyTheReadmesTestCommand() throws IOException {
    repo = TestConfigs.repo();
    String readme = Files.readString(repo.resolve("README.md"));
    Matcher m = Pattern.compile("\\n(mvn [^#\\n]*?)\\s*#").matcher(readme);
    assertTrue(m.find(), "the README's set-up block names a mvn command");
    List<String> ci = Files.readAllLines(repo.resolve(".ci/run"));
    assertEquals(m.group(1).strip(), ci.get(ci.size() - 1).strip());
  }

  @Test
  void comparisonMasksWallTimeFindsLabelsAfterAnEllipsisAndCatchesAStaleFigure() {
    var readme = new ArrayList<>(List.of("status     ok", "...", "dram  10", "sim  5 events in "
        + "1.11 s (4 events/s, actor engine, 2 threads)"));
    var idx = List.of(0, 1, 2, 3);
    var got = List.of("status     ok", "cycles 9", "dram  10",
        "sim  5 events in 7.50 s (1 events/s, actor engine, 8 threads)");
    assertEquals(null, compare(readme, idx, got, "x", false));
    var stale = new ArrayList<>(readme);
    stale.set(2, "dram  11");
    String problem = compare(stale, idx, got, "x", false);
    assertTrue(problem != null && problem.contains("shows  dram  11"), problem);
    // more output than shown, without a closing ellipsis
    assertTrue(compare(readme, List.of(0), got, "x", false).contains("prints more"));
    // update: the stale line is rewritten, the one differing only in wall time is kept
    compare(stale, idx, got, "x", true);
    assertEquals("dram  10", stale.get(2));
    assertEquals(readme.get(3), stale.get(3));
  }

  private static List<Command> commands(List<String> lines, int from, int to) {
    var out = new ArrayList<Command>();
    for (int i = from; i < to; i++) {
      String l = lines.get(i);
      if (!l.startsWith("$ ")) {
        if (out.isEmpty()) {
          throw new AssertionError("README line " + (i + 1) + ": a checked block starts with a "
              + "$ command");
        }
        out.get(out.size() - 1).outputLines().add(i);
        continue;
      }
      out.add(new Command(i, l.substring(2).strip(), new ArrayList<>()));
    }
    return out;
  }

  /**
   * Compares the README's lines ({@code idx} into {@code lines}) with {@code got}; with {@code
   * update}, writes the matched output into {@code lines}. Returns a problem, or null.
   */
  static String compare(List<String> lines, List<Integer> idx, List<String> got, String where,
      boolean update) {
    int g = 0;
    boolean skipping = false;
    for (int k = 0; k < idx.size(); k++) {
      String want = lines.get(idx.get(k));
      if (want.strip().equals("...")) {
        skipping = true;
        continue;
      }
      if (skipping) {
        String label = label(want);
        int found = -1;
        for (int j = g; j < got.size(); j++) {
          if (label(got.get(j)).equals(label) && (!label.isEmpty() || got.get(j).isBlank())) {
            found = j;
            break;
          }
        }
        if (found < 0) {
          return where + "\n  shows  " + want + "\n  but no later line starts with '" + label
              + "' in:\n    " + String.join("\n    ", got);
        }
        g = found;
        skipping = false;
      }
      if (g >= got.size()) {
        return where + "\n  shows  " + want + "\n  but the output ended";
      }
      if (!mask(want).equals(mask(got.get(g)))) {
        if (!update) {
          return where + "\n  shows  " + want + "\n  prints " + got.get(g);
        }
        // a line whose figures changed is rewritten whole; one that differs only in what is
        // masked (wall time, threads) keeps the README's measured figures
        lines.set(idx.get(k), got.get(g).stripTrailing());
      }
      g++;
    }
    if (!skipping && g < got.size()) {
      return where + "\n  prints more than the README shows, from: " + got.get(g)
          + " (end the README's lines with ... to elide)";
    }
    return null;
  }

  private static String label(String line) {
    String s = line.strip();
    int sp = s.indexOf(' ');
    return sp < 0 ? s : s.substring(0, sp);
  }

  /** Runs one command as the README writes it; stdout and stderr lines, in that order. */
  private List<String> run(String command) throws IOException {
    List<String> words = List.of(command.split("\\s+"));
    if (words.get(0).equals("head")) {
      int n = Integer.parseInt(words.get(1).substring(1));
      List<String> all = Files.readAllLines(path(words.get(2)));
      return all.subList(0, Math.min(n, all.size()));
    }
    if (!words.get(0).equals("./attnsim")) {
      throw new AssertionError("a checked block runs ./attnsim or head only: " + command);
    }
    var args = new ArrayList<String>();
    boolean hasOut = false;
    String runDir = null;
    for (String w : words.subList(1, words.size())) {
      hasOut |= w.equals("-o") || w.equals("--out");
      args.add(argument(w));
    }
    if (!args.isEmpty() && args.get(0).equals("run") && !hasOut) {
      // where a run writes by default, in the temporary directory: traces/runs/<name>-<stamp>
      runDir = "readme" + (++runs);
      args.add("-o");
      args.add(tmp.resolve("runs").resolve(runDir).toString());
    }
    var out = new StringWriter();
    var err = new StringWriter();
    Main.execute(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    // a run's default directory is <name>-<timestamp>: written back so, from its summary
    String dirName = null;
    if (runDir != null) {
      Path summary = tmp.resolve("runs").resolve(runDir).resolve("summary.json");
      if (Files.exists(summary)) {
        String name = new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary.toFile())
            .get("name").asText();
        dirName = name + "-" + java.time.LocalDateTime.now().format(
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      }
    }
    var lines = new ArrayList<String>();
    for (String l : (out + err.toString()).split("\\R", -1)) {
      String b = back(l);
      lines.add(dirName != null ? b.replace("traces/runs/" + runDir, "traces/runs/" + dirName)
          : b);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /** A command-line word with its paths moved: /tmp/ and traces/runs/ to tmp, the rest to repo. */
  private String argument(String w) {
    int eq = w.indexOf('=');
    if (eq > 0 && !w.startsWith("-")) {
      String value = w.substring(eq + 1);
      return looksLikePath(value) ? w.substring(0, eq + 1) + path(value) : w;
    }
    return looksLikePath(w) ? path(w).toString() : w;
  }

  private boolean looksLikePath(String w) {
    return w.startsWith("/tmp/") || w.startsWith("traces/") || w.startsWith("config/")
        || (w.contains("/") && !w.startsWith("-") && Files.exists(repo.resolve(w)));
  }

  private Path path(String w) {
    if (w.startsWith("/tmp/")) {
      return tmp.resolve(w.substring(5));
    }
    if (w.startsWith("traces/runs/")) {
      return tmp.resolve("runs").resolve(w.substring("traces/runs/".length()));
    }
    return repo.resolve(w);
  }

  /** Output with the temporary and repository paths written back as the README writes them. */
  private String back(String line) {
    String runs = tmp.resolve("runs") + "/";
    return line.replace(runs, "traces/runs/")
        .replace(tmp + "/", "/tmp/")
        .replace(repo + "/", "");
  }
}
