package dev.tugboat.model.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldSetTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode json(String s) {
    try {
      return JSON.readTree(s.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  /** FieldsV1 as kube-apiserver writes it for a Deployment, read and written back unchanged. */
  @Test
  void fieldsV1RoundTrips() {
    JsonNode fields = json("""
        {'f:metadata':{'f:labels':{'.':{},'f:app':{}}},
         'f:spec':{'f:replicas':{},'f:template':{'f:spec':{'f:containers':{
           'k:{\\'name\\':\\'web\\'}':{'.':{},'f:image':{},'f:name':{}}}}}}}""".replace("\\'", "\\\""));
    FieldSet set = FieldSet.fromFieldsV1(fields);
    assertEquals(6, set.size());
    assertTrue(set.contains(List.of("f:metadata", "f:labels")));
    assertTrue(set.contains(List.of("f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}")));
    assertTrue(set.contains(List.of("f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}", "f:image")));
    assertFalse(set.contains(List.of("f:spec")));
    assertEquals(fields, set.toFieldsV1());
  }

  @Test
  void badFieldsV1IsRefusedSayingWhere() {
    assertThrows(IllegalArgumentException.class, () -> FieldSet.fromFieldsV1(json("{'x:y':{}}")));
    assertThrows(IllegalArgumentException.class, () -> FieldSet.fromFieldsV1(json("{'f:a':1}")));
    assertThrows(IllegalArgumentException.class, () -> FieldSet.fromFieldsV1(json("[]")));
    assertTrue(FieldSet.fromFieldsV1(null).isEmpty());
  }

  @Test
  void setArithmetic() {
    FieldSet a = FieldSet.of(List.of("f:a"), List.of("f:b", "f:c"));
    FieldSet b = FieldSet.of(List.of("f:b", "f:c"), List.of("f:d"));
    assertEquals(FieldSet.of(List.of("f:a"), List.of("f:b", "f:c"), List.of("f:d")), a.union(b));
    assertEquals(FieldSet.of(List.of("f:a")), a.difference(b));
    assertEquals(FieldSet.of(List.of("f:b", "f:c")), a.intersection(b));
    assertTrue(a.hasAtOrBelow(List.of("f:b")));
    assertFalse(a.hasAtOrBelow(List.of("f:c")));
    assertTrue(FieldSet.EMPTY.union(FieldSet.EMPTY).isEmpty());
  }

  @Test
  void pathsDisplayAsKubernetesPrintsThem() {
    assertEquals(".spec.replicas", FieldSet.display(List.of("f:spec", "f:replicas")));
    assertEquals(".spec.containers[name=\"web\"].image", FieldSet.display(List.of("f:spec", "f:containers",
        FieldSet.key(Map.of("name", TextNode.valueOf("web"))), "f:image")));
    assertEquals(".spec.ports[port=80]", FieldSet.display(List.of("f:spec", "f:ports",
        FieldSet.key(Map.of("port", IntNode.valueOf(80))))));
    assertEquals(".metadata.finalizers[=\"x\"]", FieldSet.display(List.of("f:metadata", "f:finalizers",
        FieldSet.value(TextNode.valueOf("x")))));
  }

  @Test
  void keysAreSortedSoThatEqualItemsHaveOneElement() {
    assertEquals(FieldSet.key(Map.of("b", IntNode.valueOf(1), "a", IntNode.valueOf(2))),
        FieldSet.key(Map.of("a", IntNode.valueOf(2), "b", IntNode.valueOf(1))));
    assertEquals("k:{\"a\":2,\"b\":1}", FieldSet.key(Map.of("b", IntNode.valueOf(1), "a", IntNode.valueOf(2))));
  }
}
