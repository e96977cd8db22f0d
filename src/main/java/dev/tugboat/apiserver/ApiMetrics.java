package dev.tugboat.apiserver;

import dev.tugboat.kind.KindStrategy;
import dev.tugboat.protocol.ResourceUsage;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.WatchCache;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * {@code /metrics} in Prometheus' text format, by Prometheus' own Java client (client_java 1.x).
 *
 * <p>Where a Kubernetes component has the metric, it has the Kubernetes name and labels, so the
 * dashboards and alerts written for Kubernetes read it: the API server's requests, latency, requests
 * in flight and stored objects here; the scheduler's, the controllers' work queues' and the kubelet's
 * in their packages. The rest is {@code tugboat_}: open watches, events persisted, the proxies' and
 * ingress controllers' counters, what pods use. JVM and process metrics come from client_java's
 * JVM instrumentation. The whole list is in docs/operations.md ("Monitoring").
 *
 * <p>Counters and histograms live in the JVM's default registry, as client_java's instrumentation
 * does (one JVM may hold several members in tests and {@code tug up --workers}: they add up). What
 * only this member's actors know (the indexes' counts, the node agents' measures) is asked for at each
 * scrape and written beside them.
 */
final class ApiMetrics {
  /** kube-apiserver's buckets for apiserver_request_duration_seconds. */
  static final double[] LATENCY_BUCKETS = {0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8,
      10, 15, 20, 30, 45, 60};

  private static final Counter REQUESTS = Counter.builder()
      .name("apiserver_request_total")
      .help("Counter of apiserver requests broken out for each verb, resource and HTTP response code.")
      .labelNames("verb", "resource", "code")
      .register();

  private static final Histogram LATENCY = Histogram.builder()
      .name("apiserver_request_duration_seconds")
      .help("Response latency distribution in seconds for each verb and resource (watches excluded).")
      .labelNames("verb", "resource")
      .classicOnly()
      .classicUpperBounds(LATENCY_BUCKETS)
      .register();

  private static final Gauge INFLIGHT = Gauge.builder()
      .name("apiserver_current_inflight_requests")
      .help("Number of requests being served now, by kind: readOnly or mutating (watches and other long-running "
          + "requests excluded, as the limits that admit them exclude them).")
      .labelNames("request_kind")
      .register();

  static {
    // JVM and process metrics (memory, GC, threads, classes, CPU, file descriptors), once per JVM.
    JvmMetrics.builder().register();
  }

  private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

  private final Registry registry;
  private final org.apache.pekko.actor.typed.ActorSystem<?> system;

  ApiMetrics(org.apache.pekko.actor.typed.ActorSystem<?> system, Registry registry) {
    this.system = system;
    this.registry = registry;
  }

  /**
   * What the pods of this member's nodes use, as their agents last measured it (the kubelet's
   * resource metrics): gauges per node and per container. Empty on a member without node agents.
   */
  private CompletionStage<List<ResourceUsage.NodeUsage>> usage() {
    return ResourceUsage.collect(system, java.time.Duration.ofSeconds(2), true).exceptionally(e -> List.of());
  }

  static List<MetricSnapshot> usageSnapshots(List<ResourceUsage.NodeUsage> nodes) {
    if (nodes.isEmpty()) return List.of();
    GaugeSnapshot.Builder nodeCpu = GaugeSnapshot.builder().name("tugboat_node_cpu_usage_cores")
        .help("CPU the node's pods use (cores), over the last measure's window.");
    GaugeSnapshot.Builder nodeMemory = GaugeSnapshot.builder().name("tugboat_node_memory_working_set_bytes")
        .help("Memory the node's pods use (working set).");
    GaugeSnapshot.Builder cpu = GaugeSnapshot.builder().name("tugboat_container_cpu_usage_cores")
        .help("CPU a pod's container uses (cores), over the last measure's window.");
    GaugeSnapshot.Builder memory = GaugeSnapshot.builder().name("tugboat_container_memory_working_set_bytes")
        .help("Memory a pod's container uses (working set).");
    for (ResourceUsage.NodeUsage n : nodes) {
      Labels node = Labels.of("node", n.node());
      nodeCpu.dataPoint(gauge(node, n.cpuNanoCores() / 1e9));
      nodeMemory.dataPoint(gauge(node, n.memoryBytes()));
      for (ResourceUsage.PodUsage p : n.pods()) {
        for (ResourceUsage.ContainerUsage c : p.containers()) {
          Labels labels = Labels.of("node", n.node(), "namespace", p.namespace(), "pod", p.name(), "container", c.name());
          cpu.dataPoint(gauge(labels, c.cpuNanoCores() / 1e9));
          memory.dataPoint(gauge(labels, c.memoryBytes()));
        }
      }
    }
    return List.of(nodeCpu.build(), nodeMemory.build(), cpu.build(), memory.build());
  }

  /** apiserver_storage_objects by resource ({@code plural[.group]}, as Kubernetes names it) and open watches by kind. */
  List<MetricSnapshot> indexSnapshots(Map<String, WatchCache.Counts> counts) {
    GaugeSnapshot.Builder objects = GaugeSnapshot.builder().name("apiserver_storage_objects")
        .help("Number of stored objects at the time of last check split by kind (here: the objects this member's "
            + "index of the kind holds, which is every object of it).");
    GaugeSnapshot.Builder watches = GaugeSnapshot.builder().name("tugboat_apiserver_open_watches")
        .help("Watches open on this member, by kind.");
    new TreeMap<>(counts).forEach((kind, c) -> {
      String resource = resourceOf(kind);
      objects.dataPoint(gauge(Labels.of("resource", resource), c.objects()));
      watches.dataPoint(gauge(Labels.of("kind", kind), c.watches()));
    });
    return List.of(objects.build(), watches.build());
  }

  /** Kubernetes' resource label: the plural, with the group for a kind outside the core group. */
  private String resourceOf(String kind) {
    try {
      KindStrategy strategy = registry.strategy(kind);
      return strategy.group().isEmpty() ? strategy.plural() : strategy.plural() + "." + strategy.group();
    } catch (RuntimeException e) {
      return kind.toLowerCase(java.util.Locale.ROOT); // a custom kind unserved since its index was made
    }
  }

  private static GaugeDataPointSnapshot gauge(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
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

  /** A request done: counted, and timed unless it is a watch (a watch's duration is its lifetime, not a latency). */
  void record(String verb, String resource, int code, long nanos) {
    REQUESTS.labelValues(verb, resource, Integer.toString(code)).inc();
    if (!verb.equals("watch")) LATENCY.labelValues(verb, resource).observe(nanos / 1e9);
  }

  /** A request admitted; the returned action says it is done. */
  static Runnable inflight(boolean mutating) {
    var gauge = INFLIGHT.labelValues(mutating ? "mutating" : "readOnly");
    gauge.inc();
    return gauge::dec;
  }

  /** The text of a scrape: the default registry's metrics and this member's. */
  CompletionStage<String> render() {
    return registry.counts().thenCombine(usage(), (counts, usage) -> {
      List<MetricSnapshot> all = new ArrayList<>();
      PrometheusRegistry.defaultRegistry.scrape().forEach(all::add);
      all.addAll(indexSnapshots(counts));
      all.addAll(usageSnapshots(usage));
      return write(new MetricSnapshots(all));
    });
  }

  static String write(MetricSnapshots snapshots) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      WRITER.write(out, snapshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
