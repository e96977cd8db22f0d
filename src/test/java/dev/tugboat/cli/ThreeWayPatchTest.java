package dev.tugboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import org.junit.jupiter.api.Test;

/** The three-way merge of client-side apply, case by case. */
class ThreeWayPatchTest {
  private static JsonNode yaml(String s) {
    return Codec.parseTree(s.getBytes(), true);
  }

  private static String patch(String original, String modified, String current) {
    return ThreeWayPatch.compute(original == null ? null : yaml(original), yaml(modified), yaml(current)).toString();
  }

  @Test
  void unchangedWhenTheLiveObjectOnlyAddsDefaultsAndStatus() {
    String manifest = "spec: {replicas: 2, ports: [{port: 80, name: http}], template: {spec: {containers: [{name: a, image: x}]}}}";
    String live = """
        metadata: {uid: u, resourceVersion: "7"}
        spec: {replicas: 2, ports: [{port: 80, name: http, protocol: TCP}],
               template: {spec: {restartPolicy: Always, containers: [{name: a, image: x, imagePullPolicy: IfNotPresent}]}}}
        status: {replicas: 2}
        """;
    assertEquals("{}", patch(manifest, manifest, live));
  }

  @Test
  void setsWhatTheManifestChanged() {
    assertEquals("{\"spec\":{\"replicas\":3}}", patch("spec: {replicas: 2}", "spec: {replicas: 3}", "spec: {replicas: 2, x: 1}"));
    assertEquals("{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"y\"}]}}",
        patch("spec: {containers: [{name: a, image: x}]}", "spec: {containers: [{name: a, image: y}]}",
            "spec: {containers: [{name: a, image: x, imagePullPolicy: IfNotPresent}]}"));
  }

  @Test
  void removesOnlyWhatTheManifestSetBefore() {
    // minReadySeconds was applied before and is gone from the manifest: removed. paused was set by
    // someone else: kept.
    assertEquals("{\"spec\":{\"minReadySeconds\":null}}",
        patch("spec: {replicas: 1, minReadySeconds: 5}", "spec: {replicas: 1}", "spec: {replicas: 1, minReadySeconds: 5, paused: true}"));
    // A probe dropped from a container: the list is replaced.
    assertEquals("{\"spec\":{\"containers\":[{\"name\":\"a\"}]}}",
        patch("spec: {containers: [{name: a, readinessProbe: {exec: {}}}]}", "spec: {containers: [{name: a}]}",
            "spec: {containers: [{name: a, readinessProbe: {exec: {}}}]}"));
  }

  @Test
  void withoutALastAppliedNothingIsRemoved() {
    assertEquals("{}", patch(null, "spec: {replicas: 1}", "spec: {replicas: 1, minReadySeconds: 5}"));
    assertEquals("{\"spec\":{\"ports\":[{\"port\":80},{\"port\":443}]}}",
        patch(null, "spec: {ports: [{port: 80}, {port: 443}]}", "spec: {ports: [{port: 80}]}"));
  }
}
