package dev.attnsim.sim.config;

import com.typesafe.config.Config;
import dev.attnsim.actors.kernel.Precision;
import java.util.EnumMap;
import java.util.Map;

/** {@code attnsim.energy}: energy per operation in pJ (45 nm defaults, see reference.conf). */
public record EnergyTable(Map<Precision, Double> macPj, double sramPjPerByte,
    double dramPjPerByte, double comparePj, double softmaxPjPerElement,
    double accumulatePjPerElement) {

  static EnergyTable from(Config c) {
    String e = "attnsim.energy.";
    var mac = new EnumMap<Precision, Double>(Precision.class);
    for (Precision p : Precision.OPERANDS) {
      mac.put(p, ConfigValidator.doubleIn(c, e + "mac-pj." + p.label(), 0, 1e6));
    }
    return new EnergyTable(mac,
        ConfigValidator.doubleIn(c, e + "sram-pj-per-byte", 0, 1e6),
        ConfigValidator.doubleIn(c, e + "dram-pj-per-byte", 0, 1e6),
        ConfigValidator.doubleIn(c, e + "compare-pj", 0, 1e6),
        ConfigValidator.doubleIn(c, e + "softmax-pj-per-element", 0, 1e6),
        ConfigValidator.doubleIn(c, e + "accumulate-pj-per-element", 0, 1e6));
  }
}
