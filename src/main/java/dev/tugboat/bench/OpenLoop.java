package dev.tugboat.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The send schedule of an open-loop load generator: request i is due at {@code i / rate} seconds,
 * whatever happened to earlier requests. Latency is measured from that due time, not from when the
 * request actually left, so a stalled server is charged for every request it delayed (no coordinated
 * omission).
 */
public final class OpenLoop {
  private OpenLoop() {}

  /** Due times in nanoseconds after the start, for {@code seconds} at {@code ratePerSecond}. */
  public static List<Long> dueTimes(double ratePerSecond, double seconds) {
    if (ratePerSecond <= 0) throw new IllegalArgumentException("rate must be positive");
    long count = Math.round(ratePerSecond * seconds);
    List<Long> due = new ArrayList<>((int) count);
    double interval = 1e9 / ratePerSecond;
    for (long i = 0; i < count; i++) due.add(Math.round(i * interval));
    return due;
  }

  /** The latency charged to a request: from its due time to its completion (never negative). */
  public static long latencyNanos(long startNanos, long dueOffsetNanos, long completedNanos) {
    return Math.max(0, completedNanos - (startNanos + dueOffsetNanos));
  }
}
