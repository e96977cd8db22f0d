package dev.tugboat.kind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.Kinds;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.Codec;
import dev.tugboat.model.FieldSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Field and label selectors over stored objects, with the fields each kind's strategy declares. */
class ObjectFilterTest {
  private static final String OBJECTS = """
      apiVersion: v1
      kind: Pod
      metadata: {name: web-1, namespace: shop}
      spec: {nodeName: node-1, restartPolicy: Always, containers: [{name: c, image: i}]}
      status: {phase: Running, podIP: 10.0.0.5}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web-2, namespace: shop}
      spec: {containers: [{name: c, image: i}]}
      ---
      apiVersion: v1
      kind: Node
      metadata: {name: node-1}
      ---
      apiVersion: v1
      kind: Node
      metadata: {name: node-2}
      spec: {unschedulable: true}
      ---
      apiVersion: v1
      kind: Event
      metadata: {name: e1, namespace: shop}
      involvedObject: {kind: Pod, name: web-1, namespace: shop, uid: u-1}
      reason: Scheduled
      type: Normal
      source: {component: default-scheduler}
      ---
      apiVersion: apps/v1
      kind: ReplicaSet
      metadata: {name: rs, namespace: shop}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: shop}
      status: {phase: Active}
      """;

  private static ApiObject object(String name) {
    return Codec.readManifests(OBJECTS).stream().filter(o -> o.metadata().name().equals(name)).findFirst().orElseThrow();
  }

  @ParameterizedTest(name = "{1} on {0} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      web-1 | metadata.name=web-1                                       | true
      web-1 | metadata.name==web-1,metadata.namespace=shop               | true
      web-1 | metadata.name!=web-1                                      | false
      web-1 | spec.nodeName=node-1,status.phase==Running                | true
      web-1 | spec.nodeName!=                                           | true
      web-2 | spec.nodeName!=                                           | false
      web-2 | spec.nodeName=                                            | true
      web-2 | status.phase=Running                                      | false
      web-1 | status.podIP=10.0.0.5,spec.restartPolicy=Always           | true
      node-1 | spec.unschedulable=false                                 | true
      node-2 | spec.unschedulable=false                                 | false
      node-2 | spec.unschedulable=true                                  | true
      e1    | involvedObject.kind=Pod,involvedObject.name=web-1         | true
      e1    | involvedObject.uid=u-1,involvedObject.namespace=shop      | true
      e1    | involvedObject.fieldPath=                                 | true
      e1    | reason=Scheduled,type=Normal,source=default-scheduler     | true
      e1    | type=Warning                                              | false
      rs    | status.replicas=0                                         | true
      shop  | status.phase=Active                                       | true
      shop  | metadata.namespace=                                       | true
      """)
  void selectsObjectsByTheirFields(String name, String selector, boolean expected) {
    ApiObject o = object(name);
    ObjectNode stored = Codec.toObjectNode(o);
    assertEquals(expected, ObjectFilter.of(strategy(o.kind()), null, selector).test(stored));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource(delimiter = '|', textBlock = """
      spec.foo=x              | Pod        | field label not supported: spec.foo
      spec.nodeName=n         | Service    | field label not supported: spec.nodeName
      status.phase=Running    | Deployment | field label not supported: status.phase
      spec.unschedulable=true | Pod        | field label not supported: spec.unschedulable
      metadata.name           | Pod        | invalid selector: 'metadata.name'; can't understand 'metadata.name'
      =x                      | Pod        | can't understand '=x'
      metadata.name=a,,b=c    | Pod        | can't understand ''
      """)
  void unsupportedFieldsAndBadSyntaxAreErrors(String selector, String kind, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ObjectFilter.of(strategy(kind), null, selector));
    assertEquals(true, e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void labelsAndFieldsTogether() {
    ObjectNode pod = Codec.toObjectNode(object("web-1"));
    ((ObjectNode) pod.get("metadata")).putObject("labels").put("app", "web");
    assertEquals(true, ObjectFilter.of(strategy("Pod"), "app=web", "spec.nodeName=node-1").test(pod));
    assertEquals(false, ObjectFilter.of(strategy("Pod"), "app=db", "spec.nodeName=node-1").test(pod));
    assertEquals(false, ObjectFilter.of(strategy("Pod"), "app=web", "spec.nodeName=node-2").test(pod));
    assertEquals("metadata.name=a,spec.nodeName!=", FieldSelector.parse("metadata.name==a, spec.nodeName!=").toString());
  }

  @Test
  void aKindWithoutFieldsOfItsOwnHasNameAndNamespace() {
    ObjectNode cm = Codec.json().createObjectNode();
    cm.putObject("metadata").put("name", "conf").put("namespace", "shop");
    assertEquals(true, ObjectFilter.of(strategy("ConfigMap"), null, "metadata.name=conf,metadata.namespace=shop").test(cm));
    assertThrows(IllegalArgumentException.class, () -> ObjectFilter.of(strategy("ConfigMap"), null, "data.x=1"));
    ObjectNode secret = Codec.json().createObjectNode();
    secret.putObject("metadata").put("name", "s");
    assertEquals(true, ObjectFilter.of(strategy("Secret"), null, "type=Opaque").test(secret), "absent type reads Opaque");
  }

  private static KindStrategy strategy(String kind) {
    return Kinds.strategies().stream().filter(k -> k.kind().equals(kind)).findFirst().orElseThrow();
  }
}
