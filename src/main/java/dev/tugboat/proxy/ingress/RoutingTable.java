package dev.tugboat.proxy.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.proxy.ServiceBackends;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a request goes, from the Ingresses one controller serves and the Services and Endpoints they
 * name: built whole on every change and read by every request, without I/O.
 *
 * <p>The rules of all Ingresses are merged. A request's host picks the rules of that exact host,
 * else those of the wildcard host that matches it, else those without a host, in that order: the
 * first of them with a matching path wins, and the longest matching path wins among them (Exact
 * before Prefix when as long, then the older Ingress). No path matching in any of them: the
 * default backend of the oldest Ingress that has one; none: no route (404).
 *
 * <p>A route's Service port is resolved now: the Service port by number or name, then the ready
 * endpoints of the Endpoints at that port (its target port on each pod; a pod of this host at its
 * own address, see {@link LocalPods}). A route whose Service, port or endpoints are missing stays
 * a route, answered 503 (only that route: the others work).
 */
final class RoutingTable {
  /** What a route forwards to: a Service port's ready endpoints, or why it cannot (answered 503). */
  record Upstream(String key, List<ServiceBackends.Backend> ready, String unavailable) {}

  /**
   * One path of one rule of one Ingress ({@code ns/name}), or an Ingress's default backend (host
   * and path ""), with the Service it names ({@code ns/name:port}) and what that resolves to.
   */
  record Route(String ingress, String host, String path, String pathType, String service, Upstream upstream) {}

  static final RoutingTable EMPTY = new RoutingTable(Map.of(), null);
  private static final Comparator<Ranked> PRECEDENCE = Comparator
      .comparingInt((Ranked r) -> -PathMatch.length(r.route.pathType(), r.route.path()))
      .thenComparingInt(r -> PathMatch.typeRank(r.route.pathType()))
      .thenComparingInt(Ranked::order);

  private record Ranked(Route route, int order) {}

  /** Routes by rule host (exact, {@code *.suffix}, or "" for any), most specific path first. */
  private final Map<String, List<Route>> byHost;
  private final Route defaultRoute;

  private RoutingTable(Map<String, List<Route>> byHost, Route defaultRoute) {
    this.byHost = byHost;
    this.defaultRoute = defaultRoute;
  }

  /**
   * @param ingresses the Ingresses this controller serves
   * @param services Services by {@code namespace/name}
   * @param endpoints Endpoints by {@code namespace/name}
   * @param terminating uids of pods being deleted: no new request goes to them
   * @param local this host's pods by uid, reached at their own address ({@link LocalPods})
   */
  static RoutingTable build(Collection<? extends JsonNode> ingresses, Map<String, ? extends JsonNode> services,
      Map<String, ? extends JsonNode> endpoints, Set<String> terminating, Map<String, LocalPods.Pod> local) {
    List<JsonNode> ordered = new ArrayList<>(ingresses);
    ordered.sort(Comparator.comparing((JsonNode i) -> i.path("metadata").path("creationTimestamp").asText(""))
        .thenComparing(RoutingTable::key));
    Map<String, Upstream> upstreams = new HashMap<>();
    Map<String, List<Ranked>> ranked = new HashMap<>();
    Route defaultRoute = null;
    int order = 0;
    for (JsonNode ingress : ordered) {
      String key = key(ingress);
      String namespace = ingress.path("metadata").path("namespace").asText();
      JsonNode spec = ingress.path("spec");
      if (defaultRoute == null && spec.path("defaultBackend").isObject()) {
        defaultRoute = route(key, "", "", "", namespace, spec.path("defaultBackend"), services, endpoints, terminating, local, upstreams);
      }
      for (JsonNode rule : spec.path("rules")) {
        String host = rule.path("host").asText("");
        for (JsonNode path : rule.path("http").path("paths")) {
          String pathType = path.path("pathType").asText("ImplementationSpecific");
          String p = path.path("path").asText("");
          if (p.isEmpty()) p = "/";
          Route route = route(key, host, p, pathType, namespace, path.path("backend"), services, endpoints, terminating, local, upstreams);
          ranked.computeIfAbsent(host, h -> new ArrayList<>()).add(new Ranked(route, order++));
        }
      }
    }
    Map<String, List<Route>> byHost = new HashMap<>();
    ranked.forEach((host, routes) -> byHost.put(host, routes.stream().sorted(PRECEDENCE).map(Ranked::route).toList()));
    return new RoutingTable(byHost, defaultRoute);
  }

