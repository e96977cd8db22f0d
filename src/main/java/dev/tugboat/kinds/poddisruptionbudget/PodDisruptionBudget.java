package dev.tugboat.kinds.poddisruptionbudget;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.IntOrString;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/**
 * A PodDisruptionBudget (policy/v1): how many of the pods its selector picks must stay healthy
 * ({@code minAvailable}) or may be down ({@code maxUnavailable}) while pods are evicted on purpose
 * (a drain, a preemption). The disruption controller keeps its status; an eviction spends one of
 * {@code status.disruptionsAllowed} and records the pod in {@code status.disruptedPods}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodDisruptionBudget(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
    implements ApiObject {

  /** Evict an unhealthy pod only when the budget has room (the default). */
  public static final String IF_HEALTHY_BUDGET = "IfHealthyBudget";
  /** Evict an unhealthy (running but not Ready) pod whatever the budget says. */
  public static final String ALWAYS_ALLOW = "AlwaysAllow";

  @Override
  public PodDisruptionBudget withMetadata(ObjectMeta metadata) {
    return new PodDisruptionBudget(apiVersion, kind, metadata, spec, status);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(IntOrString minAvailable, IntOrString maxUnavailable, LabelSelector selector,
      String unhealthyPodEvictionPolicy) {}

  /**
   * What the disruption controller observed; {@code disruptedPods}: pods evicted (name to the time
   * of the eviction) that the controller has not yet seen go, so they no longer count as healthy.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(Long observedGeneration, Map<String, String> disruptedPods, Integer disruptionsAllowed,
      Integer currentHealthy, Integer desiredHealthy, Integer expectedPods, List<JsonNode> conditions) {}
}
