package dev.tugboat.controller.hpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler.Metric;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler.MetricTarget;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Quantity;
import dev.tugboat.protocol.ResourceUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** From the pods in the index and the agents' usage to a replica count and the HPA's current metrics. */
class MetricsEvaluationTest {
  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
  private static final Metric CPU_50 = Metric.resource("cpu", new MetricTarget("Utilization", 50, null, null));
  private static final Metric MEMORY_100MI = Metric.resource("memory",
      new MetricTarget("AverageValue", null, Quantity.parse("100Mi"), null));

  private static ObjectNode pod(String name, String cpuRequest) {
    String requests = cpuRequest == null ? "{}" : "{\"requests\":{\"cpu\":\"" + cpuRequest + "\"}}";
    return (ObjectNode) Codec.parseTree(("""
        {"metadata":{"name":"%s","uid":"uid-%s"},
         "spec":{"containers":[{"name":"web","resources":%s}]},
         "status":{"phase":"Running","startTime":"2026-12-04T09:00:00Z",
          "conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-12-04T09:00:05Z"}]}}
        """).formatted(name, name, requests).getBytes(), false, false);
  }

  private static ResourceUsage.NodeUsage usage(long... milliCores) {
    List<ResourceUsage.PodUsage> pods = new ArrayList<>();
    for (int i = 0; i < milliCores.length; i++) {
      pods.add(new ResourceUsage.PodUsage("default", "p" + i, "uid-p" + i, NOW.minusSeconds(1).toEpochMilli(), 10_000,
          List.of(new ResourceUsage.ContainerUsage("web", milliCores[i] * 1_000_000, 50L * 1024 * 1024))));
    }
    return new ResourceUsage.NodeUsage("n", NOW.toEpochMilli(), 10_000, 0, 0, pods);
  }

  @Test
  void theHighestCountWinsAndEachMetricReportsItsValue() {
    MetricsEvaluation e = MetricsEvaluation.of(List.of(CPU_50, MEMORY_100MI), 2, List.of(pod("p0", "100m"), pod("p1", "100m")),
        List.of(usage(150, 50)), ReplicaCalculator.Settings.KUBERNETES, NOW);
    assertEquals(4, e.replicas(), "cpu: 100 % of requests against 50 %: 4; memory: 50Mi of 100Mi: 1");
    assertEquals("cpu resource utilization (percentage of request)", e.metricName());
    assertEquals(100, e.statuses().get(0).resource().current().averageUtilization());
    assertEquals("100m", e.statuses().get(0).resource().current().averageValue().toString());
    assertEquals(Long.toString(50L * 1024 * 1024), e.statuses().get(1).resource().current().averageValue().toString());
    assertNull(e.failure());
  }

  @Test
  void aMetricThatFailsAllowsScalingUpOnTheOthersButNeverDown() {
    // p1 has no cpu request: the Utilization metric fails
    List<ObjectNode> pods = List.of(pod("p0", "100m"), pod("p1", null));
    MetricsEvaluation down = MetricsEvaluation.of(List.of(CPU_50, MEMORY_100MI), 4, pods, List.of(usage(10, 10)),
        ReplicaCalculator.Settings.KUBERNETES, NOW);
    assertEquals(-1, down.replicas(), "memory alone says 1, below the current 4: no scaling");
    assertEquals("FailedGetResourceMetric", down.failureReason());
    assertTrue(down.failure().contains("failed to get cpu utilization: missing request for cpu in pod p1"), down.failure());
    assertNull(down.statuses().get(0).resource().current(), "no current value for the failed metric");
    Metric memory10 = Metric.resource("memory", new MetricTarget("AverageValue", null, Quantity.parse("10Mi"), null));
    MetricsEvaluation up = MetricsEvaluation.of(List.of(CPU_50, memory10), 2, pods, List.of(usage(10, 10)),
        ReplicaCalculator.Settings.KUBERNETES, NOW);
    assertEquals(10, up.replicas(), "50Mi per pod against 10Mi: up, whatever cpu says");
  }

  @Test
  void noMetricsAtAll() {
    MetricsEvaluation e = MetricsEvaluation.of(List.of(CPU_50), 2, List.of(pod("p0", "100m")), List.of(),
        ReplicaCalculator.Settings.KUBERNETES, NOW);
    assertEquals(-1, e.replicas());
    assertTrue(e.failure().startsWith("the HPA was unable to compute the replica count: failed to get cpu utilization: did not receive metrics"),
        e.failure());
  }
}
