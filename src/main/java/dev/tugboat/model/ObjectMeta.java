package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.model.apply.ManagedFieldsEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code metadata} of every object. Timestamps are RFC 3339 strings in JSON. Absent lists and maps
 * stay {@code null} (not empty) so that an object round-trips exactly as the user wrote it; labels
 * and annotations keep their order (Jackson reads maps into a {@code LinkedHashMap}).
 */
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
    List<String> finalizers,
    List<ManagedFieldsEntry> managedFields) {

  /** Metadata without managed fields (they are the registry's to keep, see {@code model.apply}). */
  public ObjectMeta(String name, String generateName, String namespace, String uid, String resourceVersion,
      Long generation, Instant creationTimestamp, Instant deletionTimestamp, Long deletionGracePeriodSeconds,
      Map<String, String> labels, Map<String, String> annotations, List<OwnerReference> ownerReferences,
      List<String> finalizers) {
    this(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp,
        deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, null);
  }

  /** Who owns an object; the garbage collector deletes dependents of a deleted owner. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OwnerReference(String apiVersion, String kind, String name, String uid, Boolean controller,
      Boolean blockOwnerDeletion) {}

  public static ObjectMeta named(String namespace, String name) {
    return new ObjectMeta(name, null, namespace, null, null, null, null, null, null, null, null, null, null);
  }

  public ObjectMeta withName(String name) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withNamespace(String namespace) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withUid(String uid) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withResourceVersion(String resourceVersion) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withGeneration(Long generation) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withCreationTimestamp(Instant creationTimestamp) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withDeletion(Instant deletionTimestamp, Long deletionGracePeriodSeconds) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withLabels(Map<String, String> labels) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withAnnotations(Map<String, String> annotations) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withOwnerReferences(List<OwnerReference> ownerReferences) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withFinalizers(List<String> finalizers) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }
}
