package dev.tugboat.kinds.persistentvolumeclaim;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.Quantity;
import java.util.List;
import java.util.Map;

/**
 * A PersistentVolumeClaim (v1): a pod's request for storage of a class, a size and access modes,
 * bound by the binder to one PersistentVolume ({@code spec.volumeName}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PersistentVolumeClaim(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
    implements ApiObject {

  /** Keeps a claim while a pod uses it (Kubernetes' pvc-protection controller removes it). */
  public static final String PROTECTION_FINALIZER = "kubernetes.io/pvc-protection";
  /** The node the scheduler chose for the first pod of a WaitForFirstConsumer claim. */
  public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
  /** Set by the binder once both sides of the binding are written. */
  public static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
  public static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
  /** The provisioner asked to make the claim's volume (Kubernetes' annotation, and its beta form). */
  public static final String STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
  public static final String BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
  public static final List<String> PHASES = List.of("Pending", "Bound", "Lost");

  @Override
  public PersistentVolumeClaim withMetadata(ObjectMeta metadata) {
    return new PersistentVolumeClaim(apiVersion, kind, metadata, spec, status);
  }

  PersistentVolumeClaim with(Spec spec, Status status) {
    return new PersistentVolumeClaim(apiVersion, kind, metadata, spec, status);
  }

  /**
   * What is asked for. {@code storageClassName} absent means the default class (the API sets it
   * at creation when one is marked default); "" means none: only volumes without a class.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(List<String> accessModes, LabelSelector selector, Resources resources, String volumeName,
      String storageClassName, String volumeMode, JsonNode dataSource, JsonNode dataSourceRef,
      String volumeAttributesClassName) {

    Spec with(String storageClassName, String volumeMode) {
      return new Spec(accessModes, selector, resources, volumeName, storageClassName, volumeMode, dataSource,
          dataSourceRef, volumeAttributesClassName);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Resources(Map<String, Quantity> requests, Map<String, Quantity> limits) {}

  /** {@code phase} Pending, Bound or Lost; what was bound: capacity and access modes of the volume. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(String phase, List<String> accessModes, Map<String, Quantity> capacity, List<JsonNode> conditions,
      Map<String, Quantity> allocatedResources, Map<String, String> allocatedResourceStatuses) {}
}
