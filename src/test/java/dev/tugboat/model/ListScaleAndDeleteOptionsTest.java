package dev.tugboat.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListScaleAndDeleteOptionsTest {
  private static JsonNode json(String text) {
    return Codec.parseTree(text.getBytes(StandardCharsets.UTF_8), false);
  }

  @Test
  void listsAreShapedAsKubernetesListsAndDecodeBack() {
    ResourceType pods = ResourceType.byKind("v1", "Pod").orElseThrow();
    ObjectList<Pod> empty = ObjectList.of(pods, "42", List.of());
    assertEquals("{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"42\"},\"items\":[]}",
        Codec.toJson(empty));
    Pod pod = new Pod(null, null, ObjectMeta.named("default", "p"), null, null);
    ObjectList<Pod> page = ObjectList.of(pods, "42", List.of(pod)).withContinue("token", 3L);
    String text = Codec.toJson(page);
    assertTrue(text.contains("\"metadata\":{\"resourceVersion\":\"42\",\"continue\":\"token\",\"remainingItemCount\":3}"),
        text);
    ObjectList<ApiObject> back = Codec.decodeList(json(text));
    assertEquals("PodList", back.kind());
    assertEquals("token", back.metadata().continueToken());
    assertInstanceOf(Pod.class, back.items().get(0));
    assertEquals("p", back.items().get(0).metadata().name());
  }

  @Test
  void scaleCarriesReplicasAndTheSelectorString() {
    Deployment d = (Deployment) Codec.readManifests("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: default, uid: u-1, resourceVersion: "7", labels: {team: a}}
        spec:
          replicas: 3
          selector: {matchLabels: {tier: front, app: web}, matchExpressions: [{key: env, operator: NotIn, values: [dev]}]}
        status: {replicas: 2}
        """).get(0);
    Scale scale = Scale.of(d);
    assertEquals("{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"web\","
        + "\"namespace\":\"default\",\"uid\":\"u-1\",\"resourceVersion\":\"7\"},\"spec\":{\"replicas\":3},"
        + "\"status\":{\"replicas\":2,\"selector\":\"app=web,env notin (dev),tier=front\"}}", Codec.toJson(scale));
    Decoded<Scale> put = Codec.decode(json("{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":"
        + "{\"name\":\"web\"},\"spec\":{\"replicas\":5}}"), Scale.class, true);
    assertEquals(5, put.object().spec().replicas());

    ReplicaSet empty = new ReplicaSet("apps/v1", "ReplicaSet", ObjectMeta.named("default", "rs"), null, null);
    assertEquals(0, Scale.of(empty).spec().replicas());
    assertEquals(0, Scale.of(empty).status().replicas());
  }

  @Test
  void deleteOptionsDecideThePolicyAndValidateAsKubernetesDoes() {
    DeleteOptions foreground = Codec.convert(json("{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
        + "\"propagationPolicy\":\"Foreground\",\"preconditions\":{\"uid\":\"u-1\",\"resourceVersion\":\"7\"},"
        + "\"dryRun\":[\"All\"],\"gracePeriodSeconds\":0}"), DeleteOptions.class);
    assertEquals("Foreground", foreground.effectivePropagationPolicy());
    assertEquals("u-1", foreground.preconditions().uid());
    assertEquals(List.of(), foreground.validate());
    assertEquals(0, foreground.effectiveGracePeriodSeconds(30));

    DeleteOptions none = Codec.convert(json("{}"), DeleteOptions.class);
    assertEquals("Background", none.effectivePropagationPolicy());
    assertEquals(30, none.effectiveGracePeriodSeconds(30));
    DeleteOptions orphan = Codec.convert(json("{\"orphanDependents\":true,\"gracePeriodSeconds\":-5}"), DeleteOptions.class);
    assertEquals("Orphan", orphan.effectivePropagationPolicy());
    assertEquals(1, orphan.effectiveGracePeriodSeconds(30), "negative means 1 second, as in Kubernetes");

    DeleteOptions bad = Codec.convert(json("{\"propagationPolicy\":\"Later\",\"dryRun\":[\"Some\"]}"), DeleteOptions.class);
    assertEquals(List.of(
        "propagationPolicy: Unsupported value: \"Later\": supported values: \"Background\", \"Foreground\", \"Orphan\"",
        "dryRun: Unsupported value: \"Some\": supported values: \"All\""),
        bad.validate().stream().map(FieldError::toString).toList());
  }
}
