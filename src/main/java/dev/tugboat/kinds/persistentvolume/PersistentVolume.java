package dev.tugboat.kinds.persistentvolume;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.ObjectReference;
import dev.tugboat.model.Pod;
import dev.tugboat.model.Quantity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A PersistentVolume (v1, cluster-scoped): a piece of storage on the cluster, here a directory of a
 * node ({@code hostPath} or {@code local}), bound to at most one claim through {@code claimRef}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PersistentVolume(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
    implements ApiObject {

  /** Kubernetes' access modes, in the order kubectl abbreviates them (RWO, ROX, RWX, RWOP). */
  public static final List<String> ACCESS_MODES = List.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany",
      "ReadWriteOncePod");
  public static final List<String> RECLAIM_POLICIES = List.of("Delete", "Recycle", "Retain");
  public static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");
  public static final List<String> PHASES = List.of("Pending", "Available", "Bound", "Released", "Failed");
  /** Which provisioner created a volume (Kubernetes' annotation). */
  public static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
  /** Set by the binder once it has bound the volume to its claim. */
  public static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
  /**
   * The finalizer of a volume the local provisioner made: the node agent of its node removes it
   * once it has deleted the volume's directory, so the object outlives its data by no more than that.
   */
  public static final String LOCAL_CLEANUP_FINALIZER = "tugboat.dev/local-volume-cleanup";
  /** The node a provisioned local volume lives on (also in its node affinity): what its node agent looks for. */
  public static final String NODE_ANNOTATION = "tugboat.dev/node";

  /**
   * Where a node agent keeps its data, on its Node: the local provisioner puts a node's volumes
   * under {@code <it>/volumes}.
   */
  public static final String DATA_DIR_ANNOTATION = "tugboat.dev/data-dir";

  @Override
  public PersistentVolume withMetadata(ObjectMeta metadata) {
    return new PersistentVolume(apiVersion, kind, metadata, spec, status);
  }

  PersistentVolume with(Spec spec, Status status) {
    return new PersistentVolume(apiVersion, kind, metadata, spec, status);
  }

  /**
   * What the volume offers. Of Kubernetes' volume sources only {@code hostPath} and {@code local}
   * (a directory of one node, which needs {@code nodeAffinity}) exist here.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(Map<String, Quantity> capacity, List<String> accessModes, String persistentVolumeReclaimPolicy,
      String storageClassName, Pod.HostPath hostPath, Local local, JsonNode nodeAffinity, ObjectReference claimRef,
      String volumeMode, List<String> mountOptions, String volumeAttributesClassName) {

    Spec withDefaults(String reclaimPolicy, String volumeMode) {
      return new Spec(capacity, accessModes, reclaimPolicy, storageClassName, hostPath, local, nodeAffinity, claimRef,
          volumeMode, mountOptions, volumeAttributesClassName);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Local(String path, String fsType) {}

  /** {@code phase} Pending, Available, Bound, Released or Failed. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(String phase, String message, String reason, Instant lastPhaseTransitionTime) {}
}
