package dev.tugboat.kinds.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.PodTemplateSpec;
import java.time.Instant;
import java.util.List;

/**
 * A Job (batch/v1): pods that run to completion, {@code completions} successes in all, at most
 * {@code parallelism} at once, retried up to {@code backoffLimit} failures. Run by the Job controller.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Job(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status) implements ApiObject {

  /** The annotation (and label) that gives an Indexed Job's pod its index. */
  public static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
  /** The label Kubernetes' generated selector matches: the Job's uid. */
  public static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
  /** The label naming the Job on its pods. */
  public static final String JOB_NAME = "batch.kubernetes.io/job-name";
  /** The legacy forms of the two labels, which Kubernetes still sets. */
  public static final String LEGACY_CONTROLLER_UID = "controller-uid";
  public static final String LEGACY_JOB_NAME = "job-name";
  /** The finalizer that keeps a Job's pod until the Job has counted it (never twice). */
  public static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";

  @Override
  public Job withMetadata(ObjectMeta metadata) {
    return new Job(apiVersion, kind, metadata, spec, status);
  }

  Job withSpec(Spec spec) {
    return new Job(apiVersion, kind, metadata, spec, status);
  }

  /** The desired run. {@code completionMode} NonIndexed or Indexed; {@code suspend} stops its pods. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(Integer parallelism, Integer completions, Long activeDeadlineSeconds,
      PodFailurePolicy podFailurePolicy, JsonNode successPolicy, Integer backoffLimit, Integer backoffLimitPerIndex,
      Integer maxFailedIndexes, LabelSelector selector, Boolean manualSelector, PodTemplateSpec template,
      Integer ttlSecondsAfterFinished, String completionMode, Boolean suspend, String podReplacementPolicy,
      String managedBy) {

    Spec withDefaults(Integer parallelism, Integer completions, Integer backoffLimit, LabelSelector selector,
        Boolean manualSelector, PodTemplateSpec template, String completionMode, Boolean suspend,
        String podReplacementPolicy) {
      return new Spec(parallelism, completions, activeDeadlineSeconds, podFailurePolicy, successPolicy, backoffLimit,
          backoffLimitPerIndex, maxFailedIndexes, selector, manualSelector, template, ttlSecondsAfterFinished,
          completionMode, suspend, podReplacementPolicy, managedBy);
    }

    public boolean indexed() {
      return "Indexed".equals(completionMode);
    }
  }

  /** How a failed pod is judged before it counts against the backoff limit: the first rule that matches. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PodFailurePolicy(List<Rule> rules) {}

  /** {@code action} FailJob, FailIndex, Ignore or Count, on exit codes or on pod conditions. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Rule(String action, OnExitCodes onExitCodes, List<OnPodCondition> onPodConditions) {}

  /** Exit codes of one container (or any) {@code In} or {@code NotIn} {@code values}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OnExitCodes(String containerName, String operator, List<Integer> values) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OnPodCondition(String type, String status) {}

  /** What the controller observed. {@code uncountedTerminatedPods} are finished pods not yet in the counts. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(List<Condition> conditions, Instant startTime, Instant completionTime, Integer active,
      Integer succeeded, Integer failed, Integer terminating, Integer ready, String completedIndexes,
      String failedIndexes, UncountedTerminatedPods uncountedTerminatedPods) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UncountedTerminatedPods(List<String> succeeded, List<String> failed) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Condition(String type, String status, Instant lastProbeTime, Instant lastTransitionTime,
      String reason, String message) {}
}
