package dev.tugboat.runtime;

import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Docker's stats of one container as {@link ContainerRuntime.ContainerStats}. */
final class DockerStats {
  /** Docker's "no time" ({@code 0001-01-01T00:00:00Z}, a one-shot answer's preread) and anything as old. */
  private static final Instant NO_TIME = Instant.parse("1970-01-02T00:00:00Z");

  private DockerStats() {}

  /** Null when Docker reported no CPU counter (a container that is not running). */
  static ContainerRuntime.ContainerStats of(Statistics s) {
    Instant read = time(s.getRead());
    Long cpu = total(s.getCpuStats());
    if (read == null || cpu == null || cpu == 0) return null;
    Instant before = time(s.getPreread());
    Long previous = total(s.getPreCpuStats());
    if (before == null || previous == null || previous == 0 || !before.isBefore(read)) {
      before = null;
      previous = 0L;
    }
    return new ContainerRuntime.ContainerStats(read, cpu, before, previous, workingSet(s.getMemoryStats()));
  }

  private static Long total(CpuStatsConfig cpu) {
    return cpu == null || cpu.getCpuUsage() == null ? null : cpu.getCpuUsage().getTotalUsage();
  }

  /**
   * Usage minus inactive file pages, as cAdvisor computes the working set: the page cache the
   * kernel would drop first is not what the container needs (cgroup v1 names it
   * {@code total_inactive_file}, v2 {@code inactive_file}).
   */
  static long workingSet(MemoryStatsConfig memory) {
    if (memory == null || memory.getUsage() == null) return 0;
    long usage = memory.getUsage();
    StatsConfig stats = memory.getStats();
    Long inactive = stats == null ? null
        : stats.getTotalInactiveFile() != null ? stats.getTotalInactiveFile() : stats.getInactiveFile();
    return inactive == null || inactive > usage ? usage : usage - inactive;
  }

  private static Instant time(String text) {
    if (text == null || text.isEmpty()) return null;
    try {
      Instant t = Instant.parse(text);
      return t.isBefore(NO_TIME) ? null : t;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
