package dev.tugboat.controller.hpa;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The replica arithmetic of Kubernetes' HPA ({@code pkg/controller/podautoscaler/replica_calculator.go}),
 * pure: from the target's pods, their measured usage and the metric's target, how many replicas.
 *
 * <ul>
 *   <li>the usage ratio (current over target); within the tolerance (10 %) nothing changes;
 *   <li>deleted and failed pods are ignored, pending ones count as unready; a pod whose CPU is
 *       measured while it starts (not Ready, or not yet a whole window since it became Ready) counts
 *       as unready too;
 *   <li>pods without a measure ("missing") count as using 100 % of their request (or the target, if
 *       higher) when scaling down, and nothing when scaling up; unready pods count as using nothing
 *       when scaling up. Where those assumptions would reverse the direction, or fall within the
 *       tolerance, the replicas stay.
 * </ul>
 *
 * All values are in thousandths (millicores, millibytes), as Kubernetes compares MilliValues.
 */
public final class ReplicaCalculator {
  private ReplicaCalculator() {}

  /**
   * A pod of the target as the calculation sees it.
   *
   * @param requests the pod's request of the resource, summed over its containers (thousandths), or
   *     null when a container has none
   * @param readySince when its Ready condition last changed; null when it has no Ready condition
   */
  public record PodInfo(String name, boolean deleted, String phase, Boolean ready, Instant readySince,
      Instant startTime, Long requests) {}

  /** A pod's measured usage (thousandths), at {@code timestamp}, over {@code window}. */
  public record Sample(long value, Instant timestamp, Duration window) {}

  /**
   * How the pods' readiness is judged for CPU: during {@code cpuInitialization} after its start a
   * pod's CPU counts only once it has been Ready for a whole metric window; after that, a pod not
   * Ready is ignored only if it never was Ready within {@code initialReadinessDelay} of its start
   * (Kubernetes' --horizontal-pod-autoscaler-cpu-initialization-period, 5 min, and
   * --horizontal-pod-autoscaler-initial-readiness-delay, 30 s).
   */
  public record Settings(double tolerance, Duration cpuInitialization, Duration initialReadinessDelay) {
    public static final Settings KUBERNETES = new Settings(0.1, Duration.ofMinutes(5), Duration.ofSeconds(30));
  }

  /**
   * The outcome: {@code replicas}, the current utilization in percent of the requests (null for an
   * AverageValue target) and the average usage per measured pod (thousandths).
   */
  public record Result(int replicas, Integer utilization, long average) {}

  /** A replica count cannot be computed; the message says why, as Kubernetes words it. */
  public static final class MetricsUnavailable extends Exception {
    public MetricsUnavailable(String message) {
      super(message);
    }
  }

  /** Replicas for a Utilization target: {@code targetUtilization} percent of the pods' requests. */
  public static Result utilization(int currentReplicas, int targetUtilization, boolean cpu, List<PodInfo> pods,
      Map<String, Sample> samples, Settings settings, Instant now) throws MetricsUnavailable {
    if (pods.isEmpty()) throw new MetricsUnavailable("no pods returned by selector while calculating replica count");
    Groups g = group(pods, samples, cpu, settings, now);
    Map<String, Long> metrics = measured(pods, samples, g);
    if (metrics.isEmpty()) {
      throw new MetricsUnavailable("did not receive metrics for targeted pods (pods might be unready)");
    }
    Map<String, Long> requests = new HashMap<>();
    for (PodInfo p : pods) {
      if (p.requests() == null) throw new MetricsUnavailable("missing request for " + (cpu ? "cpu" : "memory") + " in pod " + p.name());
      requests.put(p.name(), p.requests());
    }
    Ratio first = utilizationRatio(metrics, requests, targetUtilization);
    boolean scaleUpWithUnready = !g.unready.isEmpty() && first.ratio > 1.0;
    if (!scaleUpWithUnready && g.missing.isEmpty()) {
      if (Math.abs(1.0 - first.ratio) <= settings.tolerance()) return new Result(currentReplicas, first.utilization, first.average);
      return new Result((int) Math.ceil(first.ratio * g.ready), first.utilization, first.average);
    }
    if (!g.missing.isEmpty()) {
      if (first.ratio < 1.0) {
        // scaling down: a pod without a measure counts as using its request (or the target, if above 100 %)
        int fallback = Math.max(100, targetUtilization);
        for (String pod : g.missing) metrics.put(pod, requests.get(pod) * fallback / 100);
      } else if (first.ratio > 1.0) {
        for (String pod : g.missing) metrics.put(pod, 0L); // scaling up: as using nothing
      }
    }
    if (scaleUpWithUnready) for (String pod : g.unready) metrics.put(pod, 0L);
    Ratio second = utilizationRatio(metrics, requests, targetUtilization);
    return settle(currentReplicas, first.ratio, second.ratio, metrics.size(), settings,
        new Result(currentReplicas, first.utilization, first.average), first.utilization, first.average);
  }

