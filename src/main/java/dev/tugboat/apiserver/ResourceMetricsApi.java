package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Status;
import dev.tugboat.protocol.ResourceUsage;
import dev.tugboat.registry.Registry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Query;

/**
 * The resource metrics API ({@code metrics.k8s.io/v1beta1}), as metrics-server serves it:
 * NodeMetrics and PodMetrics, get and list (per namespace or across all, by label selector), read
 * only. The figures are the node agents' latest measures ({@link ResourceUsage}), asked for on
 * each request and never stored; labels and selectors come from the Pods and Nodes in the index,
 * so a pod that is gone from the API has no metrics even while its containers are being stopped.
 */
final class ResourceMetricsApi {
  static final String GROUP = "metrics.k8s.io";
  static final String VERSION = "v1beta1";
  static final String API_VERSION = GROUP + "/" + VERSION;
  /** The resources, by plural: kind, namespaced. */
  static final Map<String, Boolean> RESOURCES = Map.of("nodes", false, "pods", true);
  /** An agent that does not answer within this has no metrics in the answer (metrics-server's scrape timeout is 10 s). */
  private static final Duration ASK = Duration.ofSeconds(3);

  private final ActorSystem<?> system;
  private final Registry registry;

  ResourceMetricsApi(ActorSystem<?> system, Registry registry) {
    this.system = system;
    this.registry = registry;
  }

  /** The answer to a request under {@code /apis/metrics.k8s.io/v1beta1/...}, or empty for any other path. */
  Optional<CompletionStage<HttpResponse>> handle(HttpRequest request, List<String> segments) {
    if (segments.size() < 4 || !segments.get(0).equals("apis") || !segments.get(1).equals(GROUP)
        || !segments.get(2).equals(VERSION)) {
      return Optional.empty();
    }
    List<String> rest = segments.subList(3, segments.size());
    String namespace = null;
    if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    String plural = rest.get(0);
    if (!RESOURCES.containsKey(plural) || rest.size() > 2 || (namespace != null && !RESOURCES.get(plural))) {
      return Optional.of(done(Status.notFound("the server could not find the requested resource")));
    }
    String method = request.method().value();
    if (!method.equals("GET")) {
      return Optional.of(done(Status.methodNotAllowed(method, plural + "." + GROUP)));
    }
    String name = rest.size() == 2 ? rest.get(1) : null;
    Query query = request.getUri().query();
    if (query.get("watch").map(w -> w.equals("true") || w.equals("1")).orElse(false)) {
      return Optional.of(done(Status.methodNotAllowed("watch", plural + "." + GROUP)));
    }
    return Optional.of(plural.equals("pods") ? pods(namespace, name, query) : nodes(name, query));
  }

  private CompletionStage<HttpResponse> pods(String namespace, String name, Query query) {
    var filter = ResourceHandler.filter(registry.strategy("Pod"), query);
    if (filter.failure() != null) return done(filter.failure());
    return registry.list("Pod", namespace, filter.predicate(), 0, null).thenCombine(
        ResourceUsage.collect(system, ASK), (list, usage) -> {
          if (list.failure() != null) return Responses.status(list.failure());
          Map<String, ResourceUsage.PodUsage> byUid = new HashMap<>();
          usage.forEach(node -> node.pods().forEach(p -> byUid.put(p.uid(), p)));
          ArrayNode items = JsonNodeFactory.instance.arrayNode();
          for (ObjectNode pod : list.items()) {
            JsonNode meta = pod.path("metadata");
            ResourceUsage.PodUsage u = byUid.get(meta.path("uid").asText());
            if (u == null) continue;
            if (name != null && !name.equals(meta.path("name").asText())) continue;
            items.add(podMetrics(meta, u));
          }
          if (name != null) {
            return items.isEmpty() ? Responses.status(Status.notFound(GROUP, "podmetrics", name))
                : Responses.json(200, items.get(0));
          }
          return Responses.json(200, list("PodMetricsList", items));
        });
  }

  private CompletionStage<HttpResponse> nodes(String name, Query query) {
    var filter = ResourceHandler.filter(registry.strategy("Node"), query);
    if (filter.failure() != null) return done(filter.failure());
    return registry.list("Node", null, filter.predicate(), 0, null).thenCombine(
        ResourceUsage.collect(system, ASK), (list, usage) -> {
          if (list.failure() != null) return Responses.status(list.failure());
          Map<String, ResourceUsage.NodeUsage> byName = new HashMap<>();
          usage.forEach(u -> byName.put(u.node(), u));
          ArrayNode items = JsonNodeFactory.instance.arrayNode();
          for (ObjectNode node : list.items()) {
            JsonNode meta = node.path("metadata");
            ResourceUsage.NodeUsage u = byName.get(meta.path("name").asText());
            if (u == null) continue;
            if (name != null && !name.equals(meta.path("name").asText())) continue;
            items.add(nodeMetrics(meta, u));
          }
          if (name != null) {
            return items.isEmpty() ? Responses.status(Status.notFound(GROUP, "nodemetrics", name))
                : Responses.json(200, items.get(0));
          }
          return Responses.json(200, list("NodeMetricsList", items));
        });
  }

  static ObjectNode podMetrics(JsonNode podMeta, ResourceUsage.PodUsage u) {
    ObjectNode o = object("PodMetrics", podMeta);
    o.put("timestamp", time(u.timestampMillis()));
    o.put("window", window(u.windowMillis()));
    ArrayNode containers = o.putArray("containers");
    for (ResourceUsage.ContainerUsage c : u.containers()) {
      ObjectNode container = containers.addObject();
      container.put("name", c.name());
      usage(container.putObject("usage"), c.cpuNanoCores(), c.memoryBytes());
    }
    return o;
  }

  static ObjectNode nodeMetrics(JsonNode nodeMeta, ResourceUsage.NodeUsage u) {
    ObjectNode o = object("NodeMetrics", nodeMeta);
    o.put("timestamp", time(u.timestampMillis()));
    o.put("window", window(u.windowMillis()));
    usage(o.putObject("usage"), u.cpuNanoCores(), u.memoryBytes());
    return o;
  }

  private static ObjectNode object(String kind, JsonNode meta) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("kind", kind);
    o.put("apiVersion", API_VERSION);
    ObjectNode m = o.putObject("metadata");
    m.put("name", meta.path("name").asText());
    if (meta.hasNonNull("namespace")) m.put("namespace", meta.path("namespace").asText());
    // metrics-server stamps the time of the answer as the object's creation
    m.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    if (meta.has("labels")) m.set("labels", meta.get("labels"));
    return o;
  }

  /** CPU in nanocores and memory in KiB, as metrics-server writes them ({@code 2361213n}, {@code 11412Ki}). */
  private static void usage(ObjectNode usage, long cpuNanoCores, long memoryBytes) {
    usage.put("cpu", cpuNanoCores + "n");
    usage.put("memory", (memoryBytes / 1024) + "Ki");
  }

  private static ObjectNode list(String kind, ArrayNode items) {
    ObjectNode list = JsonNodeFactory.instance.objectNode();
    list.put("kind", kind);
    list.put("apiVersion", API_VERSION);
    list.putObject("metadata");
    list.set("items", items);
    return list;
  }

  private static String time(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A window as Go prints a duration: {@code 10.012s}, {@code 980ms}. */
  static String window(long millis) {
    if (millis < 1000) return millis + "ms";
    String seconds = java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    return seconds + "s";
  }

  private static CompletionStage<HttpResponse> done(Status status) {
    return CompletableFuture.completedFuture(Responses.status(status));
  }
}
