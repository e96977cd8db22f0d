package dev.tugboat.node;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelet's metrics, by its names, in this JVM's default Prometheus registry. A kubelet serves
 * its own node's; one JVM may run several node agents (tug up --workers), so these carry a
 * {@code node} label the kubelet's do not need.
 */
final class KubeletMetrics {
  private static final Gauge RUNNING = Gauge.builder()
      .name("kubelet_running_pods")
      .help("Number of pods that have a running pod sandbox (here: whose last reported phase is Running)")
      .labelNames("node")
      .register();

  /** The kubelet's buckets (0.5 s to 20 minutes): a start includes pulling images and init containers. */
  private static final Histogram START = Histogram.builder()
      .name("kubelet_pod_start_duration_seconds")
      .help("Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run")
      .labelNames("node")
      .classicOnly()
      .classicUpperBounds(0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200)
      .register();

  /** Pods reported Running, per node: the gauge is their count. */
  private static final Map<String, Set<String>> RUNNING_PODS = new ConcurrentHashMap<>();

  private KubeletMetrics() {}

  /** A status written for pod {@code uid}: counts it as running or not. */
  static void reported(String node, String uid, String phase) {
    Set<String> running = RUNNING_PODS.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet());
    boolean changed = "Running".equals(phase) ? running.add(uid) : running.remove(uid);
    if (changed) RUNNING.labelValues(node).set(running.size());
  }

  /** The pod's worker stopped: it runs here no more. */
  static void gone(String node, String uid) {
    reported(node, uid, null);
  }

  /** A pod first reported Running {@code nanos} after its worker first saw it. */
  static void started(String node, long nanos) {
    START.labelValues(node).observe(nanos / 1e9);
  }
}
