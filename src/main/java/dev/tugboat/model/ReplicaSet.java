package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** A ReplicaSet: keeps exactly {@code replicas} pods matching its selector. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplicaSet(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
    implements ApiObject {

  @Override
  public ReplicaSet withMetadata(ObjectMeta metadata) {
    return new ReplicaSet(apiVersion, kind, metadata, spec, status);
  }

  public ReplicaSet withSpec(Spec spec) {
    return new ReplicaSet(apiVersion, kind, metadata, spec, status);
  }

  public ReplicaSet withStatus(Status status) {
    return new ReplicaSet(apiVersion, kind, metadata, spec, status);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(Integer replicas, LabelSelector selector, PodTemplateSpec template, Integer minReadySeconds) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(Integer replicas, Integer fullyLabeledReplicas, Integer readyReplicas, Integer availableReplicas,
      Long observedGeneration, List<Condition> conditions) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Condition(String type, String status, Instant lastTransitionTime, String reason, String message) {}
}
