package dev.tugboat.kinds.job;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.SelectableField;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.Defaults;
import dev.tugboat.model.DeleteOptions;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.PodTemplateSpec;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1Batch;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Jobs (batch/v1), with Kubernetes' defaults and rules: a selector generated from the Job's uid
 * (unless {@code manualSelector}), pods that restart OnFailure or Never, an immutable template.
 */
public final class JobStrategy extends TypedStrategy<Job> {
  public static final ResourceType TYPE = new ResourceType("batch", "v1", "Job", "jobs", "job", List.of(), true,
      List.of("all"), List.of("status"), Job.class);
  /** Kubernetes' bound on an Indexed Job's completions and parallelism; Tugboat holds every Job's parallelism to it. */
  static final int MAX_INDEXED = 100_000;
  static final String DEFAULT_MANAGER = "kubernetes.io/job-controller";
  private static final Printer PRINTER = new JobPrinter();
  private static final List<SelectableField> FIELDS = List.of(new SelectableField("status.successful", "status.succeeded", "0"));

  public JobStrategy() {
    super(TYPE, Job.class);
  }

  @Override
  protected Job defaults(Job job) {
    Job.Spec s = job.spec();
    if (s == null) return job;
    Integer parallelism = s.parallelism() == null ? Integer.valueOf(1) : s.parallelism();
    // Neither set: one pod, one success. Parallelism alone: a work queue (no completion count).
    Integer completions = s.completions() == null && s.parallelism() == null ? Integer.valueOf(1) : s.completions();
    Integer backoffLimit = s.backoffLimit() != null ? s.backoffLimit()
        : s.backoffLimitPerIndex() != null ? Integer.valueOf(Integer.MAX_VALUE) : Integer.valueOf(6);
    String mode = s.completionMode() == null ? "NonIndexed" : s.completionMode();
    String replacement = s.podReplacementPolicy() != null ? s.podReplacementPolicy()
        : s.podFailurePolicy() != null ? "Failed" : "TerminatingOrFailed";
    LabelSelector selector = s.selector();
    PodTemplateSpec template = Defaults.template(s.template());
    String uid = job.metadata() == null ? null : job.metadata().uid();
    if (!Boolean.TRUE.equals(s.manualSelector()) && uid != null && template != null) {
      if (selector == null) selector = generatedSelector(uid);
      template = new PodTemplateSpec(withJobLabels(template.metadata(), uid, job.metadata().name()), template.spec());
    }
    return job.withSpec(s.withDefaults(parallelism, completions, backoffLimit, selector,
        s.manualSelector(), template, mode, s.suspend() == null ? Boolean.FALSE : s.suspend(), replacement));
  }

  private static LabelSelector generatedSelector(String uid) {
    return new LabelSelector(Map.of(Job.CONTROLLER_UID, uid), null);
  }

  private static ObjectMeta withJobLabels(ObjectMeta meta, String uid, String name) {
    ObjectMeta m = meta == null ? new ObjectMeta(null, null, null, null, null, null, null, null, null, null, null, null,
        null) : meta;
    Map<String, String> labels = new LinkedHashMap<>(m.labels() == null ? Map.of() : m.labels());
    labels.put(Job.LEGACY_CONTROLLER_UID, uid);
    labels.put(Job.CONTROLLER_UID, uid);
    labels.put(Job.LEGACY_JOB_NAME, name);
    labels.put(Job.JOB_NAME, name);
    return m.withLabels(labels);
  }

  @Override
  protected void validate(Job job, List<FieldError> e) {
    if (job.spec() == null) e.add(FieldError.required("spec", null));
    else validateSpec(job.spec(), job.metadata().uid(), false, e);
  }

  /** A CronJob's {@code jobTemplate.spec} with a Job's defaults (each Job made from it generates its own selector). */
  public Job.Spec defaultedTemplate(Job.Spec spec) {
    return spec == null ? null : defaults(new Job(null, null, null, spec, null)).spec();
  }

  /** The rules of a Job's spec for a CronJob's template; fields named as in a Job ({@code spec.…}). */
  public List<FieldError> templateErrors(Job.Spec spec) {
    List<FieldError> e = new java.util.ArrayList<>();
    if (spec == null) e.add(FieldError.required("spec", null));
    else validateSpec(spec, null, true, e);
    return e;
  }

