package dev.tugboat.controller.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.compat.Kubectl;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.Holds;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Storage on real workers (real Docker, real Cassandra): a claim of the default class provisioned on
 * the node of its first pod, data that outlives the pod, a static hostPath volume bound by size and
 * access modes, a claim nothing fits that waits saying why, a claim in use that is kept until its pod
 * is gone, and a deleted claim whose volume and directory go with it; kubectl 1.33's columns.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StorageIT {
  private static final String IMAGE = "tugboat/busybox:1.0";
  private static final String NS = "/api/v1/namespaces/default/";
  private final long pid = ProcessHandle.current().pid();
  private final String nodeA = "st-a-" + pid;
  private final String nodeB = "st-b-" + pid;
  private final String keyspace = "storage_it_" + pid;
  private final Path staticDir = SharedCassandra.itDir().resolve("storage-static-" + pid);
  private EmbeddedCassandra cassandra;
  private Tugboat control;
  private final List<Tugboat> workers = new ArrayList<>();
  private Api api;
  /** The directory of the volume provisioned for claim {@code data}, and its name. */
  private Path provisionedDir;
  private String provisioned;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws IOException {
    this.cassandra = cassandra;
    Files.createDirectories(staticDir);
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", nodeA);
    config.put("tugboat.node.sync-period", "1s");
    control = TestTugboat.start(cassandra, keyspace, config);
    api = Api.of(control);
    Map<String, Object> worker = new HashMap<>();
    worker.put("pekko.cluster.roles", List.of("worker"));
    worker.put("pekko.cluster.seed-nodes", List.of(Cluster.get(control.system()).selfMember().address().toString()));
    worker.put("tugboat.node-name", nodeB);
    worker.put("tugboat.node.sync-period", "1s");
    workers.add(TestTugboat.start(cassandra, keyspace, worker));
    for (String node : List.of(nodeA, nodeB)) {
      Await.until("node " + node + " Ready", Duration.ofSeconds(60), () -> {
        for (JsonNode c : api.get("/api/v1/nodes/" + node).json().path("status").path("conditions")) {
          if (c.path("type").asText().equals("Ready")) return c.path("status").asText().equals("True");
        }
        return false;
      });
    }
  }

  @AfterAll
  void stop() throws IOException {
    workers.forEach(Tugboat::close);
    if (control != null) control.close();
    NodeContainers.removeAll(nodeA, nodeB);
    delete(staticDir);
    if (provisionedDir != null) delete(provisionedDir);
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private Api.Reply create(String path, String json) {
    Api.Reply r = api.post(path, json);
    assertEquals(201, r.code(), r.body());
    return r;
  }

  private String pod(String name, String claim, String script, String restartPolicy) {
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},
         "spec":{"restartPolicy":"%s","terminationGracePeriodSeconds":1,
          "containers":[{"name":"c","image":"%s","command":["sh","-c","%s"],
            "volumeMounts":[{"name":"data","mountPath":"/data"}]}],
          "volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"%s"}}]}}
        """.formatted(name, restartPolicy, IMAGE, script, claim);
  }

  private void awaitPhase(String pod, String phase) {
    Await.until("pod " + pod + " " + phase, Duration.ofSeconds(90),
        () -> phase.equals(api.get(NS + "pods/" + pod).json().at("/status/phase").asText()));
  }

  private void awaitGone(String path) {
    Await.until(path + " gone", Duration.ofSeconds(90), () -> api.get(path).code() == 404);
  }

  /** The messages of the Events about an object. */
  private List<String> events(String name) {
    List<String> messages = new ArrayList<>();
    for (JsonNode e : api.get(NS + "events").json().path("items")) {
      if (name.equals(e.at("/involvedObject/name").asText())) messages.add(e.path("reason").asText() + ": " + e.path("message").asText());
    }
    return messages;
  }

  @Test
  @Order(1)
  void theBuiltInClassIsTheDefaultAndBadClaimsAre422() {
    JsonNode local = api.get("/apis/storage.k8s.io/v1/storageclasses/local").json();
    assertEquals("tugboat.dev/local", local.path("provisioner").asText());
    assertEquals("WaitForFirstConsumer", local.path("volumeBindingMode").asText());
    assertEquals("Delete", local.path("reclaimPolicy").asText());
    assertEquals("true", local.at("/metadata/annotations/storageclass.kubernetes.io~1is-default-class").asText());
    Api.Reply bad = api.post(NS + "persistentvolumeclaims", """
        {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"bad"},
         "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"lots"}}}}
        """);
    assertEquals(422, bad.code(), bad.body());
    assertEquals("spec.resources[storage]", bad.json().at("/details/causes/0/field").asText(), bad.body());
  }

  @Test
  @Order(2)
  void aClaimOfTheDefaultClassIsProvisionedWhereItsPodRunsAndKeepsItsData() throws IOException {
    JsonNode claim = create(NS + "persistentvolumeclaims", """
        {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data"},
         "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"64Mi"}}}}
        """).json();
    assertEquals("local", claim.at("/spec/storageClassName").asText());
    assertEquals("Pending", claim.at("/status/phase").asText());
    assertEquals("kubernetes.io/pvc-protection", claim.at("/metadata/finalizers/0").asText());
    Await.until("the claim waits for its first consumer", Duration.ofSeconds(30), () -> events("data").contains(
        "WaitForFirstConsumer: waiting for first consumer to be created before binding"));

    create(NS + "pods", pod("writer", "data", "echo kept-" + pid + " > /data/f && cat /data/f", "Never"));
    awaitPhase("writer", "Succeeded");
    JsonNode bound = api.get(NS + "persistentvolumeclaims/data").json();
    String node = api.get(NS + "pods/writer").json().at("/spec/nodeName").asText();
    assertEquals(node, bound.at("/metadata/annotations/volume.kubernetes.io~1selected-node").asText());
    provisioned = "pvc-" + bound.at("/metadata/uid").asText();
    assertEquals(provisioned, bound.at("/spec/volumeName").asText());
    assertEquals("Bound", bound.at("/status/phase").asText());
    assertEquals("64Mi", bound.at("/status/capacity/storage").asText());
    JsonNode pv = api.get("/api/v1/persistentvolumes/" + provisioned).json();
    assertEquals("Bound", pv.at("/status/phase").asText());
    assertEquals("Delete", pv.at("/spec/persistentVolumeReclaimPolicy").asText());
    assertEquals(node, pv.at("/spec/nodeAffinity/required/nodeSelectorTerms/0/matchExpressions/0/values/0").asText());
    provisionedDir = SharedCassandra.itDir().resolve("tugboat-" + keyspace).toAbsolutePath().normalize()
        .resolve("volumes").resolve(provisioned);
    assertEquals(provisionedDir.toString(), pv.at("/spec/local/path").asText());
    assertEquals("kept-" + pid, Files.readString(provisionedDir.resolve("f")).trim());

    assertEquals(200, api.delete(NS + "pods/writer").code());
    awaitGone(NS + "pods/writer");
    create(NS + "pods", pod("reader", "data", "cat /data/f", "Never"));
    awaitPhase("reader", "Succeeded");
    assertEquals(node, api.get(NS + "pods/reader").json().at("/spec/nodeName").asText(), "the pod follows its volume");
    assertTrue(api.get(NS + "pods/reader/log").body().contains("kept-" + pid), "the new pod reads what the old one wrote");
  }

  @Test
  @Order(3)
  void aStaticHostPathVolumeIsBoundBySizeAndAccessModes() {
    create("/apis/storage.k8s.io/v1/storageclasses", """
        {"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"manual"},
         "provisioner":"kubernetes.io/no-provisioner"}
        """);
    for (String[] v : List.of(new String[] {"pv-small", "1Gi", "ReadWriteOnce"}, new String[] {"pv-rox", "5Gi", "ReadOnlyMany"},
        new String[] {"pv-big", "5Gi", "ReadWriteOnce"}, new String[] {"pv-huge", "50Gi", "ReadWriteOnce"})) {
      create("/api/v1/persistentvolumes", """
          {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"%s"},
           "spec":{"capacity":{"storage":"%s"},"accessModes":["%s"],"storageClassName":"manual",
            "hostPath":{"path":"%s","type":"DirectoryOrCreate"}}}
          """.formatted(v[0], v[1], v[2], staticDir.resolve(v[0])));
    }
    Await.until("the volumes Available", Duration.ofSeconds(30), () -> "Available".equals(
        api.get("/api/v1/persistentvolumes/pv-big").json().at("/status/phase").asText()));
    create(NS + "persistentvolumeclaims", """
        {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"static"},
         "spec":{"storageClassName":"manual","accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"2Gi"}}}}
        """);
    Await.until("the claim Bound", Duration.ofSeconds(30), () -> "Bound".equals(
        api.get(NS + "persistentvolumeclaims/static").json().at("/status/phase").asText()));
    JsonNode claim = api.get(NS + "persistentvolumeclaims/static").json();
    assertEquals("pv-big", claim.at("/spec/volumeName").asText(), "the smallest volume that fits, with the modes asked");
    assertEquals("5Gi", claim.at("/status/capacity/storage").asText());
    Await.until("the volume Bound", Duration.ofSeconds(30), () -> "Bound".equals(
        api.get("/api/v1/persistentvolumes/pv-big").json().at("/status/phase").asText()));
    assertEquals("static", api.get("/api/v1/persistentvolumes/pv-big").json().at("/spec/claimRef/name").asText());
    // A pod on it writes into the host's directory.
    create(NS + "pods", pod("static-writer", "static", "echo static > /data/g", "Never"));
    awaitPhase("static-writer", "Succeeded");
    assertTrue(Files.exists(staticDir.resolve("pv-big").resolve("g")));
  }

  @Test
  @Order(4)
  void aClaimNothingFitsStaysPendingSayingWhy() {
    create(NS + "persistentvolumeclaims", """
        {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"huge"},
         "spec":{"storageClassName":"manual","accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Ti"}}}}
        """);
    Await.until("an Event saying why", Duration.ofSeconds(30), () -> events("huge").contains("FailedBinding: no persistent "
        + "volumes available for this claim and storage class \"manual\" has no provisioner"));
    Holds.during("the claim stays Pending", Duration.ofSeconds(2), () -> {
      String phase = api.get(NS + "persistentvolumeclaims/huge").json().at("/status/phase").asText();
      return phase.equals("Pending") ? null : "phase " + phase;
    });
    // A pod using it is not scheduled.
    create(NS + "pods", pod("stuck", "huge", "true", "Never"));
    Await.until("the pod unschedulable", Duration.ofSeconds(30), () -> api.get(NS + "pods/stuck").json()
        .at("/status/conditions/0/message").asText().contains("pod has unbound immediate PersistentVolumeClaims"));
    assertEquals("", api.get(NS + "pods/stuck").json().at("/spec/nodeName").asText());
    assertEquals(200, api.delete(NS + "pods/stuck").code());
  }

  @Test
  @Order(5)
  void kubectlShowsItsColumns() throws Exception {
    Kubectl kubectl = Kubectl.v133(SharedCassandra.itDir().resolve("storage-kubectl-" + pid))
        .orElseThrow(() -> new AssertionError("kubectl 1.33 is missing")).configure(control, "default");
    Kubectl.Result get = kubectl.run("get", "pv,pvc,sc");
    assertEquals(0, get.exit(), get.toString());
    List<String> headers = get.out().lines().filter(l -> l.startsWith("NAME")).map(l -> String.join(" ", l.trim().split("\\s+")))
        .toList();
    assertEquals(List.of(
        "NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE",
        "NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE",
        "NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE"), headers, get.out());
    assertTrue(get.out().lines().anyMatch(l -> l.matches("persistentvolume/pv-big\\s+5Gi\\s+RWO\\s+Retain\\s+Bound\\s+"
        + "default/static\\s+manual\\s+<unset>\\s+\\S+")), get.out());
    assertTrue(get.out().lines().anyMatch(l -> l.matches("persistentvolumeclaim/huge\\s+Pending\\s+manual\\s+<unset>\\s+\\S+")),
        get.out());
    assertTrue(get.out().lines().anyMatch(l -> l.matches(
        "storageclass.storage.k8s.io/local \\(default\\)\\s+tugboat.dev/local\\s+Delete\\s+WaitForFirstConsumer\\s+false\\s+\\S+")),
        get.out());
  }

  @Test
  @Order(6)
  void aClaimInUseIsKeptUntilItsPodIsGoneThenItsVolumeAndDirectoryGo() {
    create(NS + "pods", pod("holder", "data", "sleep 3600", "Always"));
    awaitPhase("holder", "Running");
    Api.Reply deleted = api.delete(NS + "persistentvolumeclaims/data");
    assertEquals(200, deleted.code(), deleted.body());
    // The claim stays while its pod runs: marked for deletion, held by its finalizer.
    Holds.during("the claim in use is kept", Duration.ofSeconds(3),
        () -> api.get(NS + "persistentvolumeclaims/data").code() == 200 ? null : "the claim is gone");
    JsonNode kept = api.get(NS + "persistentvolumeclaims/data").json();
    assertTrue(kept.at("/metadata/deletionTimestamp").isTextual(), kept.toString());
    assertEquals("kubernetes.io/pvc-protection", kept.at("/metadata/finalizers/0").asText());
    assertTrue(Files.exists(provisionedDir.resolve("f")));

    assertEquals(200, api.delete(NS + "pods/holder").code());
    awaitGone(NS + "pods/holder");
    awaitGone(NS + "persistentvolumeclaims/data");
    awaitGone("/api/v1/persistentvolumes/" + provisioned);
    assertFalse(Files.exists(provisionedDir), "the node agent removed the volume's directory");
    // Retain keeps a static volume, Released, when its claim goes.
    assertEquals(200, api.delete(NS + "pods/static-writer").code());
    awaitGone(NS + "pods/static-writer");
    assertEquals(200, api.delete(NS + "persistentvolumeclaims/static").code());
    Await.until("pv-big Released", Duration.ofSeconds(30), () -> "Released".equals(
        api.get("/api/v1/persistentvolumes/pv-big").json().at("/status/phase").asText()));
    assertTrue(Files.exists(staticDir.resolve("pv-big").resolve("g")), "Retain keeps the data");
  }
}
