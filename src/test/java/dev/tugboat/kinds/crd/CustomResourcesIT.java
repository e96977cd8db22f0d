package dev.tugboat.kinds.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CustomResourceDefinitions against a real Cassandra, over HTTP: a CRD adds a kind at run time
 * (discovery, CRUD, schema validation with pruning and defaults, selectors, Tables, status, two
 * versions), the kind and its objects are back after a restart, and deleting the CRD deletes them.
 * The steps build on each other, in order.
 */
@ExtendWith(SharedCassandra.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CustomResourcesIT {
  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private static final String CRONTABS = "/apis/stable.example.com/v1/namespaces/default/crontabs";
  private static final Map<String, Object> CONTROLLERS =
      Map.of("tugboat.controllers.run", List.of("namespace", "crd-cleanup"));
  private static EmbeddedCassandra cassandra;
  private static String keyspace;
  private static Tugboat tugboat;
  private static Api api;

  @BeforeAll
  static void start(EmbeddedCassandra server) {
    cassandra = server;
    keyspace = "crd_" + ProcessHandle.current().pid();
    startTugboat();
  }

  private static void startTugboat() {
    tugboat = TestTugboat.start(cassandra, keyspace, CONTROLLERS);
    api = Api.of(tugboat);
    Await.until("the default namespace", Duration.ofSeconds(60), () -> api.get("/api/v1/namespaces/default").code() == 200);
  }

  @AfterAll
  static void stop() {
    if (tugboat != null) tugboat.close();
    ResourceType.remove("stable.example.com", "CronTab");
    ResourceType.remove("example.com", "Widget");
  }

  private static String example(String file) throws IOException {
    return Files.readString(Path.of("examples/crd", file));
  }

  private static Api.Reply postYaml(String path, String yaml) {
    return api.post(path, yaml, "application/yaml");
  }

  private static void awaitServed() {
    Await.until("crontabs served in discovery", Duration.ofSeconds(30), () -> {
      JsonNode resources = api.get("/apis/stable.example.com/v1").json().path("resources");
      for (JsonNode r : resources) if (r.path("name").asText().equals("crontabs")) return true;
      return false;
    });
  }

  @Test
  @Order(1)
  void aCrdAddsAKindThatDiscoveryNames() throws IOException {
    Api.Reply created = postYaml(CRDS, example("crontab-crd.yaml"));
    assertEquals(201, created.code(), created.body());
    assertEquals("True", created.json().at("/status/conditions/1/status").asText(), "Established: " + created.body());
    awaitServed();
    JsonNode groups = api.get("/apis").json();
    assertTrue(groups.toString().contains("\"stable.example.com/v1beta1\""), groups.toString());
    JsonNode resources = api.get("/apis/stable.example.com/v1").json().path("resources");
    JsonNode crontabs = null;
    for (JsonNode r : resources) if (r.path("name").asText().equals("crontabs")) crontabs = r;
    assertEquals("CronTab", crontabs.path("kind").asText());
    assertEquals("[\"ct\"]", crontabs.path("shortNames").toString());
    assertTrue(crontabs.path("namespaced").asBoolean());
    assertTrue(resources.toString().contains("crontabs/status"), resources.toString());
    // the OpenAPI documents take the kind's schema from its definition, per version
    JsonNode index = api.get("/openapi/v3").json();
    String url = index.at("/paths/apis~1stable.example.com~1v1/serverRelativeURL").asText();
    assertTrue(url.startsWith("/openapi/v3/apis/stable.example.com/v1"), index.toString());
    JsonNode doc = api.get(url).json();
    JsonNode schema = doc.at("/components/schemas/io.tugboat.stable.example.com.v1.CronTab");
    assertEquals("CronTab", schema.at("/x-kubernetes-group-version-kind/0/kind").asText(), doc.toString());
    assertEquals("string", schema.at("/properties/spec/properties/cronSpec/type").asText(), schema.toString());
    assertTrue(doc.path("paths").has("/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}"));
  }

  @Test
  @Order(2)
  void objectsArePrunedDefaultedAndValidatedByTheSchema() throws IOException {
    String yaml = example("crontab.yaml").replace("policy: Forbid", "policy: Forbid\n  notInSchema: 42");
    Api.Reply created = postYaml(CRONTABS, yaml);
    assertEquals(201, created.code(), created.body());
    JsonNode object = created.json();
    assertEquals(1, object.at("/spec/replicas").asInt(), "default from the schema");
    assertTrue(object.at("/spec/notInSchema").isMissingNode(), "pruned: " + object);
    assertEquals("0 3 * * *", api.get(CRONTABS + "/nightly").json().at("/spec/cronSpec").asText());

    Api.Reply refused = postYaml(CRONTABS, """
        apiVersion: stable.example.com/v1
        kind: CronTab
        metadata: {name: broken}
        spec: {cronSpec: "every day", image: x, replicas: 20, policy: Sometimes}
        """);
    assertEquals(422, refused.code(), refused.body());
    List<String> fields = new ArrayList<>();
    refused.json().at("/details/causes").forEach(c -> fields.add(c.path("field").asText()));
    assertTrue(fields.containsAll(List.of("spec.cronSpec", "spec.replicas", "spec.policy")), refused.body());
    assertEquals(404, api.get(CRONTABS + "/broken").code(), "nothing written");

    Api.Reply missing = postYaml(CRONTABS, "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: m}\nspec: {image: x}\n");
    assertEquals(422, missing.code(), missing.body());
    assertTrue(missing.body().contains("spec.cronSpec"), missing.body());
  }

  @Test
  @Order(3)
  void listsSelectTablesShowColumnsAndEachVersionServesTheSameObjects() {
    assertEquals(201, postYaml(CRONTABS, """
        apiVersion: stable.example.com/v1
        kind: CronTab
        metadata: {name: hourly, labels: {app: report}}
        spec: {cronSpec: "0 * * * *", image: reporter, replicas: 3}
        """).code());
    assertEquals(List.of("hourly"), names(api.get(CRONTABS + "?labelSelector=app%3Dreport").json()));
    assertEquals(List.of("nightly"), names(api.get(CRONTABS + "?fieldSelector=spec.image%3Dtugboat/busybox:1.0").json()));
    assertEquals(400, api.get(CRONTABS + "?fieldSelector=spec.policy%3DAllow").code(), "not a selectable field");

    JsonNode table = api.send(HttpRequest.newBuilder(api.uri(CRONTABS + "/hourly"))
        .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")).json();
    List<String> columns = new ArrayList<>();
    table.path("columnDefinitions").forEach(c -> columns.add(c.path("name").asText()));
    assertEquals(List.of("Name", "Spec", "Replicas", "Image", "Age"), columns);
    assertEquals("0 * * * *", table.at("/rows/0/cells/1").asText());
    assertEquals(3, table.at("/rows/0/cells/2").asInt());

    JsonNode beta = api.get("/apis/stable.example.com/v1beta1/namespaces/default/crontabs/hourly").json();
    assertEquals("stable.example.com/v1beta1", beta.path("apiVersion").asText(), beta.toString());
    assertEquals("reporter", beta.at("/spec/image").asText());
  }

  @Test
  @Order(4)
  void tugLearnsTheKindFromDiscovery() throws Exception {
    // Its own process, which knows only the built-in kinds: it reads /apis as kubectl does.
    String out = tug("get", "ct", TestTugboat.tugServerOption(tugboat), "--namespace=default");
    assertTrue(out.lines().findFirst().orElse("").matches("NAME\\s+SPEC\\s+REPLICAS\\s+AGE\\s*"), out);
    assertTrue(out.contains("hourly") && out.contains("0 * * * *"), out);
    String yaml = tug("get", "crontabs.stable.example.com", "hourly", "-o", "yaml", TestTugboat.tugServerOption(tugboat),
        "--namespace=default");
    assertTrue(yaml.contains("image: reporter"), yaml);
    Path manifest = Files.writeString(Files.createTempFile("crontab", ".yaml"), """
        apiVersion: stable.example.com/v1
        kind: CronTab
        metadata: {name: weekly}
        spec: {cronSpec: "0 0 * * 0", image: weekly}
        """);
    try {
      assertEquals("crontab.stable.example.com/weekly created\n",
          tug("apply", "-f", manifest.toString(), TestTugboat.tugServerOption(tugboat), "--namespace=default"));
    } finally {
      Files.delete(manifest);
    }
    assertEquals(200, api.delete(CRONTABS + "/weekly").code());
  }

  private static String tug(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
        "-jar", System.getProperty("tugboat.jar")));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes());
      assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "tug finished");
      assertEquals(0, p.exitValue(), String.join(" ", args) + "\n" + out);
      return out;
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  @Order(5)
  void statusHasItsOwnPath() {
    Api.Reply status = api.patch(CRONTABS + "/hourly/status", "{\"status\":{\"replicas\":3,\"lastRun\":\"now\"}}",
        "application/merge-patch+json");
    assertEquals(200, status.code(), status.body());
    assertEquals(3, status.json().at("/status/replicas").asInt());
    Api.Reply main = api.patch(CRONTABS + "/hourly", "{\"status\":{\"replicas\":9},\"spec\":{\"replicas\":4}}",
        "application/merge-patch+json");
    assertEquals(200, main.code(), main.body());
    assertEquals(3, main.json().at("/status/replicas").asInt(), "the main resource does not write status");
    assertEquals(4, main.json().at("/spec/replicas").asInt());
    assertEquals(2, main.json().at("/metadata/generation").asInt());

    Api.Reply scale = api.get(CRONTABS + "/hourly/scale");
    assertEquals("Scale", scale.json().path("kind").asText(), scale.body());
    assertEquals(4, scale.json().at("/spec/replicas").asInt());
    assertEquals(3, scale.json().at("/status/replicas").asInt());
    Api.Reply scaled = api.patch(CRONTABS + "/hourly/scale", "{\"spec\":{\"replicas\":6}}", "application/merge-patch+json");
    assertEquals(200, scaled.code(), scaled.body());
    assertEquals(6, api.get(CRONTABS + "/hourly").json().at("/spec/replicas").asInt(), "the scale wrote spec.replicas");
    assertEquals(422, api.patch(CRONTABS + "/hourly/scale", "{\"spec\":{\"replicas\":11}}", "application/merge-patch+json")
        .code(), "the schema's maximum holds through the scale subresource");
  }

  @Test
  @Order(6)
  void theKindAndItsObjectsAreBackAfterARestart() {
    tugboat.close();
    tugboat = null;
    // A new process knows no custom kind until it reads the CRDs back from the journal.
    ResourceType.remove("stable.example.com", "CronTab");
    startTugboat();
    awaitServed();
    Await.until("the crontabs listed again", Duration.ofSeconds(30),
        () -> names(api.get(CRONTABS).json()).containsAll(List.of("hourly", "nightly")));
    assertEquals(6, api.get(CRONTABS + "/hourly").json().at("/spec/replicas").asInt());
    assertEquals(422, api.patch(CRONTABS + "/hourly", "{\"spec\":{\"replicas\":0}}", "application/merge-patch+json").code(),
        "the schema holds after the restart");
  }

  @Test
  @Order(7)
  void deletingTheCrdDeletesItsObjectsAndTheKind() {
    Api.Reply deleted = api.delete(CRDS + "/crontabs.stable.example.com");
    assertEquals(200, deleted.code(), deleted.body());
    Await.until("the CRD gone", Duration.ofSeconds(30), () -> api.get(CRDS + "/crontabs.stable.example.com").code() == 404);
    Await.until("crontabs no longer served", Duration.ofSeconds(30), () -> api.get(CRONTABS).code() == 404);
    assertFalse(api.get("/apis").body().contains("stable.example.com"));

    // Defined again, the kind starts empty: its objects were deleted, not merely hidden.
    try {
      assertEquals(201, postYaml(CRDS, example("crontab-crd.yaml")).code());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    awaitServed();
    assertEquals(List.of(), names(api.get(CRONTABS).json()));
    assertEquals(200, api.delete(CRDS + "/crontabs.stable.example.com").code());
    Await.until("the CRD gone again", Duration.ofSeconds(30),
        () -> api.get(CRDS + "/crontabs.stable.example.com").code() == 404);
  }

  @Test
  @Order(8)
  void aClusterScopedKindIsServedWithoutNamespacesAndWatched() {
    Api.Reply crd = postYaml(CRDS, """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          scope: Cluster
          names: {plural: widgets, kind: Widget}
          versions:
            - name: v1
              served: true
              storage: true
              schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, x-kubernetes-preserve-unknown-fields: true}}}}
        """);
    assertEquals(201, crd.code(), crd.body());
    Await.until("widgets served", Duration.ofSeconds(30), () -> api.get("/apis/example.com/v1/widgets").code() == 200);
    Api.Reply created = postYaml("/apis/example.com/v1/widgets", "apiVersion: example.com/v1\nkind: Widget\n"
        + "metadata: {name: w1}\nspec: {size: 3}\n");
    assertEquals(201, created.code(), created.body());
    assertTrue(created.json().at("/metadata/namespace").isMissingNode(), "cluster-scoped: " + created.body());
    assertEquals(3, api.get("/apis/example.com/v1/widgets/w1").json().at("/spec/size").asInt());
    assertEquals(404, api.get("/apis/example.com/v1/namespaces/default/widgets/w1").code(), "no namespaced path");
    String watched = api.get("/apis/example.com/v1/widgets?watch=true&resourceVersion=0&timeoutSeconds=2").body();
    assertTrue(watched.contains("\"type\":\"ADDED\"") && watched.contains("\"name\":\"w1\""), watched);
    assertEquals(200, api.delete(CRDS + "/widgets.example.com").code());
    Await.until("widgets gone", Duration.ofSeconds(30), () -> api.get("/apis/example.com/v1/widgets").code() == 404);
    ResourceType.remove("example.com", "Widget");
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.path("items").forEach(i -> names.add(i.at("/metadata/name").asText()));
    return names;
  }
}
