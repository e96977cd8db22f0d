package dev.tugboat.apiserver.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.kinds.Kinds;
import dev.tugboat.model.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The OpenAPI documents made from the built-in kinds' records. */
class OpenApiDocumentsTest {
  private static final Map<String, KindStrategy> STRATEGIES = Kinds.strategies().stream()
      .collect(Collectors.toMap(KindStrategy::kind, s -> s, (a, b) -> a));
  private final OpenApiDocuments docs = new OpenApiDocuments("v1.33.0", STRATEGIES::get,
      t -> STRATEGIES.get(t.kind()) != null && STRATEGIES.get(t.kind()).type().version().equals(t.version()));

  @Test
  void theIndexNamesADocumentPerGroupVersionServed() {
    ObjectNode index = docs.v3Index();
    for (ResourceType t : ResourceType.all()) {
      String gv = OpenApiDocuments.gvPath(t);
      String url = index.path("paths").path(gv).path("serverRelativeURL").asText();
      assertTrue(url.startsWith("/openapi/v3/" + gv + "?hash="), gv + ": " + url);
      assertTrue(docs.v3(gv).isPresent(), gv);
    }
  }

  @Test
  void aKindsSchemaIsItsRecordsMarkedWithItsGroupVersionKind() {
    ObjectNode apps = docs.v3("apis/apps/v1").orElseThrow();
    JsonNode schemas = apps.path("components").path("schemas");
    JsonNode deployment = schemas.path("dev.tugboat.model.Deployment");
    assertEquals("apps", deployment.path("x-kubernetes-group-version-kind").get(0).path("group").asText());
    assertEquals("Deployment", deployment.path("x-kubernetes-group-version-kind").get(0).path("kind").asText());
    JsonNode strategy = resolve(apps, resolve(apps, deployment.path("properties").path("spec")).path("properties").path("strategy"));
    assertEquals("string", strategy.path("properties").path("type").path("type").asText());
    JsonNode rollingUpdate = resolve(apps, strategy.path("properties").path("rollingUpdate"));
    assertEquals("int-or-string", resolve(apps, rollingUpdate.path("properties").path("maxSurge")).path("format").asText());
    JsonNode podSpec = resolve(apps, resolve(apps, resolve(apps, deployment.path("properties").path("spec"))
        .path("properties").path("template")).path("properties").path("spec"));
    JsonNode containers = podSpec.path("properties").path("containers");
    assertEquals("name", containers.path("x-kubernetes-patch-merge-key").asText(), "as the strategic merge patch merges them");
    assertEquals("merge", containers.path("x-kubernetes-patch-strategy").asText());
    assertEquals("map", containers.path("x-kubernetes-list-type").asText(), "as server-side apply merges them");
    assertEquals("[\"name\"]", containers.path("x-kubernetes-list-map-keys").toString());
    JsonNode meta = resolve(apps, deployment.path("properties").path("metadata"));
    assertEquals("set", meta.path("properties").path("finalizers").path("x-kubernetes-list-type").asText());
    assertEquals("atomic", resolve(apps, containers.path("items")).path("properties").path("command")
        .path("x-kubernetes-list-type").asText());
    assertEquals("containerPort", resolve(apps, containers.path("items")).path("properties").path("ports")
        .path("x-kubernetes-patch-merge-key").asText());
    assertEquals("date-time", resolve(apps, deployment.path("properties").path("metadata"))
        .path("properties").path("creationTimestamp").path("format").asText());
  }

  @Test
  void patchesNameFieldValidationAndTheirKindButNotTheStrategicMergePatch() {
    ObjectNode apps = docs.v3("apis/apps/v1").orElseThrow();
    JsonNode patch = apps.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}").path("patch");
    assertEquals("Deployment", patch.path("x-kubernetes-group-version-kind").path("kind").asText());
    assertEquals("patch", patch.path("x-kubernetes-action").asText());
    List<String> params = new ArrayList<>();
    patch.path("parameters").forEach(p -> params.add(p.path("name").asText() + "@" + p.path("in").asText()));
    assertTrue(params.contains("fieldValidation@query"), params.toString());
    assertTrue(patch.path("requestBody").path("content").has("application/merge-patch+json"));
    assertFalse(patch.path("requestBody").path("content").has("application/strategic-merge-patch+json"));
    assertTrue(apps.path("paths").has("/apis/apps/v1/deployments"), "every namespace's list");
    assertTrue(apps.path("paths").has("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status"));
    assertTrue(docs.v3("api/v1").orElseThrow().path("paths").has("/api/v1/nodes/{name}"), "cluster-scoped paths");
  }

  @Test
  void everyReferenceResolvesInEveryDocumentAndInSwagger2() {
    for (JsonNode gv : iterable(docs.v3Index().path("paths"))) {
      String path = gv.path("serverRelativeURL").asText().replaceFirst("^/openapi/v3/", "").replaceFirst("\\?.*", "");
      ObjectNode doc = docs.v3(path).orElseThrow();
      refs(doc).forEach(ref -> assertTrue(doc.path("components").path("schemas")
          .has(ref.replace(RecordSchemas.REF_PREFIX, "")), path + ": " + ref));
    }
    ObjectNode v2 = docs.v2();
    assertEquals("2.0", v2.path("swagger").asText());
    List<String> refs = refs(v2);
    assertFalse(refs.isEmpty());
    refs.forEach(ref -> assertTrue(ref.startsWith("#/definitions/") && v2.path("definitions").has(ref.substring(14)), ref));
    JsonNode body = v2.path("paths").path("/api/v1/namespaces/{namespace}/configmaps").path("post").path("parameters");
    assertTrue(body.toString().contains("\"in\":\"body\""), body.toString());
  }

  private static JsonNode resolve(JsonNode doc, JsonNode schema) {
    String ref = schema.path("$ref").asText("");
    return ref.isEmpty() ? schema : doc.path("components").path("schemas").path(ref.replace(RecordSchemas.REF_PREFIX, ""));
  }

  private static List<String> refs(JsonNode node) {
    List<String> refs = new ArrayList<>();
    node.findValues("$ref").forEach(r -> refs.add(r.asText()));
    return refs;
  }

  private static Iterable<JsonNode> iterable(JsonNode object) {
    List<JsonNode> values = new ArrayList<>();
    object.elements().forEachRemaining(values::add);
    return values;
  }
}
