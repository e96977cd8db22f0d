package dev.tugboat.controller.hpa;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler.Condition;
import dev.tugboat.model.Codec;
import dev.tugboat.model.ObjectReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status one evaluation of an HPA writes, built up as the evaluation learns: it starts from the
 * HPA's current status, so a condition that keeps its status keeps its lastTransitionTime, and an
 * evaluation that stops early leaves what it did not learn as it was. Local to one evaluation.
 */
final class HpaStatus {
  private static final List<String> ORDER = List.of("AbleToScale", "ScalingActive", "ScalingLimited");
  private final HorizontalPodAutoscaler hpa;
  private final Instant now;
  private final Map<String, Condition> conditions = new LinkedHashMap<>();
  private Instant lastScaleTime;
  private Integer currentReplicas;
  private Integer desiredReplicas;
  private List<HorizontalPodAutoscaler.MetricStatus> metrics;

  private HpaStatus(HorizontalPodAutoscaler hpa, Instant now) {
    this.hpa = hpa;
    this.now = now;
    HorizontalPodAutoscaler.Status s = hpa.status();
    if (s != null) {
      if (s.conditions() != null) s.conditions().forEach(c -> conditions.put(c.type(), c));
      lastScaleTime = s.lastScaleTime();
      currentReplicas = s.currentReplicas();
      desiredReplicas = s.desiredReplicas();
      metrics = s.currentMetrics();
    }
  }

  static HpaStatus of(HorizontalPodAutoscaler hpa, Instant now) {
    return new HpaStatus(hpa, now);
  }

  ObjectReference reference() {
    var m = hpa.metadata();
    return new ObjectReference(hpa.kind(), m.namespace(), m.name(), m.uid(), hpa.apiVersion(), null, null);
  }

  void condition(String type, boolean status, String reason, String message) {
    String value = status ? "True" : "False";
    Condition before = conditions.get(type);
    Instant since = before != null && value.equals(before.status()) && before.lastTransitionTime() != null
        ? before.lastTransitionTime() : now;
    conditions.put(type, new Condition(type, value, since, reason, message));
  }

  void rescaled(Instant at) {
    lastScaleTime = at;
  }

  void replicas(int current, int desired) {
    currentReplicas = current;
    desiredReplicas = desired;
  }

  void metrics(List<HorizontalPodAutoscaler.MetricStatus> statuses) {
    metrics = statuses;
  }

  ObjectNode toJson() {
    List<Condition> ordered = new ArrayList<>();
    for (String type : ORDER) if (conditions.containsKey(type)) ordered.add(conditions.get(type));
    conditions.forEach((type, c) -> {
      if (!ORDER.contains(type)) ordered.add(c);
    });
    var status = new HorizontalPodAutoscaler.Status(hpa.metadata().generation(), lastScaleTime,
        currentReplicas == null ? Integer.valueOf(0) : currentReplicas,
        desiredReplicas == null ? Integer.valueOf(0) : desiredReplicas,
        metrics == null || metrics.isEmpty() ? null : metrics, ordered);
    return Codec.toObjectNode(status);
  }
}
