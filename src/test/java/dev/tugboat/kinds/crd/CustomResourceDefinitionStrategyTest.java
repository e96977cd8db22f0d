package dev.tugboat.kinds.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomResourceDefinitionStrategyTest {
  private final CustomResourceDefinitionStrategy strategy = new CustomResourceDefinitionStrategy();

  private static ObjectNode example() throws Exception {
    return (ObjectNode) Codec.parseTree(Files.readAllBytes(Path.of("examples/crd/crontab-crd.yaml")), true);
  }

  private static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true);
  }

  private static List<String> causes(Admission a) {
    assertEquals(422, a.failure().code(), a.failure().message());
    return a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void theExampleIsAdmittedEstablishedAndDefaulted() throws Exception {
    Admission a = strategy.admitCreate(example());
    assertNull(a.failure(), () -> a.failure().message());
    assertEquals("CronTabList", a.object().at("/spec/names/listKind").asText());
    assertEquals("Established", a.object().at("/status/conditions/1/type").asText());
    assertEquals("[\"v1\"]", a.object().at("/status/storedVersions").toString());
  }

  @Test
  void namesVersionsAndSchemasAreChecked() throws Exception {
    ObjectNode crd = example();
    crd.with("metadata").put("name", "tabs.stable.example.com");
    ((ObjectNode) crd.at("/spec/versions/1")).put("storage", true);
    ((ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/image")).remove("type");
    assertEquals(java.util.Set.of(
        "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[image].type: Required value: must not be "
            + "empty for specified object fields",
        "spec.versions: Invalid value: null: must have exactly one version marked as storage version",
        "metadata.name: Invalid value: \"tabs.stable.example.com\": must be spec.names.plural+\".\"+spec.group"),
        java.util.Set.copyOf(causes(strategy.admitCreate(crd))));
  }

  @Test
  void aKindAnotherGroupServesIsRefused() {
    assertEquals(List.of("spec.names.kind: Invalid value: \"Pod\": is already served by the group \"\" (pods): Tugboat "
        + "serves each kind name once"), causes(strategy.admitCreate(yaml("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: pods.x.example.com}
        spec:
          group: x.example.com
          scope: Namespaced
          names: {plural: pods, kind: Pod}
          versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
        """))));
  }

  @Test
  void identityIsImmutable() throws Exception {
    ObjectNode current = strategy.admitCreate(example()).object();
    ObjectNode changed = current.deepCopy();
    ((ObjectNode) changed.get("spec")).put("scope", "Cluster");
    assertEquals(List.of("spec.scope: Invalid value: \"Cluster\": field is immutable"), causes(strategy.admitUpdate(current, changed)));
  }

  @Test
  void customObjectsArePrunedDefaultedValidatedAndPrinted() throws Exception {
    CustomResourceStrategy kind = CustomResourceStrategy.of(strategy.admitCreate(example()).object());
    assertEquals(List.of("v1", "v1beta1"), kind.servedTypes().stream().map(t -> t.version()).toList());
    assertTrue(kind.hasStatus());
    Admission ok = kind.admitCreate(yaml("""
        apiVersion: stable.example.com/v1
        kind: CronTab
        metadata: {name: n}
        spec: {cronSpec: "0 3 * * *", image: i, extra: 1}
        """));
    assertNull(ok.failure(), () -> ok.failure().message());
    assertEquals("{\"cronSpec\":\"0 3 * * *\",\"image\":\"i\",\"replicas\":1}", ok.object().path("spec").toString());
    assertEquals(List.of("n", "0 3 * * *", 1, "i", "<none>"), kind.printer().cells(ok.object(), Instant.now()));
    assertEquals(400, kind.admitCreate(yaml("apiVersion: stable.example.com/v2\nkind: CronTab\nmetadata: {name: n}\n"))
        .failure().code(), "a version not served");
    assertEquals(List.of("metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower "
        + "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
        + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
        causes(kind.admitCreate(yaml("apiVersion: stable.example.com/v1beta1\nkind: CronTab\nmetadata: {name: Bad_Name}\n"))));
  }
}
