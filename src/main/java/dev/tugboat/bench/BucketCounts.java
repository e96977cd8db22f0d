package dev.tugboat.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus histogram's cumulative bucket counts, summed over its series, as read from a member's
 * {@code /metrics}: two readings give the histogram of what happened between them, and its
 * quantiles as bucket bounds. What a benchmark uses to tell the time a member spent on requests from
 * the time its client saw.
 *
 * @param counts cumulative count by upper bound ({@code +Inf} as {@link Double#POSITIVE_INFINITY})
 */
record BucketCounts(Map<Double, Double> counts) {
  BucketCounts {
    counts = new TreeMap<>(counts); // in order of their bounds, which quantileBound walks
  }

  private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"[^}]*}\\s+(\\S+)");

  /** The buckets of histogram {@code name} in the exposition {@code text}, all series added up. */
  static BucketCounts read(String text, String name) {
    Map<Double, Double> counts = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + "_bucket{")) continue;
      Matcher m = LE.matcher(line);
      if (!m.find()) continue;
      double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
      counts.merge(le, Double.parseDouble(m.group(2)), Double::sum);
    }
    return new BucketCounts(counts);
  }

  /** What was counted after {@code before}. */
  BucketCounts since(BucketCounts before) {
    Map<Double, Double> delta = new TreeMap<>();
    counts.forEach((le, n) -> delta.put(le, n - before.counts.getOrDefault(le, 0.0)));
    return new BucketCounts(delta);
  }

  double total() {
    return counts.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
  }

  /** The upper bound of the bucket holding quantile {@code q}: the quantile is at most this; NaN when nothing was counted. */
  double quantileBound(double q) {
    double total = total();
    if (total <= 0) return Double.NaN;
    for (var e : counts.entrySet()) {
      if (e.getValue() >= q * total) return e.getKey();
    }
    return Double.POSITIVE_INFINITY;
  }
}
