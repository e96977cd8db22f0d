package dev.tugboat.controller.statefulset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.compat.Kubectl;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A StatefulSet on a real worker (real Docker, real Cassandra): three pods created in order, each
 * only once the one before is Running and Ready; scaled down from the top; a rolling update that
 * stops at a partition and then completes; kubectl's scale, rollout status/history/undo and columns;
 * the headless Service's Endpoints naming each pod; immutable fields refused.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatefulSetsIT {
  private static final String V1 = "tugboat/busybox:1.0";
  private static final String V2 = "tugboat/busybox:1.1";
  private static final String SETS = "/apis/apps/v1/namespaces/default/statefulsets";
  private static final String PODS = "/api/v1/namespaces/default/pods";
  private final long pid = ProcessHandle.current().pid();
  private final String node = "sts-" + pid;
  private Tugboat tugboat;
  private Api api;
  private Kubectl kubectl;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    Process tag = new ProcessBuilder("docker", "tag", V1, V2).inheritIO().start();
    assertEquals(0, tag.waitFor());
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", node);
    tugboat = TestTugboat.start(cassandra, "statefulsets_it_" + pid, config);
    api = Api.of(tugboat);
    kubectl = Kubectl.v133(SharedCassandra.itDir().resolve("sts-kubectl-" + pid))
        .orElseThrow(() -> new AssertionError("kubectl 1.33 is missing")).configure(tugboat, "default");
    Await.until("node Ready", Duration.ofSeconds(60), () -> api.get("/api/v1/nodes/" + node).code() == 200
        && api.get("/api/v1/nodes/" + node).body().contains("\"type\":\"Ready\",\"status\":\"True\""));
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
    NodeContainers.removeAll(node);
  }

  /** {@code tug} in this JVM against the test's API; its output, or an assertion with its error. */
  private String tug(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.add(TestTugboat.tugServerOption(tugboat));
    all.add("--namespace=default");
    int exit = dev.tugboat.cli.TugCommand.commandLine().setOut(new java.io.PrintWriter(out, true))
        .setErr(new java.io.PrintWriter(err, true)).execute(all.toArray(String[]::new));
    assertEquals(0, exit, "tug " + String.join(" ", args) + ": " + err);
    return out.toString();
  }

  private JsonNode set() {
    return api.get(SETS + "/web").json();
  }

  /** The set's pods that are not being deleted, by name, with their revision label. */
  private Map<String, String> pods() {
    Map<String, String> pods = new java.util.TreeMap<>();
    for (JsonNode p : api.get(PODS + "?labelSelector=app%3Dweb").json().path("items")) {
      if (!p.path("metadata").has("deletionTimestamp")) {
        pods.put(p.at("/metadata/name").asText(), p.at("/spec/containers/0/image").asText());
      }
    }
    return pods;
  }

  private void awaitReady(int replicas, String image) {
    Await.until(replicas + " ready pods of " + image, Duration.ofSeconds(120), () -> {
      JsonNode s = set().path("status");
      return s.path("readyReplicas").asInt() == replicas && s.path("replicas").asInt() == replicas
          && pods().size() == replicas && pods().values().stream().allMatch(image::equals);
    });
  }

  private static Instant readySince(JsonNode pod) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) return Instant.parse(c.path("lastTransitionTime").asText());
    }
    throw new AssertionError("no Ready condition: " + pod);
  }

  @Test
  @Order(1)
  void podsAreCreatedInOrderEachAfterTheOneBeforeIsReady() {
    Api.Reply svc = api.post("/api/v1/namespaces/default/services", """
        {"metadata":{"name":"web"},"spec":{"clusterIP":"None","selector":{"app":"web"},"ports":[{"port":8080}]}}
        """);
    assertEquals(201, svc.code(), svc.body());
    Api.Reply created = api.post(SETS, """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"web"},
         "spec":{"replicas":3,"serviceName":"web","selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"web","image":"%s",
             "command":["sh","-c","sleep 1; mkdir -p /w; echo $(hostname) > /w/index.html; exec httpd -f -p 8080 -h /w"],
             "ports":[{"containerPort":8080}],
             "readinessProbe":{"httpGet":{"path":"/","port":8080},"periodSeconds":1}}]}}}}
        """.formatted(V1));
    assertEquals(201, created.code(), created.body());
    assertEquals("OrderedReady", created.json().at("/spec/podManagementPolicy").asText());
    awaitReady(3, V1);
    List<JsonNode> pods = new ArrayList<>();
    for (int i = 0; i < 3; i++) pods.add(api.get(PODS + "/web-" + i).json());
    for (int i = 1; i < 3; i++) {
      Instant created1 = Instant.parse(pods.get(i).at("/metadata/creationTimestamp").asText());
      Instant previousReady = readySince(pods.get(i - 1));
      assertFalse(created1.isBefore(previousReady.minusMillis(999)),
          "web-" + i + " created at " + created1 + ", before web-" + (i - 1) + " was ready at " + previousReady);
      assertEquals("web-" + i, pods.get(i).at("/spec/hostname").asText());
      assertEquals("web", pods.get(i).at("/spec/subdomain").asText());
    }
    // The headless Service names each pod by its hostname.
    Await.until("endpoints with hostnames", Duration.ofSeconds(30), () -> {
      // each pod publishes its own host port, so each is a subset of its own
      List<String> hostnames = new ArrayList<>();
      for (JsonNode subset : api.get("/api/v1/namespaces/default/endpoints/web").json().path("subsets")) {
        subset.path("addresses").forEach(a -> hostnames.add(a.path("hostname").asText()));
      }
      return hostnames.containsAll(List.of("web-0", "web-1", "web-2"));
    });
    Kubectl.Result get = kubectl.run("get", "sts", "web");
    assertEquals(List.of("NAME", "READY", "AGE"), List.of(get.out().lines().findFirst().orElse("").split("\\s+")), get.out());
    assertTrue(get.out().contains("3/3"), get.out());
  }

  @Test
  @Order(2)
  void scalingDownRemovesTheHighestOrdinalsFirst() {
    Kubectl.Result scale = kubectl.run("scale", "sts", "web", "--replicas=1");
    assertEquals(0, scale.exit(), scale.toString());
    List<String> goneOrder = new ArrayList<>();
    Await.until("web-2 then web-1 gone", Duration.ofSeconds(60), () -> {
      Map<String, String> now = pods();
      for (String name : List.of("web-2", "web-1")) {
        if (!now.containsKey(name) && !goneOrder.contains(name)) goneOrder.add(name);
      }
      return goneOrder.size() == 2;
    });
    assertEquals(List.of("web-2", "web-1"), goneOrder);
    assertEquals(Map.of("web-0", V1), pods());
    assertEquals(0, kubectl.run("scale", "sts", "web", "--replicas=3").exit());
    awaitReady(3, V1);
  }

  @Test
  @Order(3)
  void aRollingUpdateStopsAtThePartitionThenCompletes() {
    Api.Reply partitioned = api.patch(SETS + "/web", """
        {"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}},
          "template":{"spec":{"containers":[{"name":"web","image":"%s"}]}}}}
        """.formatted(V2), "application/strategic-merge-patch+json");
    assertEquals(200, partitioned.code(), partitioned.body());
    Await.until("web-2 at the new revision, the others not", Duration.ofSeconds(90), () ->
        pods().equals(Map.of("web-0", V1, "web-1", V1, "web-2", V2)) && set().at("/status/readyReplicas").asInt() == 3
            && set().at("/status/updatedReplicas").asInt() == 1);
    JsonNode status = set().path("status");
    assertFalse(status.path("currentRevision").asText().equals(status.path("updateRevision").asText()), status.toString());
    Kubectl.Result partial = kubectl.run("rollout", "status", "sts/web", "--timeout=30s");
    assertEquals(0, partial.exit(), partial.toString());
    assertTrue(partial.out().contains("partitioned roll out complete: 1 new pods have been updated"), partial.out());

    assertEquals(200, api.patch(SETS + "/web", "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":0}}}}",
        "application/merge-patch+json").code());
    awaitReady(3, V2);
    // As against Kubernetes: a RollingUpdate set (which always has a partition, 0 by default) reports
    // "partitioned roll out complete" once updatedReplicas reaches replicas - partition.
    Kubectl.Result done = kubectl.run("rollout", "status", "sts/web", "--timeout=60s");
    assertEquals(0, done.exit(), done.toString());
    assertTrue(done.out().contains("partitioned roll out complete: 3 new pods have been updated"), done.out());
    status = set().path("status");
    assertEquals(status.path("updateRevision").asText(), status.path("currentRevision").asText());

    Kubectl.Result history = kubectl.run("rollout", "history", "sts/web");
    assertEquals(0, history.exit(), history.toString());
    assertTrue(history.out().lines().anyMatch(l -> l.trim().startsWith("2")), history.out());

    // tug's rollout verbs, the same (kubectl's undo is exercised on DaemonSets)
    assertEquals("partitioned roll out complete: 3 new pods have been updated...\n", tug("rollout", "status", "sts/web"));
    assertEquals(List.of("statefulset.apps/web", "REVISION   CHANGE-CAUSE", "1          <none>", "2          <none>"),
        tug("rollout", "history", "sts/web").lines().toList());
    assertEquals("statefulset.apps/web rolled back\n", tug("rollout", "undo", "sts/web"));
    assertEquals(V1, set().at("/spec/template/spec/containers/0/image").asText());
    awaitReady(3, V1);
  }

  /**
   * A pod's claim outlives it: the file its first run wrote is what its next run, a new pod of the
   * same name on the same claim, reads.
   */
  @Test
  @Order(4)
  void aPodsDataSurvivesItsReCreation() {
    Api.Reply created = api.post(SETS, """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},
         "spec":{"replicas":1,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},
          "template":{"metadata":{"labels":{"app":"db"}},
           "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"db","image":"%s",
             "command":["sh","-c","[ -f /data/first ] || echo \\"written by $(cat /proc/sys/kernel/random/uuid)\\" > /data/first; cat /data/first; exec sleep 3600"],
             "volumeMounts":[{"name":"data","mountPath":"/data"}]}]}},
          "volumeClaimTemplates":[{"metadata":{"name":"data"},
            "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Mi"}}}}]}}
        """.formatted(V1));
    assertEquals(201, created.code(), created.body());
    String first = Await.until("db-0's first run to write its file", Duration.ofSeconds(120), () -> {
      Api.Reply log = api.get(PODS + "/db-0/log");
      return log.code() == 200 && log.body().startsWith("written by ") ? log.body().trim() : null;
    });
    JsonNode claim = api.get("/api/v1/namespaces/default/persistentvolumeclaims/data-db-0").json();
    assertEquals("Bound", claim.at("/status/phase").asText(), claim.toString());
    String uid = api.get(PODS + "/db-0").json().at("/metadata/uid").asText();
    assertEquals(200, api.delete(PODS + "/db-0").code());
    String again = Await.until("a new db-0 reading the same file", Duration.ofSeconds(120), () -> {
      JsonNode pod = api.get(PODS + "/db-0").json();
      if (uid.equals(pod.at("/metadata/uid").asText(uid))) return null;
      Api.Reply log = api.get(PODS + "/db-0/log");
      return log.code() == 200 && log.body().startsWith("written by ") ? log.body().trim() : null;
    });
    assertEquals(first, again, "the re-created pod found the first one's data");
    assertEquals(200, api.delete(SETS + "/db").code());
    // Retain (the default): the claim stays after its set is gone.
    Await.until("db-0 gone", Duration.ofSeconds(60), () -> api.get(PODS + "/db-0").code() == 404);
    assertEquals(200, api.get("/api/v1/namespaces/default/persistentvolumeclaims/data-db-0").code());
  }

  @Test
  @Order(5)
  void immutableFieldsAreRefusedNamingTheField() {
    Api.Reply service = api.patch(SETS + "/web", "{\"spec\":{\"serviceName\":\"other\"}}", "application/merge-patch+json");
    assertEquals(422, service.code(), service.body());
    assertTrue(service.body().contains("spec.serviceName"), service.body());
    Api.Reply claims = api.patch(SETS + "/web", """
        {"spec":{"volumeClaimTemplates":[{"metadata":{"name":"data"},
          "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}}
        """, "application/merge-patch+json");
    assertEquals(422, claims.code(), claims.body());
    assertTrue(claims.body().contains("spec.volumeClaimTemplates"), claims.body());
    Api.Reply size = api.post(SETS, """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"bad"},
         "spec":{"selector":{"matchLabels":{"app":"bad"}},
          "template":{"metadata":{"labels":{"app":"bad"}},"spec":{"containers":[{"name":"c","image":"x"}]}},
          "volumeClaimTemplates":[{"metadata":{"name":"data"},
            "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"lots"}}}}]}}
        """);
    assertEquals(422, size.code(), size.body());
    assertTrue(size.body().contains("spec.volumeClaimTemplates[0].spec.resources.requests.storage"), size.body());
    assertEquals(200, api.delete(SETS + "/web").code());
    Await.until("the set's pods gone", Duration.ofSeconds(60), () -> pods().isEmpty());
  }
}
