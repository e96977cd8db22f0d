package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectDiffTest {
  private static JsonNode yaml(String text) {
    try {
      return Codec.parseTree(text.getBytes(), true);
    } catch (Codec.DecodeException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void namesEachChangedFieldWithBeforeAndAfter() {
    JsonNode before = yaml("""
        metadata: {name: web, resourceVersion: "1", labels: {app: web}}
        spec: {replicas: 2, template: {spec: {containers: [{name: a, image: "x:1"}]}}}
        """);
    JsonNode after = yaml("""
        metadata: {name: web, resourceVersion: "2", labels: {app: web, tier: front}}
        spec: {replicas: 3, template: {spec: {containers: [{name: a, image: "x:2"}]}}}
        """);
    List<ObjectDiff.Change> changes = ObjectDiff.between(before, after);
    assertEquals(List.of("metadata.labels.tier", "spec.replicas", "spec.template.spec.containers[0].image"),
        changes.stream().map(ObjectDiff.Change::path).toList());
    assertTrue(changes.get(0).before().isMissingNode());
    assertEquals("front", changes.get(0).after().asText());
    assertEquals(2, changes.get(1).before().asInt());
    assertEquals("x:2", changes.get(2).after().asText());
  }

  @Test
  void listsOfAnotherLengthAreOneChangeAndEqualObjectsNone() {
    JsonNode a = yaml("spec: {ports: [{port: 80}]}");
    JsonNode b = yaml("spec: {ports: [{port: 80}, {port: 443}]}");
    assertEquals(List.of("spec.ports"), ObjectDiff.between(a, b).stream().map(ObjectDiff.Change::path).toList());
    assertEquals(List.of(), ObjectDiff.between(a, a.deepCopy()));
    assertEquals(List.of("spec"), ObjectDiff.between(a, yaml("{}")).stream().map(ObjectDiff.Change::path).toList());
  }
}
