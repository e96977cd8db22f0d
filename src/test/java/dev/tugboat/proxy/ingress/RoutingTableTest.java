package dev.tugboat.proxy.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure routing: rules, Services and Endpoints in; the route of a host and path out. */
class RoutingTableTest {
  private static JsonNode yaml(String text) {
    return Codec.parseTree(text.getBytes(), true, false);
  }

  private static JsonNode service(String name, String ports) {
    return yaml("""
        metadata: {name: %s, namespace: default}
        spec: {ports: %s}
        """.formatted(name, ports));
  }

  /** Endpoints with one ready address per host port, at the port named {@code portName} ("" for none). */
  private static JsonNode endpoints(String name, String portName, int... hostPorts) {
    StringBuilder subsets = new StringBuilder("[");
    for (int p : hostPorts) {
      if (subsets.length() > 1) subsets.append(',');
      subsets.append("{addresses: [{ip: 127.0.0.1, targetRef: {uid: pod-%d}}], ports: [{%s port: %d}]}"
          .formatted(p, portName.isEmpty() ? "" : "name: " + portName + ",", p));
    }
    return yaml("metadata: {name: %s, namespace: default}\nsubsets: %s]".formatted(name, subsets));
  }

  private static final Map<String, JsonNode> SERVICES = Map.of(
      "default/alpha", service("alpha", "[{name: http, port: 80, targetPort: 8080}]"),
      "default/beta", service("beta", "[{name: http, port: 80}, {name: admin, port: 9000}]"),
      "default/udp", service("udp", "[{port: 53, protocol: UDP}]"));
  private static final Map<String, JsonNode> ENDPOINTS = Map.of(
      "default/alpha", endpoints("alpha", "http", 40001, 40002),
      "default/beta", endpoints("beta", "http", 40003),
      "default/empty", endpoints("empty", ""));

  private static JsonNode ingress(String name, String created, String spec) {
    return yaml("""
        metadata: {name: %s, namespace: default, creationTimestamp: "%s"}
        spec:
        """.formatted(name, created) + spec.indent(2));
  }

  private static final JsonNode WEB = ingress("web", "2025-01-01T00:00:00Z", """
      defaultBackend: {service: {name: beta, port: {name: http}}}
      rules:
      - host: a.example.com
        http:
          paths:
          - {path: /, pathType: Prefix, backend: {service: {name: alpha, port: {number: 80}}}}
          - {path: /beta, pathType: Prefix, backend: {service: {name: beta, port: {name: http}}}}
          - {path: /beta/exact, pathType: Exact, backend: {service: {name: missing, port: {number: 80}}}}
          - {path: /beta/exact/, pathType: Prefix, backend: {service: {name: alpha, port: {number: 80}}}}
      - host: "*.wild.example.com"
        http:
          paths:
          - {path: /, pathType: ImplementationSpecific, backend: {service: {name: beta, port: {number: 80}}}}
      - http:
          paths:
          - {path: /any, pathType: Prefix, backend: {service: {name: alpha, port: {name: http}}}}
      """);

  private static RoutingTable table(JsonNode... ingresses) {
    return RoutingTable.build(List.of(ingresses), SERVICES, ENDPOINTS, Set.of(), Map.of());
  }

  private static String where(RoutingTable table, String host, String path) {
    return table.route(host, path).map(r -> r.host() + " " + r.path() + " " + r.pathType() + " -> " + r.service())
        .orElse("404");
  }

  @Test
  void hostsAndPrefixPathsElementWiseLongestFirst() {
    RoutingTable t = table(WEB);
    assertEquals("a.example.com / Prefix -> default/alpha:80", where(t, "a.example.com", "/"));
    assertEquals("a.example.com / Prefix -> default/alpha:80", where(t, "a.example.com", "/index.html"));
    assertEquals("a.example.com /beta Prefix -> default/beta:http", where(t, "a.example.com", "/beta"));
    assertEquals("a.example.com /beta Prefix -> default/beta:http", where(t, "a.example.com", "/beta/"));
    assertEquals("a.example.com /beta Prefix -> default/beta:http", where(t, "a.example.com", "/beta/x/y"));
    assertEquals("a.example.com / Prefix -> default/alpha:80", where(t, "a.example.com", "/betamax"),
        "Prefix is element-wise: /beta does not match /betamax");
  }

