package dev.attnsim.sim.config;

import com.typesafe.config.Config;
import dev.attnsim.actors.compute.EnergonFilter;
import dev.attnsim.actors.kernel.Precision;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Energon's co-processor ({@code attnsim.hardware.energon}): the filtering rounds, the filter
 * unit's throughput per precision, the selector, the attention unit and the plane buffer. See
 * {@code actors/docs/energon.md}.
 *
 * @param queryBits width of Q's codes in every round (the filter's base width)
 * @param keyBits per round, the top bits of K's codes used; 1 to 3 rounds, increasing
 * @param alpha the threshold offset of every round, in [-1, 1]
 */
public record EnergonSettings(
    int queryBits,
    List<Integer> keyBits,
    double alpha,
    Map<Precision, Long> filterMacsPerCycle,
    long selectorElementsPerCycle,
    long attentionMacsPerCycle,
    long softmaxElementsPerCycle,
    long softmaxPipelineCycles,
    long kvBufferBytes,
    long planeBufferBytes,
    int windowBlocks) {

  static final String KEY = "attnsim.hardware.energon.";

  static EnergonSettings from(Config c) {
    int queryBits = ConfigValidator.intIn(c, KEY + "query-bits", 2, 8);
    List<Integer> keyBits;
    try {
      keyBits = c.getIntList(KEY + "key-bits");
    } catch (com.typesafe.config.ConfigException.WrongType e) {
      throw ConfigValidator.invalid(c, KEY + "key-bits", "must be a list of whole numbers, one "
          + "per round, e.g. [2, 4]");
    }
    if (keyBits.isEmpty() || keyBits.size() > 3) {
      throw ConfigValidator.invalid(c, KEY + "key-bits", "must list 1 to 3 rounds, got "
          + keyBits.size());
    }
    for (int r = 0; r < keyBits.size(); r++) {
      int b = keyBits.get(r);
      if (b < 1 || b > queryBits || (r > 0 && b <= keyBits.get(r - 1))) {
        throw ConfigValidator.invalid(c, KEY + "key-bits", "each round's width must be between "
            + "1 and query-bits (" + queryBits + ") and wider than the round before");
      }
    }
    var macs = new EnumMap<Precision, Long>(Precision.class);
    for (Precision p : List.of(Precision.INT8, Precision.INT4, Precision.INT2)) {
      macs.put(p, ConfigValidator.longIn(c, KEY + "filter.macs-per-cycle." + p.label(), 1,
          1L << 30));
    }
    return new EnergonSettings(queryBits, List.copyOf(keyBits),
        ConfigValidator.doubleIn(c, KEY + "alpha", -1.0, 1.0),
        macs,
        ConfigValidator.longIn(c, KEY + "selector.elements-per-cycle", 1, 1L << 20),
        ConfigValidator.longIn(c, KEY + "attention.macs-per-cycle", 1, 1L << 30),
        ConfigValidator.longIn(c, KEY + "attention.softmax-elements-per-cycle", 1, 1L << 20),
        ConfigValidator.longIn(c, KEY + "attention.softmax-pipeline-cycles", 0, 1L << 20),
        ConfigValidator.longIn(c, KEY + "attention.kv-buffer-bytes", 0, 1L << 40),
        ConfigValidator.longIn(c, KEY + "filter.plane-buffer-bytes", 0, 1L << 40),
        ConfigValidator.intIn(c, KEY + "window-blocks", 1, 1024));
  }

  /** The algorithm these settings run: {@link EnergonFilter} with their rounds. */
  public EnergonFilter filter() {
    var rounds = new ArrayList<EnergonFilter.Round>();
    for (int b : keyBits) {
      rounds.add(new EnergonFilter.Round(queryBits, b, alpha));
    }
    return new EnergonFilter(queryBits, rounds);
  }
}
