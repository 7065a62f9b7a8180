import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;

/**
 * Prints PIT's mutation score per package from its {@code mutations.xml}, as a Markdown table.
 *
 * <p>Run by the {@code mutation} profile after PIT ({@code java MutationScores.java
 * mutations.xml}); a plain single-file program so that the default build never compiles it.
 * Score is PIT's: detected (killed, timed out, memory or run error) over all mutants. Strength
 * is detected over the mutants some test covers.
 */
public final class MutationScores {
  private MutationScores() {}

  /** Counts for one package. */
  private static final class Counts {
    int mutants;
    int detected;
    int survived;
    int noCoverage;
    int timedOut;

    void add(String status, boolean isDetected) {
      mutants++;
      if (isDetected) {
        detected++;
      }
      switch (status) {
        case "SURVIVED" -> survived++;
        case "NO_COVERAGE" -> noCoverage++;
        case "TIMED_OUT" -> timedOut++;
        default -> { }
      }
    }

    void add(Counts o) {
      mutants += o.mutants;
      detected += o.detected;
      survived += o.survived;
      noCoverage += o.noCoverage;
      timedOut += o.timedOut;
    }

    String row(String name) {
      return String.format("| %s | %d | %d | %d | %d | %d | %s | %s |", name, mutants, detected,
          survived, noCoverage, timedOut, percent(detected, mutants),
          percent(detected, mutants - noCoverage));
    }

    private static String percent(int part, int whole) {
      return whole == 0 ? "-" : String.format("%.1f %%", 100.0 * part / whole);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: java MutationScores.java target/pit-reports/mutations.xml");
      System.exit(2);
    }
    Path xml = Path.of(args[0]);
    if (!Files.isRegularFile(xml)) {
      System.err.println(xml + ": no such file (did PIT run?)");
      System.exit(1);
    }
    var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    var mutations = doc.getElementsByTagName("mutation");
    Map<String, Counts> byPackage = new TreeMap<>();
    for (int i = 0; i < mutations.getLength(); i++) {
      var m = (Element) mutations.item(i);
      String cls = m.getElementsByTagName("mutatedClass").item(0).getTextContent();
      int dot = cls.lastIndexOf('.');
      String pkg = dot < 0 ? "(default)" : cls.substring(0, dot);
      byPackage.computeIfAbsent(pkg, p -> new Counts())
          .add(m.getAttribute("status"), Boolean.parseBoolean(m.getAttribute("detected")));
    }
    var total = new Counts();
    System.out.println();
    System.out.println("Mutation score per package (" + xml + ")");
    System.out.println();
    System.out.println(
        "| package | mutants | killed | survived | no coverage | timed out | score | strength |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (var e : byPackage.entrySet()) {
      System.out.println(e.getValue().row(e.getKey().replaceFirst("^dev\\.attnsim\\.", "")));
      total.add(e.getValue());
    }
    System.out.println(total.row("**all**"));
    System.out.println();
    System.out.println("killed includes timed out; score = killed / mutants; "
        + "strength = killed / (mutants - no coverage)");
  }
}
