package dev.tugboat.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.model.ResourceType;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Fabric8;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Server-side apply, managed fields and dry run through the real clients: kubectl 1.33 and 1.35
 * ({@code apply --server-side} with two managers, a conflict and {@code --force-conflicts}, a
 * field left out of a configuration vanishing, a client-side apply taken over, {@code diff},
 * {@code --dry-run=server}), fabric8 8's {@code serverSideApply()}, and bad input over plain HTTP.
 * A dry run is checked to leave nothing: not in a GET, not a row in Cassandra's journal.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerSideApplyIT {
  private static final String NS = "ssa";
  private Tugboat tugboat;
  private Api api;
  private Path work;
  private Kubectl k133;
  private Kubectl k135;
  private InetSocketAddress cassandra;
  private String keyspace;
  private CqlSession cql;

  @BeforeAll
  void start(EmbeddedCassandra server) throws Exception {
    cassandra = new InetSocketAddress(server.host(), server.port());
    tugboat = TestTugboat.startApiOnly(server, "ssa");
    keyspace = tugboat.settings().keyspace();
    api = Api.of(tugboat);
    work = Files.createDirectories(SharedCassandra.itDir().resolve("ssa-" + ProcessHandle.current().pid()));
    k133 = Kubectl.v133(work).orElseThrow(() -> new IllegalStateException("kubectl 1.33 is missing"))
        .configure(tugboat, NS);
    k135 = Kubectl.v135(work).configure(tugboat, NS);
    Serving.await(api);
    assertEquals(201, api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + NS + "\"}}").code());
  }

  @AfterAll
  void stop() {
    if (cql != null) cql.close();
    if (tugboat != null) {
      api.delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.ssa.example.com");
      tugboat.close();
    }
    ResourceType.remove("ssa.example.com", "Widget"); // the JVM's table of kinds outlives this Tugboat
  }

  private Path file(String name, String yaml) throws Exception {
    return Files.writeString(work.resolve(name), yaml);
  }

  private static Kubectl.Result ok(Kubectl.Result r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  private JsonNode get(String path) {
    Api.Reply r = api.get(path);
    assertEquals(200, r.code(), r.body());
    return r.json();
  }

  /** The managers of an object and the fields each owns, as {@code manager/operation -> [.data.a, ...]}. */
  private static Map<String, List<String>> owners(JsonNode object) {
    Map<String, List<String>> owners = new java.util.TreeMap<>();
    object.at("/metadata/managedFields").forEach(e -> {
      List<String> fields = new ArrayList<>();
      collect(e.path("fieldsV1"), "", fields);
      owners.put(e.path("manager").asText() + "/" + e.path("operation").asText(), fields);
    });
    return owners;
  }

  private static void collect(JsonNode node, String prefix, List<String> out) {
    node.fields().forEachRemaining(f -> {
      if (f.getKey().equals(".")) return;
      String path = prefix + (f.getKey().startsWith("f:") ? "." + f.getKey().substring(2) : "[" + f.getKey() + "]");
      if (f.getValue().isEmpty() || f.getValue().has(".")) out.add(path);
      collect(f.getValue(), path, out);
    });
  }

  private static String configMap(String name, String data) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n" + data;
  }

  /** The rows of an object's journal partition in Cassandra (one session for the class: each costs seconds). */
  private long journalRows(String persistenceId) {
    if (cql == null) cql = CqlSession.builder().addContactPoint(cassandra).withLocalDatacenter("datacenter1").build();
    return cql.execute("SELECT count(*) FROM " + keyspace + ".messages WHERE persistence_id = ? AND partition_nr = 0",
        persistenceId).one().getLong(0);
  }

  @Test
  void twoManagersConflictForceAndDroppedFields() throws Exception {
    String cm = "/api/v1/namespaces/" + NS + "/configmaps/shared";
    Path first = file("shared-1.yaml", configMap("shared", "  a: \"1\"\n  b: \"2\"\n  e: \"5\"\n"));
    assertTrue(ok(k133.run("apply", "--server-side", "-f", first.toString())).out()
        .contains("configmap/shared serverside-applied"));
    assertEquals(Map.of("kubectl/Apply", List.of(".data.a", ".data.b", ".data.e")), owners(get(cm)));

    // kubectl hides managed fields unless asked
    assertFalse(ok(k133.run("get", "cm", "shared", "-o", "yaml")).out().contains("managedFields"));
    assertTrue(ok(k133.run("get", "cm", "shared", "-o", "yaml", "--show-managed-fields")).out()
        .contains("manager: kubectl"));

    // a second manager sets b to the same value (shared) and adds c
    Path other = file("shared-other.yaml", configMap("shared", "  b: \"2\"\n  c: \"3\"\n"));
    ok(k135.run("apply", "--server-side", "--field-manager=other", "-f", other.toString()));
    assertEquals(Map.of("kubectl/Apply", List.of(".data.a", ".data.b", ".data.e"), "other/Apply", List.of(".data.b", ".data.c")),
        owners(get(cm)));

    // changing kubectl's a is a conflict, kubectl prints the server's message
    Path grab = file("shared-grab.yaml", configMap("shared", "  a: \"changed\"\n  b: \"2\"\n  c: \"3\"\n"));
    Kubectl.Result conflict = k135.run("apply", "--server-side", "--field-manager=other", "-f", grab.toString());
    assertEquals(1, conflict.exit(), conflict.toString());
    assertTrue(conflict.err().contains("Apply failed with 1 conflict: conflict with \"kubectl\" using v1: .data.a"),
        conflict.toString());
    assertTrue(conflict.err().contains("--force-conflicts"), conflict.toString());
    assertEquals("1", get(cm).at("/data/a").asText(), "a conflict changes nothing");

    ok(k135.run("apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", grab.toString()));
    JsonNode forced = get(cm);
    assertEquals("changed", forced.at("/data/a").asText());
    assertEquals(Map.of("kubectl/Apply", List.of(".data.b", ".data.e"), "other/Apply", List.of(".data.a", ".data.b", ".data.c")),
        owners(forced));

    // kubectl leaves e and a out: e (only its) goes, a (other's now) stays
    ok(k133.run("apply", "--server-side", "-f", file("shared-2.yaml", configMap("shared", "  b: \"2\"\n")).toString()));
    assertEquals("{\"a\":\"changed\",\"b\":\"2\",\"c\":\"3\"}", get(cm).path("data").toString());
    // other leaves b out: kubectl still owns it, it stays; then kubectl leaves it out too: gone
    ok(k135.run("apply", "--server-side", "--field-manager=other", "-f",
        file("shared-other-2.yaml", configMap("shared", "  a: \"changed\"\n  c: \"3\"\n")).toString()));
    assertEquals("2", get(cm).at("/data/b").asText());
    ok(k133.run("apply", "--server-side", "-f", file("shared-3.yaml", configMap("shared", "  z: \"26\"\n")).toString()));
    assertEquals("{\"a\":\"changed\",\"c\":\"3\",\"z\":\"26\"}", get(cm).path("data").toString());
  }

  @Test
  void clientSideApplyMovesToServerSideAndDiffShowsChanges() throws Exception {
    String deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
        spec:
          replicas: %d
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: httpd
                image: %s
        """;
    String path = "/apis/apps/v1/namespaces/" + NS + "/deployments/web";
    Path v1 = file("web-1.yaml", deployment.formatted(2, "tugboat/busybox:1.0"));
    ok(k133.run("apply", "-f", v1.toString()));
    JsonNode csa = get(path);
    assertTrue(owners(csa).containsKey("kubectl-client-side-apply/Update"), owners(csa).toString());

    Path v2 = file("web-2.yaml", deployment.formatted(3, "tugboat/busybox:2.0"));
    Kubectl.Result diff = k135.run("diff", "-f", v2.toString());
    assertEquals(1, diff.exit(), diff.toString());
    assertTrue(diff.out().contains("-  replicas: 2") && diff.out().contains("+  replicas: 3"), diff.toString());
    assertTrue(diff.out().contains("+      - image: tugboat/busybox:2.0"), diff.toString());
    assertEquals(2, get(path).at("/spec/replicas").asInt(), "diff is a dry run");

    // the server-side apply over the client-side one: no conflict on the fields it had applied
    assertTrue(ok(k133.run("apply", "--server-side", "-f", v2.toString())).out().contains("serverside-applied"));
    JsonNode ssa = get(path);
    assertEquals(3, ssa.at("/spec/replicas").asInt());
    assertEquals("tugboat/busybox:2.0", ssa.at("/spec/template/spec/containers/0/image").asText());
    Map<String, List<String>> owners = owners(ssa);
    assertTrue(owners.get("kubectl/Apply").contains(".spec.replicas"), owners.toString());
    assertFalse(owners.getOrDefault("kubectl-client-side-apply/Update", List.of()).contains(".spec.replicas"),
        owners.toString());
    assertTrue(ssa.at("/metadata/annotations").path("kubectl.kubernetes.io/last-applied-configuration").asText()
        .contains("\"replicas\":3"), "the last applied configuration follows the server-side apply");

    Kubectl.Result same = k135.run("diff", "-f", v2.toString());
    assertEquals(0, same.exit(), same.toString());
    Kubectl.Result ssaDiff = k135.run("diff", "--server-side", "-f", v1.toString());
    assertEquals(1, ssaDiff.exit(), ssaDiff.toString());
    assertTrue(ssaDiff.out().contains("+  replicas: 2"), ssaDiff.toString());
  }

  @Test
  void serverDryRunsLeaveNothing() throws Exception {
    String dry = "/api/v1/namespaces/" + NS + "/configmaps/dry";
    Path manifest = file("dry.yaml", configMap("dry", "  k: v\n"));
    for (Kubectl k : List.of(k133, k135)) {
      assertTrue(ok(k.run("apply", "-f", manifest.toString(), "--dry-run=server")).out()
          .contains("configmap/dry created (server dry run)"), k.version());
      assertTrue(ok(k.run("apply", "--server-side", "-f", manifest.toString(), "--dry-run=server")).out()
          .contains("configmap/dry serverside-applied (server dry run)"), k.version());
      assertEquals(404, api.get(dry).code());
    }
    assertEquals(0, journalRows("ConfigMap|" + NS + "/dry"), "a dry create writes no journal row");

    ok(k133.run("apply", "--server-side", "-f", file("kept.yaml", configMap("kept", "  k: v\n")).toString()));
    String kept = "/api/v1/namespaces/" + NS + "/configmaps/kept";
    String version = get(kept).at("/metadata/resourceVersion").asText();
    long rows = journalRows("ConfigMap|" + NS + "/kept");
    assertTrue(ok(k135.run("delete", "cm", "kept", "--dry-run=server")).out().contains("(server dry run)"));
    Path changed = file("kept-2.yaml", configMap("kept", "  k: changed\n"));
    ok(k135.run("apply", "--server-side", "-f", changed.toString(), "--dry-run=server"));
    Api.Reply dryPut = api.put(kept + "?dryRun=All", get(kept).toString().replace("\"k\":\"v\"", "\"k\":\"put\""));
    assertEquals(200, dryPut.code(), dryPut.body());
    assertEquals("put", dryPut.json().at("/data/k").asText(), "answered as if done");
    assertEquals(version, get(kept).at("/metadata/resourceVersion").asText());
    assertEquals("v", get(kept).at("/data/k").asText());
    assertEquals(rows, journalRows("ConfigMap|" + NS + "/kept"), "dry runs write no journal row");

    Api.Reply dryCollection = api.delete("/api/v1/namespaces/" + NS + "/configmaps?dryRun=All");
    assertEquals(200, dryCollection.code(), dryCollection.body());
    assertTrue(dryCollection.body().contains("\"name\":\"kept\""), dryCollection.body());
    assertEquals(version, get(kept).at("/metadata/resourceVersion").asText(), "a dry deletecollection deletes nothing");
    assertEquals(rows, journalRows("ConfigMap|" + NS + "/kept"));

    Api.Reply bogus = api.patch(kept + "?dryRun=Bogus", "{\"data\":{\"k\":\"x\"}}", "application/merge-patch+json");
    assertEquals(400, bogus.code(), bogus.body());
    assertTrue(bogus.body().contains("dryRun: Unsupported value: \\\"Bogus\\\""), bogus.body());
  }

  @Test
  void fabric8ServerSideApply() {
    Config config = Fabric8.config(tugboat).withNamespace(NS).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("f8").endMetadata()
          .withData(Map.of("x", "1")).build();
      client.configMaps().inNamespace(NS).resource(cm).serverSideApply();
      JsonNode created = get("/api/v1/namespaces/" + NS + "/configmaps/f8");
      assertEquals("1", created.at("/data/x").asText());
      assertEquals(Map.of("fabric8/Apply", List.of(".data.x")), owners(created));
      ConfigMap changed = new ConfigMapBuilder(cm).withData(Map.of("y", "2")).build();
      ConfigMap applied = client.configMaps().inNamespace(NS).resource(changed).serverSideApply();
      assertEquals(Map.of("y", "2"), applied.getData(), "x, left out, is gone");
    }
  }

  @Test
  void badApplyInputIsA400NamingTheProblem() {
    String cm = "/api/v1/namespaces/" + NS + "/configmaps/bad";
    String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"bad\"},\"data\":{\"a\":\"b\"}}";
    Api.Reply noManager = api.patch(cm, body, "application/apply-patch+yaml");
    assertEquals(400, noManager.code(), noManager.body());
    assertTrue(noManager.body().contains("fieldManager: Required value"), noManager.body());

    Api.Reply otherKind = api.patch(cm + "?fieldManager=t", body.replace("ConfigMap", "Secret"),
        "application/apply-patch+yaml");
    assertEquals(400, otherKind.code(), otherKind.body());
    assertTrue(otherKind.body().contains("kind of the object (Secret)"), otherKind.body());

    Api.Reply otherName = api.patch(cm + "?fieldManager=t", body.replace("\"bad\"", "\"good\""),
        "application/apply-patch+yaml");
    assertEquals(400, otherName.code(), otherName.body());
    assertTrue(otherName.body().contains("does not match the name on the URL"), otherName.body());

    Api.Reply notYaml = api.patch(cm + "?fieldManager=t", "a: [", "application/apply-patch+yaml");
    assertEquals(400, notYaml.code(), notYaml.body());

    Api.Reply forceOnMerge = api.patch(cm + "?force=true", "{}", "application/merge-patch+json");
    assertEquals(400, forceOnMerge.code(), forceOnMerge.body());

    Api.Reply created = api.patch(cm + "?fieldManager=t", body, "application/apply-patch+yaml");
    assertEquals(201, created.code(), created.body());
    Api.Reply again = api.patch(cm + "?fieldManager=t", body, "application/apply-patch+yaml");
    assertEquals(200, again.code(), again.body());
    assertEquals(404, api.get("/api/v1/namespaces/" + NS + "/configmaps/good").code());
  }

  /** A custom kind merges by its schema: a map list item by item by its keys, an unmarked list whole. */
  @Test
  void aCustomKindAppliesByItsSchemasListTypes() {
    Api.Reply crd = api.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"widgets.ssa.example.com"},
         "spec":{"group":"ssa.example.com","scope":"Namespaced",
           "names":{"plural":"widgets","singular":"widget","kind":"Widget"},
           "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object",
             "properties":{"spec":{"type":"object","properties":{
               "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["port"],
                 "items":{"type":"object","properties":{"port":{"type":"integer"},"name":{"type":"string"}}}},
               "tags":{"type":"array","items":{"type":"string"}}}}}}}}]}}""");
    assertEquals(201, crd.code(), crd.body());
    String widgets = "/apis/ssa.example.com/v1/namespaces/" + NS + "/widgets";
    Await.until("widgets served", Duration.ofSeconds(30), () -> api.get(widgets).code() == 200);
    String w = widgets + "/w";
    String a = "{\"apiVersion\":\"ssa.example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},"
        + "\"spec\":{\"ports\":[{\"port\":80,\"name\":\"http\"}],\"tags\":[\"x\"]}}";
    assertEquals(201, api.patch(w + "?fieldManager=a", a, "application/apply-patch+yaml").code());
    String b = a.replace("{\"port\":80,\"name\":\"http\"}", "{\"port\":81}").replace("[\"x\"]", "[\"y\"]");
    Api.Reply conflict = api.patch(w + "?fieldManager=b", b, "application/apply-patch+yaml");
    assertEquals(409, conflict.code(), conflict.body());
    assertEquals(".spec.tags", conflict.json().at("/details/causes/0/field").asText(), "an atomic list is one field");
    Api.Reply forced = api.patch(w + "?fieldManager=b&force=true", b, "application/apply-patch+yaml");
    assertEquals(200, forced.code(), forced.body());
    assertEquals("[{\"port\":80,\"name\":\"http\"},{\"port\":81}]", forced.json().at("/spec/ports").toString());
    assertEquals("[\"y\"]", forced.json().at("/spec/tags").toString());
  }
}
