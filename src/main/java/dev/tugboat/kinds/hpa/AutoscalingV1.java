package dev.tugboat.kinds.hpa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.VersionConversion;
import dev.tugboat.model.Codec;
import dev.tugboat.model.ResourceType;
import io.kubernetes.client.proto.V1Autoscaling;
import java.util.List;
import java.util.Optional;

/**
 * HorizontalPodAutoscalers at autoscaling/v1 (what {@code kubectl autoscale} sends up to 1.33),
 * converted to and from the stored v2 as Kubernetes converts them: v1's
 * {@code targetCPUUtilizationPercentage} is a v2 cpu Utilization metric, and what v1 cannot say
 * (other metrics, behavior, conditions, their current values) rides in Kubernetes' annotations
 * ({@code autoscaling.alpha.kubernetes.io/...}), so a v1 client that reads and writes back an HPA
 * loses none of it.
 */
public final class AutoscalingV1 {
  static final String METRICS = "autoscaling.alpha.kubernetes.io/metrics";
  static final String BEHAVIOR = "autoscaling.alpha.kubernetes.io/behavior";
  static final String CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";
  static final String CURRENT_METRICS = "autoscaling.alpha.kubernetes.io/current-metrics";
  public static final ResourceType TYPE = new ResourceType("autoscaling", "v1", "HorizontalPodAutoscaler",
      "horizontalpodautoscalers", "horizontalpodautoscaler", List.of("hpa"), true, List.of("all"), List.of("status"),
      HorizontalPodAutoscaler.class);
  static final VersionConversion CONVERSION = new VersionConversion(TYPE,
      Optional.of(new ProtobufMessages(V1Autoscaling.HorizontalPodAutoscaler.class, V1Autoscaling.HorizontalPodAutoscalerList.class)),
      AutoscalingV1::toV2, AutoscalingV1::toV1);

  private AutoscalingV1() {}

  /** A v1 object as v2 holds it. */
  static ObjectNode toV2(ObjectNode v1) {
    ObjectNode o = v1.deepCopy();
    o.put("apiVersion", HorizontalPodAutoscalerStrategy.TYPE.apiVersion());
    ObjectNode annotations = o.path("metadata").path("annotations") instanceof ObjectNode a ? a : null;
    JsonNode others = take(annotations, METRICS);
    JsonNode behavior = take(annotations, BEHAVIOR);
    JsonNode conditions = take(annotations, CONDITIONS);
    JsonNode currentOthers = take(annotations, CURRENT_METRICS);
    if (annotations != null && annotations.isEmpty()) ((ObjectNode) o.get("metadata")).remove("annotations");
    if (o.path("spec") instanceof ObjectNode spec) {
      JsonNode cpu = spec.remove("targetCPUUtilizationPercentage");
      ArrayNode metrics = JsonNodeFactory.instance.arrayNode();
      if (cpu != null && !cpu.isNull()) metrics.add(cpuMetric(cpu));
      if (others != null && others.isArray()) metrics.addAll((ArrayNode) others);
      if (!metrics.isEmpty()) spec.set("metrics", metrics);
      if (behavior != null && behavior.isObject()) spec.set("behavior", behavior);
    }
    if (o.path("status") instanceof ObjectNode status) {
      JsonNode cpu = status.remove("currentCPUUtilizationPercentage");
      ArrayNode current = JsonNodeFactory.instance.arrayNode();
      if (cpu != null && !cpu.isNull()) {
        ObjectNode m = current.addObject();
        m.put("type", "Resource");
        ObjectNode r = m.putObject("resource");
        r.put("name", "cpu");
        r.putObject("current").set("averageUtilization", cpu);
      }
      if (currentOthers != null && currentOthers.isArray()) current.addAll((ArrayNode) currentOthers);
      if (!current.isEmpty()) status.set("currentMetrics", current);
      if (conditions != null && conditions.isArray()) status.set("conditions", conditions);
    }
    return o;
  }

  /** A stored (v2) object as v1 shows it. */
  static ObjectNode toV1(ObjectNode v2) {
    ObjectNode o = v2.deepCopy();
    o.put("apiVersion", TYPE.apiVersion());
    ObjectNode extra = JsonNodeFactory.instance.objectNode();
    int cpuAt = -1;
    if (o.path("spec") instanceof ObjectNode spec) {
      JsonNode metrics = spec.remove("metrics");
      ArrayNode others = JsonNodeFactory.instance.arrayNode();
      if (metrics != null) {
        for (int i = 0; i < metrics.size(); i++) {
          JsonNode m = metrics.get(i);
          if (cpuAt < 0 && isCpuUtilization(m)) {
            cpuAt = i;
            spec.set("targetCPUUtilizationPercentage", m.path("resource").path("target").path("averageUtilization"));
          } else {
            others.add(m);
          }
        }
      }
      if (!others.isEmpty()) extra.put(METRICS, others.toString());
      JsonNode behavior = spec.remove("behavior");
      if (behavior != null && !behavior.isNull()) extra.put(BEHAVIOR, behavior.toString());
    }
    if (o.path("status") instanceof ObjectNode status) {
      JsonNode current = status.remove("currentMetrics");
      ArrayNode others = JsonNodeFactory.instance.arrayNode();
      if (current != null) {
        for (int i = 0; i < current.size(); i++) {
          JsonNode utilization = current.get(i).path("resource").path("current").path("averageUtilization");
          if (i == cpuAt && utilization.isNumber()) {
            status.set("currentCPUUtilizationPercentage", utilization);
          } else {
            others.add(current.get(i));
          }
        }
      }
      if (!others.isEmpty()) extra.put(CURRENT_METRICS, others.toString());
      JsonNode conditions = status.remove("conditions");
      if (conditions != null && !conditions.isEmpty()) extra.put(CONDITIONS, conditions.toString());
    }
    if (!extra.isEmpty()) {
      ObjectNode meta = o.path("metadata") instanceof ObjectNode m ? m : o.putObject("metadata");
      ObjectNode annotations = meta.path("annotations") instanceof ObjectNode a ? a : meta.putObject("annotations");
      annotations.setAll(extra);
    }
    return o;
  }

  private static boolean isCpuUtilization(JsonNode m) {
    return m.path("type").asText().equals("Resource") && m.path("resource").path("name").asText().equals("cpu")
        && m.path("resource").path("target").path("type").asText().equals("Utilization");
  }

  private static ObjectNode cpuMetric(JsonNode percent) {
    ObjectNode m = JsonNodeFactory.instance.objectNode();
    m.put("type", "Resource");
    ObjectNode r = m.putObject("resource");
    r.put("name", "cpu");
    ObjectNode target = r.putObject("target");
    target.put("type", "Utilization");
    target.set("averageUtilization", percent);
    return m;
  }

  /** Removes an annotation that holds JSON and returns it parsed; null when absent or not JSON. */
  private static JsonNode take(ObjectNode annotations, String key) {
    if (annotations == null) return null;
    JsonNode text = annotations.remove(key);
    if (text == null || !text.isTextual()) return null;
    try {
      return Codec.json().readTree(text.asText());
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
