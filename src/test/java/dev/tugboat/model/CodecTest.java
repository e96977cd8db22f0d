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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CodecTest {
  /**
   * Folders of manifests that must round-trip, relative to the module: realistic manifests, and every
   * example a user is told to apply. Another folder is one more entry; a folder that is missing fails.
   */
  static final List<Path> MANIFEST_DIRS = List.of(
      Path.of("src/test/resources/manifests"),
      Path.of("examples"));

  static Stream<Path> manifests() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path dir : MANIFEST_DIRS) {
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
      }
    }
    assertTrue(files.size() >= 14, "manifests found: " + files);
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

  /**
   * Every field the user wrote is there with the same value, and nothing else (a quantity written
   * as a number comes back as its text; a field written as {@code null}, such as a template's
   * {@code creationTimestamp: null}, means absent, as in Kubernetes).
   */
  private static void assertSameTree(JsonNode wrote, JsonNode got, String path) {
    if (wrote.isObject()) {
      assertTrue(got.isObject(), path + " is an object");
      int written = 0;
      for (var it = wrote.fields(); it.hasNext(); ) {
        var e = it.next();
        if (e.getValue().isNull()) {
          assertFalse(got.has(e.getKey()), "null is absent: " + path + "." + e.getKey());
          continue;
        }
        written++;
        assertTrue(got.has(e.getKey()), "kept " + path + "." + e.getKey());
        assertSameTree(e.getValue(), got.get(e.getKey()), path + "." + e.getKey());
      }
      assertEquals(written, got.size(), "no field added at " + path + ": " + got);
    } else if (wrote.isArray()) {
      assertEquals(wrote.size(), got.size(), path);
      for (int i = 0; i < wrote.size(); i++) assertSameTree(wrote.get(i), got.get(i), path + "[" + i + "]");
    } else {
      assertTrue(got.isValueNode(), path + " is a value");
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
  void decodeReportsUnknownFieldsOrRefusesAllOfThemWhenStrict() {
    JsonNode tree = Codec.parseTree("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 1
          replicaz: 2
          template:
            spec:
              containers: [{name: c, image: i, imagee: j}]
        """.getBytes(StandardCharsets.UTF_8), true);
    Decoded<ApiObject> lenient = Codec.decode(tree, false);
    assertEquals(List.of("spec.replicaz", "spec.template.spec.containers[0].imagee"), lenient.unknownFields());
    assertEquals(List.of("unknown field \"spec.replicaz\"", "unknown field \"spec.template.spec.containers[0].imagee\""),
        lenient.warnings());
    assertEquals(1, ((Deployment) lenient.object()).spec().replicas());

    Codec.DecodeException strict = assertThrows(Codec.DecodeException.class, () -> Codec.decode(tree, true));
    assertEquals("strict decoding error: unknown field \"spec.replicaz\", "
        + "unknown field \"spec.template.spec.containers[0].imagee\"", strict.getMessage());
    assertEquals("spec.replicaz", strict.field());

    List<Decoded<ApiObject>> manifests = Codec.decodeManifests(Codec.toYaml(tree), false);
    assertEquals(lenient, manifests.get(0));
  }

  /** Fields kept as raw JSON (an env var's valueFrom, affinity) are never unknown. */
  @Test
  void rawFieldsAreKeptAsWritten() {
    Decoded<ApiObject> d = Codec.decode(Codec.parseTree("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{
         "affinity":{"nodeAffinity":{"anything":[1,2]}},
         "containers":[{"name":"c","image":"i","env":[{"name":"X","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}]}]}}
        """.getBytes(StandardCharsets.UTF_8), false), true);
    Pod pod = (Pod) d.object();
    assertEquals("s", pod.spec().containers().get(0).env().get(0).valueFrom().at("/secretKeyRef/name").asText());
    assertEquals(2, pod.spec().affinity().at("/nodeAffinity/anything/1").asInt());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {replicas: three}                                      | spec.replicas                                 | integer
      {replicas: '3'}                                        | spec.replicas                                 | integer
      {replicas: 1.5}                                        | spec.replicas                                 | integer
      {replicas: 99999999999}                                | spec.replicas                                 | out of range
      {paused: 'yes'}                                        | spec.paused                                   | boolean
      {template: {spec: {containers: {}}}}                   | spec.template.spec.containers                 | array
      {template: {spec: {containers: [null]}}}               | spec.template.spec.containers[0]              | null is not allowed
      {template: {metadata: {labels: {a: null}}}}            | spec.template.metadata.labels.a               | null is not allowed
      {template: {metadata: {labels: {version: 2}}}}         | spec.template.metadata.labels.version         | string
      {template: {metadata: {creationTimestamp: yesterday}}} | spec.template.metadata.creationTimestamp      | RFC 3339
      {template: {spec: {containers: [{resources: {limits: {cpu: {a: 1}}}}]}}} | spec.template.spec.containers[0].resources.limits.cpu | quantity
      {strategy: {rollingUpdate: {maxSurge: 1.5}}}           | spec.strategy.rollingUpdate.maxSurge          | integer or string
      {template: {spec: {containers: [{name: c, env: [{name: PORT, value: 8080}]}]}}} | spec.template.spec.containers[0].env[0].value | string
      {selector: []}                                         | spec.selector                                 | object
      """)
  void decodeErrorsNameTheFieldPath(String spec, String field, String reason) {
    Codec.DecodeException e = assertThrows(Codec.DecodeException.class, () -> Codec.readManifests(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: " + spec + "\n"));
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.reason().contains(reason), e.reason());
  }

  @Test
  void duplicateKeysFailInYamlAndInStrictJson() {
    Codec.DecodeException yaml = assertThrows(Codec.DecodeException.class,
        () -> Codec.readManifests("apiVersion: v1\nkind: Pod\nmetadata: {name: a, name: b}\n"));
    assertEquals("metadata.name", yaml.field());
    assertTrue(yaml.getMessage().contains("duplicate field \"metadata.name\" at line 3"), yaml.getMessage());
    byte[] json = "{\"kind\":\"Pod\",\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals("Pod", Codec.parseTree(json, false).path("kind").asText(), "lenient JSON: the last one wins");
    assertThrows(Codec.DecodeException.class, () -> Codec.parseTree(json, false, true));
  }

  @Test
  void aBodyIsOneValue() {
    Codec.DecodeException e = assertThrows(Codec.DecodeException.class,
        () -> Codec.parseTree("a: 1\n---\nb: 2\n".getBytes(StandardCharsets.UTF_8), true));
    assertTrue(e.getMessage().contains("more than one value"), e.getMessage());
    assertThrows(Codec.DecodeException.class, () -> Codec.parseTree("{} {}".getBytes(StandardCharsets.UTF_8), false));
    assertThrows(Codec.DecodeException.class, () -> Codec.parseTree("  ".getBytes(StandardCharsets.UTF_8), false));
  }

  @Test
  void typedListsImplyTheirItemsKindAndErrorsSayWhichItemAndDocument() {
    List<ApiObject> pods = Codec.readManifests("""
        apiVersion: v1
        kind: PodList
        items:
        - metadata: {name: a}
        - metadata: {name: b}
        """);
    assertEquals(2, pods.size());
    assertInstanceOf(Pod.class, pods.get(1));
    assertEquals("b", pods.get(1).metadata().name());

    Codec.DecodeException e = assertThrows(Codec.DecodeException.class, () -> Codec.readManifests("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: a}
        ---
        apiVersion: v1
        kind: List
        items:
        - {apiVersion: v1, kind: Namespace, metadata: {name: b}}
        - {apiVersion: v1, kind: Pod, metadata: {name: c}, spec: {containers: 3}}
        """));
    assertEquals("items[1].spec.containers", e.field());
    assertTrue(e.getMessage().startsWith("document 2: items[1].spec.containers: "), e.getMessage());
  }

  @Test
  void brokenSyntaxSaysWhere() {
    Codec.DecodeException e = assertThrows(Codec.DecodeException.class,
        () -> Codec.parseTree("{\"apiVersion\": \"v1\",\n \"kind\": }".getBytes(), false));
    assertTrue(e.getMessage().contains("line 2, column 10"), e.getMessage());
    Codec.DecodeException yaml = assertThrows(Codec.DecodeException.class,
        () -> Codec.readManifests("apiVersion: v1\nkind: [unclosed\n"));
    assertTrue(yaml.getMessage().contains("at line 2, column 16"), yaml.getMessage());
    assertFalse(yaml.getMessage().contains("\n"), "one line: " + yaml.getMessage());
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
