package dev.attnsim.sim.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Chrome Trace Event JSON, as Perfetto UI and chrome://tracing open it: one process, one thread
 * (track) per block in header order; busy spans are complete events ({@code "ph":"X"}) named by
 * stage or op, stalls are complete events named {@code stall <port>} in category {@code stall}
 * (red in chrome://tracing). Times are microseconds at the trace's clock.
 */
final class ChromeExporter extends TraceExporter {

  private JsonGenerator g;
  private double usPerCycle;
  private long spans;

  @Override
  protected void begin() throws IOException {
    g = new JsonFactory().createGenerator(out);
    g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    usPerCycle = header.microsPerCycle();
    g.writeStartObject();
    g.writeArrayFieldStart("traceEvents");
    meta("process_name", 0, "attnsim: " + header.runName());
    for (int i = 0; i < header.blocks().size(); i++) {
      meta("thread_name", i, header.blocks().get(i));
      g.writeStartObject();
      g.writeStringField("name", "thread_sort_index");
      g.writeStringField("ph", "M");
      g.writeNumberField("pid", 1);
      g.writeNumberField("tid", i);
      g.writeObjectFieldStart("args");
      g.writeNumberField("sort_index", i);
      g.writeEndObject();
      g.writeEndObject();
    }
  }

  private void meta(String what, int tid, String name) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", what);
    g.writeStringField("ph", "M");
    g.writeNumberField("pid", 1);
    g.writeNumberField("tid", tid);
    g.writeObjectFieldStart("args");
    g.writeStringField("name", name);
    g.writeEndObject();
    g.writeEndObject();
  }

  @Override
  protected void accept(TraceEvent e) throws IOException {
    if (e instanceof TraceEvent.Busy b) {
      begin(b.stageOrOp(), "busy", b);
      g.writeObjectFieldStart("args");
      g.writeStringField("op", b.op());
      if (b.stage() != null) {
        g.writeStringField("stage", b.stage());
      }
      if (b.macs() != 0) {
        g.writeNumberField("macs", b.macs());
      }
      if (b.precision() != null) {
        g.writeStringField("prec", b.precision());
      }
      writeCycles(b);
      g.writeEndObject();
      g.writeEndObject();
    } else if (e instanceof TraceEvent.Stall s) {
      begin("stall " + s.port(), "stall", s);
      g.writeStringField("cname", "terrible");
      g.writeObjectFieldStart("args");
      g.writeStringField("port", s.port());
      g.writeStringField("cause", s.cause());
      writeCycles(s);
      g.writeEndObject();
      g.writeEndObject();
    }
  }

  private void begin(String name, String category, TraceEvent.Span s) throws IOException {
    spans++;
    g.writeStartObject();
    g.writeStringField("name", name);
    g.writeStringField("cat", category);
    g.writeStringField("ph", "X");
    g.writeNumberField("ts", s.start() * usPerCycle);
    g.writeNumberField("dur", (s.end() - s.start()) * usPerCycle);
    g.writeNumberField("pid", 1);
    g.writeNumberField("tid", s.block());
  }

  private void writeCycles(TraceEvent.Span s) throws IOException {
    g.writeNumberField("start_cycle", s.start());
    g.writeNumberField("end_cycle", s.end());
  }

  @Override
  protected void finish(TraceFooter footer, long runEnd) throws IOException {
    g.writeEndArray();
    g.writeStringField("displayTimeUnit", "ns");
    g.writeObjectFieldStart("otherData");
    g.writeStringField("source", "attnsim " + header.attnsimVersion());
    g.writeStringField("name", header.runName());
    g.writeStringField("engine", header.engine());
    g.writeNumberField("seed", header.seed());
    g.writeNumberField("clock_ghz", header.clockGhz());
    g.writeStringField("status", footer.status());
    g.writeNumberField("cycles", footer.cycles());
    g.writeEndObject();
    g.writeEndObject();
    g.flush();
    out.write('\n');
  }

  @Override
  protected long written() {
    return spans;
  }
}
