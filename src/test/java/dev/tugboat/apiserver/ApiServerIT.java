package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.PrometheusText;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.tugboat.boot.EmbeddedCassandra;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTTP API against a real Cassandra: every verb on every kind, selectors, subresources, watch. */
@ExtendWith(SharedCassandra.class)
class ApiServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Tugboat tugboat;
  private static Api api;
  private static String keyspace;
  private static InetSocketAddress cassandra;

  @BeforeAll
  static void start(EmbeddedCassandra server) {
    cassandra = new InetSocketAddress(server.host(), server.port());
    tugboat = TestTugboat.startApiOnly(server, "api");
    keyspace = tugboat.settings().keyspace();
    api = Api.of(tugboat);
    awaitCode(200, "/api/v1/namespaces/default", Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (tugboat != null) tugboat.close();
  }

  private static void awaitCode(int code, String path, Duration timeout) {
    Await.until(path + " to answer " + code, timeout, () -> api.get(path).code() == code);
  }

  /** One valid object per kind: its collection path, its JSON, and a spec change for it. */
  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"crud-ns\"}}",
            "{\"metadata\":{\"labels\":{\"team\":\"a\"}}}"),
        Arguments.of("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"crud-node\"},\"spec\":{}}",
            "{\"spec\":{\"unschedulable\":true}}"),
        Arguments.of("/api/v1/namespaces/default/pods", """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"crud-pod","labels":{"app":"crud"}},
             "spec":{"containers":[{"name":"c","image":"tugboat/busybox:1.0"}]}}""",
            "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"tugboat/busybox:2.0\"}]}}"),
        Arguments.of("/api/v1/namespaces/default/services", """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"crud-svc"},
             "spec":{"selector":{"app":"crud"},"ports":[{"port":80}]}}""",
            "{\"spec\":{\"selector\":{\"app\":\"other\"}}}"),
        Arguments.of("/api/v1/namespaces/default/endpoints", """
            {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"crud-svc"},
             "subsets":[{"addresses":[{"ip":"127.0.0.1"}],"ports":[{"port":41000}]}]}""",
            "{\"subsets\":[{\"addresses\":[{\"ip\":\"127.0.0.2\"}],\"ports\":[{\"port\":41001}]}]}"),
        Arguments.of("/api/v1/namespaces/default/events", """
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"crud-event"},
             "involvedObject":{"kind":"Pod","name":"crud-pod","namespace":"default"},"reason":"Created","type":"Normal"}""",
            "{\"message\":\"again\",\"count\":2}"),
        Arguments.of("/apis/apps/v1/namespaces/default/deployments", """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"crud-deploy"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"crud"}},
                     "template":{"metadata":{"labels":{"app":"crud"}},"spec":{"containers":[{"name":"c","image":"tugboat/busybox:1.0"}]}}}}""",
            "{\"spec\":{\"replicas\":5}}"),
        Arguments.of("/apis/apps/v1/namespaces/default/replicasets", """
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"crud-rs"},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"crud-rs"}},
                     "template":{"metadata":{"labels":{"app":"crud-rs"}},"spec":{"containers":[{"name":"c","image":"tugboat/busybox:1.0"}]}}}}""",
            "{\"spec\":{\"replicas\":3}}"),
        Arguments.of("/api/v1/namespaces/default/configmaps", """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"crud-cm"},"data":{"LOG_LEVEL":"info"}}""",
            "{\"data\":{\"LOG_LEVEL\":\"debug\"}}"),
        Arguments.of("/api/v1/namespaces/default/secrets", """
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"crud-secret"},"stringData":{"password":"one"}}""",
            "{\"stringData\":{\"password\":\"two\"}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyVerbOnEveryKind(String collection, String body, String specChange) throws Exception {
    JsonNode created = api.post(collection, body).json();
    assertNotEquals("Status", created.path("kind").asText(), "create: " + created);
    String name = created.at("/metadata/name").asText();
    String path = collection + "/" + name;
    String uid = created.at("/metadata/uid").asText();
    assertFalse(uid.isEmpty());
    assertEquals(1, created.at("/metadata/generation").asInt());

    assertEquals(409, api.post(collection, body).code(), "a second create is AlreadyExists");
    assertEquals(uid, api.get(path).json().at("/metadata/uid").asText(), "get");
    assertTrue(names(api.get(collection).json()).contains(name), "a client sees its write in the next list");
    assertTrue(rowsInJournal(created.path("kind").asText(), created.at("/metadata/namespace").asText(""), name) >= 1,
        "the create is an event in Cassandra");

    // merge patch (a spec change raises generation, where the kind has a spec)
    Api.Reply merged = api.patch(path, specChange, "application/merge-patch+json");
    assertEquals(200, merged.code(), merged.body());
    String rv1 = merged.json().at("/metadata/resourceVersion").asText();
    assertTrue(Long.parseLong(rv1) > Long.parseLong(created.at("/metadata/resourceVersion").asText()));

    // strategic merge patch of a label, JSON patch of an annotation
    Api.Reply smp = api.patch(path, "{\"metadata\":{\"labels\":{\"smp\":\"yes\"}}}", "application/strategic-merge-patch+json");
    assertEquals("yes", smp.json().at("/metadata/labels/smp").asText(), smp.body());
    Api.Reply jp = api.patch(path, "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"jp\":\"yes\"}}]",
        "application/json-patch+json");
    assertEquals("yes", jp.json().at("/metadata/annotations/jp").asText(), jp.body());

    // replace: the current version wins, a stale one is a Conflict
    JsonNode current = jp.json();
    ((com.fasterxml.jackson.databind.node.ObjectNode) current.path("metadata").path("labels")).put("put", "yes");
    Api.Reply put = api.put(path, JSON.writeValueAsString(current));
    assertEquals(200, put.code(), put.body());
    assertEquals("yes", put.json().at("/metadata/labels/put").asText());
    Api.Reply stale = api.put(path, JSON.writeValueAsString(current));
    assertEquals(409, stale.code());
    assertEquals("Conflict", stale.json().path("reason").asText());

    // delete
    Api.Reply deleted = api.delete(path);
    assertEquals(200, deleted.code(), deleted.body());
    if (!collection.equals("/api/v1/namespaces")) {
      assertEquals(404, api.get(path).code());
      assertFalse(names(api.get(collection).json()).contains(name), "gone from lists");
    }
  }

  @Test
  void secretsShowTheirDataOnlyToReadsNeverToHistoryOrTables() {
    String secrets = "/api/v1/namespaces/default/secrets";
    String b64 = java.util.Base64.getEncoder().encodeToString("hunter2".getBytes());
    Api.Reply created = api.post(secrets, """
        {"apiVersion":"v1","kind":"Secret","metadata":{"generateName":"db-"},"stringData":{"password":"hunter2"}}""");
    assertEquals(201, created.code(), created.body());
    String name = created.json().at("/metadata/name").asText();
    assertTrue(name.startsWith("db-") && name.length() == 8, "generateName: " + name);
    assertEquals(b64, created.json().at("/data/password").asText(), "stringData is stored as data");
    assertTrue(created.json().at("/stringData").isMissingNode());
    assertEquals("Opaque", created.json().at("/type").asText());
    api.patch(secrets + "/" + name, "{\"stringData\":{\"password\":\"hunter3\"}}", "application/merge-patch+json");

    Api.Reply history = api.get(secrets + "/" + name + "/history");
    assertEquals(200, history.code(), history.body());
    assertFalse(history.body().contains("hunter") || history.body().contains(b64), history.body());
    // Encrypted kinds keep only their newest event: the history holds the last write, redacted.
    assertTrue(history.body().contains("\"password\":\"<redacted sha256:"), history.body());

    HttpRequest.Builder table = HttpRequest.newBuilder(api.uri(secrets))
        .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
    JsonNode rows = api.send(table).json();
    assertEquals("Type", rows.at("/columnDefinitions/1/name").asText());
    assertFalse(rows.toString().contains(b64), "a Table never carries values");
  }

  @Test
  void aConfigMapWithABadKeyIsRefusedNamingItAndNothingIsWritten() {
    String configmaps = "/api/v1/namespaces/default/configmaps";
    Api.Reply refused = api.post(configmaps, """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"bad-cm"},"data":{"a/b":"x"}}""");
    assertEquals(422, refused.code(), refused.body());
    assertEquals("data[a/b]", refused.json().at("/details/causes/0/field").asText(), refused.body());
    assertEquals(404, api.get(configmaps + "/bad-cm").code());
    assertEquals(404, api.post("/api/v1/namespaces/nowhere/configmaps", """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""").code(), "the namespace must exist");
  }

  @Test
  void generationFollowsSpecAndStatusHasItsOwnPath() {
    String pods = "/api/v1/namespaces/default/pods";
    api.post(pods, """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"status-pod"},"spec":{"containers":[{"name":"c","image":"i:1"}]}}""");
    String path = pods + "/status-pod";
    Api.Reply status = api.patch(path + "/status", "{\"status\":{\"phase\":\"Running\",\"podIP\":\"127.0.0.1\"}}",
        "application/merge-patch+json");
    assertEquals("Running", status.json().at("/status/phase").asText(), status.body());
    assertEquals(1, status.json().at("/metadata/generation").asInt(), "status does not bump generation");
    Api.Reply main = api.patch(path, "{\"status\":{\"phase\":\"Failed\"}}", "application/merge-patch+json");
    assertEquals("Running", main.json().at("/status/phase").asText(), "the main resource cannot write status");
    Api.Reply image = api.patch(path, "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i:2\"}]}}",
        "application/strategic-merge-patch+json");
    assertEquals(2, image.json().at("/metadata/generation").asInt());
    Api.Reply forbidden = api.patch(path, "{\"spec\":{\"restartPolicy\":\"Never\"}}", "application/merge-patch+json");
    assertEquals(422, forbidden.code(), "pod spec fields are immutable");
  }

  @Test
  void scaleSubresourceReadsAndWritesReplicas() {
    String deployments = "/apis/apps/v1/namespaces/default/deployments";
    api.post(deployments, """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"scaled"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"scaled"}},
                 "template":{"metadata":{"labels":{"app":"scaled"}},"spec":{"containers":[{"name":"c","image":"i:1"}]}}}}""");
    JsonNode scale = api.get(deployments + "/scaled/scale").json();
    assertEquals("Scale", scale.path("kind").asText());
    assertEquals("autoscaling/v1", scale.path("apiVersion").asText());
    assertEquals("app=scaled", scale.at("/status/selector").asText());
    assertEquals(3, api.patch(deployments + "/scaled/scale", "{\"spec\":{\"replicas\":3}}", "application/merge-patch+json")
        .json().at("/spec/replicas").asInt());
    assertEquals(4, api.put(deployments + "/scaled/scale", "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\","
        + "\"metadata\":{\"name\":\"scaled\"},\"spec\":{\"replicas\":4}}").json().at("/spec/replicas").asInt());
    assertEquals(4, api.get(deployments + "/scaled").json().at("/spec/replicas").asInt());
    assertEquals(422, api.put(deployments + "/scaled/scale", "{\"spec\":{\"replicas\":-1}}").code());
  }

  @Test
  void selectorsAndPagingOnLists() {
    String pods = "/api/v1/namespaces/default/pods";
    for (int i = 0; i < 5; i++) {
      api.post(pods, ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"sel-%d\",\"labels\":{\"app\":\"sel\","
          + "\"idx\":\"%d\"}},\"spec\":{\"nodeName\":\"%s\",\"containers\":[{\"name\":\"c\",\"image\":\"i:1\"}]}}")
          .formatted(i, i, i % 2 == 0 ? "even" : "odd"));
    }
    assertEquals(List.of("sel-0", "sel-1", "sel-2", "sel-3", "sel-4"), names(api.get(pods + "?labelSelector=app%3Dsel").json()));
    assertEquals(List.of("sel-0", "sel-2", "sel-4"),
        names(api.get(pods + "?labelSelector=app%3Dsel&fieldSelector=spec.nodeName%3Deven").json()));
    assertEquals(List.of("sel-3", "sel-4"), names(api.get(pods + "?labelSelector=idx+in+(3,4)").json()));
    assertEquals(List.of("sel-1"), names(api.get("/api/v1/pods?fieldSelector=metadata.name%3Dsel-1").json()), "across namespaces");

    JsonNode page1 = api.get(pods + "?labelSelector=app%3Dsel&limit=2").json();
    assertEquals(List.of("sel-0", "sel-1"), names(page1));
    assertEquals(3, page1.at("/metadata/remainingItemCount").asInt());
    String token = page1.at("/metadata/continue").asText();
    JsonNode page2 = api.get(pods + "?labelSelector=app%3Dsel&limit=2&continue=" + token).json();
    assertEquals(List.of("sel-2", "sel-3"), names(page2));

    assertEquals(400, api.get(pods + "?labelSelector=app+in+(a").code());
    Api.Reply badField = api.get(pods + "?fieldSelector=spec.foo%3Dx");
    assertEquals(400, badField.code());
    assertTrue(badField.json().path("message").asText().contains("field label not supported: spec.foo"));

    // bound pods terminate gracefully: without a kubelet to confirm they stay, marked, until forced
    Api.Reply collection = api.delete(pods + "?labelSelector=app%3Dsel,idx+in+(0,1)");
    assertEquals(2, collection.json().path("items").size(), collection.body());
    assertTrue(collection.json().at("/items/0/metadata/deletionTimestamp").isTextual(), collection.body());
    assertEquals(5, names(api.get(pods + "?labelSelector=app%3Dsel").json()).size());
    api.delete(pods + "?labelSelector=app%3Dsel,idx+in+(0,1)&gracePeriodSeconds=0");
    assertEquals(List.of("sel-2", "sel-3", "sel-4"), names(api.get(pods + "?labelSelector=app%3Dsel").json()));
  }

  @Test
  void namespacesGateCreationAndTakeTheirContentWithThem() {
    assertEquals(200, api.get("/api/v1/namespaces/kube-system").code());
    Api.Reply missing = api.post("/api/v1/namespaces/nowhere/services",
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"},\"spec\":{\"ports\":[{\"port\":80}]}}");
    assertEquals(404, missing.code());
    assertEquals("namespaces \"nowhere\" not found", missing.json().path("message").asText());

    api.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"doomed\"}}");
    assertEquals(201, api.post("/api/v1/namespaces/doomed/services",
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"},\"spec\":{\"ports\":[{\"port\":80}]}}").code());
    Api.Reply terminating = api.delete("/api/v1/namespaces/doomed");
    assertTrue(terminating.json().at("/metadata/deletionTimestamp").isTextual(), terminating.body());
    assertEquals(403, api.post("/api/v1/namespaces/doomed/services",
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"t\"},\"spec\":{\"ports\":[{\"port\":80}]}}").code(),
        "nothing new in a terminating namespace");
    Await.until("the namespace to say Terminating", Duration.ofSeconds(30), () -> {
      Api.Reply ns = api.get("/api/v1/namespaces/doomed");
      return ns.code() == 404 || "Terminating".equals(ns.json().at("/status/phase").asText());
    });
    awaitCode(404, "/api/v1/namespaces/doomed", Duration.ofSeconds(30));
    assertEquals(404, api.get("/api/v1/namespaces/doomed/services/s").code(), "its content went first");
  }

  @Test
  void yamlBodiesAndMetrics() {
    Api.Reply created = api.post("/api/v1/namespaces/default/services", """
        apiVersion: v1
        kind: Service
        metadata:
          name: from-yaml
        spec:
          ports:
          - port: 8080
            targetPort: http
        """, "application/yaml");
    assertEquals(201, created.code(), created.body());
    assertEquals("http", created.json().at("/spec/ports/0/targetPort").asText());
    assertEquals("TCP", created.json().at("/spec/ports/0/protocol").asText(), "defaulted");
    Api.Reply warned = api.post("/api/v1/namespaces/default/services",
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"warned\"},\"spec\":{\"ports\":[{\"port\":80}],\"colour\":\"red\"}}");
    assertEquals(201, warned.code());
    assertTrue(warned.raw().headers().allValues("Warning").stream().anyMatch(w -> w.contains("unknown field \\\"spec.colour\\\"")),
        "unknown fields are named in a Warning: " + warned.raw().headers().map());
    assertEquals(400, api.post("/api/v1/namespaces/default/services?fieldValidation=Strict",
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"strict\"},\"spec\":{\"ports\":[{\"port\":80}],\"colour\":\"red\"}}").code());

    String text = api.get("/metrics").body();
    PrometheusText metrics = PrometheusText.parse(text);
    assertTrue(metrics.value("apiserver_request_total", Map.of("verb", "create", "resource", "services", "code", "201"))
        .orElse(0.0) >= 2, text);
    assertTrue(metrics.value("apiserver_request_duration_seconds_count", Map.of("verb", "create", "resource", "services"))
        .orElse(0.0) >= 2, text);
    assertTrue(metrics.value("tugboat_registry_events_persisted_total", Map.of("kind", "Service")).orElse(0.0) >= 1, text);
    assertTrue(metrics.value("tugboat_apiserver_open_watches", Map.of("kind", "Pod")).isPresent(), text);
  }

  @Test
  void discoveryAsKubectlReadsIt() {
    JsonNode core = api.get("/api/v1").json();
    JsonNode pods = find(core.path("resources"), "pods");
    assertEquals("Pod", pods.path("kind").asText());
    assertEquals("po", pods.path("shortNames").get(0).asText());
    assertEquals("all", pods.path("categories").get(0).asText());
    assertTrue(pods.path("namespaced").asBoolean());
    assertFalse(find(core.path("resources"), "nodes").path("namespaced").asBoolean());
    JsonNode apps = api.get("/apis/apps/v1").json();
    assertEquals("Scale", find(apps.path("resources"), "deployments/scale").path("kind").asText());
    assertEquals("apps", api.get("/apis").json().at("/groups/0/name").asText());
    assertEquals("v1", api.get("/api").json().at("/versions/0").asText());
    assertEquals("1", api.get("/version").json().path("major").asText());
    assertEquals(200, api.get("/openapi/v2").code());
    assertEquals(404, api.get("/apis/example.com/v1").code());
  }

  @Test
  void watchDeliversEveryChangeInOrderAndQuickly() throws Exception {
    String services = "/api/v1/namespaces/default/services";
    String rv = api.get(services).json().at("/metadata/resourceVersion").asText();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpResponse<Stream<String>> watch = api.client().send(HttpRequest.newBuilder(
            api.uri(services + "?watch=true&resourceVersion=" + rv + "&labelSelector=watched%3Dyes&timeoutSeconds=120")).build(),
        HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, watch.statusCode());
    Thread reader = new Thread(() -> watch.body().forEach(lines::add), "watch-reader");
    reader.setDaemon(true);
    reader.start();

    int rounds = 30;
    for (int i = 0; i < rounds; i++) {
      Api.Reply created = api.post(services, ("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"w-%d\","
          + "\"labels\":{\"watched\":\"yes\"}},\"spec\":{\"ports\":[{\"port\":80}]}}").formatted(i));
      JsonNode event = JSON.readTree(lines.poll(10, TimeUnit.SECONDS));
      assertEquals("ADDED", event.path("type").asText());
      assertEquals(created.json().at("/metadata/resourceVersion"), event.at("/object/metadata/resourceVersion"));
    }
    // Latency of updates to a running entity: from sending the write, and from its acknowledgement
    // (negative: the event was read before the write's response).
    List<Long> fromSend = new ArrayList<>();
    List<Long> fromAck = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      long sent = System.nanoTime();
      api.patch(services + "/w-29", "{\"metadata\":{\"annotations\":{\"n\":\"" + i + "\"}}}", "application/merge-patch+json");
      long acked = System.nanoTime();
      JsonNode event = JSON.readTree(lines.poll(10, TimeUnit.SECONDS));
      long read = System.nanoTime();
      assertEquals("MODIFIED", event.path("type").asText());
      assertEquals(Integer.toString(i), event.at("/object/metadata/annotations/n").asText());
      fromSend.add((read - sent) / 1000);
      fromAck.add((read - acked) / 1000);
    }
    Collections.sort(fromSend);
    Collections.sort(fromAck);
    System.out.printf("watch latency over 100 updates: write sent -> event read p50 %.1f ms, p99 %.1f ms; "
            + "write acknowledged -> event read p50 %.1f ms, p99 %.1f ms%n",
        fromSend.get(50) / 1000.0, fromSend.get(99) / 1000.0, fromAck.get(50) / 1000.0, fromAck.get(99) / 1000.0);

    api.patch(services + "/w-0", "{\"metadata\":{\"labels\":{\"extra\":\"1\"}}}", "application/merge-patch+json");
    assertEquals("MODIFIED", JSON.readTree(lines.poll(10, TimeUnit.SECONDS)).path("type").asText());
    api.patch(services + "/w-1", "{\"metadata\":{\"labels\":{\"watched\":\"no\"}}}", "application/merge-patch+json");
    assertEquals("DELETED", JSON.readTree(lines.poll(10, TimeUnit.SECONDS)).path("type").asText(), "leaving the selector");
    api.delete(services + "/w-2");
    JsonNode deleted = JSON.readTree(lines.poll(10, TimeUnit.SECONDS));
    assertEquals("DELETED", deleted.path("type").asText());
    assertEquals("w-2", deleted.at("/object/metadata/name").asText());

    // A watch from before the window is told to relist.
    Api.Reply expired = api.get(services + "?watch=true&resourceVersion=1&timeoutSeconds=5");
    JsonNode error = JSON.readTree(expired.body().lines().findFirst().orElseThrow());
    assertEquals("ERROR", error.path("type").asText());
    assertEquals(410, error.at("/object/code").asInt());
  }

  private long rowsInJournal(String kind, String namespace, String name) {
    String pid = kind + "|" + (namespace.isEmpty() ? name : namespace + "/" + name);
    try (CqlSession session = CqlSession.builder().addContactPoint(cassandra).withLocalDatacenter("datacenter1").build()) {
      return session.execute("SELECT count(*) FROM " + keyspace + ".messages WHERE persistence_id = ? AND partition_nr = 0", pid)
          .one().getLong(0);
    }
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.path("items").forEach(i -> names.add(i.at("/metadata/name").asText()));
    return names;
  }

  private static JsonNode find(JsonNode resources, String name) {
    for (Iterator<JsonNode> it = resources.elements(); it.hasNext(); ) {
      JsonNode r = it.next();
      if (r.path("name").asText().equals(name)) return r;
    }
    throw new AssertionError("no resource " + name + " in " + resources);
  }
}
