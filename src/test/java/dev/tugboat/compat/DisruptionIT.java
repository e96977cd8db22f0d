package dev.tugboat.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.DockerRuntime;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Fabric8;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.Holds;
import dev.tugboat.testing.ReadyPodsWatch;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node maintenance on two members in this JVM (a control plane that is also a worker, and a second
 * worker), real Docker, real Cassandra, real kubectl: cordon and uncordon (1.20, 1.35), a budget
 * refusing evictions with 429 (HTTP, and kubectl 1.20 and 1.35 drains that give up), a drain by
 * kubectl 1.33 of the node running a Deployment of 3 under {@code minAvailable: 2} that never has
 * fewer than 2 Ready pods and ends with the 3 Ready on the other node; preemption of the
 * lowest-priority pod on a full cluster (and none for {@code preemptionPolicy: Never}); fabric8's
 * leader election over a Lease; and 4xx Statuses for bad budgets, classes and priorities.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DisruptionIT {
  private static final String IMAGE = "tugboat/busybox:1.0";
  private static final String PODS = "/api/v1/namespaces/default/pods";
  private static final String PDBS = "/apis/policy/v1/namespaces/default/poddisruptionbudgets";
  /** Stops at once on SIGTERM (busybox sleep as PID 1 would wait for the whole grace period). */
  private static final String COMMAND = "[\"sh\",\"-c\",\"trap 'exit 0' TERM; while true; do sleep 1; done\"]";

  private final long pid = ProcessHandle.current().pid();
  private final String nodeA = "dis-a-" + pid;
  private final String nodeB = "dis-b-" + pid;
  private EmbeddedCassandra cassandra;
  private Tugboat control;
  private Tugboat worker;
  private DockerRuntime docker;
  private Api api;
  private Kubectl k120;
  private Kubectl k135;
  private Optional<Kubectl> k133;

  @BeforeAll
  void start(EmbeddedCassandra cassandra, @TempDir Path work) {
    this.cassandra = cassandra;
    docker = new DockerRuntime("unix:///var/run/docker.sock", IMAGE);
    String keyspace = "disruption_it_" + pid;
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", nodeA);
    // two cpus each, whatever the machine has: the preemption case fills them exactly
    config.put("tugboat.node.capacity.cpu", "2");
    // an unschedulable pod is tried again soon after the victims of its preemption are gone
    config.put("tugboat.scheduler.retry-unschedulable", "1s");
    control = TestTugboat.start(cassandra, keyspace, config);
    api = Api.of(control);
    Map<String, Object> second = new HashMap<>();
    second.put("pekko.cluster.roles", List.of("worker"));
    second.put("pekko.cluster.seed-nodes", List.of(Cluster.get(control.system()).selfMember().address().toString()));
    second.put("tugboat.node-name", nodeB);
    second.put("tugboat.node.capacity.cpu", "2");
    second.put("tugboat.node.resync", "1s");
    second.put("tugboat.node.status-report-interval", "10m");
    worker = TestTugboat.start(cassandra, keyspace, second);
    k120 = Kubectl.v120(work).configure(control, "default");
    k135 = Kubectl.v135(work).configure(control, "default");
    k133 = Kubectl.v133(work).map(k -> k.configure(control, "default"));
    for (String node : List.of(nodeA, nodeB)) {
      Await.until("node " + node + " Ready", Duration.ofSeconds(60), () -> {
        Api.Reply r = api.get("/api/v1/nodes/" + node);
        return r.code() == 200 && "True".equals(condition(r.json(), "Ready"));
      });
    }
  }

  @AfterAll
  void stop() {
    if (worker != null) worker.close();
    if (control != null) control.close();
    if (docker != null) docker.close();
    NodeContainers.removeAll(nodeA, nodeB);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static String condition(JsonNode object, String type) {
    for (JsonNode c : object.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) return c.path("status").asText();
    }
    return "";
  }

  private static boolean ready(JsonNode pod) {
    return ReadyPodsWatch.ready(pod);
  }

  private List<JsonNode> pods(String app) {
    List<JsonNode> pods = new ArrayList<>();
    api.get(PODS + "?labelSelector=app%3D" + app).json().path("items").forEach(pods::add);
    return pods;
  }

  private JsonNode pod(String name) {
    return api.get(PODS + "/" + name).json();
  }

  private boolean unschedulable(String node) {
    return api.get("/api/v1/nodes/" + node).json().path("spec").path("unschedulable").asBoolean(false);
  }

  private static String podJson(String name, String app, String spec) {
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"%s"}},
         "spec":{%s"terminationGracePeriodSeconds":2,
           "containers":[{"name":"c","image":"%s","command":%s}]}}""".formatted(name, app, spec, IMAGE, COMMAND);
  }

  private static void ok(Kubectl.Result r) {
    assertEquals(0, r.exit(), r.toString());
  }

  private List<String> events(String involved, String reason) {
    List<String> messages = new ArrayList<>();
    api.get("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D" + involved).json().path("items")
        .forEach(e -> {
          if (reason.equals(e.path("reason").asText())) messages.add(e.path("message").asText());
        });
    return messages;
  }

  // ---- tests ----------------------------------------------------------------------------------

  @Test
  @Order(1)
  void badBudgetsClassesAndPrioritiesGetStatusesNamingWhy() {
    Api.Reply both = api.post(PDBS, """
        {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"both"},
         "spec":{"minAvailable":1,"maxUnavailable":1,"selector":{"matchLabels":{"app":"x"}}}}""");
    assertEquals(422, both.code(), both.body());
    assertEquals("spec.maxUnavailable", both.json().path("details").path("causes").get(0).path("field").asText());
    assertTrue(both.json().path("message").asText().contains("minAvailable and maxUnavailable cannot be both set"),
        both.body());
    assertEquals(404, api.get(PDBS + "/both").code(), "nothing written");

    Api.Reply pct = api.post(PDBS, """
        {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"pct"},"spec":{"minAvailable":"150%"}}""");
    assertEquals(422, pct.code(), pct.body());

    Await.until("the built-in priority classes", Duration.ofSeconds(30), () -> {
      JsonNode list = api.get("/apis/scheduling.k8s.io/v1/priorityclasses").json().path("items");
      return list.size() == 2;
    });
    assertEquals(2000001000, api.get("/apis/scheduling.k8s.io/v1/priorityclasses/system-node-critical").json()
        .path("value").asInt());
    Api.Reply delete = api.delete("/apis/scheduling.k8s.io/v1/priorityclasses/system-cluster-critical");
    assertEquals(403, delete.code(), delete.body());
    Api.Reply tooHigh = api.post("/apis/scheduling.k8s.io/v1/priorityclasses", """
        {"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"greedy"},"value":1500000000}""");
    assertEquals(422, tooHigh.code(), tooHigh.body());
    assertEquals("value", tooHigh.json().path("details").path("causes").get(0).path("field").asText());

    Api.Reply unknown = api.post(PODS, podJson("orphan", "none", "\"priorityClassName\":\"gold\","));
    assertEquals(403, unknown.code(), unknown.body());
    assertEquals("pods \"orphan\" is forbidden: no PriorityClass with name gold was found",
        unknown.json().path("message").asText());
    Api.Reply byHand = api.post(PODS, podJson("orphan", "none", "\"priority\":7,"));
    assertEquals(403, byHand.code(), byHand.body());

    Api.Reply evictMissing = api.post(PODS + "/nobody/eviction",
        "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"nobody\"}}");
    assertEquals(404, evictMissing.code(), evictMissing.body());
    Api.Reply notEviction = api.post(PODS + "/nobody/eviction", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}");
    assertEquals(400, notEviction.code(), notEviction.body());
  }

  @Test
  @Order(2)
  void fabric8LeaderElectionOverALease() throws Exception {
    try (KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(Fabric8.config(control).withNamespace("default").build()).build()) {
      Map<String, Long> leadingSince = new ConcurrentHashMap<>();
      AtomicReference<String> observed = new AtomicReference<>();
      Map<String, CompletableFuture<?>> running = new HashMap<>();
      Duration leaseDuration = Duration.ofSeconds(3);
      for (String id : List.of("alpha", "beta")) {
        LeaderElector elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
            .withName("it-election").withLock(new LeaseLock("default", "it-leader", id))
            .withLeaseDuration(leaseDuration).withRenewDeadline(Duration.ofSeconds(2))
            .withRetryPeriod(Duration.ofMillis(250))
            .withLeaderCallbacks(new LeaderCallbacks(() -> leadingSince.put(id, System.nanoTime()), () -> {},
                observed::set))
            .build()).build();
        running.put(id, elector.start());
      }
      String leader = Await.until("one leader", Duration.ofSeconds(20),
          () -> leadingSince.size() == 1 ? leadingSince.keySet().iterator().next() : null);
      String other = leader.equals("alpha") ? "beta" : "alpha";
      JsonNode lease = api.get("/apis/coordination.k8s.io/v1/namespaces/default/leases/it-leader").json();
      assertEquals(leader, lease.path("spec").path("holderIdentity").asText(), lease.toString());
      Holds.during("only " + leader + " leads while it renews", Duration.ofSeconds(2),
          () -> leadingSince.containsKey(other) ? other + " leads too" : null);

      // the leader stops without releasing its lease (as a killed process would)
      long stopped = System.nanoTime();
      running.get(leader).cancel(true);
      Await.until(other + " takes over", Duration.ofSeconds(15), () -> leadingSince.containsKey(other));
      long tookMs = (leadingSince.get(other) - stopped) / 1_000_000;
      System.out.println("DisruptionIT: the other contender led " + tookMs + " ms after the leader stopped "
          + "(lease duration " + leaseDuration.toMillis() + " ms)");
      assertTrue(tookMs <= leaseDuration.toMillis() + 1500, "taken over within the lease duration: " + tookMs + " ms");
      assertEquals(other, api.get("/apis/coordination.k8s.io/v1/namespaces/default/leases/it-leader").json()
          .path("spec").path("holderIdentity").asText());
      assertTrue(api.get("/apis/coordination.k8s.io/v1/namespaces/default/leases/it-leader").json()
          .path("spec").path("leaseTransitions").asInt() >= 1);
      running.get(other).cancel(true);
    }
  }

  @Test
  @Order(3)
  void aDrainNeverBreaksTheBudgetAndEndsWithTheReplicasElsewhere() throws Exception {
    assertTrue(k133.isPresent(), "kubectl 1.33 is needed for the drain");
    // B cordoned (kubectl 1.20), so that the Deployment's pods all start on A
    ok(k120.run("cordon", nodeB));
    assertTrue(unschedulable(nodeB));
    Api.Reply d = api.post("/apis/apps/v1/namespaces/default/deployments", """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
           "template":{"metadata":{"labels":{"app":"web"}},
             "spec":{"terminationGracePeriodSeconds":2,"containers":[{"name":"c","image":"%s","command":%s}]}}}}"""
        .formatted(IMAGE, COMMAND));
    assertEquals(201, d.code(), d.body());
    // the budget from kubectl 1.33's generator (a protobuf body)
    ok(k133.get().run("create", "poddisruptionbudget", "web", "--selector=app=web", "--min-available=2"));
    // a lone pod on B under a budget that allows no disruption at all
    Api.Reply solo = api.post(PODS, podJson("solo", "solo", "\"nodeName\":\"" + nodeB + "\","));
    assertEquals(201, solo.code(), solo.body());
    Api.Reply soloBudget = api.post(PDBS, """
        {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"solo"},
         "spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"solo"}}}}""");
    assertEquals(201, soloBudget.code(), soloBudget.body());

    Await.until("3 web pods Ready on " + nodeA + " and solo Ready", Duration.ofSeconds(60), () ->
        pods("web").stream().filter(p -> ready(p) && nodeA.equals(p.path("spec").path("nodeName").asText())).count() == 3
            && ready(pod("solo")));
    JsonNode status = Await.until("the budget's status", Duration.ofSeconds(20), () -> {
      JsonNode s = api.get(PDBS + "/web").json().path("status");
      return s.path("currentHealthy").asInt() == 3 && s.path("disruptionsAllowed").asInt() == 1 ? s : null;
    });
    assertEquals(2, status.path("desiredHealthy").asInt());
    assertEquals(3, status.path("expectedPods").asInt());
    assertEquals("True", condition(api.get(PDBS + "/web").json(), "DisruptionAllowed"));
    Await.until("solo's budget observed", Duration.ofSeconds(20), () ->
        api.get(PDBS + "/solo").json().path("status").path("currentHealthy").asInt() == 1);

    // an eviction the budget forbids: 429 and kube-apiserver's Status, over HTTP and from two kubectls' drains
    Api.Reply refused = api.post(PODS + "/solo/eviction",
        "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"solo\",\"namespace\":\"default\"}}");
    assertEquals(429, refused.code(), refused.body());
    assertTrue(refused.raw().headers().firstValue("Retry-After").isEmpty(), "no Retry-After, so clients see the 429 (kube-apiserver's)");
    assertEquals("TooManyRequests", refused.json().path("reason").asText());
    assertEquals("Cannot evict pod as it would violate the pod's disruption budget.", refused.json().path("message").asText());
    assertEquals("The disruption budget solo needs 1 healthy pods and has 1 currently",
        refused.json().path("details").path("causes").get(0).path("message").asText());
    for (Kubectl k : List.of(k120, k135)) {
      Kubectl.Result r = k.run("drain", nodeB, "--pod-selector=app=solo", "--force", "--timeout=3s");
      assertTrue(r.exit() != 0, k + " drain must give up: " + r);
      assertTrue((r.out() + r.err()).contains("Cannot evict pod as it would violate the pod's disruption budget"),
          k + ": " + r);
    }
    assertTrue(ready(pod("solo")), "solo still runs");
    ok(k135.run("uncordon", nodeB));
    assertFalse(unschedulable(nodeB));

    // the drain of A by kubectl 1.33, the web pods' readiness watched throughout
    try (ReadyPodsWatch watch = new ReadyPodsWatch(api, "default", "app%3Dweb")) {
      String budgetBefore = api.get(PDBS + "/web").json().path("status").toString();
      long began = System.nanoTime();
      Kubectl.Result drain = k133.get().run("drain", nodeA, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=55s");
      long drainMs = (System.nanoTime() - began) / 1_000_000;
      ok(drain);
      assertTrue(drain.out().contains("node/" + nodeA + " drained"), drain.toString());
      assertTrue(drain.out().contains("evicting pod default/web-") || drain.err().contains("evicting pod default/web-"),
          drain.toString());
      // kubectl evicts the three pods at once; with one disruption allowed it must see a 429, say so and
      // wait. (A Retry-After: 0 on the 429 once let client-go retry it silently, so a drain could pass
      // without kubectl ever seeing the budget.)
      assertTrue(drain.err().contains("Cannot evict pod as it would violate the pod's disruption budget"),
          "the drain waited on the budget; the budget before: " + budgetBefore + "; " + drain);
      System.out.println("DisruptionIT: kubectl 1.33 drained " + nodeA + " in " + drainMs + " ms, waiting on the budget");
      // the drain ends when the last evicted pod is gone; its replacement may still be starting on B
      Await.until("3 web pods Ready on " + nodeB, Duration.ofSeconds(30), () -> pods("web").stream()
          .filter(p -> ready(p) && nodeB.equals(p.path("spec").path("nodeName").asText())).count() == 3);
      long replacedMs = (System.nanoTime() - began) / 1_000_000;
      Await.until("no web container on " + nodeA, Duration.ofSeconds(20), () ->
          docker.listContainers(Map.of(ContainerRuntime.NODE, nodeA)).stream()
              .noneMatch(c -> c.labels().getOrDefault(ContainerRuntime.POD_NAME, "").startsWith("web-")));
      assertTrue(watch.events() > 0, "the watch saw the drain");
      System.out.println("DisruptionIT: 3 web pods Ready on " + nodeB + " " + replacedMs + " ms after the drain began; "
          + "fewest Ready web pods seen: " + watch.fewestReady());
      assertTrue(watch.fewestReady() >= 2, "never fewer than minAvailable Ready pods; fewest seen: " + watch.fewestReady());
    }
    assertTrue(unschedulable(nodeA));

    // two evictions at once against a budget with room for one: exactly one passes
    Await.until("one disruption allowed again", Duration.ofSeconds(20), () ->
        api.get(PDBS + "/web").json().path("status").path("disruptionsAllowed").asInt() == 1);
    List<String> victims = pods("web").stream().map(p -> p.path("metadata").path("name").asText()).limit(2).toList();
    List<CompletableFuture<Integer>> racing = victims.stream().map(name -> CompletableFuture.supplyAsync(() ->
        api.post(PODS + "/" + name + "/eviction", "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\","
            + "\"metadata\":{\"name\":\"" + name + "\"}}").code())).toList();
    List<Integer> codes = racing.stream().map(CompletableFuture::join).sorted().toList();
    assertEquals(List.of(201, 429), codes, "of two concurrent evictions one passes, one is refused");
    ok(k120.run("uncordon", nodeA));
    assertFalse(unschedulable(nodeA));
    assertEquals(200, api.delete("/apis/apps/v1/namespaces/default/deployments/web").code());
    assertEquals(200, api.delete(PODS + "/solo?gracePeriodSeconds=0").code());
  }

  @Test
  @Order(4)
  void aHighPriorityPodPreemptsTheLowestOnAFullCluster() {
    for (String node : List.of(nodeA, nodeB)) { // both in service, whatever the drain case left
      Api.Reply r = api.patch("/api/v1/nodes/" + node, "{\"spec\":{\"unschedulable\":false}}",
          "application/merge-patch+json");
      assertEquals(200, r.code(), r.body());
    }
    for (String[] c : new String[][] {{"lowest", "5", "PreemptLowerPriority"}, {"low", "10", "PreemptLowerPriority"},
        {"urgent", "1000", "PreemptLowerPriority"}, {"polite", "2000", "Never"}}) {
      Api.Reply r = api.post("/apis/scheduling.k8s.io/v1/priorityclasses", """
          {"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"%s"},"value":%s,
           "preemptionPolicy":"%s"}""".formatted(c[0], c[1], c[2]));
      assertEquals(201, r.code(), r.body());
    }
    for (String[] p : new String[][] {{"p-low", "low"}, {"p-lowest", "lowest"}}) {
      Api.Reply r = api.post(PODS, podWithCpu(p[0], p[1]));
      assertEquals(201, r.code(), r.body());
    }
    Await.until("both low pods Ready, one per node", Duration.ofSeconds(60), () -> ready(pod("p-low"))
        && ready(pod("p-lowest")) && !pod("p-low").path("spec").path("nodeName").asText()
            .equals(pod("p-lowest").path("spec").path("nodeName").asText()));
    assertEquals(10, pod("p-low").path("spec").path("priority").asInt());
    String lowestNode = pod("p-lowest").path("spec").path("nodeName").asText();
    String lowestUid = pod("p-lowest").path("metadata").path("uid").asText();
    String lowUid = pod("p-low").path("metadata").path("uid").asText();

    Api.Reply u = api.post(PODS, podWithCpu("p-urgent", "urgent"));
    assertEquals(201, u.code(), u.body());
    String urgentUid = u.json().path("metadata").path("uid").asText();
    Await.until("p-urgent Ready on " + lowestNode, Duration.ofSeconds(60), () -> ready(pod("p-urgent"))
        && lowestNode.equals(pod("p-urgent").path("spec").path("nodeName").asText()));
    Api.Reply gone = api.get(PODS + "/p-lowest");
    assertEquals(404, gone.code(), "the lowest-priority pod was the victim: " + gone.body());
    assertEquals(lowUid, pod("p-low").path("metadata").path("uid").asText(), "the other low pod was left alone");
    assertTrue(ready(pod("p-low")));
    List<String> preempted = events("p-lowest", "Preempted");
    assertEquals(List.of("Preempted by pod " + urgentUid + " on node " + lowestNode), preempted);
    assertTrue(events("p-low", "Preempted").isEmpty());
    assertFalse(lowestUid.isEmpty());

    // a pod whose class never preempts waits, though it outranks everything running
    Api.Reply polite = api.post(PODS, podWithCpu("p-polite", "polite"));
    assertEquals(201, polite.code(), polite.body());
    Await.until("p-polite Unschedulable", Duration.ofSeconds(20),
        () -> "False".equals(condition(pod("p-polite"), "PodScheduled")));
    Holds.during("nothing is preempted for p-polite", Duration.ofSeconds(3), () ->
        ready(pod("p-low")) && ready(pod("p-urgent")) ? null : "a running pod was preempted");
    assertFalse(pod("p-polite").path("status").has("nominatedNodeName"));
    for (String name : List.of("p-low", "p-urgent", "p-polite")) api.delete(PODS + "/" + name + "?gracePeriodSeconds=0");
  }

  private static String podWithCpu(String name, String priorityClass) {
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"prio"}},
         "spec":{"priorityClassName":"%s","terminationGracePeriodSeconds":1,
           "containers":[{"name":"c","image":"%s","command":%s,"resources":{"requests":{"cpu":"1500m"}}}]}}"""
        .formatted(name, priorityClass, IMAGE, COMMAND);
  }
}
