package dev.tugboat.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text exposition format (0.0.4), for tests of {@code /metrics}.
 * client_java 1.x writes the format but has no parser for it, so this one checks what Prometheus'
 * own parser would refuse, and more: every line a HELP, a TYPE or a sample (no blank lines, no other
 * comments); names and label names valid; label values escaped; a family's HELP and TYPE before its
 * samples, its samples together; a sample's name one its family's type allows; no series twice;
 * counters not negative; a histogram's buckets ascending, cumulative, ending at +Inf equal to its
 * count. A violation is an {@link IllegalArgumentException} naming the line.
 */
public final class PrometheusText {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  /** A metric family: its HELP, TYPE and samples in order. */
  public record Family(String name, String type, String help, List<Sample> samples) {}

  private final Map<String, Family> families;

  private PrometheusText(Map<String, Family> families) {
    this.families = families;
  }

  public Map<String, Family> families() {
    return families;
  }

  /** The family of this name, or an AssertionError naming the families there are. */
  public Family family(String name) {
    Family f = families.get(name);
    if (f == null) throw new AssertionError("no metric family " + name + " among " + families.keySet());
    return f;
  }

  /** The value of the sample {@code name} whose labels include {@code labels}; empty when there is none. */
  public Optional<Double> value(String name, Map<String, String> labels) {
    return families.values().stream().flatMap(f -> f.samples().stream())
        .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
        .map(Sample::value).findFirst();
  }

