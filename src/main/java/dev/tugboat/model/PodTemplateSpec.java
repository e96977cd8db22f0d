package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The pod a Deployment or ReplicaSet stamps out: metadata (labels) and a pod spec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodTemplateSpec(ObjectMeta metadata, Pod.Spec spec) {
  public PodTemplateSpec withSpec(Pod.Spec spec) {
    return new PodTemplateSpec(metadata, spec);
  }
}
