package dev.tugboat.kinds.hpa;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.Quantity;
import java.time.Instant;
import java.util.List;

/**
 * A HorizontalPodAutoscaler (autoscaling/v2, the stored version): keeps the replicas of the object
 * {@code spec.scaleTargetRef} names (through its scale subresource) between {@code minReplicas} and
 * {@code maxReplicas}, so that the pods' average use of a resource meets each metric's target.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HorizontalPodAutoscaler(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
    implements ApiObject {

  @Override
  public HorizontalPodAutoscaler withMetadata(ObjectMeta metadata) {
    return new HorizontalPodAutoscaler(apiVersion, kind, metadata, spec, status);
  }

  HorizontalPodAutoscaler withSpec(Spec spec) {
    return new HorizontalPodAutoscaler(apiVersion, kind, metadata, spec, status);
  }

  /** {@code behavior} null: the controller's defaults (docs/controllers.md). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(Target scaleTargetRef, Integer minReplicas, Integer maxReplicas, List<Metric> metrics,
      Behavior behavior) {}

  /** Kubernetes' {@code CrossVersionObjectReference}: the scaled object, in the HPA's namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Target(String apiVersion, String kind, String name) {}

  /**
   * One metric: {@code type} Resource or ContainerResource (the ones Tugboat's metrics serve); Pods,
   * Object and External are kept as sent so that validation can name them.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Metric(String type, ResourceSource resource, ContainerResourceSource containerResource, JsonNode pods,
      JsonNode object, JsonNode external) {
    public static Metric resource(String name, MetricTarget target) {
      return new Metric("Resource", new ResourceSource(name, target), null, null, null, null);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ResourceSource(String name, MetricTarget target) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ContainerResourceSource(String name, String container, MetricTarget target) {}

  /** {@code type} Utilization (percent of the pods' requests) or AverageValue (per pod). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MetricTarget(String type, Integer averageUtilization, Quantity averageValue, Quantity value) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Behavior(Rules scaleUp, Rules scaleDown) {}

  /** How fast one direction may go: a stabilization window, policies, and which policy wins. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Rules(Integer stabilizationWindowSeconds, String selectPolicy, List<Policy> policies) {}

  /** At most {@code value} pods, or percent of the current replicas, per {@code periodSeconds}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Policy(String type, Integer value, Integer periodSeconds) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(Long observedGeneration, Instant lastScaleTime, Integer currentReplicas,
      Integer desiredReplicas, List<MetricStatus> currentMetrics, List<Condition> conditions) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MetricStatus(String type, ResourceStatus resource, ContainerResourceStatus containerResource) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ResourceStatus(String name, Current current) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ContainerResourceStatus(String name, String container, Current current) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Current(Integer averageUtilization, Quantity averageValue) {}

  /** AbleToScale, ScalingActive or ScalingLimited. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Condition(String type, String status, Instant lastTransitionTime, String reason, String message) {}
}