  /** Parses {@code text}, or throws naming the first line that breaks the format. */
  public static PrometheusText parse(String text) {
    if (!text.isEmpty() && !text.endsWith("\n")) throw new IllegalArgumentException("the text does not end with a newline");
    Map<String, Family> families = new LinkedHashMap<>();
    Set<String> series = new HashSet<>();
    String current = null;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length - 1; i++) {
      String line = lines[i];
      int number = i + 1;
      try {
        if (line.startsWith("#")) {
          String[] parts = line.split(" ", 4);
          if (parts.length < 3 || !parts[0].equals("#") || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
            throw new IllegalArgumentException("a comment that is neither HELP nor TYPE");
          }
          String name = name(parts[2], METRIC_NAME);
          Family f = families.get(name);
          if (f != null && !f.samples().isEmpty()) throw new IllegalArgumentException(parts[1] + " after the family's samples");
          String rest = parts.length == 4 ? parts[3] : "";
          if (parts[1].equals("TYPE")) {
            if (!TYPES.contains(rest)) throw new IllegalArgumentException("unknown type " + rest);
            if (f != null && f.type() != null) throw new IllegalArgumentException("a second TYPE");
            f = new Family(name, rest, f == null ? null : f.help(), new ArrayList<>());
          } else {
            if (f != null && f.help() != null) throw new IllegalArgumentException("a second HELP");
            unescape(rest, false);
            f = new Family(name, f == null ? null : f.type(), rest, new ArrayList<>());
          }
          families.put(name, f);
          current = name;
          continue;
        }
        if (line.isEmpty()) throw new IllegalArgumentException("a blank line");
        Sample sample = sample(line);
        Family f = current == null ? null : families.get(current);
        if (f == null || !belongs(sample, f)) {
          throw new IllegalArgumentException("sample " + sample.name() + " outside a family that allows it (current: " + current + ")");
        }
        if (!series.add(sample.name() + new TreeMap<>(sample.labels()))) throw new IllegalArgumentException("a series twice");
        if ("counter".equals(f.type()) && sample.value() < 0) throw new IllegalArgumentException("a negative counter");
        f.samples().add(sample);
      } catch (RuntimeException e) { // an index beyond the line too: an unclosed quote or brace
        throw new IllegalArgumentException("line " + number + " (" + line + "): " + e.getMessage(), e);
      }
    }
    families.values().stream().filter(f -> "histogram".equals(f.type())).forEach(PrometheusText::checkHistogram);
    return new PrometheusText(families);
  }

  private static boolean belongs(Sample s, Family f) {
    String n = s.name();
    String base = f.name();
    return switch (f.type() == null ? "untyped" : f.type()) {
      case "counter" -> n.equals(base) || n.equals(base + "_total") || n.equals(base + "_created")
          || base.endsWith("_total") && n.equals(base.substring(0, base.length() - 6) + "_created");
      case "histogram" -> (n.equals(base + "_bucket") && s.labels().containsKey("le")) || n.equals(base + "_sum")
          || n.equals(base + "_count") || n.equals(base + "_created");
      case "summary" -> n.equals(base) && s.labels().containsKey("quantile") || n.equals(base + "_sum")
          || n.equals(base + "_count") || n.equals(base + "_created");
      default -> n.equals(base);
    };
  }

  private static void checkHistogram(Family f) {
    Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
    Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
    for (Sample s : f.samples()) {
      Map<String, String> rest = new TreeMap<>(s.labels());
      rest.remove("le");
      if (s.name().endsWith("_bucket")) buckets.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
      else if (s.name().endsWith("_count")) counts.put(rest, s.value());
    }
    if (!buckets.keySet().equals(counts.keySet())) {
      throw new IllegalArgumentException(f.name() + ": buckets " + buckets.keySet() + " and counts " + counts.keySet() + " differ");
    }
    buckets.forEach((labels, list) -> {
      double le = Double.NEGATIVE_INFINITY;
      double count = 0;
      for (Sample b : list) {
        double bound = number(b.labels().get("le"));
        if (bound <= le) throw new IllegalArgumentException(f.name() + labels + ": le not ascending at " + bound);
        if (b.value() < count) throw new IllegalArgumentException(f.name() + labels + ": buckets not cumulative at le=" + bound);
        le = bound;
        count = b.value();
      }
      if (le != Double.POSITIVE_INFINITY) throw new IllegalArgumentException(f.name() + labels + ": no +Inf bucket");
      if (count != counts.get(labels)) throw new IllegalArgumentException(f.name() + labels + ": +Inf bucket " + count + " != count");
    });
  }

  private static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
    String name = name(line.substring(0, i), METRIC_NAME);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf("=\"", i);
        if (eq < 0) throw new IllegalArgumentException("a label without =\"");
        String label = name(line.substring(i, eq), LABEL_NAME);
        int j = eq + 2;
        StringBuilder raw = new StringBuilder();
        while (line.charAt(j) != '"') {
          if (line.charAt(j) == '\\') raw.append(line.charAt(j++));
          raw.append(line.charAt(j++));
        }
        if (labels.put(label, unescape(raw.toString(), true)) != null) throw new IllegalArgumentException("label " + label + " twice");
        i = j + 1;
        if (line.charAt(i) == ',') i++;
        else if (line.charAt(i) != '}') throw new IllegalArgumentException("labels not separated by a comma");
      }
      i++;
    }
    if (i >= line.length() || line.charAt(i) != ' ') throw new IllegalArgumentException("no space before the value");
    String[] rest = line.substring(i + 1).split(" ");
    if (rest.length > 2) throw new IllegalArgumentException("more than a value and a timestamp");
    if (rest.length == 2) Long.parseLong(rest[1]);
    return new Sample(name, labels, number(rest[0]));
  }

  private static double number(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        if (!text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) throw new IllegalArgumentException("not a number: " + text);
        yield Double.parseDouble(text);
      }
    };
  }

  private static String name(String text, Pattern valid) {
    if (!valid.matcher(text).matches()) throw new IllegalArgumentException("invalid name \"" + text + "\"");
    return text;
  }

  /** Label values escape \\, \" and \n; HELP text \\ and \n only. Any other escape is an error. */
  private static String unescape(String raw, boolean quotes) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char next = ++i < raw.length() ? raw.charAt(i) : ' ';
      switch (next) {
        case '\\' -> out.append('\\');
        case 'n' -> out.append('\n');
        case '"' -> {
          if (!quotes) throw new IllegalArgumentException("\\\" in HELP text");
          out.append('"');
        }
        default -> throw new IllegalArgumentException("an unknown escape \\" + next);
      }
    }
    return out.toString();
  }
}
