package dev.attnsim.sim.io;

import static dev.attnsim.sim.cli.CliAccess.attnsimCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnsim.sim.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** traces/runs/latest: the newest run's directory, replaced atomically, never a real file. */
class LatestLinkTest {

  @TempDir
  Path tmp;

  @Test
  void pointsAtTheNewestRunRelativelyAndIsReplaced() throws IOException {
    Path a = Files.createDirectories(tmp.resolve("runs/a"));
    Path b = Files.createDirectories(tmp.resolve("runs/b"));
    Path link = LatestLink.update(a);
    assertEquals(tmp.resolve("runs/latest"), link);
    assertEquals(Path.of("a"), Files.readSymbolicLink(link));
    LatestLink.update(b);
    assertEquals(Path.of("b"), Files.readSymbolicLink(link));
    assertTrue(Files.isSameFile(b, link));
    try (var files = Files.list(tmp.resolve("runs"))) {
      assertEquals(3, files.count(), "no temporary link left behind");
    }
  }

  @Test
  void neverReplacesARealFileOrLinksARunCalledLatestToItself() throws IOException {
    Path a = Files.createDirectories(tmp.resolve("runs/a"));
    Path real = Files.createDirectories(tmp.resolve("runs/latest"));
    assertNull(LatestLink.update(a));
    assertTrue(Files.isDirectory(real) && !Files.isSymbolicLink(real));
    assertNull(LatestLink.update(real));
  }

  @Test
  void aSuccessfulRunUpdatesIt() throws IOException {
    Path dir = tmp.resolve("runs/gemm");
    assertEquals(0, attnsimCode("run", TestConfigs.repo().resolve("traces/golden/gemm-small.conf")
        .toString(), "-o", dir.toString(), "--quiet", "--engine", "sequential"));
    Path latest = tmp.resolve("runs/latest");
    assertTrue(Files.exists(latest.resolve("trace.jsonl")));
    assertEquals(Path.of("gemm"), Files.readSymbolicLink(latest));
  }
}
