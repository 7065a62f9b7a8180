package dev.attnsim.sim.report;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** attnsim's CSV tables ({@code blocks.csv}, {@code accuracy.csv}, {@code accuracy --csv}). */
public final class Csv {
  private Csv() {}

  /** Writes {@code rows} under a header row of {@code columns}. */
  public static void write(Path file, List<String> columns, List<List<Object>> rows) {
    var schema = CsvSchema.builder();
    columns.forEach(schema::addColumn);
    try {
      new CsvMapper().writer(schema.build().withHeader()).writeValue(file.toFile(), rows);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
