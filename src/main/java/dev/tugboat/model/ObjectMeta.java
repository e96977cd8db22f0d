package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code metadata} of every object. Timestamps are RFC 3339 strings in JSON. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectMeta(
    String name,
    String generateName,
    String namespace,
    String uid,
    String resourceVersion,
    Long generation,
    Instant creationTimestamp,
    Instant deletionTimestamp,
    Long deletionGracePeriodSeconds,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<OwnerReference> ownerReferences,
    List<String> finalizers) {

  /** Who owns an object; the garbage collector deletes dependents of a deleted owner. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OwnerReference(String apiVersion, String kind, String name, String uid, Boolean controller,
      Boolean blockOwnerDeletion) {}

  public static ObjectMeta named(String namespace, String name) {
    return new ObjectMeta(name, null, namespace, null, null, null, null, null, null, null, null, null, null);
  }

  public ObjectMeta withLabels(Map<String, String> labels) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers);
  }

  public ObjectMeta withNamespace(String namespace) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers);
  }
}
