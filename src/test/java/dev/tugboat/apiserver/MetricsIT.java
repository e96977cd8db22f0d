package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.PrometheusText;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /metrics} of a member with both roles and real Docker, after a Deployment of two pods became
 * available: the text read by the strict reader (every line valid, histograms consistent), and the
 * figures a Kubernetes dashboard reads by their Kubernetes names (API server, scheduler, work queues,
 * kubelet), Tugboat's own, and the JVM's.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsIT {
  private static final String IMAGE = "tugboat/busybox:1.0";
  private final long pid = ProcessHandle.current().pid();
  private final String node = "metrics-node-" + pid;
  private Tugboat tugboat;
  private Api api;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) {
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", node);
    tugboat = TestTugboat.start(cassandra, "metrics_it_" + pid, config);
    api = Api.of(tugboat);
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
    NodeContainers.removeAll(node);
  }

  @Test
  void kubernetesNamesTugboatsOwnAndTheJvmInValidText() {
    Await.until("node Ready", Duration.ofSeconds(60), () -> api.get("/api/v1/nodes/" + node).code() == 200);
    Api.Reply created = api.post("/apis/apps/v1/namespaces/default/deployments", """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"measured"},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"measured"}},
           "template":{"metadata":{"labels":{"app":"measured"}},
             "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"main","image":"%s","command":["sleep","3600"]}]}}}}
        """.formatted(IMAGE));
    assertEquals(201, created.code(), created.body());
    Await.until("2 pods available", Duration.ofSeconds(60), () -> api.get("/apis/apps/v1/namespaces/default/deployments/measured")
        .json().path("status").path("availableReplicas").asInt() == 2);
    assertEquals(200, api.get("/api/v1/namespaces/default/pods").code());

    // the kubelet reports Running before the Deployment counts the pod available: both pods counted by now
    Api.Reply reply = api.get("/metrics");
    assertEquals(200, reply.code());
    assertTrue(reply.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), reply.raw().headers().map().toString());
    String text = reply.body();
    PrometheusText metrics = PrometheusText.parse(text);

    // kube-apiserver
    assertEquals("counter", metrics.family("apiserver_request_total").type());
    assertTrue(at(metrics, "apiserver_request_total", "verb", "create", "resource", "deployments", "code", "201") >= 1, text);
    assertTrue(at(metrics, "apiserver_request_total", "verb", "list", "resource", "pods", "code", "200") >= 1, text);
    assertEquals("histogram", metrics.family("apiserver_request_duration_seconds").type());
    assertTrue(at(metrics, "apiserver_request_duration_seconds_count", "verb", "get", "resource", "deployments") >= 1, text);
    assertTrue(at(metrics, "apiserver_request_duration_seconds_bucket", "verb", "get", "resource", "deployments", "le", "60.0") >= 1,
        "kube-apiserver's buckets, up to 60 s: " + text);
    assertEquals("gauge", metrics.family("apiserver_current_inflight_requests").type());
    assertTrue(at(metrics, "apiserver_current_inflight_requests", "request_kind", "readOnly") >= 0, text);
    assertEquals(1.0, at(metrics, "apiserver_storage_objects", "resource", "deployments.apps"), text);
    assertTrue(at(metrics, "apiserver_storage_objects", "resource", "pods") >= 2, text);
    // kube-scheduler
    assertTrue(at(metrics, "scheduler_schedule_attempts_total", "result", "scheduled", "profile", "default-scheduler") >= 2, text);
    assertTrue(at(metrics, "scheduler_pod_scheduling_duration_seconds_count", "attempts", "1") >= 2, text);
    // the controllers' work queues
    assertTrue(at(metrics, "workqueue_adds_total", "name", "deployment-controller") >= 1, text);
    assertTrue(at(metrics, "workqueue_adds_total", "name", "replicaset-controller") >= 1, text);
    assertTrue(metrics.value("workqueue_depth", Map.of("name", "replicaset-controller")).isPresent(), text);
    // the kubelet
    assertEquals(2.0, at(metrics, "kubelet_running_pods", "node", node), text);
    assertEquals(2.0, at(metrics, "kubelet_pod_start_duration_seconds_count", "node", node), text);
    // Tugboat's own
    assertTrue(at(metrics, "tugboat_registry_events_persisted_total", "kind", "Deployment") >= 1, text);
    assertTrue(metrics.value("tugboat_apiserver_open_watches", Map.of("kind", "Pod")).isPresent(), text);
    // the JVM and the process
    assertTrue(at(metrics, "jvm_memory_used_bytes", "area", "heap") > 0, text);
    assertTrue(at(metrics, "process_cpu_seconds_total") > 0, text);
    assertTrue(at(metrics, "jvm_threads_current") > 0, text);

    // deleted: the kubelet counts the pods no more
    assertEquals(200, api.delete("/apis/apps/v1/namespaces/default/deployments/measured").code());
    Await.until("no running pods counted", Duration.ofSeconds(60), () -> Optional.of(
        PrometheusText.parse(api.get("/metrics").body()).value("kubelet_running_pods", Map.of("node", node)).orElse(0.0))
        .filter(n -> n == 0).isPresent());
  }

  /** The value of the sample with these labels (pairs of name and value); an AssertionError when there is none. */
  private static double at(PrometheusText metrics, String name, String... labels) {
    Map<String, String> wanted = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) wanted.put(labels[i], labels[i + 1]);
    return metrics.value(name, wanted).orElseThrow(() -> new AssertionError("no " + name + wanted));
  }
}
