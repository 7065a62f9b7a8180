package dev.attnsim.sim.report;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.attnsim.sim.io.OutputFile;
import java.nio.file.Path;
import java.util.List;

/** attnsim's CSV tables ({@code blocks.csv}, {@code accuracy.csv}, {@code accuracy --csv}). */
public final class Csv {
  private Csv() {}

  /** Writes {@code rows} under a header row of {@code columns}, whole or not at all. */
  public static void write(Path file, List<String> columns, List<List<Object>> rows) {
    var schema = CsvSchema.builder();
    columns.forEach(schema::addColumn);
    var writer = new CsvMapper().writer(schema.build().withHeader());
    OutputFile.write(file, out -> writer.writeValue(out, rows));
  }
}
