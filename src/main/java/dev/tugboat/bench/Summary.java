package dev.tugboat.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The order statistics of one series of samples. Quantiles interpolate linearly between the two
 * nearest ranks (numpy's default, R's type 7), so the p50 of an even count is the mean of the two
 * middle samples; with few samples the p99 is close to the maximum and is quoted as such.
 */
public record Summary(int n, double min, double p50, double p90, double p99, double max, double mean) {

  /** The summary of {@code samples}; all NaN for an empty list. */
  public static Summary of(List<Double> samples) {
    if (samples.isEmpty()) {
      return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Summary(sorted.length, sorted[0], quantile(sorted, 0.50), quantile(sorted, 0.90),
        quantile(sorted, 0.99), sorted[sorted.length - 1], Arrays.stream(sorted).average().orElse(Double.NaN));
  }

  /** The q-quantile (0 ≤ q ≤ 1) of ascending {@code sorted} values, interpolated. */
  public static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) return Double.NaN;
    if (q <= 0) return sorted[0];
    if (q >= 1) return sorted[sorted.length - 1];
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    double fraction = position - below;
    if (below + 1 >= sorted.length) return sorted[below];
    return sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
  }
}