  @Test
  void exactBeforePrefixWhenAsLongAndATrailingSlashIsIgnoredInPrefixes() {
    RoutingTable t = table(WEB);
    assertEquals("a.example.com /beta/exact Exact -> default/missing:80", where(t, "a.example.com", "/beta/exact"));
    assertEquals("a.example.com /beta/exact/ Prefix -> default/alpha:80", where(t, "a.example.com", "/beta/exact/"),
        "Exact does not match a trailing slash; the Prefix /beta/exact/ does");
    assertEquals("a.example.com /beta/exact/ Prefix -> default/alpha:80", where(t, "a.example.com", "/beta/exact/more"));
  }

  @Test
  void wildcardsMatchOneLabelThenRulesWithoutHostThenTheDefaultBackend() {
    RoutingTable t = table(WEB);
    assertEquals("*.wild.example.com / ImplementationSpecific -> default/beta:80", where(t, "x.wild.example.com", "/q"));
    assertEquals(" /any Prefix -> default/alpha:http", where(t, "a.b.wild.example.com", "/any"), "two labels: no wildcard");
    assertEquals("   -> default/beta:http", where(t, "wild.example.com", "/q"), "the bare domain: the default backend");
    assertEquals(" /any Prefix -> default/alpha:http", where(t, "", "/any/thing"));
    JsonNode narrow = ingress("narrow", "2025-02-01T00:00:00Z", """
        rules: [{host: n.example.com, http: {paths: [{path: /only, pathType: Exact, backend: {service: {name: beta, port: {number: 80}}}}]}}]
        """);
    assertEquals(" /any Prefix -> default/alpha:http", where(table(WEB, narrow), "n.example.com", "/any"),
        "no path of the host's rules matches: the rules without a host");
    assertEquals("   -> default/beta:http", where(t, "unknown.example.org", "/"));
    assertEquals("404", where(table(ingress("no-default", "2025-01-01T00:00:00Z", """
        rules: [{host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: alpha, port: {number: 80}}}}]}}]
        """)), "b.example.com", "/"));
  }

  @Test
  void backendsByPortNumberOrNameResolveToTheEndpointsTargetPorts() {
    RoutingTable t = table(WEB);
    RoutingTable.Upstream alpha = t.route("a.example.com", "/").orElseThrow().upstream();
    assertNull(alpha.unavailable());
    assertEquals(List.of(40001, 40002), alpha.ready().stream().map(b -> b.port()).toList());
    RoutingTable.Upstream beta = t.route("a.example.com", "/beta").orElseThrow().upstream();
    assertEquals(List.of(40003), beta.ready().stream().map(b -> b.port()).toList());
    // the same upstream for the same Service port, however it is reached
    assertTrue(t.route("a.example.com", "/") .orElseThrow().upstream() == t.route("a.example.com", "/beta/exact/").orElseThrow().upstream());
  }

  @Test
  void routesWhoseServicePortOrEndpointsAreMissingAreUnavailableAlone() {
    JsonNode broken = ingress("broken", "2025-02-01T00:00:00Z", """
        rules:
        - host: b.example.com
          http:
            paths:
            - {path: /nosvc, pathType: Prefix, backend: {service: {name: missing, port: {number: 80}}}}
            - {path: /noport, pathType: Prefix, backend: {service: {name: beta, port: {name: nope}}}}
            - {path: /noeps, pathType: Prefix, backend: {service: {name: empty, port: {number: 80}}}}
            - {path: /udp, pathType: Prefix, backend: {service: {name: udp, port: {number: 53}}}}
            - {path: /res, pathType: Prefix, backend: {resource: {apiGroup: example.com, kind: Bucket, name: b}}}
            - {path: /, pathType: Prefix, backend: {service: {name: alpha, port: {number: 80}}}}
        """);
    Map<String, JsonNode> services = new java.util.HashMap<>(SERVICES);
    services.put("default/empty", service("empty", "[{port: 80}]"));
    RoutingTable t = RoutingTable.build(List.of(WEB, broken), services, ENDPOINTS, Set.of(), Map.of());
    assertEquals("service default/missing not found", t.route("b.example.com", "/nosvc").orElseThrow().upstream().unavailable());
    assertEquals("service default/beta has no port nope", t.route("b.example.com", "/noport").orElseThrow().upstream().unavailable());
    assertEquals("no ready endpoints for service default/empty", t.route("b.example.com", "/noeps").orElseThrow().upstream().unavailable());
    assertEquals("port 53 of service default/udp is not TCP", t.route("b.example.com", "/udp").orElseThrow().upstream().unavailable());
    assertTrue(t.route("b.example.com", "/res").orElseThrow().upstream().unavailable().contains("resource backends"));
    assertNull(t.route("b.example.com", "/other").orElseThrow().upstream().unavailable(), "the other routes work");
    assertNull(t.route("a.example.com", "/").orElseThrow().upstream().unavailable());
  }