  private void validateSpec(Job.Spec s, String uid, boolean template, List<FieldError> e) {
    Validation.nonNegative(e, "spec.parallelism", s.parallelism());
    Validation.nonNegative(e, "spec.completions", s.completions());
    Validation.positive(e, "spec.activeDeadlineSeconds", s.activeDeadlineSeconds());
    Validation.nonNegative(e, "spec.backoffLimit", s.backoffLimit());
    Validation.nonNegative(e, "spec.backoffLimitPerIndex", s.backoffLimitPerIndex());
    Validation.nonNegative(e, "spec.maxFailedIndexes", s.maxFailedIndexes());
    Validation.nonNegative(e, "spec.ttlSecondsAfterFinished", s.ttlSecondsAfterFinished());
    if (s.parallelism() != null && s.parallelism() > MAX_INDEXED) {
      e.add(FieldError.invalid("spec.parallelism", s.parallelism(), "must be less than or equal to " + MAX_INDEXED));
    }
    if (!List.of("NonIndexed", "Indexed").contains(s.completionMode())) {
      e.add(FieldError.notSupported("spec.completionMode", s.completionMode(), List.of("NonIndexed", "Indexed")));
    }
    if (s.indexed()) {
      if (s.completions() == null) {
        e.add(FieldError.required("spec.completions", "when completion mode is Indexed"));
      } else if (s.completions() > MAX_INDEXED) {
        e.add(FieldError.invalid("spec.completions", s.completions(), "must be less than or equal to " + MAX_INDEXED
            + " when completion mode is Indexed"));
      }
    } else {
      if (s.backoffLimitPerIndex() != null) {
        e.add(FieldError.forbidden("spec.backoffLimitPerIndex", "requires indexed completion mode"));
      }
    }
    if (s.maxFailedIndexes() != null) {
      if (s.backoffLimitPerIndex() == null) {
        e.add(FieldError.required("spec.backoffLimitPerIndex", "when maxFailedIndexes is specified"));
      } else if (s.completions() != null && s.maxFailedIndexes() > s.completions()) {
        e.add(FieldError.invalid("spec.maxFailedIndexes", s.maxFailedIndexes(), "must be less than or equal to completions"));
      }
    }
    if (s.successPolicy() != null && !s.successPolicy().isNull()) {
      e.add(FieldError.forbidden("spec.successPolicy", "not supported by Tugboat (a Job completes at spec.completions)"));
    }
    if (!List.of("TerminatingOrFailed", "Failed").contains(s.podReplacementPolicy())) {
      e.add(FieldError.notSupported("spec.podReplacementPolicy", s.podReplacementPolicy(),
          List.of("Failed", "TerminatingOrFailed")));
    } else if (s.podFailurePolicy() != null && !"Failed".equals(s.podReplacementPolicy())) {
      e.add(FieldError.notSupported("spec.podReplacementPolicy", s.podReplacementPolicy(), List.of("Failed")));
    }
    if (template && s.selector() == null) {
      Validation.podTemplate(e, s.template(), List.of("OnFailure", "Never"));
    } else if (!Boolean.TRUE.equals(s.manualSelector()) && uid != null && s.selector() != null
        && !s.selector().equals(generatedSelector(uid))) {
      e.add(FieldError.invalid("spec.selector", s.selector(),
          "`selector` will be auto-generated (set `manualSelector: true` to choose your own)"));
    } else {
      Validation.selectorAndTemplate(e, s.selector(), s.template(), List.of("OnFailure", "Never"));
    }
    if (s.podFailurePolicy() != null) podFailurePolicy(e, s);
  }

