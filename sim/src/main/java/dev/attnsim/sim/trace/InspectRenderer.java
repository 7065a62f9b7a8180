package dev.attnsim.sim.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Writes an {@link InspectReport} as text tables or as one JSON object. */
public final class InspectRenderer {
  private InspectRenderer() {}

  /** The report as text for a terminal. */
  public static void text(InspectReport r, PrintWriter out) {
    TraceHeader h = r.header();
    double us = h.microsPerCycle();
    out.printf(Locale.ROOT, "trace      %s%n", r.file());
    out.printf(Locale.ROOT, "run        %s: attnsim %s, %s engine, seed %d, %d blocks%n",
        h.runName(), h.attnsimVersion(), h.engine(), h.seed(), h.blocks().size());
    if (r.footer() != null) {
      out.printf(Locale.ROOT, "status     %s, %,d cycles (%.3f us at %.2f GHz), %,d event lines%n",
          r.footer().status(), r.footer().cycles(), r.footer().cycles() * us, h.clockGhz(),
          r.events());
    } else {
      out.printf(Locale.ROOT, "status     INCOMPLETE: %s; reporting on the %,d event lines read "
          + "(up to cycle %,d)%n", r.incomplete(), r.events(), r.to());
    }
    out.printf(Locale.ROOT, "window     cycles %,d to %,d (%,d cycles, %.3f us)%n", r.from(),
        r.to(), r.windowCycles(), r.windowCycles() * us);
    if (r.otherEvents() > 0) {
      out.printf(Locale.ROOT, "note       %,d event lines of unknown kinds ignored%n",
          r.otherEvents());
    }
    if (r.tile() != null) {
      tile(r.tile(), out);
      return;
    }
    out.println();
    int w = Math.max(5, r.blocks().stream().mapToInt(b -> b.name().length()).max().orElse(5));
    out.printf(Locale.ROOT, "%-" + w + "s %12s %6s %12s %6s %6s %9s %14s %9s %14s%n", "block",
        "busy", "%", "stall", "%", "idle%", "msgs in", "bytes in", "msgs out", "bytes out");
    double window = Math.max(1, r.windowCycles());
    for (var b : r.blocks()) {
      out.printf(Locale.ROOT, "%-" + w + "s %,12d %5.1f%% %,12d %5.1f%% %5.1f%% %,9d %,14d %,9d "
              + "%,14d%n", b.name(), b.busyCycles(), 100 * b.busyCycles() / window,
          b.stallCycles(), 100 * b.stallCycles() / window, 100 * b.idleCycles() / window,
          b.messagesIn(), b.bytesIn(), b.messagesOut(), b.bytesOut());
    }
    if (!r.stages().isEmpty()) {
      out.println();
      int sw = Math.max(5, r.stages().stream().mapToInt(s -> s.name().length()).max().orElse(5));
      out.printf(Locale.ROOT, "%-" + sw + "s %10s %6s %12s %12s %7s %14s%n", "stage", "spans",
          "blocks", "start", "end", "extent", "busy cycles");
      for (var s : r.stages()) {
        out.printf(Locale.ROOT, "%-" + sw + "s %,10d %6d %,12d %,12d %6.1f%% %,14d%n", s.name(),
            s.spans(), s.blocks(), s.start(), s.end(), 100 * (s.end() - s.start()) / window,
            s.busyCycles());
      }
      out.println("extent: end - start of the stage's spans, as a share of the window's cycles "
          + "(not its busy cycles; extents overlap)");
    }
    boolean anyStall = r.blocks().stream().anyMatch(b -> !b.longestStalls().isEmpty());
    out.println();
    if (!anyStall) {
      out.println("longest stalls: none");
      return;
    }
    out.println("longest stalls");
    out.printf(Locale.ROOT, "%-" + w + "s %-8s %10s %12s %12s  %s%n", "block", "port",
        "cycles", "start", "end", "waiting for");
    for (var b : r.blocks()) {
      for (var s : b.longestStalls()) {
        out.printf(Locale.ROOT, "%-" + w + "s %-8s %,10d %,12d %,12d  %s%n", s.block(), s.port(),
            s.cycles(), s.start(), s.end(), s.waitingFor());
      }
    }
  }

