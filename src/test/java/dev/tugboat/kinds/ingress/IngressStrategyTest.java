package dev.tugboat.kinds.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import dev.tugboat.registry.IngressClasses;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngressStrategyTest {
  private final IngressStrategy strategy = new IngressStrategy();

  private static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true, false);
  }

  /** An Ingress with one rule of {@code host} holding {@code path}. */
  private static ObjectNode ingress(String rules) {
    return yaml("""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: default}
        spec:
          rules:
        """ + rules.indent(4));
  }

  private static List<String> causes(Admission a) {
    assertEquals(422, a.failure() == null ? 0 : a.failure().code(), () -> String.valueOf(a.object()));
    return a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  private static ObjectNode reads(ObjectNode... classes) {
    ObjectNode reads = JsonNodeFactory.instance.objectNode();
    var array = reads.putArray("IngressClass");
    for (ObjectNode c : classes) array.add(c);
    return reads;
  }

  @Test
  void aValidIngressIsAdmittedWithTheDefaultClass() {
    ObjectNode ing = ingress("""
        - host: a.example.com
          http:
            paths:
            - {path: /, pathType: Prefix, backend: {service: {name: alpha, port: {number: 80}}}}
            - {path: /api, pathType: Exact, backend: {service: {name: beta, port: {name: http}}}}
        - host: "*.example.com"
          http:
            paths:
            - {pathType: ImplementationSpecific, backend: {service: {name: alpha, port: {number: 80}}}}
        """);
    Admission a = strategy.admit(null, ing, reads(IngressClasses.builtIn()));
    assertNull(a.failure(), () -> String.valueOf(a.failure()));
    assertEquals("tugboat", a.object().at("/spec/ingressClassName").asText());
    // A class named, by field or annotation, is kept; no reads (past the registry) leave none.
    ObjectNode named = ing.deepCopy();
    named.with("spec").put("ingressClassName", "nginx");
    assertEquals("nginx", strategy.admit(null, named, reads(IngressClasses.builtIn())).object().at("/spec/ingressClassName").asText());
    ObjectNode annotated = ing.deepCopy();
    annotated.with("metadata").putObject("annotations").put("kubernetes.io/ingress.class", "nginx");
    assertEquals("", strategy.admit(null, annotated, reads(IngressClasses.builtIn())).object().at("/spec/ingressClassName").asText());
    assertEquals("", strategy.admit(null, ing, null).object().at("/spec/ingressClassName").asText());
    // The class is given at creation only.
    ObjectNode created = a.object();
    ObjectNode update = created.deepCopy();
    update.with("spec").remove("ingressClassName");
    assertEquals("", strategy.admit(created, update, reads(IngressClasses.builtIn())).object().at("/spec/ingressClassName").asText());
  }

  @Test
  void theNewestDefaultClassWins() {
    ObjectNode old = IngressClasses.builtIn();
    old.with("metadata").put("creationTimestamp", "2025-01-01T00:00:00Z");
    ObjectNode newer = IngressClasses.builtIn();
    newer.with("metadata").put("name", "newer").put("creationTimestamp", "2025-02-01T00:00:00Z");
    ObjectNode notDefault = IngressClasses.builtIn();
    notDefault.with("metadata").put("name", "plain").put("creationTimestamp", "2025-03-01T00:00:00Z").remove("annotations");
    assertEquals("newer", IngressStrategy.defaultClass(reads(old, newer, notDefault).path("IngressClass")));
    assertNull(IngressStrategy.defaultClass(reads(notDefault).path("IngressClass")));
  }

  @Test
  void badHostsAreRefusedNamingTheField() {
    String longLabel = "a".repeat(64);
    List<String> causes = causes(strategy.admitCreate(ingress("""
        - host: "foo.*.example.com"
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}
        - host: "Bad_Host"
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}
        - host: "10.0.0.1"
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}
        - host: "%s.example.com"
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}
        """.formatted(longLabel))));
    assertEquals(List.of(
        "spec.rules[0].host: Invalid value: \"foo.*.example.com\": a wildcard DNS-1123 subdomain must start with '*.', "
            + "followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and "
            + "end with an alphanumeric character (e.g. '*.example.com', regex used for validation is "
            + "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "spec.rules[1].host: Invalid value: \"Bad_Host\": a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "spec.rules[2].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address",
        "spec.rules[3].host: Invalid value: \"" + longLabel + ".example.com\": each label must be no more than 63 characters"),
        causes);
  }

  @Test
  void badPathsAndPathTypesAreRefused() {
    List<String> causes = causes(strategy.admitCreate(ingress("""
        - http:
            paths:
            - {path: /a, backend: {service: {name: a, port: {number: 80}}}}
            - {path: b, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}
            - {path: /a//b, pathType: Exact, backend: {service: {name: a, port: {number: 80}}}}
            - {path: /c, pathType: Regex, backend: {service: {name: a, port: {number: 80}}}}
            - {path: d, pathType: ImplementationSpecific, backend: {service: {name: a, port: {number: 80}}}}
            - {pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}
        - host: empty.example.com
          http: {paths: []}
        """)));
    assertEquals(List.of(
        "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
        "spec.rules[0].http.paths[1].path: Invalid value: \"b\": must be an absolute path",
        "spec.rules[0].http.paths[2].path: Invalid value: \"/a//b\": must not contain '//'",
        "spec.rules[0].http.paths[3].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"Prefix\", "
            + "\"ImplementationSpecific\"",
        "spec.rules[0].http.paths[4].path: Invalid value: \"d\": must be an absolute path",
        "spec.rules[0].http.paths[5].path: Invalid value: \"\": must be an absolute path",
        "spec.rules[1].http.paths: Required value"), causes);
  }

  @Test
  void backendsMustBeExactlyOneServicePortOrResource() {
    String longName = "s" + "x".repeat(63);
    List<String> causes = causes(strategy.admitCreate(ingress("""
        - http:
            paths:
            - {path: /a, pathType: Prefix, backend: {}}
            - path: /b
              pathType: Prefix
              backend:
                service: {name: a, port: {number: 80}}
                resource: {apiGroup: example.com, kind: Bucket, name: b}
            - {path: /c, pathType: Prefix, backend: {service: {name: a}}}
            - {path: /d, pathType: Prefix, backend: {service: {name: a, port: {name: http, number: 80}}}}
            - {path: /e, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}
            - {path: /f, pathType: Prefix, backend: {service: {name: a, port: {number: 70000}}}}
            - {path: /g, pathType: Prefix, backend: {resource: {kind: Bucket}}}
        """.formatted(longName))));
    String p = "spec.rules[0].http.paths";
    assertEquals(List.of(
        p + "[0].backend: Invalid value: \"\": resource or service backend is required",
        p + "[1].backend: Invalid value: \"\": cannot set both resource and service backends",
        p + "[2].backend.service.port: Required value: port name or number is required",
        p + "[3].backend.service.port: Invalid value: \"\": cannot set both port name & port number",
        p + "[4].backend.service.name: Invalid value: \"" + longName + "\": must be no more than 63 characters",
        p + "[5].backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive",
        p + "[6].backend.resource.name: Required value"), causes);
  }

  @Test
  void anIngressNeedsRulesOrADefaultBackendAndTlsHostsOnce() {
    assertEquals(List.of("spec: Invalid value: \"[]\": either `defaultBackend` or `rules` must be specified"),
        causes(strategy.admitCreate(yaml("""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: empty}
            spec: {}
            """))));
    List<String> causes = causes(strategy.admitCreate(yaml("""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: tls}
        spec:
          defaultBackend: {service: {name: a, port: {number: 80}}}
          tls:
          - {hosts: [a.example.com, "*.example.com"], secretName: one}
          - {hosts: [a.example.com, "x.*.com"], secretName: Two_Bad}
        """)));
    assertEquals(List.of("spec.tls[1].hosts[0]", "spec.tls[1].hosts[1]", "spec.tls[1].secretName"),
        causes.stream().map(c -> c.substring(0, c.indexOf(':'))).toList(), causes.toString());
    assertEquals("spec.tls[1].hosts[0]: Duplicate value: \"a.example.com\"", causes.get(0));
  }

  @Test
  void kubectlColumns() {
    ObjectNode ing = ingress("""
        - {host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}}
        - {host: b.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}}
        - {host: c.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}}
        - {host: d.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}}
        """);
    ing.with("metadata").put("creationTimestamp", "2025-01-01T00:00:00Z");
    ing.with("spec").put("ingressClassName", "tugboat");
    Instant now = Instant.parse("2025-01-01T00:01:00Z");
    assertEquals(List.of("web", "tugboat", "a.example.com,b.example.com,c.example.com + 1 more...", "", "80", "60s"),
        new IngressPrinter().cells(ing, now));
    ObjectNode lb = ing.putObject("status").putObject("loadBalancer");
    var points = lb.putArray("ingress");
    points.addObject().put("ip", "127.0.0.3").putArray("ports").addObject().put("port", 8081).put("protocol", "TCP");
    points.addObject().put("ip", "127.0.0.2");
    points.addObject().put("ip", "127.0.0.10");
    assertEquals(List.of("web", "tugboat", "a.example.com,b.example.com,c.example.com + 1 more...", "127.0.0.10,12...",
        "8081", "60s"), new IngressPrinter().cells(ing, now));
    assertEquals("*", IngressPrinter.hosts(Codec.parseTree("[{http: {}}]".getBytes(), true, false)));
    assertEquals("80, 443", IngressPrinter.ports(Codec.parseTree("[{secretName: x}]".getBytes(), true, false),
        JsonNodeFactory.instance.arrayNode()));
  }
}
