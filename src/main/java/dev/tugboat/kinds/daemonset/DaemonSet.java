package dev.tugboat.kinds.daemonset;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.kinds.controllerrevision.ControllerRevision;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.IntOrString;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.PodTemplateSpec;
import java.time.Instant;
import java.util.List;

/**
 * A DaemonSet (apps/v1): one pod of its template on every node its template may run on (node
 * selector, required node affinity, tolerated taints), kept there as nodes come, go and change.
 * Run by the DaemonSet controller; its template's history kept in ControllerRevisions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DaemonSet(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
    implements ApiObject {

  /** The label of a DaemonSet's pods (and revisions) that names the template's revision hash. */
  public static final String REVISION_HASH = ControllerRevision.HASH_LABEL;
  /** The label Kubernetes puts on a DaemonSet's pods: the generation of the template they were made from. */
  public static final String TEMPLATE_GENERATION = "pod-template-generation";

  @Override
  public DaemonSet withMetadata(ObjectMeta metadata) {
    return new DaemonSet(apiVersion, kind, metadata, spec, status);
  }

  DaemonSet withSpec(Spec spec) {
    return new DaemonSet(apiVersion, kind, metadata, spec, status);
  }

  /** The desired daemon: its pods' template, how a new template replaces the old, how long a pod must be ready. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(LabelSelector selector, PodTemplateSpec template, UpdateStrategy updateStrategy,
      Integer minReadySeconds, Integer revisionHistoryLimit) {}

  /** {@code RollingUpdate} (default) or {@code OnDelete}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UpdateStrategy(String type, RollingUpdate rollingUpdate) {}

  /** At most {@code maxUnavailable} nodes without an available daemon pod; {@code maxSurge} nodes with two. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RollingUpdate(IntOrString maxUnavailable, IntOrString maxSurge) {}

  /** kubectl's DESIRED, CURRENT, READY, UP-TO-DATE and AVAILABLE, and the rest Kubernetes reports. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(Integer currentNumberScheduled, Integer numberMisscheduled, Integer desiredNumberScheduled,
      Integer numberReady, Long observedGeneration, Integer updatedNumberScheduled, Integer numberAvailable,
      Integer numberUnavailable, Integer collisionCount, List<Condition> conditions) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Condition(String type, String status, Instant lastTransitionTime, String reason, String message) {}
}
