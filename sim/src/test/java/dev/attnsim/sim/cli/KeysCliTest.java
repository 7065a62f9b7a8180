package dev.attnsim.sim.cli;

import static dev.attnsim.sim.cli.Cli.attnsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValueType;
import dev.attnsim.sim.config.ConfigKeys;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** attnsim keys: every key of reference.conf, with what the settings check and its comment. */
class KeysCliTest {

  @Test
  void everyReferenceKeyOnceSortedWithTypeDefaultRangeAndComment() {
    var r = attnsim("keys");
    assertEquals(0, r.code(), r.err());
    List<String> keyLines = r.out().lines().filter(l -> l.startsWith("attnsim.")).toList();
    var leaves = new TreeSet<String>();
    leaves(ConfigFactory.defaultReference().getObject("attnsim"), "attnsim", leaves);
    assertEquals(List.copyOf(leaves), keyLines.stream().map(l -> l.substring(0, l.indexOf(" = ")))
        .toList(), "every leaf of reference.conf's attnsim tree, sorted");
    assertTrue(r.out().contains("attnsim.hardware.lanes = 4  (int, between 1 and 1024)\n"
        + "    Compute lanes; each gets a contiguous slice of the reduction dimension.\n"),
        r.out());
    // a subset of an enum lists only what is accepted
    assertTrue(r.out().contains("attnsim.hardware.detection.precision = \"INT4\"  (enum, one of:"
        + " int2, int4, int8)"), r.out());
    assertTrue(r.out().contains("attnsim.hardware.accelerator = \"dota\"  (enum, one of: dota,"),
        r.out());
    assertTrue(r.out().contains("attnsim.trace.gzip = false  (boolean)\n"), r.out());
    assertEquals(r.out(), attnsim("keys").out(), "deterministic");
  }

  @Test
  void aPrefixWithOrWithoutTheNamespace() {
    var dram = attnsim("keys", "hardware.dram");
    assertEquals(0, dram.code());
    assertEquals(dram.out(), attnsim("keys", "attnsim.hardware.dram").out());
    var keys = dram.out().lines().filter(l -> l.startsWith("attnsim.")).toList();
    assertTrue(keys.size() >= 5, dram.out());
    assertTrue(keys.stream().allMatch(l -> l.startsWith("attnsim.hardware.dram.")), dram.out());
    var none = attnsim("keys", "hardware.lans");
    assertEquals(ExitCodes.BAD_INPUT, none.code());
    assertEquals("attnsim: error: no config key starts with hardware.lans; attnsim keys lists "
        + "them all", none.err().strip());
  }

  @Test
  void rangesComeFromTheChecksTheSettingsMake() {
    var lanes = ConfigKeys.list("hardware.lanes").get(0);
    assertEquals("between 1 and 1024", lanes.range());
    assertEquals("int", lanes.type());
    var clock = ConfigKeys.list("clock-ghz").get(0);
    assertEquals("between 0.001 and 100", clock.range());
    assertEquals("1", clock.defaultValue());
  }

  private static void leaves(ConfigObject o, String path, TreeSet<String> out) {
    o.forEach((k, v) -> {
      String p = path + "." + k;
      if (v.valueType() == ConfigValueType.OBJECT && !((ConfigObject) v).isEmpty()) {
        leaves((ConfigObject) v, p, out);
      } else {
        out.add(p);
      }
    });
  }
}
