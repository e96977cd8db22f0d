package dev.tugboat.kinds.statefulset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.IntOrString;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.PodTemplateSpec;
import java.util.List;

/**
 * A StatefulSet (apps/v1): pods with stable names {@code <name>-0..N-1}, each with claims of its own
 * made from {@code volumeClaimTemplates} that outlive it, created and removed in order
 * ({@code OrderedReady}) or all at once ({@code Parallel}). Run by the StatefulSet controller.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatefulSet(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
    implements ApiObject {

  /** The label naming a StatefulSet pod (its Services can select one pod by it). */
  public static final String POD_NAME = "statefulset.kubernetes.io/pod-name";
  /** The label giving a StatefulSet pod its ordinal. */
  public static final String POD_INDEX = "apps.kubernetes.io/pod-index";

  @Override
  public StatefulSet withMetadata(ObjectMeta metadata) {
    return new StatefulSet(apiVersion, kind, metadata, spec, status);
  }

  StatefulSet withSpec(Spec spec) {
    return new StatefulSet(apiVersion, kind, metadata, spec, status);
  }

  /** The desired set; {@code volumeClaimTemplates} are PersistentVolumeClaims as JSON. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(Integer replicas, LabelSelector selector, PodTemplateSpec template,
      List<ObjectNode> volumeClaimTemplates, String serviceName, String podManagementPolicy,
      UpdateStrategy updateStrategy, Integer revisionHistoryLimit, Integer minReadySeconds,
      RetentionPolicy persistentVolumeClaimRetentionPolicy, Ordinals ordinals) {}

  /** {@code RollingUpdate} (default) from the highest ordinal down to {@code partition}, or {@code OnDelete}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UpdateStrategy(String type, RollingUpdate rollingUpdate) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RollingUpdate(Integer partition, IntOrString maxUnavailable) {}

  /** What becomes of the claims when the set is deleted or scaled down: {@code Retain} or {@code Delete}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RetentionPolicy(String whenDeleted, String whenScaled) {}

  /** The first ordinal (0 unless set). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Ordinals(Integer start) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(Long observedGeneration, Integer replicas, Integer readyReplicas, Integer currentReplicas,
      Integer updatedReplicas, String currentRevision, String updateRevision, Integer collisionCount,
      Integer availableReplicas, List<ObjectNode> conditions) {}
}
