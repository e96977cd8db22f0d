package dev.tugboat.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CodecTest {
  /** Realistic manifests, and every example a user is told to apply. */
  static Stream<Path> manifests() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path dir : List.of(Path.of("src/test/resources/manifests"), Path.of("examples"))) {
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
      }
    }
    assertTrue(files.size() >= 7, "manifests found: " + files);
    return files.stream();
  }

  @ParameterizedTest
  @MethodSource("manifests")
  void everyManifestRoundTripsWithNothingLost(Path file) throws IOException {
    String yaml = Files.readString(file);
    List<ApiObject> objects = Codec.readManifests(yaml);
    List<JsonNode> documents = documents(yaml);
    assertEquals(documents.size(), objects.size(), "one object per document in " + file);
    for (int i = 0; i < objects.size(); i++) {
      ApiObject object = objects.get(i);
      String json = Codec.toJson(object);
      ApiObject again = Codec.decode(Codec.parseTree(json.getBytes(StandardCharsets.UTF_8), false));
      assertEquals(object, again, "YAML -> object -> JSON -> object in " + file);
      assertSameTree(documents.get(i), Codec.parseTree(json.getBytes(StandardCharsets.UTF_8), false), "");
    }
  }

  /** The documents of a file as trees, lists expanded, empty documents skipped. */
  private static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    var it = Codec.yaml().readValues(Codec.yaml().getFactory().createParser(yaml), JsonNode.class);
    while (it.hasNextValue()) {
      JsonNode d = it.nextValue();
      if (d == null || d.isNull() || d.isEmpty() || (d.isTextual() && d.asText().isBlank())) continue;
      if (d.path("kind").asText().equals("List")) d.path("items").forEach(docs::add);
      else docs.add(d);
    }
    return docs;
  }

  /** Every field the user wrote is there with the same value (a quantity written as a number comes back as its text). */
  private static void assertSameTree(JsonNode wrote, JsonNode got, String path) {
    if (wrote.isObject()) {
      assertTrue(got.isObject(), path + " is an object");
      wrote.fields().forEachRemaining(e -> {
        assertTrue(got.has(e.getKey()), "kept " + path + "." + e.getKey());
        assertSameTree(e.getValue(), got.get(e.getKey()), path + "." + e.getKey());
      });
      assertEquals(wrote.size(), got.size(), "no field added at " + path + ": " + got);
    } else if (wrote.isArray()) {
      assertEquals(wrote.size(), got.size(), path);
      for (int i = 0; i < wrote.size(); i++) assertSameTree(wrote.get(i), got.get(i), path + "[" + i + "]");
    } else {
      assertEquals(wrote.asText(), got.asText(), path);
    }
  }

  /** YAML we write must read back: a label "123" or a condition status "True" stays a string. */
  @ParameterizedTest
  @MethodSource("manifests")
  void yamlWeWriteReadsBackEqual(Path file) throws IOException {
    for (ApiObject object : Codec.readManifests(Files.readString(file))) {
      assertEquals(List.of(object), Codec.readManifests(Codec.toYaml(object)), file.toString());
    }
  }

  @Test
  void numericLookingStringsAreQuotedInYaml() {
    ApiObject node = Codec.readManifests("""
        apiVersion: v1
        kind: Node
        metadata: {name: n, labels: {a: '123', b: 'True', c: 'yes', d: 'null', e: '1e3', f: '0x1F', g: '012'}}
        status: {conditions: [{type: Ready, status: 'True'}]}
        """).get(0);
    String yaml = Codec.toYaml(node);
    assertTrue(yaml.contains("a: \"123\""), yaml);
    assertEquals(node, Codec.readManifests(yaml).get(0));
  }

  @Test
  void unknownFieldsAreDroppedAndNamedOrRefusedWhenStrict() {
    byte[] body = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","colour":"blue"},
         "spec":{"containers":[{"name":"c","image":"busybox:1","imagee":"typo"}]}}""".getBytes(StandardCharsets.UTF_8);
    ResourceType pods = ResourceType.byKind("v1", "Pod").orElseThrow();
    Codec.Checked lenient = Codec.check(body, false, false, pods);
    assertEquals(List.of("metadata.colour", "spec.containers[0].imagee"), lenient.unknownFields());
    assertFalse(lenient.object().path("metadata").has("colour"));
    assertEquals("busybox:1", lenient.object().at("/spec/containers/0/image").asText());

    Codec.DecodeException strict = assertThrows(Codec.DecodeException.class, () -> Codec.check(body, false, true, pods));
    assertTrue(strict.getMessage().contains("unknown field \"metadata.colour\""), strict.getMessage());
  }

  @Test
  void typeErrorsNameTheField() {
    ResourceType deployments = ResourceType.byKind("apps/v1", "Deployment").orElseThrow();
    Codec.DecodeException e = assertThrows(Codec.DecodeException.class, () -> Codec.check("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec: {replicas: three}
        """.getBytes(StandardCharsets.UTF_8), true, false, deployments));
    assertEquals("spec.replicas", e.field());
    assertTrue(e.reason().contains("integer"), e.reason());

    Codec.DecodeException env = assertThrows(Codec.DecodeException.class, () -> Codec.decode(Codec.parseTree("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
         "spec":{"containers":[{"name":"c","image":"i","env":[{"name":"PORT","value":8080}]}]}}""".getBytes(), false)));
    assertEquals("spec.containers[0].env[0].value", env.field());
  }

  @Test
  void brokenSyntaxSaysWhere() {
    Codec.DecodeException e = assertThrows(Codec.DecodeException.class,
        () -> Codec.parseTree("{\"apiVersion\": \"v1\",\n \"kind\": }".getBytes(), false));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertThrows(Codec.DecodeException.class, () -> Codec.readManifests("kind: [unclosed"));
  }

  @Test
  void unknownKindsAreNamed() {
    Codec.DecodeException e = assertThrows(Codec.DecodeException.class,
        () -> Codec.readManifests("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"));
    assertTrue(e.getMessage().contains("no kind \"Widget\" is registered for version \"example.com/v1\""), e.getMessage());
  }

  @Test
  void timestampsAreRfc3339AndAbsentFieldsStayAbsent() {
    Pod pod = new Pod("v1", "Pod", ObjectMeta.named("default", "p"), null, null);
    ObjectNode json = Codec.toObjectNode(pod.withMetadata(new ObjectMeta("p", null, "default", null, null, 2L,
        java.time.Instant.parse("2026-11-23T01:02:03Z"), null, null, null, null, null, null)));
    assertEquals("2026-11-23T01:02:03Z", json.at("/metadata/creationTimestamp").asText());
    assertFalse(json.has("spec"));
    assertFalse(json.path("metadata").has("labels"));
    assertInstanceOf(Pod.class, Codec.decode(json));
  }
}
