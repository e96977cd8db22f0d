package dev.tugboat.kinds.cronjob;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.kinds.job.JobStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1Batch;
import java.util.List;
import java.util.Optional;

/**
 * CronJobs (batch/v1): a schedule that parses in its time zone, a Job template that would make a
 * valid Job, names short enough for the Jobs' names (52 characters, as Kubernetes).
 */
public final class CronJobStrategy extends TypedStrategy<CronJob> {
  public static final ResourceType TYPE = new ResourceType("batch", "v1", "CronJob", "cronjobs", "cronjob",
      List.of("cj"), true, List.of("all"), List.of("status"), CronJob.class);
  /** A Job's name is the CronJob's and 11 characters of schedule time; the whole must stay a DNS label. */
  static final int MAX_NAME = 52;
  private static final JobStrategy JOBS = new JobStrategy();
  private static final Printer PRINTER = new CronJobPrinter();

  public CronJobStrategy() {
    super(TYPE, CronJob.class);
  }

  @Override
  protected CronJob defaults(CronJob c) {
    CronJob.Spec s = c.spec();
    if (s == null) return c;
    CronJob.JobTemplate template = s.jobTemplate() == null ? null
        : new CronJob.JobTemplate(s.jobTemplate().metadata(), JOBS.defaultedTemplate(s.jobTemplate().spec()));
    return c.withSpec(new CronJob.Spec(s.schedule(), s.timeZone(), s.startingDeadlineSeconds(),
        s.concurrencyPolicy() == null ? "Allow" : s.concurrencyPolicy(), s.suspend() == null ? Boolean.FALSE : s.suspend(),
        template, s.successfulJobsHistoryLimit() == null ? Integer.valueOf(3) : s.successfulJobsHistoryLimit(),
        s.failedJobsHistoryLimit() == null ? Integer.valueOf(1) : s.failedJobsHistoryLimit()));
  }

  @Override
  protected void validate(CronJob c, List<FieldError> e) {
    String name = c.metadata().name();
    if (name != null && name.length() > MAX_NAME) {
      e.add(FieldError.invalid("metadata.name", name, "must be no more than " + MAX_NAME + " characters"));
    }
    CronJob.Spec s = c.spec();
    if (s == null) {
      e.add(FieldError.required("spec", null));
      return;
    }
    if (s.schedule() == null || s.schedule().isBlank()) {
      e.add(FieldError.required("spec.schedule", null));
    } else {
      try {
        CronSchedule.parse(s.schedule(), null);
      } catch (IllegalArgumentException bad) {
        e.add(FieldError.invalid("spec.schedule", s.schedule(), bad.getMessage()));
      }
    }
    if (s.timeZone() != null) {
      try {
        CronSchedule.zone(s.timeZone());
      } catch (IllegalArgumentException bad) {
        e.add(FieldError.invalid("spec.timeZone", s.timeZone(), bad.getMessage()));
      }
    }
    if (!List.of("Allow", "Forbid", "Replace").contains(s.concurrencyPolicy())) {
      e.add(FieldError.notSupported("spec.concurrencyPolicy", s.concurrencyPolicy(), List.of("Allow", "Forbid", "Replace")));
    }
    Validation.nonNegative(e, "spec.startingDeadlineSeconds", s.startingDeadlineSeconds());
    Validation.nonNegative(e, "spec.successfulJobsHistoryLimit", s.successfulJobsHistoryLimit());
    Validation.nonNegative(e, "spec.failedJobsHistoryLimit", s.failedJobsHistoryLimit());
    if (s.jobTemplate() == null) {
      e.add(FieldError.required("spec.jobTemplate", null));
      return;
    }
    for (FieldError error : JOBS.templateErrors(s.jobTemplate().spec())) {
      e.add(new FieldError("spec.jobTemplate." + error.field(), error.type(), error.value(), error.detail()));
    }
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Batch.CronJob.class, V1Batch.CronJobList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
