package dev.tugboat.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.DockerRuntime;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.Holds;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
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
 * The controllers on a two-member cluster in this JVM (a control-plane member that is also a
 * worker, and a second worker), real Docker and real Cassandra: Deployments converge, scale, roll,
 * roll back by request and by themselves, are garbage-collected with everything they own, and the
 * pods of a node whose agent stops run elsewhere.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllersIT {
  private static final String V1 = "tugboat/busybox:1.0";
  private static final String V2 = "tugboat/busybox:1.1";
  private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";
  private static final String PODS = "/api/v1/namespaces/default/pods";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final long pid = ProcessHandle.current().pid();
  private final String nodeA = "ctl-a-" + pid;
  private final String nodeB = "ctl-b-" + pid;
  private final String keyspace = "controllers_it_" + pid;
  private EmbeddedCassandra cassandra;
  private DockerRuntime docker;
  private Tugboat control;
  private Tugboat worker;
  private Api api;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    this.cassandra = cassandra;
    // a second tag of the local image, for rolling from one tag to another
    Process tag = new ProcessBuilder("docker", "tag", V1, V2).inheritIO().start();
    assertEquals(0, tag.waitFor(), "docker tag " + V1 + " " + V2);
    docker = new DockerRuntime("unix:///var/run/docker.sock", V1);
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", nodeA);
    control = TestTugboat.start(cassandra, keyspace, config);
    api = Api.of(control);
    worker = startWorker();
    awaitNodeReady(nodeA);
    awaitNodeReady(nodeB);
  }

  private Tugboat startWorker() {
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("worker"));
    config.put("pekko.cluster.seed-nodes", List.of(Cluster.get(control.system()).selfMember().address().toString()));
    config.put("tugboat.node-name", nodeB);
    config.put("tugboat.node.resync", "1s");
    // its status is written at registration and when it changes, not periodically within this test
    config.put("tugboat.node.status-report-interval", "10m");
    return TestTugboat.start(cassandra, keyspace, config);
  }

  @AfterAll
  void stop() {
    if (worker != null) worker.close();
    if (control != null) control.close();
    if (docker != null) docker.close();
    NodeContainers.removeAll(nodeA, nodeB);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private void awaitNodeReady(String node) {
    Await.until("node " + node + " Ready", Duration.ofSeconds(60), () -> {
      Api.Reply r = api.get("/api/v1/nodes/" + node);
      return r.code() == 200 && "True".equals(condition(r.json(), "Ready"));
    });
  }

  private static String deployment(String name, int replicas, String image, String extraMeta, String extraSpec,
      String probe) {
    return """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"%s},
         "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},%s
           "template":{"metadata":{"labels":{"app":"%s"}},
             "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"web","image":"%s",
               "command":["sh","-c","mkdir -p /w; echo ok > /w/index.html; exec httpd -f -p 8080 -h /w"],
               "ports":[{"containerPort":8080}],
               "readinessProbe":%s}]}}}}
        """.formatted(name, extraMeta, replicas, name, extraSpec, name, image, probe);
  }

  private static final String HTTP_PROBE = "{\"httpGet\":{\"path\":\"/\",\"port\":8080},\"periodSeconds\":1}";

  private JsonNode create(String json) {
    Api.Reply r = api.post(DEPLOYMENTS, json);
    assertEquals(201, r.code(), r.body());
    return r.json();
  }

  private JsonNode getDeployment(String name) {
    Api.Reply r = api.get(DEPLOYMENTS + "/" + name);
    assertEquals(200, r.code(), r.body());
    return r.json();
  }

  private List<JsonNode> pods(String app) {
    List<JsonNode> pods = new ArrayList<>();
    api.get(PODS + "?labelSelector=app%3D" + app).json().path("items").forEach(pods::add);
    return pods;
  }

  private List<JsonNode> activePods(String app) {
    return pods(app).stream().filter(p -> !p.path("metadata").has("deletionTimestamp")).toList();
  }

  /** What {@code kubectl rollout status} waits for, and every pod Ready. */
  private JsonNode awaitRolledOut(String name, int replicas) {
    return Await.until(name + " rolled out with " + replicas + " replicas", Duration.ofSeconds(90), () -> {
      JsonNode d = getDeployment(name);
      JsonNode s = d.path("status");
      boolean done = s.path("observedGeneration").asLong() >= d.path("metadata").path("generation").asLong()
          && s.path("updatedReplicas").asInt() == replicas && s.path("replicas").asInt() == replicas
          && s.path("availableReplicas").asInt() == replicas && pods(name).size() == replicas;
      return done ? d : null;
    });
  }

  /** The running app containers in Docker for the given pods, by pod uid. */
  private Map<String, List<ContainerInfo>> running(List<JsonNode> pods) {
    Map<String, List<ContainerInfo>> byUid = new HashMap<>();
    for (JsonNode p : pods) {
      String uid = p.path("metadata").path("uid").asText();
      byUid.put(uid, docker.listContainers(Map.of(ContainerRuntime.POD_UID, uid)).stream()
          .filter(c -> !c.isSandbox() && c.state() == ContainerInfo.State.RUNNING).toList());
    }
    return byUid;
  }

  private List<ContainerInfo> containersOfApp(String app) {
    List<ContainerInfo> all = new ArrayList<>();
    for (String node : List.of(nodeA, nodeB)) {
      all.addAll(docker.listContainers(Map.of(ContainerRuntime.NODE, node)).stream()
          .filter(c -> c.labels().getOrDefault(ContainerRuntime.POD_NAME, "").startsWith(app + "-")).toList());
    }
    return all;
  }

  private static String condition(JsonNode object, String type) {
    for (JsonNode c : object.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) return c.path("status").asText();
    }
    return "";
  }

  private static JsonNode conditionNode(JsonNode object, String type) {
    for (JsonNode c : object.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) return c;
    }
    return JSON.createObjectNode();
  }

  private List<String> eventReasons(String involvedName) {
    List<String> reasons = new ArrayList<>();
    api.get("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D" + involvedName).json()
        .path("items").forEach(e -> reasons.add(e.path("reason").asText()));
    return reasons;
  }

  private void deleteAndAwaitEverythingGone(String name, String propagation) {
    Api.Reply r = api.delete(DEPLOYMENTS + "/" + name + "?propagationPolicy=" + propagation);
    assertEquals(200, r.code(), r.body());
    Await.until(name + ": deployment, replica sets, pods and containers gone", Duration.ofSeconds(60), () ->
        api.get(DEPLOYMENTS + "/" + name).code() == 404
            && api.get("/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3D" + name).json()
                .path("items").isEmpty()
            && pods(name).isEmpty()
            && containersOfApp(name).isEmpty());
  }

  // ---- tests ----------------------------------------------------------------------------------

  @Test
  @Order(1)
  void aDeploymentConvergesScalesAndTakesEverythingItOwnsWhenDeleted() {
    create(deployment("conv", 3, V1, "", "", HTTP_PROBE));
    JsonNode d = awaitRolledOut("conv", 3);
    assertEquals("True", condition(d, "Available"));
    assertEquals("NewReplicaSetAvailable", conditionNode(d, "Progressing").path("reason").asText());
    List<JsonNode> pods = pods("conv");
    Map<String, List<ContainerInfo>> containers = running(pods);
    containers.forEach((uid, list) -> assertEquals(1, list.size(), "one running container for pod " + uid));
    for (JsonNode p : pods) {
      assertTrue(p.path("metadata").path("name").asText().matches("conv-[b-z2-9]+-[bcdfghjklmnpqrstvwxz2456789]{5}"),
          p.path("metadata").path("name").asText());
      JsonNode owner = p.path("metadata").path("ownerReferences").get(0);
      assertEquals("ReplicaSet", owner.path("kind").asText());
      assertTrue(owner.path("controller").asBoolean());
    }
    JsonNode rs = api.get("/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dconv").json().path("items").get(0);
    assertEquals("1", rs.path("metadata").path("annotations").path("deployment.kubernetes.io/revision").asText());
    assertEquals(3, rs.path("status").path("readyReplicas").asInt());
    assertEquals(3, rs.path("status").path("fullyLabeledReplicas").asInt());

    Api.Reply up = api.patch(DEPLOYMENTS + "/conv/scale", "{\"spec\":{\"replicas\":5}}", "application/merge-patch+json");
    assertEquals(200, up.code(), up.body());
    awaitRolledOut("conv", 5);
    Api.Reply down = api.patch(DEPLOYMENTS + "/conv", "{\"spec\":{\"replicas\":1}}", "application/merge-patch+json");
    assertEquals(200, down.code(), down.body());
    awaitRolledOut("conv", 1);
    Await.until("only one conv container running", Duration.ofSeconds(30),
        () -> containersOfApp("conv").stream().filter(c -> !c.isSandbox()).count() == 1);

    List<String> reasons = eventReasons("conv");
    assertTrue(reasons.contains("ScalingReplicaSet"), reasons.toString());
    List<String> rsReasons = eventReasons(rs.path("metadata").path("name").asText());
    assertTrue(rsReasons.containsAll(List.of("SuccessfulCreate", "SuccessfulDelete")), rsReasons.toString());

    deleteAndAwaitEverythingGone("conv", "Background");
  }

  @Test
  @Order(2)
  void aRollingUpdateKeepsAvailabilityEndsWithOnlyNewPodsAndRollsBack() throws Exception {
    create(deployment("roll", 4, V1, "",
        "\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1,\"maxUnavailable\":1}},", HTTP_PROBE));
    awaitRolledOut("roll", 4);
    String listVersion = api.get(PODS + "?labelSelector=app%3Droll").json().path("metadata").path("resourceVersion").asText();

    // every pod's readiness as the watch reports it, and the fewest ready pods seen at any moment
    Map<String, Boolean> ready = new ConcurrentHashMap<>();
    pods("roll").forEach(p -> ready.put(p.path("metadata").path("name").asText(), "True".equals(condition(p, "Ready"))));
    AtomicInteger fewest = new AtomicInteger(Integer.MAX_VALUE);
    HttpResponse<Stream<String>> watch = api.client().send(HttpRequest.newBuilder(api.uri(
            PODS + "?watch=true&labelSelector=app%3Droll&resourceVersion=" + listVersion)).build(),
        HttpResponse.BodyHandlers.ofLines());
    Thread watcher = new Thread(() -> {
      try (Stream<String> lines = watch.body()) {
        lines.forEach(line -> {
          try {
            JsonNode e = JSON.readTree(line);
            JsonNode p = e.path("object");
            String name = p.path("metadata").path("name").asText();
            boolean isReady = !e.path("type").asText().equals("DELETED") && !p.path("metadata").has("deletionTimestamp")
                && "True".equals(condition(p, "Ready"));
            ready.put(name, isReady);
            fewest.accumulateAndGet((int) ready.values().stream().filter(b -> b).count(), Math::min);
          } catch (Exception ignored) {
            // a line that is not an event: nothing to count
          }
        });
      } catch (RuntimeException closed) {
        // the watch was closed by the test
      }
    });
    watcher.setDaemon(true);
    watcher.start();

    Api.Reply update = api.patch(DEPLOYMENTS + "/roll",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"" + V2 + "\"}]}}}}",
        "application/strategic-merge-patch+json");
    assertEquals(200, update.code(), update.body());
    awaitRolledOut("roll", 4);
    Await.until("only new pods", Duration.ofSeconds(60), () -> pods("roll").stream()
        .allMatch(p -> p.path("spec").path("containers").get(0).path("image").asText().equals(V2)));
    watcher.interrupt();
    assertTrue(fewest.get() >= 3, "never fewer than replicas - maxUnavailable ready pods; fewest seen: " + fewest.get());
    System.out.println("ControllersIT: fewest ready pods during the rolling update of 4 (maxUnavailable 1): " + fewest.get());
    assertEquals("2", getDeployment("roll").path("metadata").path("annotations").path("deployment.kubernetes.io/revision").asText());

    // roll back to revision 1: the previous template returns as revision 3
    Api.Reply rollback = api.patch(DEPLOYMENTS + "/roll",
        "{\"metadata\":{\"annotations\":{\"deployment.tugboat.dev/rollback-to\":\"1\"}}}", "application/merge-patch+json");
    assertEquals(200, rollback.code(), rollback.body());
    Await.until("the v1 template back", Duration.ofSeconds(30), () ->
        getDeployment("roll").path("spec").path("template").path("spec").path("containers").get(0).path("image").asText().equals(V1));
    JsonNode back = awaitRolledOut("roll", 4);
    Await.until("only v1 pods", Duration.ofSeconds(60), () -> pods("roll").stream()
        .allMatch(p -> p.path("spec").path("containers").get(0).path("image").asText().equals(V1)));
    assertFalse(back.path("metadata").path("annotations").has("deployment.tugboat.dev/rollback-to"));
    Await.until("revision 3", Duration.ofSeconds(30), () -> getDeployment("roll").path("metadata").path("annotations")
        .path("deployment.kubernetes.io/revision").asText().equals("3"));
    assertEquals(2, api.get("/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Droll").json().path("items").size(),
        "the rollback reused revision 1's ReplicaSet");
    assertTrue(eventReasons("roll").contains("DeploymentRollback"));
    deleteAndAwaitEverythingGone("roll", "Foreground");
  }

  @Test
  @Order(3)
  void aRolloutPastItsDeadlineReportsItAndRollsBackByItself() {
    create(deployment("stuck", 2, V1, ",\"annotations\":{\"deployment.tugboat.dev/auto-rollback\":\"true\"}",
        "\"progressDeadlineSeconds\":6,", HTTP_PROBE));
    awaitRolledOut("stuck", 2);
    Await.until("revision 1 recorded as good", Duration.ofSeconds(30), () -> getDeployment("stuck").path("metadata")
        .path("annotations").path("deployment.tugboat.dev/last-good-revision").asText().equals("1"));
    // a template whose pods never become ready
    Api.Reply bad = api.patch(DEPLOYMENTS + "/stuck", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\","
        + "\"image\":\"" + V2 + "\",\"readinessProbe\":{\"httpGet\":null,\"exec\":{\"command\":[\"false\"]},\"periodSeconds\":1}}]}}}}",
        "application/strategic-merge-patch+json");
    assertEquals(200, bad.code(), bad.body());
    // 6 s of no progress, then the controller's own recheck: well within the 30 s resync
    Await.until("ProgressDeadlineExceeded reported", Duration.ofSeconds(25),
        () -> eventReasons("stuck").contains("ProgressDeadlineExceeded"));
    Await.until("an automatic rollback", Duration.ofSeconds(30), () -> eventReasons("stuck").contains("AutoRollback"));
    JsonNode d = awaitRolledOut("stuck", 2);
    JsonNode container = d.path("spec").path("template").path("spec").path("containers").get(0);
    assertEquals(V1, container.path("image").asText());
    assertTrue(container.path("readinessProbe").has("httpGet"), container.toString());
    Await.until("only good pods", Duration.ofSeconds(60), () -> pods("stuck").stream()
        .allMatch(p -> p.path("spec").path("containers").get(0).path("image").asText().equals(V1)));
    deleteAndAwaitEverythingGone("stuck", "Background");
  }

  @Test
  @Order(4)
  void minReadySecondsAnOrphanPodAdoptedAndOrphanPropagation() {
    create(deployment("free", 1, V1, "", "\"minReadySeconds\":3,", HTTP_PROBE));
    // Available 3 s after Ready with nothing else changing: the controllers look again by themselves
    // (their resync, a safety net, is 30 s).
    Await.until("free's pod Ready", Duration.ofSeconds(60),
        () -> pods("free").size() == 1 && "True".equals(condition(pods("free").get(0), "Ready")));
    long ready = System.nanoTime();
    awaitRolledOut("free", 1);
    Duration toAvailable = Duration.ofNanos(System.nanoTime() - ready);
    assertTrue(toAvailable.compareTo(Duration.ofSeconds(15)) < 0, "available " + toAvailable + " after Ready");
    Api.Reply r = api.delete(DEPLOYMENTS + "/free?propagationPolicy=Orphan");
    assertEquals(200, r.code(), r.body());
    Await.until("free gone", Duration.ofSeconds(30), () -> api.get(DEPLOYMENTS + "/free").code() == 404);
    JsonNode rs = Await.until("the replica set freed", Duration.ofSeconds(30), () -> {
      JsonNode items = api.get("/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dfree").json().path("items");
      return items.size() == 1 && !items.get(0).path("metadata").has("ownerReferences") ? items.get(0) : null;
    });
    assertEquals(1, activePods("free").size(), "its pod still runs");
    String rsName = rs.path("metadata").path("name").asText();

    // A pod without a controller that the ReplicaSet selects is adopted (one too many: one goes),
    // on the pod's own change, not on a resync.
    String hash = rs.path("spec").path("selector").path("matchLabels").path("pod-template-hash").asText();
    Api.Reply bare = api.post(PODS, """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"free-bare","labels":{"app":"free","pod-template-hash":"%s"}},
         "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"web","image":"%s","command":["sleep","600"]}]}}"""
        .formatted(hash, V1));
    assertEquals(201, bare.code(), bare.body());
    Await.until("the bare pod adopted or removed, one active pod left", Duration.ofSeconds(15), () -> {
      Api.Reply p = api.get(PODS + "/free-bare");
      boolean adoptedOrGone = p.code() == 404 || p.json().path("metadata").has("deletionTimestamp")
          || p.json().path("metadata").path("ownerReferences").path(0).path("name").asText().equals(rsName);
      return adoptedOrGone && activePods("free").size() == 1;
    });
    assertEquals(200, api.delete("/apis/apps/v1/namespaces/default/replicasets/" + rsName).code());
    Await.until("its pod collected", Duration.ofSeconds(60), () -> pods("free").isEmpty() && containersOfApp("free").isEmpty());
  }

  @Test
  @Order(5)
  void thePodsOfANodeWhoseAgentStopsRunElsewhereAndItsStaleContainersGoWhenItReturns() {
    // Liveness is a lease renewed by message: a live node stays Ready past the grace period (4 s)
    // with its Node object untouched.
    String version = api.get("/api/v1/nodes/" + nodeB).json().path("metadata").path("resourceVersion").asText();
    Holds.during(nodeB + " Ready with no write", Duration.ofSeconds(6), () -> {
      JsonNode node = api.get("/api/v1/nodes/" + nodeB).json();
      String now = node.path("metadata").path("resourceVersion").asText();
      return !"True".equals(condition(node, "Ready")) ? "not Ready"
          : !now.equals(version) ? "written again: resourceVersion " + version + " -> " + now : null;
    });

    create(deployment("spread", 4, V1, "", "", HTTP_PROBE));
    awaitRolledOut("spread", 4);
    List<JsonNode> onB = pods("spread").stream()
        .filter(p -> p.path("spec").path("nodeName").asText().equals(nodeB)).toList();
    assertFalse(onB.isEmpty(), "the owner's pods are spread over both nodes");
    Set<String> staleUids = new HashSet<>();
    onB.forEach(p -> staleUids.add(p.path("metadata").path("uid").asText()));

    long stopped = System.nanoTime();
    worker.close();
    worker = null;
    Await.until("every replica Running and Ready on " + nodeA, Duration.ofSeconds(60), () -> {
      List<JsonNode> pods = activePods("spread");
      boolean replaced = pods.size() == 4 && pods.stream().allMatch(p -> p.path("spec").path("nodeName").asText().equals(nodeA)
          && "True".equals(condition(p, "Ready")));
      return replaced ? pods : null;
    });
    double seconds = (System.nanoTime() - stopped) / 1e9;
    System.out.printf("ControllersIT: the pods of a stopped node ran elsewhere %.1f s after its agent stopped%n", seconds);
    // The goal is under 10 s (docs/testing.md records the figures); the bound asserted leaves room
    // for a loaded machine (10.7 s was seen under a load average of 40), as the multi-JVM ones do.
    assertTrue(seconds < 30, "replaced in under 30 s, took " + seconds);
    assertEquals("Unknown", condition(api.get("/api/v1/nodes/" + nodeB).json(), "Ready"));
    assertTrue(api.get("/api/v1/nodes/" + nodeB).body().contains("node.kubernetes.io/unreachable"));
    assertTrue(eventReasons(nodeB).contains("NodeNotReady"), eventReasons(nodeB).toString());
    awaitRolledOut("spread", 4);
    // the stopped node's containers are still there: nobody could remove them
    assertFalse(docker.listContainers(Map.of(ContainerRuntime.NODE, nodeB)).isEmpty());

    worker = startWorker();
    Await.until("the returning node removes its stale containers", Duration.ofSeconds(60), () ->
        staleUids.stream().allMatch(uid -> docker.listContainers(Map.of(ContainerRuntime.POD_UID, uid)).isEmpty()));
    awaitNodeReady(nodeB);
    Await.until("the unreachable taint removed", Duration.ofSeconds(30),
        () -> !api.get("/api/v1/nodes/" + nodeB).body().contains("node.kubernetes.io/unreachable"));
    List<JsonNode> pods = activePods("spread");
    assertEquals(4, pods.size());
    Map<String, List<ContainerInfo>> containers = running(pods);
    containers.forEach((uid, list) -> assertEquals(1, list.size(), "exactly one container for pod " + uid));
    long appContainers = containersOfApp("spread").stream().filter(c -> !c.isSandbox()).count();
    assertEquals(4, appContainers, "no replica runs twice");
    deleteAndAwaitEverythingGone("spread", "Background");
  }

  @Test
  @Order(6)
  void anObjectOfOneAndAHalfMiBTravelsBetweenMembersAndALargerOneIsRefused() {
    // the worker member hosts no entity: its create is a command to the control plane's member and
    // back, and the change reaches its own index over the same remoting. A Deployment of no replicas
    // (a ConfigMap's data stops at 1 MiB), whose ReplicaSet the controller writes as large again.
    Api viaWorker = Api.of(worker);
    String blob = "x".repeat(1_400 * 1024);
    Api.Reply created = viaWorker.post("/apis/apps/v1/namespaces/default/deployments", large("large", blob));
    assertEquals(201, created.code(), created.body().substring(0, Math.min(300, created.body().length())));
    assertEquals(blob.length(), envValue(api.get("/apis/apps/v1/namespaces/default/deployments/large").json()).length());
    Await.until("the worker's index holds it, and its ReplicaSet", Duration.ofSeconds(30), () -> {
      JsonNode deployments = viaWorker.get("/apis/apps/v1/namespaces/default/deployments?labelSelector=app%3Dlarge").json();
      JsonNode replicaSets = viaWorker.get("/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dlarge").json();
      return deployments.path("items").size() == 1 && envValue(deployments.path("items").get(0)).length() == blob.length()
          && replicaSets.path("items").size() == 1 && envValue(replicaSets.path("items").get(0)).length() == blob.length();
    });
    Api.Reply tooLarge = viaWorker.post("/apis/apps/v1/namespaces/default/deployments", large("too-large", "x".repeat(1_600 * 1024)));
    assertEquals(413, tooLarge.code(), tooLarge.body());
    assertTrue(tooLarge.body().contains("1.5 MiB") && tooLarge.body().contains("\"kind\":\"Status\""), tooLarge.body());
    assertEquals(404, api.get("/apis/apps/v1/namespaces/default/deployments/too-large").code(), "nothing written");
    deleteAndAwaitEverythingGone("large", "Background");
  }

  private static String large(String name, String value) {
    return """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s","labels":{"app":"large"}},
         "spec":{"replicas":0,"selector":{"matchLabels":{"app":"large"}},"template":{"metadata":{"labels":{"app":"large"}},
           "spec":{"containers":[{"name":"c","image":"%s","env":[{"name":"BLOB","value":"%s"}]}]}}}}"""
        .formatted(name, V1, value);
  }

  private static String envValue(JsonNode workload) {
    return workload.at("/spec/template/spec/containers/0/env/0/value").asText();
  }
}
