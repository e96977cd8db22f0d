package dev.tugboat.apiserver.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Printer;
import dev.tugboat.kinds.Kinds;
import dev.tugboat.model.Codec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The columns and cells of every kind, compared with what kubectl shows against a real cluster. */
class TablesTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private static Printer printerFor(String kind) {
    return Kinds.strategies().stream().filter(k -> k.kind().equals(kind)).findFirst().orElseThrow().printer();
  }

  private static ObjectNode json(String yaml) {
    try {
      return (ObjectNode) Codec.parseTree(yaml.getBytes(), true);
    } catch (Codec.DecodeException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> names(String kind, int priority) {
    return printerFor(kind).columns().stream().filter(c -> c.priority() <= priority)
        .map(c -> c.name().toUpperCase()).toList();
  }

  @Test
  void columnsAreKubectls() {
    assertEquals(List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE"), names("Pod", 0));
    assertEquals(List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"),
        names("Pod", 1));
    assertEquals(List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"), names("Deployment", 0));
    assertEquals(List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"),
        names("Deployment", 1));
    assertEquals(List.of("NAME", "DESIRED", "CURRENT", "READY", "AGE"), names("ReplicaSet", 0));
    assertEquals(List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"), names("Service", 0));
    assertEquals(List.of("NAME", "ENDPOINTS", "AGE"), names("Endpoints", 0));
    assertEquals(List.of("NAME", "STATUS", "ROLES", "AGE", "VERSION"), names("Node", 0));
    assertEquals(List.of("NAME", "STATUS", "AGE"), names("Namespace", 0));
    assertEquals(List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"), names("Event", 0));
  }

  @Test
  void agesAsKubernetesWritesThem() {
    assertEquals("0s", Cells.human(Duration.ofMillis(-900)));
    assertEquals("<invalid>", Cells.human(Duration.ofSeconds(-5)));
    assertEquals("45s", Cells.human(Duration.ofSeconds(45)));
    assertEquals("119s", Cells.human(Duration.ofSeconds(119)));
    assertEquals("3m20s", Cells.human(Duration.ofSeconds(200)));
    assertEquals("5m", Cells.human(Duration.ofMinutes(5)));
    assertEquals("25m", Cells.human(Duration.ofMinutes(25).plusSeconds(10)));
    assertEquals("5h10m", Cells.human(Duration.ofMinutes(310)));
    assertEquals("12h", Cells.human(Duration.ofHours(12)));
    assertEquals("3d4h", Cells.human(Duration.ofHours(76)));
    assertEquals("30d", Cells.human(Duration.ofDays(30)));
    assertEquals("2y10d", Cells.human(Duration.ofDays(740)));
  }

  @Test
  void runningPodWithRestarts() {
    ObjectNode pod = json("""
        metadata: {name: web-1, creationTimestamp: "2026-01-01T11:55:00Z"}
        spec: {nodeName: n1, containers: [{name: a, image: x}, {name: b, image: y}]}
        status:
          phase: Running
          podIP: 10.0.0.7
          containerStatuses:
          - {name: a, ready: true, restartCount: 2, state: {running: {}},
             lastState: {terminated: {exitCode: 1, finishedAt: "2026-01-01T11:59:00Z"}}}
          - {name: b, ready: false, restartCount: 0, state: {running: {}}}
        """);
    assertEquals(List.of("web-1", "1/2", "Running", "2 (60s ago)", "5m", "10.0.0.7", "n1", "<none>", "<none>"),
        printerFor("Pod").cells(pod, NOW));
  }

  @Test
  void podStatusTakesTheContainersReason() {
    ObjectNode waiting = json("""
        metadata: {name: p}
        spec: {containers: [{name: a, image: x}]}
        status: {phase: Running, containerStatuses: [{name: a, restartCount: 4, state: {waiting: {reason: CrashLoopBackOff}}}]}
        """);
    assertEquals("CrashLoopBackOff", printerFor("Pod").cells(waiting, NOW).get(2));
    ObjectNode pending = json("metadata: {name: p}\nspec: {containers: [{name: a, image: x}]}\n");
    List<Object> cells = printerFor("Pod").cells(pending, NOW);
    assertEquals(List.of("0/1", "Pending", "0", "<unknown>"), cells.subList(1, 5));
    ObjectNode deleting = json("""
        metadata: {name: p, deletionTimestamp: "2026-01-01T11:59:00Z"}
        spec: {containers: [{name: a, image: x}]}
        status: {phase: Running}
        """);
    assertEquals("Terminating", printerFor("Pod").cells(deleting, NOW).get(2));
    ObjectNode exited = json("""
        metadata: {name: p}
        spec: {containers: [{name: a, image: x}]}
        status: {phase: Failed, containerStatuses: [{name: a, state: {terminated: {exitCode: 3}}}]}
        """);
    assertEquals("ExitCode:3", printerFor("Pod").cells(exited, NOW).get(2));
  }

  @Test
  void deploymentAndReplicaSet() {
    ObjectNode d = json("""
        metadata: {name: web, creationTimestamp: "2026-01-01T10:00:00Z"}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template: {spec: {containers: [{name: httpd, image: "busybox:1"}, {name: side, image: "busybox:2"}]}}
        status: {readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2}
        """);
    assertEquals(List.of("web", "2/3", 3, 2, "120m", "httpd,side", "busybox:1,busybox:2", "app=web"),
        printerFor("Deployment").cells(d, NOW));
    assertEquals(List.of("web", 3, 0, 2, "120m", "httpd,side", "busybox:1,busybox:2", "app=web"),
        printerFor("ReplicaSet").cells(d, NOW));
  }

  @Test
  void servicePortsAndExternalIps() {
    ObjectNode svc = json("""
        metadata: {name: web, creationTimestamp: "2026-01-01T11:59:30Z"}
        spec: {type: NodePort, clusterIP: 10.96.0.10, selector: {tier: a, app: web},
               ports: [{port: 80, nodePort: 30080, protocol: TCP}, {port: 53, protocol: UDP}]}
        """);
    assertEquals(List.of("web", "NodePort", "10.96.0.10", "<none>", "80:30080/TCP,53/UDP", "30s", "app=web,tier=a"),
        printerFor("Service").cells(svc, NOW));
    ObjectNode lb = json("metadata: {name: x}\nspec: {type: LoadBalancer, ports: [{port: 443}]}\n");
    assertEquals(List.of("LoadBalancer", "<none>", "<pending>", "443/TCP"),
        printerFor("Service").cells(lb, NOW).subList(1, 5));
  }

  @Test
  void endpointsShowThreeThenCount() {
    ObjectNode ep = json("""
        metadata: {name: web}
        subsets:
        - addresses: [{ip: 10.0.0.1}, {ip: 10.0.0.2}, {ip: 10.0.0.3}, {ip: 10.0.0.4}]
          ports: [{port: 80}]
        """);
    assertEquals("10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...", printerFor("Endpoints").cells(ep, NOW).get(1));
    assertEquals("<none>", printerFor("Endpoints").cells(json("metadata: {name: e}\n"), NOW).get(1));
  }

  @Test
  void nodeStatusRolesAndInfo() {
    ObjectNode node = json("""
        metadata: {name: n1, labels: {node-role.kubernetes.io/control-plane: "", node-role.kubernetes.io/worker: ""}}
        spec: {unschedulable: true}
        status:
          conditions: [{type: Ready, status: "True"}]
          addresses: [{type: InternalIP, address: 127.0.0.1}]
          nodeInfo: {kubeletVersion: v1.33.0-tugboat, osImage: Debian, kernelVersion: "6.1", containerRuntimeVersion: docker://20.10}
        """);
    assertEquals(List.of("n1", "Ready,SchedulingDisabled", "control-plane,worker", "<unknown>", "v1.33.0-tugboat",
        "127.0.0.1", "<none>", "Debian", "6.1", "docker://20.10"), printerFor("Node").cells(node, NOW));
  }

  @Test
  void namespaceAndEvent() {
    assertEquals(List.of("dev", "Terminating", "<unknown>"), printerFor("Namespace").cells(
        json("metadata: {name: dev, deletionTimestamp: x}\nstatus: {phase: Terminating}\n"), NOW));
    ObjectNode event = json("""
        metadata: {name: web-1.abc}
        involvedObject: {kind: Pod, name: web-1, fieldPath: "spec.containers{a}"}
        type: Warning
        reason: BackOff
        message: " Back-off restarting failed container "
        source: {component: kubelet, host: n1}
        firstTimestamp: "2026-01-01T11:00:00Z"
        lastTimestamp: "2026-01-01T11:59:00Z"
        count: 7
        """);
    assertEquals(List.of("60s", "Warning", "BackOff", "pod/web-1", "spec.containers{a}", "kubelet, n1",
        "Back-off restarting failed container", "60m", "7", "web-1.abc"), printerFor("Event").cells(event, NOW));
  }

  @Test
  void tableCarriesMetadataForShowLabelsAndAllNamespaces() {
    ObjectNode pod = json("metadata: {name: p, namespace: ns1, labels: {app: web}}\nspec: {containers: [{name: a}]}\n");
    ObjectNode table = Tables.table(printerFor("Pod"), List.of(pod), "42", Tables.Include.METADATA, NOW);
    assertEquals("Table", table.path("kind").asText());
    assertEquals("meta.k8s.io/v1", table.path("apiVersion").asText());
    assertEquals("42", table.path("metadata").path("resourceVersion").asText());
    assertEquals(9, table.path("columnDefinitions").size());
    assertEquals("name", table.path("columnDefinitions").get(0).path("format").asText());
    JsonNode row = table.path("rows").get(0);
    assertEquals("PartialObjectMetadata", row.path("object").path("kind").asText());
    assertEquals("ns1", row.path("object").path("metadata").path("namespace").asText());
    assertEquals("web", row.path("object").path("metadata").path("labels").path("app").asText());
    assertFalse(Tables.table(printerFor("Pod"), List.of(pod), "1", Tables.Include.NONE, NOW).path("rows").get(0).has("object"));
    assertEquals("Pod", Tables.table(printerFor("Pod"), List.of(pod.put("kind", "Pod")), "1", Tables.Include.OBJECT, NOW)
        .path("rows").get(0).path("object").path("kind").asText());
  }

  @Test
  void unknownIncludeObject() {
    assertTrue(Tables.Include.parse("Bogus").isEmpty());
  }
}
