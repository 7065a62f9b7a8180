package dev.attnsim.actors.blocks.common.dram;

/**
 * What a requester asks of a {@link DramController}: the payload of a request {@code Tile}, whose
 * {@code bytes()} is the size of the access. The controller answers with the same tile.
 *
 * <p>The controller models timing only: it neither stores {@code data} nor fills reads with
 * anything; {@code data} simply travels with the request (and back with the response) for blocks
 * that keep their own functional copy.
 *
 * @param address first byte accessed, {@code >= 0}
 * @param write true for a write, false for a read
 * @param data optional data carried by a write (or anything the requester wants back); may be null
 */
public record DramRequest(long address, boolean write, Object data)
    implements dev.attnsim.actors.kernel.TraceAttributes {

  /** {@code addr} and {@code write} (1 or 0) on the trace's send lines, for replay. */
  @Override
  public java.util.SortedMap<String, Long> traceAttributes() {
    var m = new java.util.TreeMap<String, Long>();
    m.put("addr", address);
    m.put("write", write ? 1L : 0L);
    return m;
  }

  public DramRequest {
    if (address < 0) {
      throw new IllegalArgumentException("DRAM address must be >= 0, got " + address);
    }
  }

  public static DramRequest read(long address) {
    return new DramRequest(address, false, null);
  }

  public static DramRequest write(long address, Object data) {
    return new DramRequest(address, true, data);
  }
}