  private static void podFailurePolicy(List<FieldError> e, Job.Spec s) {
    String restartPolicy = s.template() == null || s.template().spec() == null ? null : s.template().spec().restartPolicy();
    if (!"Never".equals(restartPolicy)) {
      e.add(FieldError.invalid("spec.template.spec.restartPolicy", restartPolicy,
          "only \"Never\" is supported when podFailurePolicy is specified"));
    }
    List<Job.Rule> rules = s.podFailurePolicy().rules() == null ? List.of() : s.podFailurePolicy().rules();
    if (rules.size() > 20) e.add(FieldError.tooLong("spec.podFailurePolicy.rules", rules.size(), 20));
    List<String> actions = s.backoffLimitPerIndex() != null ? List.of("Count", "FailIndex", "FailJob", "Ignore")
        : List.of("Count", "FailJob", "Ignore");
    for (int i = 0; i < rules.size(); i++) {
      Job.Rule r = rules.get(i);
      String p = "spec.podFailurePolicy.rules[" + i + "]";
      if (r.action() == null) e.add(FieldError.required(p + ".action", null));
      else if (!actions.contains(r.action())) e.add(FieldError.notSupported(p + ".action", r.action(), actions));
      boolean codes = r.onExitCodes() != null;
      boolean conditions = r.onPodConditions() != null && !r.onPodConditions().isEmpty();
      if (codes == conditions) {
        e.add(FieldError.invalid(p, "", "specifying one of onExitCodes and onPodConditions is required"));
      }
      if (codes) exitCodes(e, p + ".onExitCodes", r.onExitCodes(), s.template());
      if (conditions) {
        for (int j = 0; j < r.onPodConditions().size(); j++) {
          Job.OnPodCondition c = r.onPodConditions().get(j);
          String cp = p + ".onPodConditions[" + j + "]";
          if (c.type() == null || c.type().isEmpty()) e.add(FieldError.required(cp + ".type", null));
          if (!List.of("True", "False", "Unknown").contains(String.valueOf(c.status()))) {
            e.add(FieldError.notSupported(cp + ".status", c.status(), List.of("False", "True", "Unknown")));
          }
        }
      }
    }
  }

  private static void exitCodes(List<FieldError> e, String p, Job.OnExitCodes codes, PodTemplateSpec template) {
    if (!List.of("In", "NotIn").contains(String.valueOf(codes.operator()))) {
      e.add(FieldError.notSupported(p + ".operator", codes.operator(), List.of("In", "NotIn")));
    }
    List<Integer> values = codes.values() == null ? List.of() : codes.values();
    if (values.isEmpty()) e.add(FieldError.required(p + ".values", "at least one value is required"));
    if (values.size() > 255) e.add(FieldError.tooLong(p + ".values", values.size(), 255));
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < values.size(); i++) {
      Integer v = values.get(i);
      if (!seen.add(v)) e.add(FieldError.duplicate(p + ".values[" + i + "]", v));
      if ("In".equals(codes.operator()) && Objects.equals(v, 0)) {
        e.add(FieldError.invalid(p + ".values[" + i + "]", v, "must not be 0 for the In operator"));
      }
    }
    if (codes.containerName() != null && template != null && template.spec() != null
        && template.spec().containers() != null
        && template.spec().containers().stream().noneMatch(c -> codes.containerName().equals(c.name()))) {
      e.add(FieldError.invalid(p + ".containerName", codes.containerName(),
          "must be one of the container or initContainer names in the pod template"));
    }
  }

  @Override
  protected void validateUpdate(Job current, Job updated, List<FieldError> e) {
    Job.Spec a = current.spec();
    Job.Spec b = updated.spec();
    if (a == null || b == null) return;
    Validation.validateSelectorUpdate(e, a.selector(), b.selector());
    immutable(e, "spec.template", a.template(), b.template());
    immutable(e, "spec.completionMode", a.completionMode(), b.completionMode());
    immutable(e, "spec.manualSelector", a.manualSelector(), b.manualSelector());
    immutable(e, "spec.podFailurePolicy", a.podFailurePolicy(), b.podFailurePolicy());
    immutable(e, "spec.backoffLimitPerIndex", a.backoffLimitPerIndex(), b.backoffLimitPerIndex());
    immutable(e, "spec.managedBy", a.managedBy(), b.managedBy());
    // An Indexed Job is elastic: completions may change with parallelism, to the same value.
    boolean elastic = b.indexed() && Objects.equals(b.completions(), b.parallelism());
    if (!elastic) immutable(e, "spec.completions", a.completions(), b.completions());
  }

  private static void immutable(List<FieldError> e, String path, Object before, Object after) {
    if (!Objects.equals(before, after)) e.add(FieldError.invalid(path, after == null ? "null" : after, "field is immutable"));
  }

  /** Kubernetes keeps a Job's pods when a client names no propagation policy (kubectl asks Background). */
  @Override
  public List<String> finalizersOnDelete(String propagationPolicy) {
    return propagationPolicy == null ? List.of(DeleteOptions.ORPHAN_FINALIZER)
        : super.finalizersOnDelete(propagationPolicy);
  }

  @Override
  public List<SelectableField> selectableFields() {
    return FIELDS;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Batch.Job.class, V1Batch.JobList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
