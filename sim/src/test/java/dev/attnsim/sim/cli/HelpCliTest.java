package dev.attnsim.sim.cli;

import static dev.attnsim.sim.cli.Cli.attnsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.sim.run.Simulation;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What --help tells: the values an option takes, and every file a run writes. */
class HelpCliTest {

  /** picocli's placeholder for an option without a paramLabel: {@code <engines>}. */
  private static final Pattern PLACEHOLDER = Pattern.compile("=<[a-zA-Z]+>");

  @Test
  void noOptionShowsAPlaceholderInsteadOfItsValues() {
    for (String c : new String[] {"run", "check", "accuracy", "bench", "inspect", "replay",
        "export", "keys"}) {
      var r = attnsim(c, "--help");
      assertEquals(0, r.code(), c);
      assertFalse(PLACEHOLDER.matcher(r.out()).find(), c + " --help:\n" + r.out());
    }
    String bench = attnsim("bench", "--help").out();
    assertTrue(bench.contains("--engines=sequential|actor"), bench);
    assertTrue(bench.contains("--trace=off|on"), bench);
  }

  @Test
  void runHelpListsEveryOutputFile() {
    String help = attnsim("run", "--help").out();
    for (String f : Simulation.OUTPUT_FILES) {
      assertTrue(help.contains(f), f + " missing from run --help:\n" + help);
    }
  }
}
