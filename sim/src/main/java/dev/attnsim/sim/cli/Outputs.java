package dev.attnsim.sim.cli;

import dev.attnsim.sim.config.ConfigError;
import dev.attnsim.sim.io.OutputFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The rule every command's output files follow: never the command's own input (not even with
 * {@code --force}), never an existing file unless {@code --force} is given. Checked before any
 * work, so a refused command costs nothing and writes nothing.
 */
final class Outputs {
  private Outputs() {}

  /**
   * Refuses {@code output} when it is one of {@code inputs} (compared by real path) or, without
   * {@code force}, when it exists.
   *
   * @param option how the user named it, e.g. {@code -o} or {@code --csv}
   */
  static void check(String option, Path output, boolean force, Collection<Path> inputs) {
    Path input = OutputFile.sameAsInput(output, inputs);
    if (input != null) {
      throw new ConfigError(option + " " + output + " is the input " + input
          + " itself; writing it would destroy it (even --force does not), choose another file");
    }
    if (Files.isDirectory(output)) {
      throw new ConfigError(option + " " + output + " is a directory, not a file");
    }
    if (!force && Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
      throw new ConfigError(option + " " + output + " already exists; --force replaces it");
    }
  }

  /**
   * As {@link #check} for each of {@code files} in the directory {@code --out} names; with
   * {@code force} off, the first one that exists is refused.
   */
  static void checkRunDirectory(Path dir, List<String> files, boolean force,
      Collection<Path> inputs) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ConfigError("--out " + dir + " is a file, not a directory");
    }
    for (String f : files) {
      Path p = dir.resolve(f);
      Path input = OutputFile.sameAsInput(p, inputs);
      if (input != null) {
        throw new ConfigError("--out " + dir + ": the run writes " + p + ", which is its input "
            + input + " (even --force does not overwrite an input); choose another directory");
      }
    }
    if (force) {
      return;
    }
    for (String f : files) {
      Path p = dir.resolve(f);
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new ConfigError("--out " + dir + " already holds " + f + " (an earlier run's?); "
            + "--force replaces the run outputs there, or choose another directory");
      }
    }
  }

  /** An output file and the option that named it, for messages. */
  record Named(String option, Path path) {}

  /**
   * The output a command writes: {@code -o/--out}, or the option's old spelling, kept hidden for
   * one release (it says so on stderr); both at once is an error. Null when neither is given.
   */
  static Named chosen(Path out, String oldName, Path old, java.io.PrintWriter err) {
    if (out != null && old != null) {
      throw new ConfigError("-o/--out and " + oldName + " both name the output; give -o/--out "
          + "only (" + oldName + " is its old spelling)");
    }
    if (old != null) {
      err.println("attnsim: note: " + oldName + " is now -o/--out; the old spelling goes in a "
          + "later release");
      return new Named(oldName, old);
    }
    return out == null ? null : new Named("-o", out);
  }

  /** The files a command reads: a config, presets, a tensor file; nulls skipped. */
  static List<Path> inputs(Path config, List<Path> presets, java.util.Optional<Path> tensors) {
    var all = new ArrayList<Path>();
    if (config != null) {
      all.add(config);
    }
    all.addAll(presets);
    tensors.ifPresent(all::add);
    return all;
  }
}
