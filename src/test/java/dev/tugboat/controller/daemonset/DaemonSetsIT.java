package dev.tugboat.controller.daemonset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.compat.Kubectl;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.DockerRuntime;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A DaemonSet on a cluster of real workers (real Docker, real Cassandra): one daemon per node,
 * following a node that joins, a taint that comes and goes, and a node that is deleted; a rolling
 * update node by node; history and undo through the real kubectl.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DaemonSetsIT {
  private static final String V1 = "tugboat/busybox:1.0";
  private static final String V2 = "tugboat/busybox:1.1";
  private static final String DAEMONSETS = "/apis/apps/v1/namespaces/default/daemonsets";
  private final long pid = ProcessHandle.current().pid();
  private final String nodeA = "ds-a-" + pid;
  private final String nodeB = "ds-b-" + pid;
  private final String nodeC = "ds-c-" + pid;
  private final String keyspace = "daemonsets_it_" + pid;
  private EmbeddedCassandra cassandra;
  private DockerRuntime docker;
  private Tugboat control;
  private final List<Tugboat> workers = new ArrayList<>();
  private Api api;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    this.cassandra = cassandra;
    Process tag = new ProcessBuilder("docker", "tag", V1, V2).inheritIO().start();
    assertEquals(0, tag.waitFor(), "docker tag " + V1 + " " + V2);
    docker = new DockerRuntime("unix:///var/run/docker.sock", V1);
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", nodeA);
    control = TestTugboat.start(cassandra, keyspace, config);
    api = Api.of(control);
    workers.add(startWorker(nodeB));
    awaitNodeReady(nodeA);
    awaitNodeReady(nodeB);
  }

  private Tugboat startWorker(String node) {
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("worker"));
    config.put("pekko.cluster.seed-nodes", List.of(Cluster.get(control.system()).selfMember().address().toString()));
    config.put("tugboat.node-name", node);
    config.put("tugboat.node.resync", "1s");
    return TestTugboat.start(cassandra, keyspace, config);
  }

  @AfterAll
  void stop() {
    workers.forEach(Tugboat::close);
    if (control != null) control.close();
    if (docker != null) docker.close();
    NodeContainers.removeAll(nodeA, nodeB, nodeC);
  }

  private void awaitNodeReady(String node) {
    Await.until("node " + node + " Ready", Duration.ofSeconds(60), () -> {
      Api.Reply r = api.get("/api/v1/nodes/" + node);
      if (r.code() != 200) return false;
      for (JsonNode c : r.json().path("status").path("conditions")) {
        if (c.path("type").asText().equals("Ready")) return c.path("status").asText().equals("True");
      }
      return false;
    });
  }

  /** The daemon's running pods by node, each checked against a running container in Docker on that node. */
  private Map<String, String> runningDaemons() {
    Map<String, String> byNode = new TreeMap<>();
    for (JsonNode pod : api.get("/api/v1/namespaces/default/pods?labelSelector=app%3Dagent").json().path("items")) {
      if (pod.path("metadata").has("deletionTimestamp") || !"Running".equals(pod.at("/status/phase").asText())) continue;
      String uid = pod.at("/metadata/uid").asText();
      String node = pod.at("/spec/nodeName").asText();
      boolean inDocker = docker.listContainers(Map.of(ContainerRuntime.POD_UID, uid)).stream()
          .anyMatch(c -> !c.isSandbox() && c.state() == ContainerRuntime.ContainerInfo.State.RUNNING
              && node.equals(c.labels().get(ContainerRuntime.NODE)));
      if (inDocker) byNode.merge(node, pod.at("/spec/containers/0/image").asText(), (a, b) -> a + "," + b);
    }
    return byNode;
  }

  private void awaitDaemons(String what, Map<String, String> expected) {
    Await.until(what + ": " + expected, Duration.ofSeconds(90), () -> runningDaemons().equals(expected));
  }

  private JsonNode daemonSet() {
    return api.get(DAEMONSETS + "/agent").json();
  }

  @Test
  @Order(1)
  void oneDaemonOnEveryNode() {
    Api.Reply created = api.post(DAEMONSETS, """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent"},
         "spec":{"selector":{"matchLabels":{"app":"agent"}},
          "template":{"metadata":{"labels":{"app":"agent"}},
           "spec":{"terminationGracePeriodSeconds":1,
            "containers":[{"name":"agent","image":"%s","command":["sleep","3600"]}]}}}}
        """.formatted(V1));
    assertEquals(201, created.code(), created.body());
    assertEquals("RollingUpdate", created.json().at("/spec/updateStrategy/type").asText());
    assertEquals(1, created.json().at("/spec/updateStrategy/rollingUpdate/maxUnavailable").asInt());
    awaitDaemons("a daemon on A and B", Map.of(nodeA, V1, nodeB, V1));
    Await.until("the status counts both", Duration.ofSeconds(30), () -> {
      JsonNode s = daemonSet().path("status");
      return s.path("desiredNumberScheduled").asInt() == 2 && s.path("currentNumberScheduled").asInt() == 2
          && s.path("numberReady").asInt() == 2 && s.path("updatedNumberScheduled").asInt() == 2;
    });
    JsonNode revisions = api.get("/apis/apps/v1/namespaces/default/controllerrevisions").json().path("items");
    assertEquals(1, revisions.size(), revisions.toString());
    assertEquals(1, revisions.get(0).path("revision").asInt());
  }

  @Test
  @Order(2)
  void aNodeThatJoinsGetsItsDaemon() {
    workers.add(startWorker(nodeC));
    awaitNodeReady(nodeC);
    awaitDaemons("a daemon on the new node too", Map.of(nodeA, V1, nodeB, V1, nodeC, V1));
  }

  @Test
  @Order(3)
  void anUntoleratedNoExecuteTaintRemovesTheDaemonUntilItGoes() {
    Api.Reply tainted = api.patch("/api/v1/nodes/" + nodeB,
        "{\"spec\":{\"taints\":[{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoExecute\"}]}}", "application/merge-patch+json");
    assertEquals(200, tainted.code(), tainted.body());
    awaitDaemons("no daemon on the tainted node", Map.of(nodeA, V1, nodeC, V1));
    assertEquals(2, daemonSet().at("/status/desiredNumberScheduled").asInt());
    assertEquals(200, api.patch("/api/v1/nodes/" + nodeB, "{\"spec\":{\"taints\":null}}", "application/merge-patch+json").code());
    awaitDaemons("the daemon back on the untainted node", Map.of(nodeA, V1, nodeB, V1, nodeC, V1));
  }

  @Test
  @Order(4)
  void aRollingUpdateThenHistoryAndUndoThroughKubectl() throws Exception {
    Kubectl kubectl = Kubectl.v133(SharedCassandra.itDir().resolve("ds-kubectl-" + pid))
        .orElseThrow(() -> new AssertionError("kubectl 1.33 is missing")).configure(control, "default");
    Api.Reply updated = api.patch(DAEMONSETS + "/agent",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"agent\",\"image\":\"" + V2 + "\"}]}}}}",
        "application/strategic-merge-patch+json");
    assertEquals(200, updated.code(), updated.body());
    // maxUnavailable 1 of 3: never fewer than two nodes with a running daemon on the way
    Await.until("every daemon on " + V2, Duration.ofSeconds(120), () -> {
      Map<String, String> now = runningDaemons();
      assertTrue(now.size() >= 2 || now.values().stream().anyMatch(v -> v.contains(",")), "too many nodes without a daemon: " + now);
      return now.equals(Map.of(nodeA, V2, nodeB, V2, nodeC, V2));
    });
    Kubectl.Result status = kubectl.run("rollout", "status", "ds/agent", "--timeout=60s");
    assertEquals(0, status.exit(), status.toString());
    assertTrue(status.out().contains("successfully rolled out"), status.out());
    Kubectl.Result history = kubectl.run("rollout", "history", "ds/agent");
    assertEquals(0, history.exit(), history.toString());
    assertTrue(history.out().lines().anyMatch(l -> l.trim().startsWith("1")) && history.out().lines().anyMatch(l -> l.trim().startsWith("2")),
        history.out());
    Kubectl.Result get = kubectl.run("get", "ds", "agent");
    assertEquals(List.of("NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE", "SELECTOR", "AGE"),
        List.of(get.out().lines().findFirst().orElse("").split("\\s+")), get.out());
    assertTrue(get.out().lines().skip(1).findFirst().orElse("").matches("agent\\s+3\\s+3\\s+3\\s+3\\s+3\\s+<none>\\s+\\S+"), get.out());

    Kubectl.Result undo = kubectl.run("rollout", "undo", "ds/agent");
    assertEquals(0, undo.exit(), undo.toString());
    assertEquals(V1, daemonSet().at("/spec/template/spec/containers/0/image").asText());
    awaitDaemons("every daemon back on " + V1, Map.of(nodeA, V1, nodeB, V1, nodeC, V1));
    JsonNode revisions = api.get("/apis/apps/v1/namespaces/default/controllerrevisions").json().path("items");
    assertEquals(2, revisions.size(), "the undone-to template is renumbered, not copied");
    int newest = 0;
    for (JsonNode r : revisions) newest = Math.max(newest, r.path("revision").asInt());
    assertEquals(3, newest);
  }

  @Test
  @Order(5)
  void aDeletedNodeLosesItsDaemon() {
    Tugboat c = workers.remove(workers.size() - 1);
    c.close();
    assertEquals(200, api.delete("/api/v1/nodes/" + nodeC).code());
    Await.until("no daemon pod for the deleted node", Duration.ofSeconds(60), () -> {
      for (JsonNode pod : api.get("/api/v1/namespaces/default/pods?labelSelector=app%3Dagent").json().path("items")) {
        if (nodeC.equals(pod.at("/spec/nodeName").asText()) && !pod.path("metadata").has("deletionTimestamp")) return false;
      }
      return true;
    });
    Await.until("desired 2", Duration.ofSeconds(30), () -> daemonSet().at("/status/desiredNumberScheduled").asInt() == 2);
    NodeContainers.removeAll(nodeC);
  }

  @Test
  @Order(6)
  void badChangesAre422sNamingTheField() {
    Api.Reply selector = api.patch(DAEMONSETS + "/agent",
        "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"other\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"other\"}}}}}",
        "application/merge-patch+json");
    assertEquals(422, selector.code(), selector.body());
    assertTrue(selector.body().contains("spec.selector"), selector.body());
    Api.Reply zero = api.patch(DAEMONSETS + "/agent",
        "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"maxUnavailable\":0,\"maxSurge\":0}}}}", "application/merge-patch+json");
    assertEquals(422, zero.code(), zero.body());
    assertTrue(zero.body().contains("spec.updateStrategy.rollingUpdate.maxUnavailable"), zero.body());
    assertEquals(200, api.delete(DAEMONSETS + "/agent").code());
    Await.until("the daemons gone with their DaemonSet", Duration.ofSeconds(60), () -> runningDaemons().isEmpty());
  }
}