  /** Replicas for an AverageValue target: {@code targetAverage} per pod (thousandths). */
  public static Result averageValue(int currentReplicas, long targetAverage, boolean cpu, List<PodInfo> pods,
      Map<String, Sample> samples, Settings settings, Instant now) throws MetricsUnavailable {
    if (pods.isEmpty()) throw new MetricsUnavailable("no pods returned by selector while calculating replica count");
    Groups g = group(pods, samples, cpu, settings, now);
    Map<String, Long> metrics = measured(pods, samples, g);
    if (metrics.isEmpty()) {
      throw new MetricsUnavailable("did not receive metrics for targeted pods (pods might be unready)");
    }
    long average = average(metrics);
    double ratio = (double) average / targetAverage;
    boolean scaleUpWithUnready = !g.unready.isEmpty() && ratio > 1.0;
    if (!scaleUpWithUnready && g.missing.isEmpty()) {
      if (Math.abs(1.0 - ratio) <= settings.tolerance()) return new Result(currentReplicas, null, average);
      return new Result((int) Math.ceil(ratio * g.ready), null, average);
    }
    if (!g.missing.isEmpty()) {
      if (ratio < 1.0) {
        for (String pod : g.missing) metrics.put(pod, targetAverage);
      } else if (ratio > 1.0) {
        for (String pod : g.missing) metrics.put(pod, 0L);
      }
    }
    if (scaleUpWithUnready) for (String pod : g.unready) metrics.put(pod, 0L);
    double second = (double) average(metrics) / targetAverage;
    return settle(currentReplicas, ratio, second, metrics.size(), settings, new Result(currentReplicas, null, average),
        null, average);
  }

  /** The second ratio (with the assumptions) decides, unless it is within the tolerance or turns the direction. */
  private static Result settle(int currentReplicas, double first, double second, int counted, Settings settings,
      Result unchanged, Integer utilization, long average) {
    if (Math.abs(1.0 - second) <= settings.tolerance() || (first < 1.0 && second > 1.0) || (first > 1.0 && second < 1.0)) {
      return unchanged;
    }
    int replicas = (int) Math.ceil(second * counted);
    if ((second < 1.0 && replicas > currentReplicas) || (second > 1.0 && replicas < currentReplicas)) return unchanged;
    return new Result(replicas, utilization, average);
  }

  private record Ratio(double ratio, int utilization, long average) {}

  private static Ratio utilizationRatio(Map<String, Long> metrics, Map<String, Long> requests, int target)
      throws MetricsUnavailable {
    long metricsTotal = 0;
    long requestsTotal = 0;
    int entities = 0;
    for (var e : metrics.entrySet()) {
      Long request = requests.get(e.getKey());
      if (request == null) continue;
      metricsTotal += e.getValue();
      requestsTotal += request;
      entities++;
    }
    if (requestsTotal == 0) throw new MetricsUnavailable("no metrics returned matched known pods");
    int utilization = (int) (metricsTotal * 100 / requestsTotal);
    return new Ratio((double) utilization / target, utilization, metricsTotal / entities);
  }

  private static long average(Map<String, Long> metrics) {
    return metrics.values().stream().mapToLong(Long::longValue).sum() / metrics.size();
  }

  /** The samples of the target's pods that count: neither ignored nor unready. */
  private static Map<String, Long> measured(List<PodInfo> pods, Map<String, Sample> samples, Groups g) {
    Map<String, Long> metrics = new HashMap<>();
    for (PodInfo p : pods) {
      Sample s = samples.get(p.name());
      if (s != null && !g.ignored.contains(p.name()) && !g.unready.contains(p.name())) metrics.put(p.name(), s.value());
    }
    return metrics;
  }

  private static final class Groups {
    int ready;
    final Set<String> unready = new HashSet<>();
    final Set<String> missing = new HashSet<>();
    final Set<String> ignored = new HashSet<>();
  }

  /** Kubernetes' {@code groupPods}. */
  private static Groups group(List<PodInfo> pods, Map<String, Sample> samples, boolean cpu, Settings settings,
      Instant now) {
    Groups g = new Groups();
    for (PodInfo p : pods) {
      if (p.deleted() || "Failed".equals(p.phase())) {
        g.ignored.add(p.name());
        continue;
      }
      if ("Pending".equals(p.phase())) {
        g.unready.add(p.name());
        continue;
      }
      Sample sample = samples.get(p.name());
      if (sample == null) {
        g.missing.add(p.name());
        continue;
      }
      if (cpu) {
        boolean unready;
        if (p.ready() == null || p.readySince() == null || p.startTime() == null) {
          unready = true;
        } else if (p.startTime().plus(settings.cpuInitialization()).isAfter(now)) {
          // still starting: its CPU counts once Ready and measured over a whole window since
          unready = !p.ready() || sample.timestamp().isBefore(p.readySince().plus(sample.window()));
        } else {
          // past its start: ignored only if it is not Ready and never was since soon after its start
          unready = !p.ready() && p.startTime().plus(settings.initialReadinessDelay()).isAfter(p.readySince());
        }
        if (unready) {
          g.unready.add(p.name());
          continue;
        }
      }
      g.ready++;
    }
    return g;
  }
}
