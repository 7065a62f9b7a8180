package dev.attnsim.sim.trace;

import java.io.IOException;

/**
 * One CSV row per event line, with a header row; columns that an event does not have are empty.
 * Block names replace block indices; strings are quoted where CSV needs it (RFC 4180).
 */
final class CsvExporter extends TraceExporter {

  static final String COLUMNS = "t,ev,block,port,link,seq,from,to,tile,kind,bytes,arrive,"
      + "credits,start,end,op,stage,macs,prec,cause,addr,write";

  private final StringBuilder row = new StringBuilder(160);
  private long rows;

  @Override
  protected void begin() throws IOException {
    out.write(COLUMNS);
    out.write('\n');
  }

  @Override
  protected void accept(TraceEvent e) throws IOException {
    row.setLength(0);
    row.append(e.t());
    if (e instanceof TraceEvent.Send s) {
      boolean request = s.address() >= 0; // a memory request: its address and direction
      cells("send", null, null, s.link(), s.seq(), block(s.from()), block(s.to()), s.tile(),
          s.kind(), s.bytes(), s.arrive(), null, null, null, null, null, null, null, null,
          request ? s.address() : null, request ? (s.write() ? 1 : 0) : null);
    } else if (e instanceof TraceEvent.Recv r) {
      cells("recv", block(r.block()), r.port(), r.link(), r.seq(), null, null, r.tile(), null,
          r.bytes(), null, null, null, null, null, null, null, null, null, null, null);
    } else if (e instanceof TraceEvent.Credit c) {
      cells("credit", block(c.block()), c.port(), c.link(), null, null, null, null, null, null,
          null, c.credits(), null, null, null, null, null, null, null, null, null);
    } else if (e instanceof TraceEvent.Busy b) {
      cells("busy", block(b.block()), null, null, null, null, null, null, null, null, null, null,
          b.start(), b.end(), b.op(), b.stage(), b.macs() != 0 ? b.macs() : null, b.precision(),
          null, null, null);
    } else if (e instanceof TraceEvent.Stall s) {
      cells("stall", block(s.block()), s.port(), null, null, null, null, null, null, null, null,
          null, s.start(), s.end(), null, null, null, null, s.cause(), null, null);
    } else if (e instanceof TraceEvent.Other o) {
      cells(o.ev(), null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, null, null, null, null, null, null);
    }
    row.append('\n');
    out.append(row);
    rows++;
  }

  private String block(int i) {
    return header.blocks().get(i);
  }

  private void cells(Object... values) {
    for (Object v : values) {
      row.append(',');
      if (v == null) {
        continue;
      }
      String s = v.toString();
      if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
          || s.indexOf('\r') >= 0) {
        row.append('"').append(s.replace("\"", "\"\"")).append('"');
      } else {
        row.append(s);
      }
    }
  }

  @Override
  protected void finish(TraceFooter footer, long runEnd) {
    // the footer is not an event: the CSV has one row per event line
  }

  @Override
  protected long written() {
    return rows;
  }
}
