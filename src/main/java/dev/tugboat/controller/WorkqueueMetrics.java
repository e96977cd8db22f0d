package dev.tugboat.controller;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;

/**
 * client-go's work queue metrics, by its names, per controller ({@code name}, as
 * kube-controller-manager labels its queues), in this JVM's default Prometheus registry: how many
 * keys wait, and how many were added. Keys are deduplicated as client-go's queue does: a key
 * already waiting, or already marked to run again, is not added twice.
 */
final class WorkqueueMetrics {
  private static final Gauge DEPTH = Gauge.builder()
      .name("workqueue_depth")
      .help("Current depth of workqueue")
      .labelNames("name")
      .register();

  private static final Counter ADDS = Counter.builder()
      .name("workqueue_adds_total")
      .help("Total number of adds handled by workqueue")
      .labelNames("name")
      .register();

  private WorkqueueMetrics() {}

  static void added(String name) {
    ADDS.labelValues(name).inc();
  }

  static void depth(String name, int depth) {
    DEPTH.labelValues(name).set(depth);
  }
}