  /** The route of a request for {@code host} (normalized, see {@link HostMatch}) and {@code path}; empty: 404. */
  Optional<Route> route(String host, String path) {
    List<String> groups = new ArrayList<>(3);
    if (!host.isEmpty()) {
      groups.add(host);
      String wildcard = HostMatch.wildcardFor(host);
      if (wildcard != null) groups.add(wildcard);
    }
    groups.add("");
    for (String group : groups) {
      for (Route route : byHost.getOrDefault(group, List.of())) {
        if (PathMatch.matches(route.pathType(), route.path(), path)) return Optional.of(route);
      }
    }
    return Optional.ofNullable(defaultRoute);
  }

  /** Every route, for metrics and tests. */
  List<Route> routes() {
    List<Route> all = new ArrayList<>();
    byHost.values().forEach(all::addAll);
    if (defaultRoute != null) all.add(defaultRoute);
    return all;
  }

  private static Route route(String ingress, String host, String path, String pathType, String namespace,
      JsonNode backend, Map<String, ? extends JsonNode> services, Map<String, ? extends JsonNode> endpoints,
      Set<String> terminating, Map<String, LocalPods.Pod> local, Map<String, Upstream> upstreams) {
    JsonNode service = backend.path("service");
    if (!service.isObject()) {
      JsonNode r = backend.path("resource");
      String what = r.path("kind").asText("") + "/" + r.path("name").asText("");
      Upstream none = new Upstream("resource:" + namespace + "/" + what, List.of(),
          "resource backends (" + what + ") are not served by this ingress controller");
      return new Route(ingress, host, path, pathType, what, none);
    }
    String name = service.path("name").asText("");
    JsonNode port = service.path("port");
    String portLabel = port.hasNonNull("name") && !port.path("name").asText().isEmpty()
        ? port.path("name").asText() : String.valueOf(port.path("number").asInt());
    String key = namespace + "/" + name + ":" + portLabel;
    Upstream upstream = upstreams.computeIfAbsent(key,
        k -> upstream(k, namespace + "/" + name, port, services, endpoints, terminating, local));
    return new Route(ingress, host, path, pathType, key, upstream);
  }

  private static Upstream upstream(String key, String serviceKey, JsonNode port, Map<String, ? extends JsonNode> services,
      Map<String, ? extends JsonNode> endpoints, Set<String> terminating, Map<String, LocalPods.Pod> local) {
    JsonNode service = services.get(serviceKey);
    if (service == null) return new Upstream(key, List.of(), "service " + serviceKey + " not found");
    JsonNode ports = service.path("spec").path("ports");
    JsonNode servicePort = null;
    for (JsonNode p : ports) {
      boolean byName = port.hasNonNull("name") && !port.path("name").asText().isEmpty();
      if (byName ? port.path("name").asText().equals(p.path("name").asText(""))
          : port.path("number").asInt() == p.path("port").asInt()) {
        servicePort = p;
        break;
      }
    }
    if (servicePort == null) return new Upstream(key, List.of(), "service " + serviceKey + " has no port " + key.substring(key.lastIndexOf(':') + 1));
    if (!"TCP".equals(servicePort.path("protocol").asText("TCP"))) {
      return new Upstream(key, List.of(), "port " + key.substring(key.lastIndexOf(':') + 1) + " of service " + serviceKey + " is not TCP");
    }
    List<ServiceBackends.Backend> ready = ServiceBackends.ready(endpoints.get(serviceKey), servicePort, ports.size(), terminating)
        .stream().map(b -> LocalPods.reach(b, local)).toList();
    return new Upstream(key, ready, ready.isEmpty() ? "no ready endpoints for service " + serviceKey : null);
  }

  private static String key(JsonNode object) {
    return object.path("metadata").path("namespace").asText() + "/" + object.path("metadata").path("name").asText();
  }
}
