package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** A Deployment: a desired number of replicas of a pod template, rolled out through ReplicaSets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Deployment(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
    implements ApiObject {

  @Override
  public Deployment withMetadata(ObjectMeta metadata) {
    return new Deployment(apiVersion, kind, metadata, spec, status);
  }

  public Deployment withSpec(Spec spec) {
    return new Deployment(apiVersion, kind, metadata, spec, status);
  }

  public Deployment withStatus(Status status) {
    return new Deployment(apiVersion, kind, metadata, spec, status);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(
      Integer replicas,
      LabelSelector selector,
      PodTemplateSpec template,
      Strategy strategy,
      Integer minReadySeconds,
      Integer revisionHistoryLimit,
      Integer progressDeadlineSeconds,
      Boolean paused) {

    public Spec withDefaults(Integer replicas, PodTemplateSpec template, Strategy strategy, Integer revisionHistoryLimit,
        Integer progressDeadlineSeconds) {
      return new Spec(replicas, selector, template, strategy, minReadySeconds, revisionHistoryLimit,
          progressDeadlineSeconds, paused);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Strategy(String type, RollingUpdate rollingUpdate) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RollingUpdate(IntOrString maxSurge, IntOrString maxUnavailable) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(Long observedGeneration, Integer replicas, Integer updatedReplicas, Integer readyReplicas,
      Integer availableReplicas, Integer unavailableReplicas, List<Condition> conditions, Integer collisionCount) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Condition(String type, String status, Instant lastUpdateTime, Instant lastTransitionTime,
      String reason, String message) {}
}