  private static void tile(InspectReport.TileLife t, PrintWriter out) {
    out.println();
    out.printf(Locale.ROOT, "tile %d (%s #%d)%n", t.tile(), t.creator(), t.number());
    if (t.hops().isEmpty()) {
      out.println("  no event mentions this tile in the window");
      return;
    }
    for (var h : t.hops()) {
      String where = h.what().equals("send") ? h.from() + " -> " + h.at() : h.at();
      out.printf(Locale.ROOT, "  %,12d  %-8s %-24s %s%n", h.t(), h.what(), where, h.detail());
    }
  }

  /** The report as one JSON object (see the README for its fields). */
  public static void json(InspectReport r, PrintWriter out) {
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
      g.useDefaultPrettyPrinter();
      TraceHeader h = r.header();
      g.writeStartObject();
      g.writeStringField("trace", r.file().toString());
      g.writeStringField("name", h.runName());
      g.writeStringField("engine", h.engine());
      g.writeNumberField("seed", h.seed());
      g.writeNumberField("clock_ghz", h.clockGhz());
      g.writeBooleanField("complete", r.footer() != null);
      if (r.footer() != null) {
        g.writeStringField("status", r.footer().status());
        g.writeNumberField("cycles", r.footer().cycles());
      } else {
        g.writeStringField("incomplete", r.incomplete());
      }
      g.writeNumberField("events", r.events());
      g.writeNumberField("unknown_events", r.otherEvents());
      g.writeObjectFieldStart("window");
      g.writeNumberField("from", r.from());
      g.writeNumberField("to", r.to());
      g.writeNumberField("cycles", r.windowCycles());
      g.writeEndObject();
      if (r.tile() != null) {
        var t = r.tile();
        g.writeObjectFieldStart("tile");
        g.writeNumberField("id", t.tile());
        g.writeStringField("creator", t.creator());
        g.writeNumberField("number", t.number());
        g.writeArrayFieldStart("hops");
        for (var hop : t.hops()) {
          g.writeStartObject();
          g.writeNumberField("t", hop.t());
          g.writeStringField("what", hop.what());
          g.writeNumberField("link", hop.link());
          if (!hop.from().isEmpty()) {
            g.writeStringField("from", hop.from());
          }
          g.writeStringField("at", hop.at());
          g.writeStringField("detail", hop.detail());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      } else {
        blocksJson(r, g);
      }
      g.writeEndObject();
      g.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the JSON report: " + e.getMessage(), e);
    }
    out.println();
  }

  private static void blocksJson(InspectReport r, JsonGenerator g) throws IOException {
    double window = Math.max(1, r.windowCycles());
    g.writeArrayFieldStart("blocks");
    for (var b : r.blocks()) {
      g.writeStartObject();
      g.writeStringField("name", b.name());
      g.writeNumberField("busy_cycles", b.busyCycles());
      g.writeNumberField("stall_cycles", b.stallCycles());
      g.writeNumberField("idle_cycles", b.idleCycles());
      g.writeNumberField("busy_share", b.busyCycles() / window);
      g.writeNumberField("stall_share", b.stallCycles() / window);
      g.writeNumberField("idle_share", b.idleCycles() / window);
      g.writeNumberField("messages_in", b.messagesIn());
      g.writeNumberField("bytes_in", b.bytesIn());
      g.writeNumberField("messages_out", b.messagesOut());
      g.writeNumberField("bytes_out", b.bytesOut());
      g.writeArrayFieldStart("longest_stalls");
      for (var s : b.longestStalls()) {
        g.writeStartObject();
        g.writeStringField("port", s.port());
        g.writeNumberField("start", s.start());
        g.writeNumberField("end", s.end());
        g.writeNumberField("cycles", s.cycles());
        g.writeStringField("cause", s.cause());
        g.writeStringField("waiting_for", s.waitingFor());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("stages");
    for (var s : r.stages()) {
      g.writeStartObject();
      g.writeStringField("name", s.name());
      g.writeNumberField("spans", s.spans());
      g.writeNumberField("blocks", s.blocks());
      g.writeNumberField("start", s.start());
      g.writeNumberField("end", s.end());
      g.writeNumberField("share", (s.end() - s.start()) / window);
      g.writeNumberField("busy_cycles", s.busyCycles());
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
