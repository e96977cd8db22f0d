package dev.tugboat.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.compat.Kubectl;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.Holds;
import dev.tugboat.testing.ReadyPodsWatch;
import dev.tugboat.testing.SharedCassandra;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Node failure with real processes: three Tugboat JVMs (the shaded jar's {@code tug up}) form one
 * Pekko cluster on one Cassandra and one Docker engine, and one of them at a time dies by SIGKILL.
 *
 * <ul>
 *   <li>{@code cp1}: control plane only. Started first, so it is the oldest member: it hosts the
 *       scheduler and controller singletons and the shard coordinators, until it dies once.</li>
 *   <li>{@code cp2}: control plane and worker (entity shards, a node agent).</li>
 *   <li>{@code w3}: worker only (a node agent; entities are reached through sharding proxies).</li>
 * </ul>
 *
 * <p>The cluster starts once; each scenario kills one member and starts it again before the next
 * (a killed member comes back under the same node name and ports). A CronJob runs every minute from
 * the start through the first three kills (the second kills the singletons' member), and the fourth
 * scenario asserts it made one Job per minute, none missed: its minutes of waiting overlap the other
 * scenarios instead of adding to them. The fifth stops and starts every member; the last drains a
 * worker with kubectl. Everything is asserted through the HTTP API and Docker; the timings are printed.
 */
@ExtendWith(SharedCassandra.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// One after another with the other classes, not beside them: failure detection and the nodes'
// leases are timed, and a suite's worth of other JVMs on two cores made them miss (CI, 2026-12-04:
// a member not Ready within a minute, and NodeIT seeing a pod gone before its containers). Their members stay
// off the addresses others share all the same (TestTugboat.BESIDE_OTHERS).
class NodeFailureMultiJvmIT {
  private static final String CONTROL_PLANE = "control-plane";
  private static final String WORKER = "worker";
  private static final String PODS = "/api/v1/namespaces/default/pods";
  private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";
  private static final String EVENTS = "/api/v1/namespaces/default/events";
  private static final String JOBS = "/apis/batch/v1/namespaces/default/jobs";
  private static final String CRONJOBS = "/apis/batch/v1/namespaces/default/cronjobs";
  private static final String PDBS = "/apis/policy/v1/namespaces/default/poddisruptionbudgets";
  private static final String IMAGE = "tugboat/busybox:1.0";
  private static final Duration MEMBER_START = Duration.ofSeconds(120);

  @RegisterExtension
  static final Cluster cluster = new Cluster("node-failure");
  private static Member cp1;
  private static Member cp2;
  private static Member w3;
  /** The CronJob that runs through scenarios 1 to 3, and when scenario 2 killed the singletons' member. */
  private static final String CRON = "every-minute";
  private static volatile Instant singletonsKilledAt;

  @BeforeAll
  static void startCluster() {
    cp1 = cluster.member("cp1", List.of(CONTROL_PLANE));
    cp2 = cluster.member("cp2", List.of(CONTROL_PLANE, WORKER));
    w3 = cluster.member("w3", List.of(WORKER));
    long ms = cluster.startAll(MEMBER_START);
    report("cluster of 3 member JVMs up (all started at once)", ms);
    awaitNodeReady(cp2);
    awaitNodeReady(w3);
    create(api(), CRONJOBS, """
        {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"%s"},
         "spec":{"schedule":"* * * * *","successfulJobsHistoryLimit":10,"jobTemplate":{"spec":{"template":{
           "metadata":{"labels":{"app":"%s"}},
           "spec":{"restartPolicy":"Never","terminationGracePeriodSeconds":1,
             "containers":[{"name":"work","image":"%s","command":["echo","%s"]}]}}}}}}
        """.formatted(CRON, CRON, IMAGE, CRON));
  }

  /** A scenario that failed half-way must not leave the next one a member short. */
  @BeforeEach
  void everyMemberUp() {
    if (cluster.members().stream().anyMatch(m -> !m.alive())) {
      cluster.startAll(MEMBER_START);
      cluster.members().stream().filter(m -> m.spec().worker()).forEach(NodeFailureMultiJvmIT::awaitNodeReady);
    }
  }

  // ---- scenario 1 -------------------------------------------------------------------------------

  @Test
  @Order(1)
  @Timeout(value = 240)
  void aKilledWorkersPodsAreReplacedElsewhereAndItsStaleContainersGoWhenItReturns() {
    String app = "s1";
    Api api = api();
    create(api, DEPLOYMENTS, deployment(app, 4));
    awaitRolledOut(api, app, 4);
    Set<String> onVictim = uids(activePods(api, app).stream().filter(p -> nodeName(p).equals(w3.nodeName())).toList());
    assertFalse(onVictim.isEmpty(), "the deployment's pods are spread over both workers");

    long killed = System.nanoTime();
    cluster.kill(w3);
    List<JsonNode> replaced = Await.until("every replica Running and Ready on a surviving node", Duration.ofSeconds(90), () -> {
      List<JsonNode> pods = activePods(api, app);
      return pods.size() == 4 && pods.stream().allMatch(p -> !nodeName(p).equals(w3.nodeName())
          && "Running".equals(p.path("status").path("phase").asText()) && ready(p)) ? pods : null;
    });
    double seconds = (System.nanoTime() - killed) / 1e9;
    report("scenario 1: pods of the SIGKILLed worker Running and Ready elsewhere (goal < 10 s)", seconds * 1000);
    // The goal is 10 s; on this shared 2-core machine the bound asserted is generous, the figure is printed.
    assertTrue(seconds < 30, "replaced in " + seconds + " s");
    Set<String> replacedUids = uids(replaced);
    assertTrue(replacedUids.stream().noneMatch(onVictim::contains), "the dead node's pods were replaced, not kept");
    for (JsonNode p : replaced) assertEquals(1, runningAppContainers(uid(p)).size(), "one container for " + name(p));
    // Nobody could remove the dead node's containers: they still run.
    assertFalse(cluster.docker().listContainers(Map.of(ContainerRuntime.NODE, w3.nodeName())).isEmpty());
    JsonNode node = api.get("/api/v1/nodes/" + w3.nodeName()).json();
    assertEquals("Unknown", condition(node, "Ready"));
    assertTrue(node.path("spec").path("taints").toString().contains("node.kubernetes.io/unreachable"), node.toString());

    long restarted = System.nanoTime();
    long upMs = cluster.restart(w3, MEMBER_START);
    Await.until("the returning node removes the containers of pods no longer bound to it", Duration.ofSeconds(60),
        () -> onVictim.stream().allMatch(uid -> cluster.docker().listContainers(Map.of(ContainerRuntime.POD_UID, uid)).isEmpty()));
    report("scenario 1: killed worker JVM started again (to Up)", upMs);
    report("scenario 1: its stale containers removed after the restart began", (System.nanoTime() - restarted) / 1e6);
    awaitNodeReady(w3);
    Await.until("the unreachable taint removed", Duration.ofSeconds(30),
        () -> !api.get("/api/v1/nodes/" + w3.nodeName()).body().contains("node.kubernetes.io/unreachable"));
    // The returning agent resyncs every second: over several of its passes, no replica runs twice.
    Holds.during("no replica runs twice", Duration.ofSeconds(4), () -> {
      List<JsonNode> pods = activePods(api, app);
      if (pods.size() != 4) return pods.size() + " active pods";
      for (JsonNode p : pods) {
        int n = runningAppContainers(uid(p)).size();
        if (n != 1) return n + " running containers for " + name(p);
      }
      long all = appContainers(app).size();
      return all == 4 ? null : all + " app containers of " + app + " in Docker";
    });
    deleteDeploymentAndAwaitGone(api, app);
  }

  // ---- scenario 2 -------------------------------------------------------------------------------

  @Test
  @Order(2)
  @Timeout(value = 240)
  void killingTheSchedulersMemberWhilePodsAreCreatedBindsEveryPodExactlyOnce() throws Exception {
    Member victim = cluster.oldest(CONTROL_PLANE);
    Member survivor = cluster.members().stream().filter(m -> m != victim && m.spec().controlPlane()).findFirst().orElseThrow();
    Api api = survivor.api();
    String app = "s2";
    Map<String, Integer> created = new ConcurrentHashMap<>(); // name -> HTTP status of its create
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean creating = new AtomicBoolean(true);
    ExecutorService senders = Executors.newCachedThreadPool();
    long killed;
    try (PodWatch watch = new PodWatch(api, "app%3D" + app)) {
      // A pod every 400 ms, each on its own thread: a create whose entity sat on the dead member
      // waits for its timeout without holding up the others.
      Thread pacer = new Thread(() -> {
        while (creating.get()) {
          String name = app + "-" + String.format("%03d", next.getAndIncrement());
          senders.submit(() -> {
            sentAt.put(name, System.nanoTime());
            created.put(name, send(() -> api.post(PODS, pod(name, app)).code()));
          });
          try {
            Thread.sleep(400); // the pace of the load, not a synchronisation
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "pod-creator");
      pacer.start();
      Await.until("pods bound before the kill", Duration.ofSeconds(60),
          () -> watch.seen().stream().filter(s -> !s.nodeName().isEmpty()).map(PodWatch.Seen::name).distinct().count() >= 3);
      String holder = cluster.leaseHolder().orElse("");
      assertTrue(holder.contains("@" + victim.spec().remoteAddress() + "#"), "the oldest keeps the cluster lease: " + holder);
      killed = System.nanoTime();
      singletonsKilledAt = Instant.now();
      cluster.kill(victim);
      Await.until("20 s of creating pods after the kill", Duration.ofSeconds(30), () -> System.nanoTime() - killed > 20e9);
      creating.set(false);
      pacer.join();
      senders.shutdown();
      assertTrue(senders.awaitTermination(60, TimeUnit.SECONDS), "every create answered");

      Set<String> acknowledged = created.entrySet().stream().filter(e -> e.getValue() / 100 == 2)
          .map(Map.Entry::getKey).collect(Collectors.toSet());
      List<JsonNode> pods = Await.until("every created pod bound, and every acknowledged one there",
          Duration.ofSeconds(90), () -> {
            List<JsonNode> all = pods(api, app);
            Set<String> names = all.stream().map(NodeFailureMultiJvmIT::name).collect(Collectors.toSet());
            return names.containsAll(acknowledged) && all.stream().allMatch(p -> !nodeName(p).isEmpty()) ? all : null;
          });
      // Let the watch deliver what the list already shows.
      Await.until("the watch to show every binding", Duration.ofSeconds(10), () -> pods.stream()
          .allMatch(p -> watch.seen().stream().anyMatch(s -> s.uid().equals(uid(p)) && !s.nodeName().isEmpty())));
      List<PodWatch.Seen> seen = watch.seen();

      Map<String, List<String>> bindings = new TreeMap<>();
      for (JsonNode p : pods) {
        List<String> nodes = new ArrayList<>();
        for (PodWatch.Seen s : seen) {
          if (!s.uid().equals(uid(p)) || s.nodeName().isEmpty()) continue;
          if (nodes.isEmpty() || !nodes.get(nodes.size() - 1).equals(s.nodeName())) nodes.add(s.nodeName());
        }
        bindings.put(name(p), nodes);
        assertEquals(List.of(nodeName(p)), nodes, name(p) + " was bound exactly once, and spec.nodeName never changed");
        assertTrue(!nodeName(p).equals(victim.nodeName()), name(p) + " on a live node");
      }
      // The scheduler came back elsewhere: pods created after the kill were bound, and the gap between
      // the kill and the first binding seen after it (a binding already in flight aside) is the
      // singleton's failover.
      assertTrue(pods.stream().anyMatch(p -> sentAt.getOrDefault(name(p), 0L) > killed), "pods created after the kill");
      long firstBindAfterKill = seen.stream().filter(s -> !s.nodeName().isEmpty())
          .filter(s -> s.atNanos() > killed + 1_000_000_000L).filter(s -> firstBinding(seen, s))
          .mapToLong(PodWatch.Seen::atNanos).min().orElseThrow(() -> new AssertionError("no binding after the kill"));
      Map<Integer, Long> codes = created.values().stream().collect(Collectors.groupingBy(c -> c, TreeMap::new, Collectors.counting()));
      System.out.printf("NodeFailureMultiJvmIT: scenario 2: %d pods created (HTTP status: count %s), %d exist, each bound once%n",
          created.size(), codes, pods.size());
      report("scenario 2: the scheduler singleton's member SIGKILLed -> first binding by its successor",
          (firstBindAfterKill - killed) / 1e6);
      // Nothing else binds pods: a gap this long shows the killed member really hosted the scheduler.
      assertTrue(firstBindAfterKill - killed > 3e9, "the killed member hosted the scheduler singleton");
    } finally {
      creating.set(false);
      senders.shutdownNow();
    }
    // The lease's keeper moved with the singletons: the survivor renews it, taking it over from the
    // dead member it saw in its cluster (ClusterLease), before that one's lease ran out or after.
    Await.until("the cluster lease held by a surviving control-plane member", Duration.ofSeconds(60), () -> {
      String h = cluster.leaseHolder().orElse("");
      return cluster.members().stream().anyMatch(m -> m != victim && m.spec().controlPlane()
          && h.contains("@" + m.spec().remoteAddress() + "#"));
    });
    report("scenario 2: cluster lease held by a survivor (after the kill)", (System.nanoTime() - killed) / 1e6);

    long upMs = cluster.restart(victim, MEMBER_START);
    report("scenario 2: killed control-plane JVM started again (to Up)", upMs);
    for (JsonNode p : pods(api, app)) api.delete(PODS + "/" + name(p));
    // Clean-up, not the property under test: up to ~90 pods, each stopped by its node agent, took
    // over 90 s once with the machine's load at 20.
    Await.until("the scenario's pods and containers gone", Duration.ofSeconds(180),
        () -> pods(api, app).isEmpty() && podContainers(app).isEmpty());
  }

  // ---- scenario 3 -------------------------------------------------------------------------------

  @Test
  @Order(3)
  @Timeout(value = 240)
  void killingAControlPlaneMemberWhileWritesFlowLosesNoAcknowledgedWrite() throws Exception {
    // Not the oldest member: the shard coordinator and the singletons stay; this is about the shards.
    Member victim = cluster.youngest(CONTROL_PLANE);
    Member survivor = cluster.oldest(CONTROL_PLANE);
    assertTrue(victim != survivor);
    Api api = survivor.api();
    // A member that has just (re)joined gets new shards only once the coordinator knows its region:
    // until the cluster says it hosts some Event shards, the keys written below could all miss it.
    AtomicInteger warm = new AtomicInteger();
    Await.until(victim.name() + " hosting Event shards", Duration.ofSeconds(90), () -> {
      for (int i = 0; i < 5; i++) create(api, EVENTS, event("s3-warm-" + warm.incrementAndGet(), 0));
      return eventShardsOn(api, victim) > 0;
    });
    int keys = 40;
    int writers = 8;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      String name = "s3-" + String.format("%02d", i);
      names.add(name);
      create(api, EVENTS, event(name, 0));
    }
    Map<String, Integer> acked = new ConcurrentHashMap<>();
    Map<String, Integer> attempted = new ConcurrentHashMap<>();
    Map<String, Boolean> createdAcked = new ConcurrentHashMap<>();
    names.forEach(n -> {
      acked.put(n, 0);
      attempted.put(n, 0);
    });
    List<long[]> failures = java.util.Collections.synchronizedList(new ArrayList<>()); // {startNanos, endNanos}
    AtomicInteger ok = new AtomicInteger();
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    for (int w = 0; w < writers; w++) {
      int writer = w;
      pool.submit(() -> {
        int round = 0;
        while (writing.get()) {
          for (int k = writer; k < keys; k += writers) {
            String name = names.get(k);
            int seq = attempted.get(name) + 1;
            attempted.put(name, seq);
            long began = System.nanoTime();
            int code = send(() -> api.patch(EVENTS + "/" + name, "{\"metadata\":{\"labels\":{\"seq\":\"" + seq + "\"}}}",
                "application/merge-patch+json").code());
            if (code == 200) {
              acked.put(name, seq);
              ok.incrementAndGet();
            } else {
              failures.add(new long[] {began, System.nanoTime()});
            }
          }
          if (round++ % 3 == 0) { // new objects too: creates are writes whose entity is new
            String fresh = "s3-new-" + writer + "-" + round;
            long began = System.nanoTime();
            int code = send(() -> api.post(EVENTS, event(fresh, 0)).code());
            if (code == 201) createdAcked.put(fresh, true);
            else failures.add(new long[] {began, System.nanoTime()});
          }
        }
      });
    }
    Await.until("writes flowing", Duration.ofSeconds(30), () -> ok.get() >= 3 * keys);
    long killed = System.nanoTime();
    cluster.kill(victim);
    Await.until("25 s of writes after the kill", Duration.ofSeconds(35), () -> System.nanoTime() - killed > 25e9);
    writing.set(false);
    pool.shutdown();
    assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "every write answered");

    // Every acknowledged write is there; an unacknowledged one may or may not have landed.
    for (String name : names) {
      JsonNode e = api.get(EVENTS + "/" + name).json();
      int seq = Integer.parseInt(e.path("metadata").path("labels").path("seq").asText("0"));
      assertTrue(seq >= acked.get(name) && seq <= attempted.get(name),
          name + ": seq " + seq + ", acknowledged " + acked.get(name) + ", attempted " + attempted.get(name));
    }
    for (String fresh : createdAcked.keySet()) assertEquals(200, api.get(EVENTS + "/" + fresh).code(), fresh + " acknowledged");
    long lastFailureEnd = failures.stream().mapToLong(f -> f[1]).max().orElse(killed);
    System.out.printf("NodeFailureMultiJvmIT: scenario 3: %d writes acknowledged, %d failed or timed out "
        + "(the entities whose shards were on the killed member), %d objects created%n",
        ok.get() + createdAcked.size(), failures.size(), keys + createdAcked.size());
    report("scenario 3: control-plane JVM SIGKILLed -> last failed write answered", (lastFailureEnd - killed) / 1e6);
    // Writes stalled: the killed member really hosted some of these entities' shards.
    assertFalse(failures.isEmpty(), "some writes reached entities on the killed member");

    // Its shards recovered on the survivor: every object takes a write again while it is still down.
    long recovering = System.nanoTime();
    Map<String, Integer> last = new HashMap<>();
    for (String name : names) {
      int seq = attempted.get(name) + 1;
      Await.until(name + " writable again", Duration.ofSeconds(60), () -> send(() -> api.patch(EVENTS + "/" + name,
          "{\"metadata\":{\"labels\":{\"seq\":\"" + seq + "\"}}}", "application/merge-patch+json").code()) == 200);
      last.put(name, seq);
    }
    report("scenario 3: every object writable on the survivor, checked after the write load", (System.nanoTime() - recovering) / 1e6);

    // The killed member comes back; its index, rebuilt from Cassandra's journal, has every write.
    long upMs = cluster.restart(victim, MEMBER_START);
    report("scenario 3: killed control-plane JVM started again (to Up)", upMs);
    Await.until("the restarted member serves every write from the journal", Duration.ofSeconds(60), () -> {
      for (String name : names) {
        Api.Reply r = victim.api().get(EVENTS + "/" + name);
        if (r.code() != 200 || !r.json().path("metadata").path("labels").path("seq").asText().equals(last.get(name).toString())) {
          return false;
        }
      }
      return createdAcked.keySet().stream().allMatch(f -> victim.api().get(EVENTS + "/" + f).code() == 200);
    });
  }

  // ---- scenario 4 -------------------------------------------------------------------------------

  @Test
  @Order(4)
  @Timeout(value = 200)
  void aCronJobRanOncePerMinuteWhileTheSingletonsMemberWasKilled() {
    assertNotNull(singletonsKilledAt, "scenario 2 killed the singletons' member");
    Api api = api();
    // The first schedule time after the kill, made by the controllers' successor (late, if the
    // takeover outlasted the minute), and one more, so that a second Job of that time would show.
    Instant afterKill = singletonsKilledAt.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
    Instant last = afterKill.plusSeconds(60);
    List<Instant> times = Await.until("the CronJob's Job for " + last, Duration.ofSeconds(180), () -> {
      List<Instant> made = scheduleTimes(api, CRON);
      return made.stream().anyMatch(t -> !t.isBefore(last)) ? made : null;
    });
    report("scenario 4: the CronJob's Jobs through three kills, the minute after the singletons' death included",
        Duration.between(singletonsKilledAt, Instant.now()).toMillis());
    // One Job per minute (a list, so that a second Job of one time would show), none missed.
    List<Instant> expected = new ArrayList<>();
    for (Instant t = times.get(0); !t.isAfter(last); t = t.plusSeconds(60)) expected.add(t);
    assertTrue(expected.contains(afterKill), "the Jobs span the kill: " + times);
    assertEquals(expected, times.stream().filter(t -> !t.isAfter(last)).toList(), times.toString());
    assertEquals(200, api.delete(CRONJOBS + "/" + CRON).code());
    Await.until("the CronJob's Jobs, pods and containers gone", Duration.ofSeconds(90),
        () -> scheduleTimes(api, CRON).isEmpty() && pods(api, CRON).isEmpty() && podContainers(CRON).isEmpty());
  }

  // ---- scenario 5 -------------------------------------------------------------------------------

  @Test
  @Order(5)
  @Timeout(value = 300)
  void stoppingAndStartingEveryMemberKeepsEveryObjectAndAdoptsEveryContainer() {
    String app = "s4";
    Api api = api();
    create(api, DEPLOYMENTS, deployment(app, 4));
    awaitRolledOut(api, app, 4);
    Map<String, String> objects = objects(api);
    Map<String, String> podNodes = new TreeMap<>();
    activePods(api, app).forEach(p -> podNodes.put(name(p), nodeName(p)));
    Set<String> containers = runningContainerIds(app);
    assertEquals(8, containers.size(), "4 pods: 4 sandboxes and 4 app containers");

    long stopping = System.nanoTime();
    assertTrue(cluster.stopAll(Duration.ofSeconds(60)), "every member stops on SIGTERM");
    report("scenario 5: every member JVM stopped (SIGTERM)", (System.nanoTime() - stopping) / 1e6);
    assertEquals(containers, runningContainerIds(app), "stopping Tugboat leaves the containers running");

    Instant restartedAt = Instant.now();
    long starting = System.nanoTime();
    long upMs = cluster.startAll(MEMBER_START);
    report("scenario 5: every member JVM started again (all at once, to Up)", upMs);
    Api after = api();
    for (Member w : List.of(cp2, w3)) {
      Await.until(w.nodeName() + " heartbeats again", Duration.ofSeconds(60), () -> {
        JsonNode ready = conditionNode(after.get("/api/v1/nodes/" + w.nodeName()).json(), "Ready");
        return "True".equals(ready.path("status").asText())
            && Instant.parse(ready.path("lastHeartbeatTime").asText("1970-01-01T00:00:00Z")).isAfter(restartedAt);
      });
    }
    awaitRolledOut(after, app, 4);
    report("scenario 5: nodes heartbeating and the deployment available again", (System.nanoTime() - starting) / 1e6);

    Map<String, String> objectsAfter = objects(after);
    assertEquals(objects.keySet(), objectsAfter.keySet(), "every object is back");
    objects.forEach((key, uid) -> assertEquals(uid, objectsAfter.get(key), key + " is the same object"));
    // The agents resync every second: over several passes, the same containers run and none is added.
    Holds.during("the containers adopted, nothing started twice", Duration.ofSeconds(4), () -> {
      Map<String, String> now = new TreeMap<>();
      activePods(after, app).forEach(p -> now.put(name(p), nodeName(p)));
      if (!now.equals(podNodes)) return "pods now " + now + ", before " + podNodes;
      Set<String> ids = runningContainerIds(app);
      return ids.equals(containers) ? null : "containers now " + ids + ", before " + containers;
    });
    for (JsonNode p : activePods(after, app)) {
      JsonNode status = p.path("status").path("containerStatuses").path(0);
      assertEquals(0, status.path("restartCount").asInt(), name(p));
      assertTrue(containers.contains(status.path("containerID").asText().replace("docker://", "")),
          name(p) + " reports its adopted container " + status.path("containerID").asText());
    }
    deleteDeploymentAndAwaitGone(after, app);
  }

  // ---- scenario 6 -------------------------------------------------------------------------------

  @Test
  @Order(6)
  @Timeout(value = 240)
  void aServiceKeepsAnsweringThroughASurvivingProxyWhileAWorkerDies() {
    String app = "s5";
    Api api = api();
    create(api, DEPLOYMENTS, deployment(app, 4));
    create(api, "/api/v1/namespaces/default/services", """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s"},
         "spec":{"type":"NodePort","selector":{"app":"%s"},"ports":[{"port":80,"targetPort":8080}]}}
        """.formatted(app, app));
    awaitRolledOut(api, app, 4);
    Set<String> onVictim = uids(activePods(api, app).stream().filter(p -> nodeName(p).equals(w3.nodeName())).toList());
    assertFalse(onVictim.isEmpty(), "the deployment's pods are spread over both workers");
    int nodePort = api.get("/api/v1/namespaces/default/services/" + app).json().path("spec").path("ports").get(0)
        .path("nodePort").asInt();
    // Clients reach the Service through the surviving node's NodePort: its own proxy.
    ServiceTraffic traffic = new ServiceTraffic(cp2.spec().nodeAddress(), nodePort, "ok");
    try {
      Await.until("every endpoint ready behind " + app, Duration.ofSeconds(30),
          () -> readyEndpoints(api, app).size() == 4);
      Await.until("the NodePort answering through cp2's proxy", Duration.ofSeconds(30), () -> traffic.lastSucceeded(20));

      // The machine dies: its member JVM and, with it, its containers.
      int atKill = traffic.sent();
      long killed = System.nanoTime();
      cluster.kill(w3);
      for (ContainerInfo c : cluster.docker().listContainers(Map.of(ContainerRuntime.NODE, w3.nodeName()))) {
        if (c.state() == ContainerInfo.State.RUNNING) cluster.docker().stopContainer(c.id(), 0);
      }
      Await.until("the dead node's pods out of the Endpoints", Duration.ofSeconds(60),
          () -> readyEndpoints(api, app).stream().noneMatch(a -> a.startsWith(w3.spec().nodeAddress() + ":")));
      double endpointsMs = (System.nanoTime() - killed) / 1e6;
      Await.until("every request succeeding again", Duration.ofSeconds(30), () -> traffic.lastSucceeded(20));
      double recoveredMs = (System.nanoTime() - killed) / 1e6;
      ServiceTraffic.Summary outage = traffic.since(atKill);
      int afterRecovery = traffic.sent();
      Holds.during("every request succeeds once the endpoints are updated", Duration.ofSeconds(3),
          () -> traffic.since(afterRecovery).failed() == 0 ? null : traffic.since(afterRecovery).failed() + " failed");
      report("scenario 6: the dead node's endpoints removed after the kill", endpointsMs);
      report("scenario 6: requests all succeeding again after the kill", recoveredMs);
      System.out.printf("NodeFailureMultiJvmIT: scenario 6: %d of %d requests failed after the kill (%.0f%%), "
              + "within %.1f s%n", outage.failed(), outage.sent(), 100.0 * outage.failed() / Math.max(1, outage.sent()),
          outage.failureWindowMillis() / 1000);
      // The Service kept answering: while the dead endpoints were still listed, the live ones served.
      assertTrue(outage.sent() - outage.failed() > outage.failed() / 2, "requests kept succeeding: " + outage);
    } finally {
      traffic.close();
    }

    cluster.restart(w3, MEMBER_START);
    awaitNodeReady(w3);
    Await.until("the returning node removes the containers of its replaced pods", Duration.ofSeconds(60),
        () -> onVictim.stream().allMatch(uid -> cluster.docker().listContainers(Map.of(ContainerRuntime.POD_UID, uid)).isEmpty()));
    assertEquals(200, api.delete("/api/v1/namespaces/default/services/" + app).code());
    deleteDeploymentAndAwaitGone(api, app);
  }

  /** How many shards of the Event kind the member's region hosts, as {@code /tugboat/v1/cluster} reports. */
  private static int eventShardsOn(Api api, Member m) {
    for (JsonNode kind : api.get("/tugboat/v1/cluster").json().path("shards")) {
      if (!kind.path("kind").asText().equals("Event")) continue;
      for (JsonNode region : kind.path("regions")) {
        if (region.path("member").asText().endsWith(":" + m.spec().remotePort())) return region.path("shards").asInt();
      }
    }
    return 0;
  }

  /** The ready addresses of a Service's Endpoints, as host:port. */
  private static List<String> readyEndpoints(Api api, String service) {
    List<String> ready = new ArrayList<>();
    for (JsonNode subset : api.get("/api/v1/namespaces/default/endpoints/" + service).json().path("subsets")) {
      for (JsonNode a : subset.path("addresses")) ready.add(a.path("ip").asText() + ":" + subset.path("ports").get(0).path("port").asInt());
    }
    return ready;
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** Whether {@code s} is the first event of its pod that shows it bound. */
  private static boolean firstBinding(List<PodWatch.Seen> seen, PodWatch.Seen s) {
    return seen.stream().filter(o -> o.uid().equals(s.uid()) && !o.nodeName().isEmpty()).findFirst().orElseThrow() == s;
  }

  /** The API of the oldest control-plane member that runs. */
  private static Api api() {
    return cluster.oldest(CONTROL_PLANE).api();
  }

  // ---- scenario 7 -------------------------------------------------------------------------------

  /**
   * Members speak TLS with certificates of the cluster CA: a member JVM started with a CA of its own
   * (a certificate of the right name, from the wrong authority), seeded with the cluster's members,
   * fails its handshakes and never joins; the cluster stays three members.
   */
  @Test
  @Order(7)
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aMemberJvmWithoutTheClustersCaNeverJoins() throws Exception {
    java.nio.file.Path log = cluster.dir().resolve("impostor.log");
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-D" + Member.OWNER_PROPERTY + "=" + ProcessHandle.current().pid(),
        "-Dtugboat.node.address=127.0.1.9", "-Dpekko.remote.artery.canonical.hostname=127.0.1.9",
        "-Dtugboat.dns.enabled=false",
        "-jar", cluster.jar().toString(), "up", "--node-name", "impostor", "--roles", "worker",
        "--cassandra", cluster.cassandraContactPoint(), "--keyspace", cluster.keyspace(), "--api-port", "0",
        "--data-dir", cluster.dir().resolve("data-impostor").toString(),
        "--pki-dir", cluster.dir().resolve("impostor-pki").toString()));
    for (String seed : cluster.seeds()) command.addAll(List.of("--seed", seed));
    Process impostor = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Await.until("the impostor's handshakes refused (log " + log + ")", Duration.ofSeconds(90), () -> {
        String text;
        try {
          text = java.nio.file.Files.exists(log) ? java.nio.file.Files.readString(log) : "";
        } catch (java.io.IOException e) {
          throw new UncheckedIOException(e);
        }
        if (!impostor.isAlive()) throw new AssertionError("the impostor exited: " + text);
        return text.contains("SSLHandshakeException") || text.contains("PKIX") || text.contains("certificate_unknown")
            || text.contains("bad_certificate");
      });
      Holds.during("the cluster stays its three members", Duration.ofSeconds(10), () -> {
        JsonNode members = api().get("/tugboat/v1/cluster").json().path("members");
        if (members.size() != 3) return members.size() + " members: " + members;
        return members.toString().contains("127.0.1.9") ? "the impostor is a member: " + members : null;
      });
      assertEquals(404, api().get("/api/v1/nodes/impostor").code(), "no Node of the impostor's");
    } finally {
      impostor.destroyForcibly();
      impostor.waitFor(30, TimeUnit.SECONDS);
    }
  }

  // ---- scenario 8 -------------------------------------------------------------------------------

  /**
   * {@code kubectl drain} of a worker JVM running all three replicas of a Deployment under a budget of
   * {@code minAvailable: 2}: kubectl's evictions beyond the one allowed get 429s and it waits, a watch
   * never sees fewer than 2 Ready pods, and the drain ends with the replacements Ready on the other
   * worker; then {@code kubectl uncordon}. DisruptionIT proves the same on two members in one JVM;
   * here the evictions, the budget's controller and both nodes are separate processes. Last, so that
   * its cordons and budget touch no other scenario (the CronJob is gone, and no member dies after it).
   */
  @Test
  @Order(8)
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aDrainOfAWorkerJvmKeepsTheBudgetAndEndsWithTheReplicasReadyElsewhere() throws Exception {
    String app = "s8";
    Member drained = w3;
    Member other = cp2;
    Api api = api();
    Kubectl kubectl = Kubectl.v135(cluster.dir()).useKubeconfig(cluster.oldest(CONTROL_PLANE).kubeconfig());
    long began = System.nanoTime();
    try {
      // the other worker cordoned while the replicas start, so that all three are on the node drained
      ok(kubectl.run("cordon", other.nodeName()));
      create(api, DEPLOYMENTS, deployment(app, 3));
      ok(kubectl.run("create", "poddisruptionbudget", app, "--selector=app=" + app, "--min-available=2"));
      awaitRolledOut(api, app, 3);
      assertTrue(activePods(api, app).stream().allMatch(p -> nodeName(p).equals(drained.nodeName())),
          "every replica on " + drained.nodeName());
      Await.until("the budget allowing one disruption", Duration.ofSeconds(30), () -> {
        JsonNode status = api.get(PDBS + "/" + app).json().path("status");
        return status.path("currentHealthy").asInt() == 3 && status.path("disruptionsAllowed").asInt() == 1;
      });
      ok(kubectl.run("uncordon", other.nodeName()));
      Set<String> evicted = uids(activePods(api, app));
      report("scenario 8: replicas Ready on " + drained.name() + " under the budget (cordon, rollout, budget status)",
          (System.nanoTime() - began) / 1e6);

      try (ReadyPodsWatch watch = new ReadyPodsWatch(api, "default", "app%3D" + app)) {
        long draining = System.nanoTime();
        Kubectl.Result drain = kubectl.run("drain", drained.nodeName(), "--ignore-daemonsets", "--delete-emptydir-data",
            "--timeout=50s");
        double drainMs = (System.nanoTime() - draining) / 1e6;
        ok(drain);
        assertTrue(drain.out().contains("node/" + drained.nodeName() + " drained"), drain.toString());
        // kubectl evicts the three at once: with one disruption allowed, it must be refused and wait
        assertTrue(drain.err().contains("Cannot evict pod as it would violate the pod's disruption budget"),
            "the drain waited on the budget: " + drain);
        // the drain ends once the last evicted pod is gone; its replacement may still be starting
        List<JsonNode> replaced = Await.until("3 replicas Ready on " + other.nodeName(), Duration.ofSeconds(30), () -> {
          List<JsonNode> pods = activePods(api, app);
          return pods.size() == 3 && pods.stream().allMatch(p -> ready(p) && nodeName(p).equals(other.nodeName()))
              ? pods : null;
        });
        double replacedMs = (System.nanoTime() - draining) / 1e6;
        assertTrue(uids(replaced).stream().noneMatch(evicted::contains), "replacements, not the evicted pods");
        Await.until("no container of " + app + " left on " + drained.nodeName(), Duration.ofSeconds(30),
            () -> podContainers(app).stream().noneMatch(c -> drained.nodeName().equals(c.labels().get(ContainerRuntime.NODE))));
        report("scenario 8: kubectl drain of " + drained.name() + " (waiting on the budget)", drainMs);
        report("scenario 8: 3 replicas Ready on " + other.name() + " after the drain began", replacedMs);
        System.out.printf("NodeFailureMultiJvmIT: scenario 8: fewest Ready replicas seen by the watch: %d (%d events)%n",
            watch.fewestReady(), watch.events());
        assertTrue(watch.events() > 0, "the watch saw the drain");
        assertTrue(watch.fewestReady() >= 2, "never fewer than minAvailable Ready pods; fewest: " + watch.fewestReady());
      }
      assertTrue(unschedulable(api, drained), drained.nodeName() + " stays cordoned after the drain");
      ok(kubectl.run("uncordon", drained.nodeName()));
      assertFalse(unschedulable(api, drained));
    } finally {
      // whatever failed: both workers in service, the budget gone (the Deployment goes below)
      for (Member m : List.of(other, drained)) {
        api.patch("/api/v1/nodes/" + m.nodeName(), "{\"spec\":{\"unschedulable\":false}}", "application/merge-patch+json");
      }
      api.delete(PDBS + "/" + app);
    }
    long cleaning = System.nanoTime();
    deleteDeploymentAndAwaitGone(api, app);
    report("scenario 8: the Deployment, its pods and containers gone after its delete", (System.nanoTime() - cleaning) / 1e6);
    report("scenario 8: all of it, from the first cordon to the Deployment gone", (System.nanoTime() - began) / 1e6);
  }

  private static boolean unschedulable(Api api, Member m) {
    return api.get("/api/v1/nodes/" + m.nodeName()).json().path("spec").path("unschedulable").asBoolean(false);
  }

  private static void ok(Kubectl.Result r) {
    assertEquals(0, r.exit(), r.toString());
  }

  /** The schedule times of a CronJob's Jobs, in order, one entry per Job. */
  private static List<Instant> scheduleTimes(Api api, String cronJob) {
    List<Instant> times = new ArrayList<>();
    for (JsonNode job : api.get(JOBS).json().path("items")) {
      if (!job.at("/metadata/ownerReferences/0/name").asText().equals(cronJob)) continue;
      times.add(Instant.parse(job.at("/metadata/annotations").path("batch.kubernetes.io/cronjob-scheduled-timestamp").asText()));
    }
    times.sort(null);
    return times;
  }

  private static void report(String what, double millis) {
    System.out.printf("NodeFailureMultiJvmIT: %s: %.1f s%n", what, millis / 1000);
  }

  /** An HTTP status, or 599 when the request itself failed (connection refused or reset, client timeout). */
  private static int send(java.util.function.IntSupplier request) {
    try {
      return request.getAsInt();
    } catch (UncheckedIOException e) {
      return 599;
    }
  }

  /**
   * Waits until the node is Ready in a list from the oldest control-plane member: its index, which
   * the scheduler there reads (a GET of one node asks the object itself, which may know sooner).
   */
  private static void awaitNodeReady(Member m) {
    Await.until("node " + m.nodeName() + " Ready in the scheduler's member's index", Duration.ofSeconds(60), () -> {
      Api.Reply r = api().get("/api/v1/nodes?fieldSelector=metadata.name%3D" + m.nodeName());
      if (r.code() != 200) return false;
      for (JsonNode node : r.json().path("items")) if ("True".equals(condition(node, "Ready"))) return true;
      return false;
    });
  }

  private static String deployment(String app, int replicas) {
    return """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},
         "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},
           "template":{"metadata":{"labels":{"app":"%s"}},
             "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"web","image":"%s",
               "command":["sh","-c","mkdir -p /w; echo ok > /w/index.html; exec httpd -f -p 8080 -h /w"],
               "ports":[{"containerPort":8080}],
               "readinessProbe":{"httpGet":{"path":"/","port":8080},"periodSeconds":1}}]}}}}
        """.formatted(app, replicas, app, app, IMAGE);
  }

  private static String pod(String name, String app) {
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"%s"}},
         "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"main","image":"%s","command":["sleep","3600"]}]}}
        """.formatted(name, app, IMAGE);
  }

  private static String event(String name, int seq) {
    return """
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"%s","labels":{"seq":"%d"}},
         "involvedObject":{"kind":"Pod","name":"nothing","namespace":"default"},
         "reason":"MultiJvm","message":"a write of the multi-JVM test","type":"Normal"}
        """.formatted(name, seq);
  }

  private static JsonNode create(Api api, String path, String json) {
    Api.Reply r = api.post(path, json);
    assertEquals(201, r.code(), r.body());
    return r.json();
  }

  private static List<JsonNode> pods(Api api, String app) {
    List<JsonNode> pods = new ArrayList<>();
    api.get(PODS + "?labelSelector=app%3D" + app).json().path("items").forEach(pods::add);
    return pods;
  }

  private static List<JsonNode> activePods(Api api, String app) {
    return pods(api, app).stream().filter(p -> !p.path("metadata").has("deletionTimestamp")).toList();
  }

  private static void awaitRolledOut(Api api, String app, int replicas) {
    try {
      Await.until(app + " rolled out with " + replicas + " ready replicas", Duration.ofSeconds(90), () -> {
        JsonNode d = api.get(DEPLOYMENTS + "/" + app).json();
        JsonNode s = d.path("status");
        List<JsonNode> pods = activePods(api, app);
        return s.path("observedGeneration").asLong() >= d.path("metadata").path("generation").asLong()
            && s.path("availableReplicas").asInt() == replicas && s.path("replicas").asInt() == replicas
            && pods.size() == replicas && pods.stream().allMatch(NodeFailureMultiJvmIT::ready);
      });
    } catch (AssertionError e) {
      // what the API held when the wait gave up: the Deployment's status, each pod and the nodes
      StringBuilder seen = new StringBuilder(e.getMessage()).append("; deployment status ")
          .append(api.get(DEPLOYMENTS + "/" + app).json().path("status")).append("; pods:");
      for (JsonNode p : pods(api, app)) {
        seen.append(' ').append(name(p)).append(" on ").append(nodeName(p)).append(' ')
            .append(p.path("status").path("phase").asText()).append(ready(p) ? " ready" : " not ready")
            .append(p.path("metadata").has("deletionTimestamp") ? " deleting" : "")
            .append(' ').append(p.path("status").path("containerStatuses").path(0).path("state"));
      }
      for (JsonNode n : api.get("/api/v1/nodes").json().path("items")) {
        seen.append("; node ").append(name(n)).append(' ').append(n.path("status").path("conditions"))
            .append(" taints ").append(n.path("spec").path("taints"));
      }
      throw new AssertionError(seen.toString(), e);
    }
  }

  private static void deleteDeploymentAndAwaitGone(Api api, String app) {
    Api.Reply r = api.delete(DEPLOYMENTS + "/" + app);
    assertEquals(200, r.code(), r.body());
    Await.until(app + ": deployment, pods and containers gone", Duration.ofSeconds(90), () ->
        api.get(DEPLOYMENTS + "/" + app).code() == 404 && pods(api, app).isEmpty() && podContainers(app).isEmpty());
  }

  /** Every object of the kinds this test writes, "kind/name" -> uid. */
  private static Map<String, String> objects(Api api) {
    Map<String, String> all = new TreeMap<>();
    for (String path : List.of("/api/v1/namespaces", "/api/v1/nodes", EVENTS, PODS, DEPLOYMENTS,
        "/apis/apps/v1/namespaces/default/replicasets")) {
      Api.Reply list = api.get(path);
      assertEquals(200, list.code(), "GET " + path + ": " + list.body());
      for (JsonNode o : list.json().path("items")) {
        String kind = path.substring(path.lastIndexOf('/') + 1);
        // Events the controllers record come and go with what they observe; the test's own stay.
        if (kind.equals("events") && !name(o).startsWith("s3-")) continue;
        all.put(kind + "/" + name(o), uid(o));
      }
    }
    return all;
  }

  private static Set<String> runningContainerIds(String app) {
    return podContainers(app).stream().filter(c -> c.state() == ContainerInfo.State.RUNNING)
        .map(ContainerInfo::id).collect(Collectors.toCollection(HashSet::new));
  }

  private static List<ContainerInfo> runningAppContainers(String podUid) {
    return cluster.docker().listContainers(Map.of(ContainerRuntime.POD_UID, podUid)).stream()
        .filter(c -> !c.isSandbox() && c.state() == ContainerInfo.State.RUNNING).toList();
  }

  /** The containers of an app's pods, sandboxes included. */
  private static List<ContainerInfo> podContainers(String app) {
    return cluster.containers().stream()
        .filter(c -> c.labels().getOrDefault(ContainerRuntime.POD_NAME, "").startsWith(app + "-")).toList();
  }

  /** The app containers (not the sandboxes) of an app's pods, in any state. */
  private static List<ContainerInfo> appContainers(String app) {
    return podContainers(app).stream().filter(c -> !c.isSandbox()).toList();
  }

  private static Set<String> uids(List<JsonNode> pods) {
    return pods.stream().map(NodeFailureMultiJvmIT::uid).collect(Collectors.toSet());
  }

  private static String name(JsonNode o) {
    return o.path("metadata").path("name").asText();
  }

  private static String uid(JsonNode o) {
    return o.path("metadata").path("uid").asText();
  }

  private static String nodeName(JsonNode pod) {
    return pod.path("spec").path("nodeName").asText("");
  }

  private static boolean ready(JsonNode pod) {
    return "True".equals(condition(pod, "Ready"));
  }

  private static String condition(JsonNode object, String type) {
    return conditionNode(object, type).path("status").asText();
  }

  private static JsonNode conditionNode(JsonNode object, String type) {
    for (JsonNode c : object.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) return c;
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}
