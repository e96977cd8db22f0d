package dev.tugboat.kinds.cronjob;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.kinds.job.Job;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import java.time.Instant;
import java.util.List;

/** A CronJob (batch/v1): a Job made from {@code jobTemplate} at every time of {@code schedule}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CronJob(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status) implements ApiObject {

  /** The annotation that tells each Job the schedule time it was made for. */
  public static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";

  @Override
  public CronJob withMetadata(ObjectMeta metadata) {
    return new CronJob(apiVersion, kind, metadata, spec, status);
  }

  CronJob withSpec(Spec spec) {
    return new CronJob(apiVersion, kind, metadata, spec, status);
  }

  /** {@code concurrencyPolicy} Allow, Forbid or Replace; {@code timeZone} an IANA name (UTC when absent). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(String schedule, String timeZone, Long startingDeadlineSeconds, String concurrencyPolicy,
      Boolean suspend, JobTemplate jobTemplate, Integer successfulJobsHistoryLimit, Integer failedJobsHistoryLimit) {}

  /** The Job each run makes: its metadata (labels, annotations) and spec. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record JobTemplate(ObjectMeta metadata, Job.Spec spec) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(List<Reference> active, Instant lastScheduleTime, Instant lastSuccessfulTime) {}

  /** A Job the CronJob runs now. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Reference(String apiVersion, String kind, String name, String namespace, String uid,
      String resourceVersion) {}
}
