package dev.tugboat.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.Holds;
import dev.tugboat.testing.SharedCassandra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
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
 * StatefulSet failover with fencing, with real processes: a StatefulSet pod whose node dies, or is
 * cut off by a network partition, comes back on another node with the same name and its data, and
 * two containers of that identity never run at once: Docker's own start and finish times of every
 * container the pod ever had are compared. A control-plane failover fences nothing, and a pod whose
 * volume cannot follow it (a node-local one) waits, saying why.
 *
 * <p>And one writer per object (registry.ShardLease): a control-plane member cut off by a partition,
 * or frozen and woken up, never writes beside the member that took its shards over, and nothing
 * acknowledged is lost, as the journal's own rows show.
 *
 * <p>Members as in {@link NodeFailureMultiJvmIT}: {@code cp1} (control plane only, the oldest: the
 * singletons), {@code cp2} (control plane and worker), {@code w3} (worker only). The StatefulSet
 * {@code db} keeps its data on a PersistentVolume in a directory every node reaches (hostPath
 * without node affinity): a volume that can follow its pod.
 */
@ExtendWith(SharedCassandra.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// One after another with the other classes, not beside them: failure detection and the nodes'
// leases are timed, and a suite's worth of other JVMs on two cores made them miss (CI, 2026-12-04:
// a member not Ready within a minute, and NodeIT seeing a pod gone before its containers). Their members stay
// off the addresses others share all the same (TestTugboat.BESIDE_OTHERS).
class FencingMultiJvmIT {
  private static final String IMAGE = "tugboat/busybox:1.0";
  private static final String PODS = "/api/v1/namespaces/default/pods";
  private static final String STATEFULSETS = "/apis/apps/v1/namespaces/default/statefulsets";
  private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";
  private static final Duration MEMBER_START = Duration.ofSeconds(120);

  @RegisterExtension
  static final Cluster cluster = new Cluster("fencing");
  private static Member cp1;
  private static Member cp2;
  private static Member w3;
  private static Path data;

  @BeforeAll
  static void startCluster() throws IOException {
    cp1 = cluster.member("cp1", List.of("control-plane"));
    cp2 = cluster.member("cp2", List.of("control-plane", "worker"));
    w3 = cluster.member("w3", List.of("worker"));
    report("cluster of 3 member JVMs up", cluster.startAll(MEMBER_START));
    awaitNodeReady(cp2);
    awaitNodeReady(w3);
    data = cluster.dir().resolve("db-data");
    Files.createDirectories(data);
    Files.deleteIfExists(data.resolve("starts"));
    create("/api/v1/persistentvolumes", """
        {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"fencing-db"},
         "spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"storageClassName":"shared",
          "persistentVolumeReclaimPolicy":"Retain","hostPath":{"path":"%s","type":"DirectoryOrCreate"}}}
        """.formatted(data));
    onW3(() -> {
      create(STATEFULSETS, statefulSet("db", "shared"));
      return awaitRunning("db-0", w3);
    });
  }

  /** A scenario that failed half-way must not leave the next one a member short, or cut off. */
  @BeforeEach
  void everyMemberUp() {
    cluster.heal();
    if (cluster.members().stream().anyMatch(m -> !m.alive())) {
      cluster.startAll(MEMBER_START);
      awaitNodeReady(cp2);
      awaitNodeReady(w3);
    }
  }

  @AfterEach
  void heal() {
    cluster.heal();
  }

  // ---- 1 ------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  @Timeout(240)
  void aControlPlaneFailoverFencesNothing() {
    JsonNode pod = awaitRunning("db-0", w3);
    String container = theRunningContainer(pod);
    long killed = System.nanoTime();
    cluster.kill(cp1);
    // The singletons (the scheduler among them) run again on cp2 once a new pod gets bound.
    Api api = cp2.api();
    String probe = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"after-failover"},
         "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"main","image":"%s","command":["sleep","3600"]}]}}
        """.formatted(IMAGE);
    // Until the dead member's shards move, a create may time out (504); one that did may still have been written (409).
    Await.until("a pod created after the failover", Duration.ofSeconds(120), () -> {
      assertRunning(container);
      int code = api.post(PODS, probe).code();
      assertTrue(code == 201 || code == 409 || code >= 500, "create answered " + code);
      return code == 201 || code == 409;
    });
    Await.until("the scheduler back after the failover, while db-0's container runs on", Duration.ofSeconds(120), () -> {
      assertRunning(container);
      return !api.get(PODS + "/after-failover").json().path("spec").path("nodeName").asText("").isEmpty();
    });
    report("control-plane failover: a new pod bound after the singletons' member was killed", (System.nanoTime() - killed) / 1e6);
    // Long enough for a fence to have fired: a sandbox acts within its timeout (5 s) plus 2 s.
    Holds.during("db-0's container keeps running through the failover", Duration.ofSeconds(8), () -> {
      ContainerInfo c = cluster.docker().inspectContainer(container);
      return c.state() == ContainerInfo.State.RUNNING ? null : "db-0's container " + c.state() + " exit " + c.exitCode();
    });
    assertEquals(uid(pod), uid(api.get(PODS + "/db-0").json()), "the same pod: nothing evicted it");
    assertEquals(200, api.delete(PODS + "/after-failover").code());
    cluster.restart(cp1, MEMBER_START);
  }

  // ---- 2 ------------------------------------------------------------------------------------------

  @Test
  @Order(2)
  @Timeout(300)
  void aKilledWorkersStatefulSetPodComesBackElsewhereAndNeverTwice() throws IOException {
    JsonNode cache = onW3(() -> {
      create(STATEFULSETS, statefulSet("cache", "local"));
      return awaitRunning("cache-0", w3);
    });
    JsonNode db = awaitRunning("db-0", w3);
    long startsBefore = starts();

    long killed = System.nanoTime();
    cluster.kill(w3);
    JsonNode moved = awaitRunning("db-0", cp2);
    report("kill: db-0 Running on cp2 after its worker was killed", (System.nanoTime() - killed) / 1e6);
    assertNotEquals(uid(db), uid(moved), "a new pod with the same name");
    Await.until("the new db-0 wrote to the same volume", Duration.ofSeconds(30), () -> starts() == startsBefore + 1);
    assertOneAtATime("db-0");
    assertTrue(events("db-0").stream().anyMatch(e -> e.path("reason").asText().equals("TaintManagerEviction")
        && e.path("message").asText().contains("node fenced")), "the eviction says the node was fenced: " + events("db-0"));

    // A node-local volume cannot follow its pod: the new cache-0 waits, and says why.
    JsonNode waiting = Await.until("cache-0 re-created and waiting for its node", Duration.ofSeconds(90), () -> {
      JsonNode p = cp2.api().get(PODS + "/cache-0").json();
      return !uid(p).equals(uid(cache)) && conditionNode(p, "PodScheduled").path("message").asText().contains("volume node affinity conflict")
          ? p : null;
    });
    assertEquals("", waiting.path("spec").path("nodeName").asText(""), waiting.toString());

    cluster.restart(w3, MEMBER_START);
    awaitRunning("cache-0", w3);
    assertEquals(200, cp2.api().delete(STATEFULSETS + "/cache").code());
    Await.until("cache's pod gone", Duration.ofSeconds(60), () -> cp2.api().get(PODS + "/cache-0").code() == 404);
  }

  // ---- 3 ------------------------------------------------------------------------------------------

  @Test
  @Order(3)
  @Timeout(300)
  void aPartitionedWorkersAgentKillsItsStatefulSetPodBeforeTheReplacementStarts() {
    // db-0 back onto w3 for the partition
    JsonNode before = onW3(() -> {
      assertEquals(200, cp2.api().delete(PODS + "/db-0").code());
      return awaitRunning("db-0", w3);
    });
    long startsBefore = starts();

    long cut = System.nanoTime();
    cluster.partition(w3);
    // Alone, w3 is the minority: the Split Brain Resolver downs it, and its member stops.
    w3.awaitExit("w3 downed by the Split Brain Resolver and stopped", Duration.ofSeconds(90));
    report("partition: w3 downed and stopped", (System.nanoTime() - cut) / 1e6);
    String log = readLog(w3);
    assertTrue(log.contains("not in the cluster's majority"), "its fence was let go when it lost the majority");
    assertTrue(log.contains("this member was downed; killing"), "its agent killed its fenced pods when downed");

    JsonNode moved = awaitRunning("db-0", cp2);
    report("partition: db-0 Running on cp2 after w3 was cut off", (System.nanoTime() - cut) / 1e6);
    assertNotEquals(uid(before), uid(moved));
    Await.until("the new db-0 wrote to the same volume", Duration.ofSeconds(30), () -> starts() == startsBefore + 1);
    assertOneAtATime("db-0");

    cluster.heal();
    cluster.restart(w3, MEMBER_START);
    awaitNodeReady(w3);
  }

  // ---- 4 ------------------------------------------------------------------------------------------

  /**
   * A 2|1 partition that cuts a control-plane member off, under writes through every member: the
   * cut-off member refuses writes (503), its shards' leases lapse, the Split Brain Resolver downs it
   * and its agent kills its pods' containers; the majority takes its shards over only once its
   * session has run out; after the heal it rejoins. Nothing acknowledged is lost, and the journal
   * shows one writer per object at a time.
   */
  @Test
  @Order(4)
  @Timeout(360)
  void aPartitionedControlPlaneMemberStopsWritingAndTheMajorityTakesOverItsShardsAfterItsLease() {
    List<String> objects = configMaps("p-", 40);
    List<String> onCp2 = hostedByCp2(objects);
    onCp2(() -> {
      create(DEPLOYMENTS, deployment("web", 2));
      Await.until("web's 2 pods running on cp2", Duration.ofSeconds(150), () -> runningPods(cp2, "web-") >= 2);
      return null;
    });

    try (WriteLoad load = writesThroughCp1AndCp2(objects)) {
      cluster.partition(cp2);
      // from the moment the rules are in (three iptables calls take a while): a write sent before may still get through
      long cut = System.nanoTime();
      long cutMillis = System.currentTimeMillis();
      Await.until("cp2 refuses writes: it is cut off from the majority", Duration.ofSeconds(60), () -> load.refusals().stream()
          .anyMatch(r -> r.member().equals("cp2") && r.code() == 503 && r.body().contains("majority")));
      long firstMinority503 = load.refusals().stream().filter(r -> r.member().equals("cp2") && r.code() == 503)
          .mapToLong(WriteLoad.Refusal::nanos).min().orElseThrow();
      report("partition: cp2 refuses writes (503)", (firstMinority503 - cut) / 1e6);
      cp2.awaitExit("cp2 downed by the Split Brain Resolver and stopped", Duration.ofSeconds(90));
      report("partition: cp2 downed and stopped", (System.nanoTime() - cut) / 1e6);
      awaitTakeover("partition", load, onCp2, objects.subList(0, 20), cut);
      load.close();

      String log = readLog(cp2);
      assertTrue(log.contains("in a minority of the cluster: it stops renewing its shard lease session"), "cp2 let its session go");
      assertTrue(log.contains("this member was downed; killing the"), "cp2's agent killed its pods when downed");
      assertEquals(3, cp2.exitValue(), "tug up says it was downed: a service manager restarts it");
      assertEquals(0, runningContainers(cp2), "no container of cp2's node runs: " + cluster.containers());
      assertEquals(0, load.acks().stream().filter(a -> a.member().equals("cp2") && a.nanos() - firstMinority503 > 0).count(),
          "cp2 acknowledged nothing once it refused");

      cluster.heal();
      report("partition: cp2 back after the heal", cluster.restart(cp2, MEMBER_START));
      awaitNodeReady(cp2);
      Api.Reply again = cp2.api().patch(WriteLoad.CONFIGMAPS + "/" + onCp2.get(0), "{\"data\":{\"back\":\"yes\"}}",
          "application/merge-patch+json");
      assertEquals(200, again.code(), again.body());
      int checked = OneWriter.nothingAcknowledgedLost(cp1.api(), load);
      List<OneWriter.Handover> handovers = OneWriter.oneIncarnationAtATime(cluster.cql(), cluster.keyspace(), objects);
      System.out.printf("FencingMultiJvmIT: partition: %d acknowledged writes all in the journal, %d refused or unanswered;"
          + " %d objects changed writer, never two at once%n", checked, load.refusals().size(), handovers.size());
      reportHandovers("partition", handovers, onCp2, objects.subList(0, 20), cutMillis);
    } finally {
      cp1.api().delete(DEPLOYMENTS + "/web");
    }
  }

  // ---- 5 ------------------------------------------------------------------------------------------

  /**
   * A control-plane member that freezes (SIGSTOP: a long GC pause, a stalled VM) long enough to be
   * downed and have its shards taken over wakes up still believing it hosts them, with requests
   * waiting in its sockets and its cluster view from before. Without shard leases it would write
   * beside their new owner; with them, its session has lapsed on its own monotonic clock and its
   * entities refuse. Nothing acknowledged is lost, and the journal shows one writer at a time.
   */
  @Test
  @Order(5)
  @Timeout(300)
  void aFrozenControlPlaneMemberWakesUpWithoutWritingBesideTheMemberThatTookItsShards() {
    List<String> objects = configMaps("f-", 40);
    List<String> onCp2 = hostedByCp2(objects);
    try (WriteLoad load = writesThroughCp1AndCp2(objects)) {
      long frozen = System.nanoTime();
      long frozenMillis = System.currentTimeMillis();
      cp2.freeze();
      awaitTakeover("freeze", load, onCp2, objects.subList(0, 20), frozen);
      long woke = System.nanoTime();
      cp2.thaw();
      cp2.awaitExit("cp2 downed and stopped after it woke", Duration.ofSeconds(90));
      report("freeze: cp2 stopped after waking", (System.nanoTime() - woke) / 1e6);
      load.close();
      String log = readLog(cp2);

      report("freeze: cp2 back", cluster.restart(cp2, MEMBER_START));
      awaitNodeReady(cp2);
      int checked = OneWriter.nothingAcknowledgedLost(cp1.api(), load);
      List<OneWriter.Handover> handovers = OneWriter.oneIncarnationAtATime(cluster.cql(), cluster.keyspace(), objects);
      long afterWake = load.acks().stream().filter(a -> a.member().equals("cp2") && a.nanos() - woke > 0).count();
      System.out.printf("FencingMultiJvmIT: freeze: %d acknowledged writes all in the journal (%d by cp2 after it woke);"
          + " %d objects changed writer, never two at once%n", checked, afterWake, handovers.size());
      reportHandovers("freeze", handovers, onCp2, objects.subList(0, 20), frozenMillis);
      assertTrue(log.contains("shard lease session lapsed"), "cp2 found its session lapsed when it woke");
    }
  }

  /**
   * Waits until cp1 has written every one of its objects that had its shard on cp2, with writes sent
   * after {@code since} (one sent before may have reached cp2 before the cut).
   */
  private static void awaitTakeover(String scenario, WriteLoad load, List<String> onCp2, List<String> cp1Writes, long since) {
    Set<String> expected = onCp2.stream().filter(cp1Writes::contains).collect(java.util.stream.Collectors.toSet());
    Await.until("cp1 writes every object whose shard was on cp2: " + expected, Duration.ofSeconds(90), () -> load.acks().stream()
        .filter(a -> a.member().equals("cp1") && a.sent() - since > 0).map(WriteLoad.Ack::object).collect(
            java.util.stream.Collectors.toSet()).containsAll(expected));
    List<Long> firsts = expected.stream().map(o -> load.acks().stream()
        .filter(a -> a.object().equals(o) && a.member().equals("cp1") && a.sent() - since > 0)
        .mapToLong(WriteLoad.Ack::nanos).min().orElseThrow()).sorted().toList();
    report(scenario + ": the majority acknowledges the first of cp2's objects", (firsts.get(0) - since) / 1e6);
    report(scenario + ": the majority acknowledges the last of cp2's objects", (firsts.get(firsts.size() - 1) - since) / 1e6);
  }

  /**
   * Every object of cp2's shards that the majority went on writing changed writer after
   * {@code sinceMillis}; prints when the old writers last wrote and the new ones first did (the
   * journal's own timestamps).
   */
  private static void reportHandovers(String scenario, List<OneWriter.Handover> handovers, List<String> onCp2,
      List<String> writtenByMajority, long sinceMillis) {
    List<OneWriter.Handover> moved = handovers.stream().filter(h -> onCp2.contains(h.object()) && h.firstAfter() > sinceMillis).toList();
    Set<String> expected = onCp2.stream().filter(writtenByMajority::contains).collect(java.util.stream.Collectors.toSet());
    assertTrue(moved.stream().map(OneWriter.Handover::object).collect(java.util.stream.Collectors.toSet()).containsAll(expected),
        "every object of cp2's shards that cp1 wrote changed writer: " + moved + ", expected " + expected);
    long lastOld = moved.stream().mapToLong(OneWriter.Handover::lastBefore).max().orElseThrow();
    long firstNew = moved.stream().mapToLong(OneWriter.Handover::firstAfter).min().orElseThrow();
    System.out.printf("FencingMultiJvmIT: %s: cp2's last write issued %.1f s after it, the majority's first write of cp2's"
        + " objects %.1f s after it; %d of cp2's last writes reached the journal after the takeover (not acknowledged)%n",
        scenario, (lastOld - sinceMillis) / 1e3, (firstNew - sinceMillis) / 1e3, moved.stream().filter(OneWriter.Handover::late).count());
  }

  /** The objects whose shards cp2 hosts; some of them among the first 20, the ones written through cp1. */
  private static List<String> hostedByCp2(List<String> objects) {
    List<String> onCp2 = hostedBy(cp2, objects);
    assertTrue(onCp2.stream().filter(objects.subList(0, 20)::contains).count() >= 2,
        "some of the objects cp1's writer writes have their shards on cp2: " + onCp2);
    return onCp2;
  }

  /** Writes to the first 20 objects through cp1 and the others through cp2, once both acknowledge some. */
  private static WriteLoad writesThroughCp1AndCp2(List<String> objects) {
    WriteLoad load = new WriteLoad(Map.of(cp1, objects.subList(0, 20), cp2, objects.subList(20, 40))).start();
    try {
      Await.until("writes acknowledged through both members", Duration.ofSeconds(60),
          () -> load.acksFrom(cp1, 0) >= 20 && load.acksFrom(cp2, 0) >= 20);
      return load;
    } catch (RuntimeException | Error e) {
      load.close();
      throw e;
    }
  }

  /** {@code count} ConfigMaps {@code prefix0...}, created through cp1. */
  private static List<String> configMaps(String prefix, int count) {
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(prefix + i);
      create(cp1.api(), WriteLoad.CONFIGMAPS, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
          + prefix + i + "\"},\"data\":{\"seq\":\"0\"}}");
    }
    return names;
  }

  /** The objects whose shard's lease {@code m}'s incarnation holds now (registry.ShardLease's rows). */
  private static List<String> hostedBy(Member m, List<String> objects) {
    return objects.stream().filter(name -> {
      String lease = "tugboat-shard-ConfigMap-"
          + org.apache.pekko.cluster.sharding.ShardRegion.HashCodeMessageExtractor$.MODULE$.shardId("default/" + name, 100);
      var row = cluster.cql().execute("SELECT owner FROM " + cluster.keyspace() + ".shard_leases WHERE name = ?", lease).one();
      return row != null && row.getString("owner").contains("@" + m.spec().remoteAddress() + "#");
    }).toList();
  }

  /** Running containers on {@code m}'s node (sandboxes too). */
  private static long runningContainers(Member m) {
    return running(m).count();
  }

  /** Pods whose name starts with {@code prefix} with a running (non-sandbox) container on {@code m}'s node. */
  private static long runningPods(Member m, String prefix) {
    return running(m).filter(c -> !c.isSandbox() && c.labels().getOrDefault(ContainerRuntime.POD_NAME, "").startsWith(prefix))
        .map(c -> c.labels().get(ContainerRuntime.POD_NAME)).distinct().count();
  }

  private static java.util.stream.Stream<ContainerInfo> running(Member m) {
    return cluster.containers().stream()
        .filter(c -> m.nodeName().equals(c.labels().get(ContainerRuntime.NODE)) && c.state() == ContainerInfo.State.RUNNING);
  }

  private static String deployment(String name, int replicas) {
    return """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%1$s"},
         "spec":{"replicas":%2$d,"selector":{"matchLabels":{"app":"%1$s"}},
          "template":{"metadata":{"labels":{"app":"%1$s"}},
           "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"main","image":"%3$s",
             "command":["sleep","3600"]}]}}}}
        """.formatted(name, replicas, IMAGE);
  }

  /** Runs {@code action} with w3 cordoned, so that new pods go to cp2. */
  private static <T> T onCp2(java.util.function.Supplier<T> action) {
    cordon(w3, true);
    try {
      return action.get();
    } finally {
      cordon(w3, false);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------

  /**
   * Every container db-0 ever had (Docker keeps the exited ones until their node removes them), in
   * the order they started: each one finished before the next started.
   */
  private static void assertOneAtATime(String podName) {
    List<ContainerInfo> runs = cluster.containers().stream()
        .filter(c -> !c.isSandbox() && podName.equals(c.labels().get(ContainerRuntime.POD_NAME)))
        .map(c -> cluster.docker().inspectContainer(c.id()))
        .sorted(Comparator.comparing(ContainerInfo::startedAt)).toList();
    assertTrue(runs.size() >= 2, "the old and the new container: " + runs);
    for (int i = 1; i < runs.size(); i++) {
      ContainerInfo previous = runs.get(i - 1);
      ContainerInfo next = runs.get(i);
      assertNotNull(previous.finishedAt(), "still running when " + next.id() + " started: " + previous);
      assertTrue(previous.finishedAt().isBefore(next.startedAt()),
          previous.id() + " finished " + previous.finishedAt() + ", after " + next.id() + " started " + next.startedAt());
      System.out.printf("FencingMultiJvmIT: %s: %s (%s) finished %d ms before the next started%n", podName,
          previous.id().substring(0, 12), previous.labels().get(ContainerRuntime.NODE),
          Duration.between(previous.finishedAt(), next.startedAt()).toMillis());
    }
  }

  /** Runs {@code action} with cp2 cordoned, so that new pods go to w3. */
  private static <T> T onW3(java.util.function.Supplier<T> action) {
    cordon(cp2, true);
    try {
      return action.get();
    } finally {
      cordon(cp2, false);
    }
  }

  private static void cordon(Member m, boolean unschedulable) {
    Api.Reply r = api().patch("/api/v1/nodes/" + m.nodeName(), "{\"spec\":{\"unschedulable\":" + unschedulable + "}}",
        "application/merge-patch+json");
    assertEquals(200, r.code(), r.body());
  }

  private static JsonNode awaitRunning(String name, Member node) {
    return Await.until(name + " Running and Ready on " + node.name(), Duration.ofSeconds(150), () -> {
      Api.Reply r = api().get(PODS + "/" + name);
      if (r.code() != 200) return null;
      JsonNode p = r.json();
      boolean running = node.nodeName().equals(p.path("spec").path("nodeName").asText())
          && !p.path("metadata").has("deletionTimestamp")
          && "Running".equals(p.path("status").path("phase").asText())
          && "True".equals(conditionNode(p, "Ready").path("status").asText());
      return running ? p : null;
    });
  }

  private static String theRunningContainer(JsonNode pod) {
    List<ContainerInfo> running = cluster.docker().listContainers(Map.of(ContainerRuntime.POD_UID, uid(pod))).stream()
        .filter(c -> !c.isSandbox() && c.state() == ContainerInfo.State.RUNNING).toList();
    assertEquals(1, running.size(), running.toString());
    assertEquals("true", running.get(0).labels().get(ContainerRuntime.FENCED), "a StatefulSet's pod is fenced");
    return running.get(0).id();
  }

  private static void assertRunning(String container) {
    ContainerInfo c = cluster.docker().inspectContainer(container);
    assertEquals(ContainerInfo.State.RUNNING, c.state(), "db-0's container ended: exit " + c.exitCode());
  }

  /** How many times a db pod started on the volume (each start appends a line). */
  private static long starts() {
    try {
      Path file = data.resolve("starts");
      return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<JsonNode> events(String podName) {
    List<JsonNode> events = new java.util.ArrayList<>();
    api().get("/api/v1/namespaces/default/events").json().path("items").forEach(e -> {
      if (podName.equals(e.path("involvedObject").path("name").asText())) events.add(e);
    });
    return events;
  }

  private static String statefulSet(String name, String storageClass) {
    return """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"%1$s"},
         "spec":{"serviceName":"%1$s","replicas":1,"selector":{"matchLabels":{"app":"%1$s"}},
          "template":{"metadata":{"labels":{"app":"%1$s"}},
           "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"main","image":"%2$s",
             "command":["sh","-c","echo start >> /data/starts; exec sleep 3600"],
             "volumeMounts":[{"name":"data","mountPath":"/data"}]}]}},
          "volumeClaimTemplates":[{"metadata":{"name":"data"},
           "spec":{"storageClassName":"%3$s","accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}}
        """.formatted(name, IMAGE, storageClass);
  }

  /** The API of a control-plane member that runs. */
  private static Api api() {
    return (cp2.alive() ? cp2 : cp1).api();
  }

  private static JsonNode create(String path, String json) {
    return create(api(), path, json);
  }

  private static JsonNode create(Api api, String path, String json) {
    Api.Reply r = api.post(path, json);
    assertEquals(201, r.code(), r.body());
    return r.json();
  }

  private static void awaitNodeReady(Member m) {
    Await.until("node " + m.nodeName() + " Ready", Duration.ofSeconds(60), () -> {
      Api.Reply r = api().get("/api/v1/nodes?fieldSelector=metadata.name%3D" + m.nodeName());
      if (r.code() != 200) return false;
      for (JsonNode node : r.json().path("items")) {
        if ("True".equals(conditionNode(node, "Ready").path("status").asText())) return true;
      }
      return false;
    });
  }

  private static String readLog(Member m) {
    try {
      return Files.readString(m.log());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String uid(JsonNode o) {
    return o.path("metadata").path("uid").asText();
  }

  private static JsonNode conditionNode(JsonNode object, String type) {
    for (JsonNode c : object.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) return c;
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static void report(String what, double millis) {
    System.out.printf("FencingMultiJvmIT: %s: %.1f s%n", what, millis / 1000);
  }
}
