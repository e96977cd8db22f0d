package dev.tugboat.scheduler;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * kube-scheduler's metrics, by its names and labels, in this JVM's default Prometheus registry
 * (served by {@code /metrics}): attempts by result, and the time from a pod's first attempt to its
 * binding. Only the member that runs the scheduler singleton counts.
 */
public final class SchedulerMetrics {
  /** kube-scheduler's profile label: Tugboat has one scheduler, named as Kubernetes' default. */
  static final String PROFILE = "default-scheduler";

  static final Counter ATTEMPTS = Counter.builder()
      .name("scheduler_schedule_attempts_total")
      .help("Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be "
          + "scheduled, while 'error' means an internal scheduler problem (here: the binding failed).")
      .labelNames("result", "profile")
      .register();

  /** kube-scheduler's buckets: 10 ms doubling to about 5 minutes (a pod may wait for a node). */
  static final Histogram DURATION = Histogram.builder()
      .name("scheduler_pod_scheduling_duration_seconds")
      .help("E2e latency for a pod being scheduled which may include multiple scheduling attempts.")
      .labelNames("attempts")
      .classicOnly()
      .classicExponentialUpperBounds(0.01, 2, 20)
      .register();

  private SchedulerMetrics() {}

  static void attempt(String result) {
    ATTEMPTS.labelValues(result, PROFILE).inc();
  }

  /** A pod bound after {@code attempts} attempts, {@code nanos} after the first. */
  static void scheduled(int attempts, long nanos) {
    // kube-scheduler labels by the count; beyond 15 one bucket, so a stuck pod cannot add series
    DURATION.labelValues(attempts > 15 ? "16+" : Integer.toString(attempts)).observe(nanos / 1e9);
  }
}