  @Test
  void terminatingPodsAndTheOlderIngressDecide() {
    RoutingTable t = RoutingTable.build(List.of(WEB), SERVICES, ENDPOINTS, Set.of("pod-40001"), Map.of());
    assertEquals(List.of(40002), t.route("a.example.com", "/").orElseThrow().upstream().ready().stream().map(b -> b.port()).toList());
    JsonNode newer = ingress("newer", "2025-03-01T00:00:00Z", """
        defaultBackend: {service: {name: alpha, port: {number: 80}}}
        rules: [{host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: beta, port: {number: 80}}}}]}}]
        """);
    RoutingTable both = table(newer, WEB);
    assertEquals("default/web", both.route("a.example.com", "/").orElseThrow().ingress(), "the same path: the older Ingress");
    assertEquals("default/web", both.route("nowhere", "/").orElseThrow().ingress(), "the older default backend");
  }

  @Test
  void podsOfThisHostAreReachedAtTheirOwnAddress() {
    JsonNode here = yaml("metadata: {uid: pod-40001}\n"
        + "status: {hostIP: 127.0.0.1, podIP: 172.17.0.5, publishedPorts: [{containerPort: 8080, hostPort: 40001, protocol: TCP}]}");
    JsonNode elsewhere = yaml("status: {hostIP: 10.0.0.9, podIP: 172.17.0.6, publishedPorts: [{containerPort: 8080, hostPort: 40002}]}");
    JsonNode hostNetwork = yaml("status: {hostIP: 127.0.0.1, podIP: 127.0.0.1}");
    assertTrue(LocalPods.of(elsewhere, "127.0.0.1").isEmpty());
    assertTrue(LocalPods.of(hostNetwork, "127.0.0.1").isEmpty());
    Map<String, LocalPods.Pod> local = Map.of("pod-40001", LocalPods.of(here, "127.0.0.1").orElseThrow());
    RoutingTable t = RoutingTable.build(List.of(WEB), SERVICES, ENDPOINTS, Set.of(), local);
    assertEquals(List.of("172.17.0.5:8080", "127.0.0.1:40002"),
        t.route("a.example.com", "/").orElseThrow().upstream().ready().stream().map(b -> b.host() + ":" + b.port()).toList(),
        "the pod of this host at its own address and container port, the other at its Endpoints' host port");
  }

  @Test
  void hostsAndPathsMatchAsKubernetesSays() {
    assertEquals("a.example.com", HostMatch.normalize("A.Example.COM:8081"));
    assertEquals("a.example.com", HostMatch.normalize("a.example.com."));
    assertEquals("", HostMatch.normalize("[::1]:8081"));
    assertEquals("", HostMatch.normalize("a b"));
    assertEquals("", HostMatch.normalize(null));
    assertTrue(HostMatch.matches("*.example.com", "foo.example.com"));
    assertFalse(HostMatch.matches("*.example.com", "example.com"));
    assertFalse(HostMatch.matches("*.example.com", "a.foo.example.com"));
    assertTrue(HostMatch.matches("", "anything"));
    // Kubernetes' examples (concepts/services-networking/ingress, "Examples")
    assertTrue(PathMatch.matches("Prefix", "/", "/anything"));
    assertTrue(PathMatch.matches("Exact", "/foo", "/foo"));
    assertFalse(PathMatch.matches("Exact", "/foo", "/bar"));
    assertFalse(PathMatch.matches("Exact", "/foo", "/foo/"));
    assertFalse(PathMatch.matches("Exact", "/foo/", "/foo"));
    assertTrue(PathMatch.matches("Prefix", "/foo", "/foo"));
    assertTrue(PathMatch.matches("Prefix", "/foo", "/foo/"));
    assertTrue(PathMatch.matches("Prefix", "/foo/", "/foo"));
    assertTrue(PathMatch.matches("Prefix", "/aaa/bb", "/aaa/bb"));
    assertFalse(PathMatch.matches("Prefix", "/aaa/bb", "/aaa/bbb"));
    assertTrue(PathMatch.matches("Prefix", "/aaa/bbb", "/aaa/bbb/ccc"));
    assertFalse(PathMatch.matches("Prefix", "/aaa/bbb/", "/aaa/bbbxyz"));
    assertTrue(PathMatch.matches("ImplementationSpecific", "", "/x"));
  }
}
