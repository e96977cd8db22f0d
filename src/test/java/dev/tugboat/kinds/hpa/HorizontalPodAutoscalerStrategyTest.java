package dev.tugboat.kinds.hpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HorizontalPodAutoscalerStrategyTest {
  private final HorizontalPodAutoscalerStrategy strategy = new HorizontalPodAutoscalerStrategy();

  private static ObjectNode hpa(String spec) {
    return (ObjectNode) Codec.parseTree("""
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: default}
        spec:
        %s
        """.formatted(spec.indent(2)).getBytes(), true, false);
  }

  private static List<String> causes(Admission a) {
    assertNotNull(a.failure(), "refused");
    assertEquals(422, a.failure().code());
    return a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void defaultsAsKubernetes() {
    Admission a = strategy.admitCreate(hpa("""
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
        maxReplicas: 4"""));
    assertNull(a.failure(), () -> a.failure().message());
    assertEquals(1, a.object().at("/spec/minReplicas").asInt());
    assertEquals("cpu", a.object().at("/spec/metrics/0/resource/name").asText());
    assertEquals("Utilization", a.object().at("/spec/metrics/0/resource/target/type").asText());
    assertEquals(80, a.object().at("/spec/metrics/0/resource/target/averageUtilization").asInt());
    assertTrue(a.object().at("/spec/behavior").isMissingNode(), "the controller's defaults apply");
  }

  @Test
  void aTargetWithoutAScaleSubresourceIsRefusedNamingTheField() {
    List<String> c = causes(strategy.admitCreate(hpa("""
        scaleTargetRef: {apiVersion: v1, kind: ConfigMap, name: web}
        maxReplicas: 4""")));
    assertEquals(1, c.size(), c.toString());
    assertTrue(c.get(0).startsWith("spec.scaleTargetRef.kind: Invalid value: \"ConfigMap\": the kind configmaps has no scale subresource"), c.toString());
    // StatefulSets and ReplicaSets have one; a kind this server does not know is left to run time
    assertNull(strategy.admitCreate(hpa("scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: db}\nmaxReplicas: 3")).failure());
    assertNull(strategy.admitCreate(hpa("scaleTargetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: db}\nmaxReplicas: 3")).failure());
    assertNull(strategy.admitCreate(hpa("scaleTargetRef: {apiVersion: example.com/v1, kind: Widget, name: w}\nmaxReplicas: 3")).failure());
  }

  @Test
  void boundsAndRequiredFields() {
    assertEquals(List.of("spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`"),
        causes(strategy.admitCreate(hpa("scaleTargetRef: {kind: Deployment, name: web}\nminReplicas: 3\nmaxReplicas: 2"))));
    List<String> c = causes(strategy.admitCreate(hpa("scaleTargetRef: {kind: Deployment}\nminReplicas: 0")));
    assertTrue(c.contains("spec.scaleTargetRef.name: Required value"), c.toString());
    assertTrue(c.contains("spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"), c.toString());
    assertTrue(c.contains("spec.maxReplicas: Required value"), c.toString());
  }

  @Test
  void metricsAreValidatedField() {
    List<String> c = causes(strategy.admitCreate(hpa("""
        scaleTargetRef: {kind: Deployment, name: web}
        maxReplicas: 3
        metrics:
        - {type: Pods, pods: {metric: {name: qps}, target: {type: AverageValue, averageValue: "1"}}}
        - {type: Resource, resource: {name: gpu, target: {type: Utilization, averageUtilization: 50}}}
        - {type: Resource, resource: {name: cpu, target: {type: Utilization}}}
        - {type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: "0"}}}
        - {type: Resource, resource: {name: memory, target: {type: Value, value: 1Gi}}}""")));
    assertTrue(c.get(0).startsWith("spec.metrics[0].type: Invalid value: \"Pods\": only Resource and ContainerResource"), c.toString());
    assertTrue(c.get(1).startsWith("spec.metrics[1].resource.name: Unsupported value: \"gpu\""), c.toString());
    assertTrue(c.get(2).startsWith("spec.metrics[2].resource.target.averageUtilization: Required value"), c.toString());
    assertEquals("spec.metrics[3].resource.target.averageValue: Invalid value: \"0\": must be positive", c.get(3));
    assertTrue(c.get(4).startsWith("spec.metrics[4].resource.target.type: Unsupported value: \"Value\""), c.toString());
  }

  @Test
  void behaviorIsValidated() {
    List<String> c = causes(strategy.admitCreate(hpa("""
        scaleTargetRef: {kind: Deployment, name: web}
        maxReplicas: 3
        behavior:
          scaleDown:
            stabilizationWindowSeconds: 4000
            selectPolicy: Sometimes
            policies: [{type: Pods, value: 0, periodSeconds: 15}, {type: Fraction, value: 1, periodSeconds: 2000}]""")));
    assertEquals(5, c.size(), c.toString());
    assertTrue(c.get(0).startsWith("spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: 4000"), c.toString());
    assertTrue(c.get(1).startsWith("spec.behavior.scaleDown.selectPolicy: Unsupported value"), c.toString());
    assertTrue(c.get(2).startsWith("spec.behavior.scaleDown.policies[0].value: Invalid value: 0"), c.toString());
    assertTrue(c.get(3).startsWith("spec.behavior.scaleDown.policies[1].type: Unsupported value: \"Fraction\""), c.toString());
    assertTrue(c.get(4).startsWith("spec.behavior.scaleDown.policies[1].periodSeconds: Invalid value: 2000"), c.toString());
  }

  @Test
  void targetsAsKubectlPrintsThem() {
    ObjectNode h = hpa("""
        scaleTargetRef: {kind: Deployment, name: web}
        maxReplicas: 3
        metrics:
        - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}
        - {type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}}""");
    assertEquals("cpu: <unknown>/50%, memory: <unknown>/100Mi",
        HorizontalPodAutoscalerPrinter.targets(h.at("/spec/metrics"), h.at("/status/currentMetrics")));
    h.set("status", Codec.parseTree("""
        {"currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":12,"averageValue":"12m"}}},
          {"type":"Resource","resource":{"name":"memory","current":{"averageValue":"1234567"}}}], "currentReplicas": 2}
        """.getBytes(), false, false));
    assertEquals("cpu: 12%/50%, memory: 1234567/100Mi",
        HorizontalPodAutoscalerPrinter.targets(h.at("/spec/metrics"), h.at("/status/currentMetrics")));
    List<Object> cells = strategy.printer().cells(h, Instant.now());
    assertEquals(List.of("web", "Deployment/web", "cpu: 12%/50%, memory: 1234567/100Mi", "<unknown>", 3, 2), cells.subList(0, 6));
    ObjectNode three = hpa("""
        scaleTargetRef: {kind: Deployment, name: web}
        maxReplicas: 3
        metrics:
        - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}
        - {type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 60}}}
        - {type: ContainerResource, containerResource: {name: cpu, container: app, target: {type: Utilization, averageUtilization: 70}}}""");
    assertEquals("cpu: <unknown>/50%, memory: <unknown>/60% + 1 more...",
        HorizontalPodAutoscalerPrinter.targets(three.at("/spec/metrics"), three.at("/status/currentMetrics")));
  }

  @Test
  void autoscalingV1ConvertsBothWaysWithoutLoss() {
    ObjectNode v1 = (ObjectNode) Codec.parseTree("""
        {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"web","namespace":"default"},
         "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":4,
          "targetCPUUtilizationPercentage":50},
         "status":{"currentReplicas":2,"desiredReplicas":2,"currentCPUUtilizationPercentage":33}}
        """.getBytes(), false, false);
    ObjectNode v2 = AutoscalingV1.toV2(v1);
    assertEquals("autoscaling/v2", v2.path("apiVersion").asText());
    assertEquals(50, v2.at("/spec/metrics/0/resource/target/averageUtilization").asInt());
    assertEquals(33, v2.at("/status/currentMetrics/0/resource/current/averageUtilization").asInt());
    assertEquals(v1, AutoscalingV1.toV1(v2), "and back");
    assertEquals("autoscaling/v1", v1.path("apiVersion").asText(), "the argument is left as it was");

    ObjectNode rich = hpa("""
        scaleTargetRef: {kind: Deployment, name: web}
        maxReplicas: 3
        metrics:
        - {type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}}
        - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}
        behavior: {scaleDown: {stabilizationWindowSeconds: 30}}""");
    rich.set("status", Codec.parseTree("""
        {"currentMetrics":[{"type":"Resource","resource":{"name":"memory","current":{"averageValue":"1Mi"}}},
          {"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":12}}}],
         "conditions":[{"type":"AbleToScale","status":"True","reason":"ReadyForNewScale"}]}""".getBytes(), false, false));
    ObjectNode shown = AutoscalingV1.toV1(rich);
    assertEquals(50, shown.at("/spec/targetCPUUtilizationPercentage").asInt());
    assertEquals(12, shown.at("/status/currentCPUUtilizationPercentage").asInt());
    assertTrue(shown.at("/metadata/annotations/autoscaling.alpha.kubernetes.io~1metrics").asText().contains("memory"), shown.toString());
    assertTrue(shown.at("/metadata/annotations/autoscaling.alpha.kubernetes.io~1conditions").asText().contains("AbleToScale"));
    ObjectNode back = AutoscalingV1.toV2(shown);
    assertEquals(rich.at("/spec/behavior"), back.at("/spec/behavior"));
    assertEquals(rich.at("/status/conditions"), back.at("/status/conditions"));
    assertEquals(2, back.at("/spec/metrics").size(), "both metrics, cpu first");
    assertTrue(back.at("/metadata/annotations").isMissingNode(), back.toString());
  }
}
