package dev.attnsim.sim.cli;

import dev.attnsim.sim.cli.Cli.Result;

import static dev.attnsim.sim.cli.Cli.attnsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code attnsim accuracy} as a user meets it. */
class AccuracyCliTest {

  @TempDir
  Path tmp;

  private static final String[] SMALL = {"--set", "workload.transformer.layers=1", "--set",
      "workload.transformer.d-model=32", "--set", "workload.transformer.heads=2", "--set",
      "workload.transformer.seq-len=96"};

  private static String[] small(String... more) {
    var args = new String[1 + SMALL.length + more.length];
    args[0] = "accuracy";
    System.arraycopy(SMALL, 0, args, 1, SMALL.length);
    System.arraycopy(more, 0, args, 1 + SMALL.length, more.length);
    return args;
  }

  @Test
  void printsOneRowPerPredictorAndWritesTheSameTableAsCsv() throws IOException {
    Path csv = tmp.resolve("acc.csv");
    Result r = attnsim(small("--keep", "0.1", "-o", csv.toString()));

    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("small: 1 layers x 96 tokens, d 32, 2 heads (d_head 16), synthetic (seed 1) "
        + "tensors", lines.get(0));
    assertTrue(lines.get(1).matches("predictor setting .* Z error +Z cosine"), lines.get(1));
    int blank = lines.indexOf("");
    List<String> rows = lines.subList(2, blank);
    assertEquals(List.of("oracle", "dsa", "fact", "sanger", "energon"),
        rows.stream().map(l -> l.split("\\s+")[0]).toList(), r.out());
    // round(0.1 x 96) = 10 of 96 keys: 89.6 % omitted
    assertTrue(rows.get(0).matches("oracle +keep 10% +89\\.6% +1\\.000 .* - +0\\.\\d{3} +0\\.\\d{4}"),
        rows.get(0));
    // the second table: fact's decisions
    assertTrue(lines.get(blank + 1).matches("predictor setting +decided +K/V unneeded +FFN low"),
        r.out());
    assertTrue(lines.get(blank + 2).matches("fact +keep 10% +\\d+\\.\\d% +\\d+\\.\\d% +\\d+\\.\\d%"),
        lines.get(blank + 2));
    assertTrue(r.out().contains("\ndsa       W~ by calibration on 96 rows of X, k 4, INT4 operands"),
        r.out());
    assertTrue(lines.get(lines.size() - 1).matches("wall \\d+\\.\\d s"), r.out());

    MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class)
        .with(CsvSchema.emptySchema().withHeader()).readValues(csv.toFile());
    List<Map<String, String>> table = it.readAll();
    assertEquals(5, table.size());
    assertEquals(AccuracyCommand.COLUMNS, List.copyOf(table.get(0).keySet()));
    assertEquals("oracle", table.get(0).get("predictor"));
    assertEquals(1.0, Double.parseDouble(table.get(0).get("accuracy")));
    assertEquals("", table.get(0).get("predict_mac_share"));
    assertEquals("", table.get(0).get("decided_fraction"));
    double cosine = Double.parseDouble(table.get(0).get("output_cosine"));
    assertTrue(cosine > 0.9 && cosine < 1, "oracle keeps 10 %: close, not equal");
    assertEquals(0.1, Double.parseDouble(table.get(1).get("keep_ratio")));
    double unneeded = Double.parseDouble(table.get(2).get("kv_unneeded_fraction"));
    assertTrue(unneeded >= 0 && unneeded <= 1, table.get(2).toString());
    assertEquals("", table.get(3).get("keep_ratio"));
    assertEquals("", table.get(3).get("ffn_low_fraction"));
    assertEquals(2 * 96, Long.parseLong(table.get(4).get("rows")));
  }

  @Test
  void factOptionsOutsideTheirRangesAreOneLineErrors() {
    Result gap = attnsim(small("--fact-gap", "-1"));
    assertEquals(2, gap.code());
    assertEquals("attnsim: error: --fact-gap -1.0 is not >= 0", gap.err().strip());
    Result ffn = attnsim(small("--fact-ffn-r", "-0.5"));
    assertEquals(2, ffn.code());
    assertEquals("attnsim: error: --fact-ffn-r -0.5 is not >= 0", ffn.err().strip());
  }

  @Test
  void aKeepRatioOutsideZeroToOneIsAOneLineError() {
    Result r = attnsim(small("--keep", "0.1,1.5"));

    assertEquals(2, r.code());
    assertEquals("attnsim: error: --keep 0.1,1.5: 1.5 is not a keep ratio in (0, 1]",
        r.err().strip());
    assertEquals("", r.out());
  }

  @Test
  void unknownPredictorAndGemmWorkloadAreOneLineErrors() {
    Result p = attnsim(small("--predictors", "oracle,elsa"));
    assertEquals(2, p.code());
    assertEquals("attnsim: error: --predictors: no predictor 'elsa'; known: oracle, dsa, fact, "
        + "sanger, energon", p.err().strip());

    Result g = attnsim("accuracy", "--set", "workload.kind=gemm");
    assertEquals(2, g.code());
    assertEquals(1, g.err().strip().lines().count(), g.err());
  }
}
