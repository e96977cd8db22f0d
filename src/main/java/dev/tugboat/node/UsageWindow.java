package dev.tugboat.node;

import dev.tugboat.runtime.ContainerRuntime.ContainerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The short window of CPU counters the agent keeps per container: the last read of each. A
 * container's CPU use is the growth of its cumulative CPU time between two reads, over the time
 * between them (the rate metrics-server computes from two scrapes); for a container read for the
 * first time, Docker's own read of about a second before serves. Memory is the latest working set.
 * Immutable: {@link #advance} gives the next window with the usages.
 *
 * @param last the previous read of each container still running, by container id
 */
public record UsageWindow(Map<String, Read> last) {
  /** A read of one container's cumulative CPU time. */
  public record Read(Instant at, long cpuNanos) {}

  /** What one container used over {@code window} up to {@code timestamp}. */
  public record Usage(Instant timestamp, Duration window, long cpuNanoCores, long memoryBytes) {}

  /** The window and the usages of one pass. */
  public record Step(UsageWindow window, Map<String, Usage> usage) {}

  public static UsageWindow empty() {
    return new UsageWindow(Map.of());
  }

  /**
   * The usage of each container in {@code stats} that has two reads to compare; containers absent
   * from {@code stats} (gone, or not read this time) are forgotten.
   */
  public Step advance(Map<String, ContainerStats> stats) {
    Map<String, Read> next = new HashMap<>();
    Map<String, Usage> usage = new HashMap<>();
    stats.forEach((id, s) -> {
      next.put(id, new Read(s.read(), s.cpuUsageNanos()));
      Read before = last.get(id);
      // A counter that went back is a restarted container: compare with Docker's own previous read.
      if (before == null || !before.at().isBefore(s.read()) || before.cpuNanos() > s.cpuUsageNanos()) {
        before = s.previousRead() == null ? null : new Read(s.previousRead(), s.previousCpuNanos());
      }
      if (before == null || before.cpuNanos() > s.cpuUsageNanos()) return;
      Duration window = Duration.between(before.at(), s.read());
      if (window.isZero() || window.isNegative()) return;
      usage.put(id, new Usage(s.read(), window, rate(s.cpuUsageNanos() - before.cpuNanos(), window),
          s.memoryWorkingSetBytes()));
    });
    return new Step(new UsageWindow(Map.copyOf(next)), Map.copyOf(usage));
  }

  /** CPU nanoseconds used per second of wall time: billionths of a core. */
  static long rate(long cpuNanos, Duration window) {
    return Math.round(cpuNanos * 1e9 / window.toNanos());
  }
}
