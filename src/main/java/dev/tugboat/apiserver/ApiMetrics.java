package dev.tugboat.apiserver;

import dev.tugboat.protocol.ResourceUsage;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.RegistryMetrics;
import java.util.Map;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * {@code /metrics} in Prometheus' text format: API requests and their latency by verb, resource and
 * code; events persisted by this member's entities; open watches.
 */
final class ApiMetrics {
  /** Latency buckets in seconds, as apiserver_request_duration_seconds uses (trimmed). */
  private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private record Key(String verb, String resource, int code) {}

  private static final class Histogram {
    final LongAdder count = new LongAdder();
    final LongAdder sumMicros = new LongAdder();
    final LongAdder[] buckets = new LongAdder[BUCKETS.length];

    Histogram() {
      for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
    }
  }

  private final Registry registry;
  private final org.apache.pekko.actor.typed.ActorSystem<?> system;
  private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();

  ApiMetrics(org.apache.pekko.actor.typed.ActorSystem<?> system, Registry registry) {
    this.system = system;
    this.registry = registry;
  }

  /**
   * What the pods of this member's nodes use, as their agents last measured it (the kubelet's
   * resource metrics): gauges per node and per container. Empty on a member without node agents.
   */
  private CompletionStage<String> usage() {
    return ResourceUsage.collect(system, java.time.Duration.ofSeconds(2), true).exceptionally(e -> List.of())
        .thenApply(ApiMetrics::renderUsage);
  }

  static String renderUsage(List<ResourceUsage.NodeUsage> nodes) {
    StringBuilder out = new StringBuilder();
    if (nodes.isEmpty()) return "";
    out.append("# HELP tugboat_node_cpu_usage_cores CPU the node's pods use (cores), over the last measure's window.\n");
    out.append("# TYPE tugboat_node_cpu_usage_cores gauge\n");
    nodes.forEach(n -> out.append("tugboat_node_cpu_usage_cores{node=\"").append(n.node()).append("\"} ")
        .append(n.cpuNanoCores() / 1e9).append('\n'));
    out.append("# HELP tugboat_node_memory_working_set_bytes Memory the node's pods use (working set).\n");
    out.append("# TYPE tugboat_node_memory_working_set_bytes gauge\n");
    nodes.forEach(n -> out.append("tugboat_node_memory_working_set_bytes{node=\"").append(n.node()).append("\"} ")
        .append(n.memoryBytes()).append('\n'));
    out.append("# HELP tugboat_container_cpu_usage_cores CPU a pod's container uses (cores), over the last measure's window.\n");
    out.append("# TYPE tugboat_container_cpu_usage_cores gauge\n");
    StringBuilder memory = new StringBuilder();
    memory.append("# HELP tugboat_container_memory_working_set_bytes Memory a pod's container uses (working set).\n");
    memory.append("# TYPE tugboat_container_memory_working_set_bytes gauge\n");
    for (ResourceUsage.NodeUsage n : nodes) {
      for (ResourceUsage.PodUsage p : n.pods()) {
        for (ResourceUsage.ContainerUsage c : p.containers()) {
          String labels = "{node=\"" + n.node() + "\",namespace=\"" + p.namespace() + "\",pod=\"" + p.name()
              + "\",container=\"" + c.name() + "\"} ";
          out.append("tugboat_container_cpu_usage_cores").append(labels).append(c.cpuNanoCores() / 1e9).append('\n');
          memory.append("tugboat_container_memory_working_set_bytes").append(labels).append(c.memoryBytes()).append('\n');
        }
      }
    }
    return out.append(memory).toString();
  }

  /** The Kubernetes verb of a request: get, list, watch, create, update, patch, delete, deletecollection. */
  String verbOf(HttpRequest request, ApiPath path) {
    String method = request.method().value();
    String watch = request.getUri().query().get("watch").orElse("");
    return switch (method) {
      case "GET" -> path.collection() ? (watch.equals("true") || watch.equals("1") ? "watch" : "list") : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> path.collection() ? "deletecollection" : "delete";
      default -> method.toLowerCase();
    };
  }

  void record(String verb, String resource, int code, long nanos) {
    requests.computeIfAbsent(new Key(verb, resource, code), k -> new LongAdder()).increment();
    if (verb.equals("watch")) return; // a watch's duration is its lifetime, not a latency
    Histogram h = latency.computeIfAbsent(verb + "|" + resource, k -> new Histogram());
    double seconds = nanos / 1e9;
    h.count.increment();
    h.sumMicros.add(nanos / 1000);
    for (int i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) h.buckets[i].increment();
  }

  CompletionStage<String> render() {
    return registry.openWatches().thenCombine(usage(), (watches, usage) -> {
      StringBuilder out = new StringBuilder();
      out.append("# HELP tugboat_apiserver_requests_total API requests by verb, resource and HTTP code.\n");
      out.append("# TYPE tugboat_apiserver_requests_total counter\n");
      requests.forEach((k, n) -> out.append("tugboat_apiserver_requests_total{verb=\"").append(k.verb())
          .append("\",resource=\"").append(k.resource()).append("\",code=\"").append(k.code()).append("\"} ")
          .append(n.sum()).append('\n'));
      out.append("# HELP tugboat_apiserver_request_duration_seconds API request latency (watches excluded).\n");
      out.append("# TYPE tugboat_apiserver_request_duration_seconds histogram\n");
      latency.forEach((k, h) -> {
        String[] vr = k.split("\\|");
        String labels = "verb=\"" + vr[0] + "\",resource=\"" + vr[1] + "\"";
        for (int i = 0; i < BUCKETS.length; i++) {
          out.append("tugboat_apiserver_request_duration_seconds_bucket{").append(labels).append(",le=\"")
              .append(BUCKETS[i]).append("\"} ").append(h.buckets[i].sum()).append('\n');
        }
        out.append("tugboat_apiserver_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ")
            .append(h.count.sum()).append('\n');
        out.append("tugboat_apiserver_request_duration_seconds_sum{").append(labels).append("} ")
            .append(h.sumMicros.sum() / 1e6).append('\n');
        out.append("tugboat_apiserver_request_duration_seconds_count{").append(labels).append("} ")
            .append(h.count.sum()).append('\n');
      });
      out.append("# HELP tugboat_registry_events_persisted_total Events persisted by this member's entities.\n");
      out.append("# TYPE tugboat_registry_events_persisted_total counter\n");
      RegistryMetrics.persistedByKind().forEach((kind, n) -> out.append("tugboat_registry_events_persisted_total{kind=\"")
          .append(kind).append("\"} ").append(n).append('\n'));
      out.append("# HELP tugboat_apiserver_open_watches Watches open on this member.\n");
      out.append("# TYPE tugboat_apiserver_open_watches gauge\n");
      watches.forEach((kind, n) -> out.append("tugboat_apiserver_open_watches{kind=\"").append(kind).append("\"} ")
          .append(n).append('\n'));
      out.append(usage);
      out.append(dev.tugboat.proxy.ProxyMetrics.render());
      out.append(dev.tugboat.proxy.ingress.IngressMetrics.render());
      return out.toString();
    });
  }
}
