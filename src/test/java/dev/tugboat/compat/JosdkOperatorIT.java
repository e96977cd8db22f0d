package dev.tugboat.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.model.ResourceType;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real operator written with the Java Operator SDK (examples/josdk-operator, JOSDK 5.2 on fabric8 7)
 * against a live Tugboat: two replicas as child JVMs elect a leader through a Lease; the leader applies a
 * WebApp's ConfigMap, Deployment and Service with server-side apply, writes its status through the status
 * subresource and puts its finalizer on it. The leader is killed (SIGKILL, so its Lease is not released);
 * a spec change made after the kill reaches the Deployment through the other replica. Deleting the WebApp
 * runs the finalizer: the dependents go, then the WebApp.
 *
 * <p>An API-only member: the test asserts on objects the API serves, not on pods.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JosdkOperatorIT {
  private static final String NS = "webapps";
  private static final String CRD = "webapps.apps.tugboat.example";
  private static final String APP = "/apis/apps.tugboat.example/v1/namespaces/" + NS + "/webapps/hello";
  private static final String LEASE = "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases/webapp-operator";
  private static final String MANAGER = "webapp-operator";
  /** Short lease timings so a takeover is seen in seconds (client-go's defaults are 15 s, 10 s, 2 s). */
  private static final String LEASE_SECONDS = "4";
  private static final String RENEW_SECONDS = "3";
  private static final String RETRY_MILLIS = "500";
  private static final Duration SOON = Duration.ofSeconds(30);

  private Tugboat tugboat;
  private Api api;
  private Path work;
  private final Map<String, Process> operators = new HashMap<>();

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws IOException {
    tugboat = TestTugboat.start(cassandra, "josdk_" + ProcessHandle.current().pid(),
        Map.of("tugboat.controllers.run", List.of("namespace", "crd-cleanup")));
    api = Api.of(tugboat);
    work = Files.createDirectories(SharedCassandra.itDir().resolve("josdk-" + ProcessHandle.current().pid()));
    Serving.await(api);
  }

  @AfterAll
  void stop() {
    operators.values().forEach(Process::destroyForcibly);
    operators.values().forEach(p -> {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    if (tugboat != null) {
      api.delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + CRD);
      tugboat.close();
    }
    ResourceType.remove("apps.tugboat.example", "WebApp");
  }

  @Test
  void anOperatorReconcilesFinalizesAndSurvivesItsLeader() throws Exception {
    created(api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + NS + "\"}}"));
    created(api.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", CRD_JSON));
    Await.until("webapps served", SOON, () -> api.get("/apis/apps.tugboat.example/v1/namespaces/" + NS + "/webapps").code() == 200);

    // Two replicas of the operator; both start at once, so their JVM start-ups overlap.
    Path kubeconfig = TestTugboat.kubeconfig(tugboat);
    for (String id : List.of("op-a", "op-b")) operators.put(id, operator(id, kubeconfig));
    String leader = Await.until("one operator leads", Duration.ofSeconds(60), () -> {
      Api.Reply lease = api.get(LEASE);
      return lease.code() == 200 && operators.containsKey(lease.at("/spec/holderIdentity")) ? lease.at("/spec/holderIdentity") : null;
    });

    created(api.post("/apis/apps.tugboat.example/v1/namespaces/" + NS + "/webapps", """
        {"apiVersion":"apps.tugboat.example/v1","kind":"WebApp","metadata":{"name":"hello"},
         "spec":{"image":"tugboat/busybox:1.0","replicas":2,"message":"hello from josdk"}}"""));
    String uid = api.get(APP).at("/metadata/uid");

    // The three dependents, applied by the operator's field manager, owned by the WebApp.
    JsonNode deployment = Await.until("the Deployment applied", SOON, () -> found("/apis/apps/v1/namespaces/" + NS + "/deployments/hello"));
    assertEquals(2, deployment.at("/spec/replicas").asInt(), deployment.toString());
    assertOwnedAndApplied(deployment, uid);
    JsonNode configMap = Await.until("the ConfigMap applied", SOON, () -> found("/api/v1/namespaces/" + NS + "/configmaps/hello"));
    assertEquals("hello from josdk", configMap.at("/data/index.html").asText(), configMap.toString());
    assertOwnedAndApplied(configMap, uid);
    JsonNode service = Await.until("the Service applied", SOON, () -> found("/api/v1/namespaces/" + NS + "/services/hello"));
    assertEquals(80, service.at("/spec/ports/0/port").asInt(), service.toString());
    assertOwnedAndApplied(service, uid);

    // Status written through the status subresource, and the finalizer on the WebApp.
    JsonNode app = Await.until("the WebApp's status", SOON, () -> {
      JsonNode a = api.get(APP).json();
      return a.at("/status/conditions/0/type").asText().equals("Ready") ? a : null;
    });
    assertEquals("False", app.at("/status/conditions/0/status").asText(), app.toString());
    assertEquals(0, app.at("/status/readyReplicas").asInt(), app.toString());
    assertEquals(app.at("/metadata/generation").asLong(), app.at("/status/observedGeneration").asLong(), app.toString());
    // JOSDK's default finalizer name, added with server-side apply to the main resource; the status
    // was applied to the status subresource under the same field manager: two entries, each its own.
    assertEquals(CRD + "/finalizer", app.at("/metadata/finalizers/0").asText(), app.toString());
    assertTrue(managers(app).containsAll(List.of(MANAGER + "/Apply", MANAGER + "/Apply/status")), app.toString());

    // Kill the leader without a goodbye: the other replica takes the Lease once it expires, and a
    // change made after the kill reaches the Deployment and the ConfigMap through it.
    long killed = System.nanoTime();
    operators.get(leader).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    String follower = leader.equals("op-a") ? "op-b" : "op-a";
    assertEquals(200, api.patch(APP, "{\"spec\":{\"replicas\":3,\"message\":\"after the leader died\"}}",
        "application/merge-patch+json").code());
    Await.until("the follower leads", SOON, () -> api.get(LEASE).at("/spec/holderIdentity").equals(follower));
    long takeover = System.nanoTime();
    try {
      Await.until("the change reaches the Deployment", SOON,
          () -> api.get("/apis/apps/v1/namespaces/" + NS + "/deployments/hello").json().at("/spec/replicas").asInt() == 3);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + api.get("/api/v1/namespaces/" + NS + "/configmaps/hello").body()
          + "\n" + api.get("/api/v1/namespaces/" + NS + "/services/hello").body(), e);
    }
    Await.until("the change reaches the ConfigMap", SOON,
        () -> api.get("/api/v1/namespaces/" + NS + "/configmaps/hello").at("/data/index.html").equals("after the leader died"));
    long reconciled = System.nanoTime();
    System.out.printf("josdk: takeover %d ms after the kill, change applied %d ms after the takeover%n",
        (takeover - killed) / 1_000_000, (reconciled - takeover) / 1_000_000);
    Await.until("status of generation 2", SOON, () -> api.get(APP).json().at("/status/observedGeneration").asLong() == 2);

    // Delete: the finalizer's cleanup deletes the dependents, then the WebApp goes.
    assertEquals(200, api.delete(APP).code());
    Await.until("the WebApp gone", SOON, () -> api.get(APP).code() == 404);
    for (String path : List.of("/apis/apps/v1/namespaces/" + NS + "/deployments/hello",
        "/api/v1/namespaces/" + NS + "/configmaps/hello", "/api/v1/namespaces/" + NS + "/services/hello")) {
      Await.until(path + " gone", SOON, () -> api.get(path).code() == 404);
    }
    assertTrue(operators.get(follower).isAlive(), "the surviving operator is still running");
  }

  private static void created(Api.Reply reply) {
    assertEquals(201, reply.code(), reply.body());
  }

  private JsonNode found(String path) {
    Api.Reply r = api.get(path);
    return r.code() == 200 ? r.json() : null;
  }

  private static List<String> managers(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.at("/metadata/managedFields").forEach(m -> out.add(m.path("manager").asText() + "/" + m.path("operation").asText()
        + (m.path("subresource").asText().isEmpty() ? "" : "/" + m.path("subresource").asText())));
    return out;
  }

  private static void assertOwnedAndApplied(JsonNode object, String uid) {
    JsonNode owner = object.at("/metadata/ownerReferences/0");
    assertEquals("WebApp", owner.path("kind").asText(), object.toString());
    assertEquals(uid, owner.path("uid").asText(), object.toString());
    assertTrue(managers(object).contains(MANAGER + "/Apply"), object.toString());
  }

  /** One replica of the operator, a JVM on the example's own classpath (fabric8 7), its log in {@code work}. */
  private Process operator(String id, Path kubeconfig) throws IOException {
    String classpath = System.getProperty("webapp.operator.jar") + java.io.File.pathSeparator
        + Files.readString(Path.of(System.getProperty("webapp.operator.classpath"))).trim();
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath, "dev.tugboat.example.webapp.Main",
        NS, id, LEASE_SECONDS, RENEW_SECONDS, RETRY_MILLIS);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.redirectErrorStream(true).redirectOutput(work.resolve(id + ".log").toFile());
    return pb.start();
  }

  private static final String CRD_JSON = """
      {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
       "metadata":{"name":"webapps.apps.tugboat.example"},
       "spec":{"group":"apps.tugboat.example","scope":"Namespaced",
        "names":{"plural":"webapps","singular":"webapp","kind":"WebApp","listKind":"WebAppList"},
        "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
         "schema":{"openAPIV3Schema":{"type":"object","properties":{
          "spec":{"type":"object","properties":{"image":{"type":"string"},"replicas":{"type":"integer","minimum":0},
                  "message":{"type":"string"}}},
          "status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}]}}""";
}
