package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.protocol.ResourceUsage;
import dev.tugboat.testing.PrometheusText;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What /metrics writes, without a server: client_java's text, read back by the strict reader. */
class ApiMetricsTest {
  @Test
  void requestsLatencyUsageAndTheJvmInOneValidText() {
    ApiMetrics metrics = new ApiMetrics(null, null);
    metrics.record("create", "apimetricstests", 201, 30_000_000);
    metrics.record("watch", "apimetricstests", 200, 90_000_000_000L);
    ApiMetrics.inflight(true).run();
    List<MetricSnapshot> all = new ArrayList<>();
    PrometheusRegistry.defaultRegistry.scrape().forEach(all::add);
    all.addAll(ApiMetrics.usageSnapshots(List.of(new ResourceUsage.NodeUsage("n1", 0, 10_000, 250_000_000L, 1 << 20,
        List.of(new ResourceUsage.PodUsage("default", "web", "uid-1", 0, 10_000, List.of(
            new ResourceUsage.ContainerUsage("web", 125_000_000L, 1 << 19))))))));
    String text = ApiMetrics.write(new MetricSnapshots(all));
    PrometheusText parsed = PrometheusText.parse(text);

    assertEquals(Optional.of(1.0), parsed.value("apiserver_request_total",
        Map.of("verb", "create", "resource", "apimetricstests", "code", "201")), text);
    assertEquals(Optional.of(1.0), parsed.value("apiserver_request_total",
        Map.of("verb", "watch", "resource", "apimetricstests", "code", "200")), "a watch is counted");
    assertEquals(Optional.of(1.0), parsed.value("apiserver_request_duration_seconds_bucket",
        Map.of("verb", "create", "resource", "apimetricstests", "le", "0.05")), "30 ms in the 50 ms bucket");
    assertEquals(Optional.of(0.0), parsed.value("apiserver_request_duration_seconds_bucket",
        Map.of("verb", "create", "resource", "apimetricstests", "le", "0.025")));
    assertTrue(parsed.value("apiserver_request_duration_seconds_count", Map.of("verb", "watch")).isEmpty(),
        "a watch's lifetime is no latency");
    assertEquals(Optional.of(0.0), parsed.value("apiserver_current_inflight_requests", Map.of("request_kind", "mutating")),
        "done, so no longer in flight");
    assertEquals(Optional.of(0.25), parsed.value("tugboat_node_cpu_usage_cores", Map.of("node", "n1")));
    assertEquals(Optional.of((double) (1 << 19)), parsed.value("tugboat_container_memory_working_set_bytes",
        Map.of("node", "n1", "namespace", "default", "pod", "web", "container", "web")));
    assertEquals("counter", parsed.family("process_cpu_seconds_total").type(), "process metrics");
    assertTrue(parsed.value("jvm_memory_used_bytes", Map.of("area", "heap")).orElse(0.0) > 0, "JVM metrics");
  }
}
