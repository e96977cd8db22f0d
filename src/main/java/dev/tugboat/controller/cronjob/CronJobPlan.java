package dev.tugboat.controller.cronjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.replicaset.ReplicaSetPlan;
import dev.tugboat.kinds.cronjob.CronJob;
import dev.tugboat.kinds.cronjob.CronSchedule;
import dev.tugboat.kinds.job.JobConditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one pass of the CronJob controller does, decided without I/O: whether a schedule time has
 * come that no Job was made for (at most the latest one, and only within the starting deadline),
 * what the concurrency policy makes of the Jobs still running, which finished Jobs fall out of the
 * history, and the status.
 *
 * <p>A Job's name is the CronJob's and its schedule time in minutes, so a schedule time makes at most
 * one Job, whichever member's controller makes it and however often it tries: the second create
 * gets AlreadyExists.
 *
 * @param scheduled the schedule time to make a Job for now, or null
 * @param replace running Jobs to delete first (concurrencyPolicy Replace)
 * @param expired finished Jobs beyond the history limits
 * @param status the status to write (before the new Job is added to it)
 * @param events Warning and Normal Events to record: (type, reason, message)
 * @param recheckAfter when the next schedule time comes
 */
public record CronJobPlan(Instant scheduled, List<ObjectNode> replace, List<ObjectNode> expired, ObjectNode status,
    List<String[]> events, Duration recheckAfter) {

  /** Kubernetes warns when a CronJob missed more schedule times than this. */
  static final int TOO_MANY_MISSED = 100;

  public static CronJobPlan of(ObjectNode cronJob, List<ObjectNode> jobs, Instant now) {
    JsonNode spec = cronJob.path("spec");
    JsonNode status = cronJob.path("status");
    String uid = Meta.uid(cronJob);
    List<ObjectNode> active = new ArrayList<>();
    List<ObjectNode> succeeded = new ArrayList<>();
    List<ObjectNode> failed = new ArrayList<>();
    Instant lastSuccess = status.hasNonNull("lastSuccessfulTime") ? Instant.parse(status.path("lastSuccessfulTime").asText()) : null;
    for (ObjectNode job : jobs) {
      if (!uid.equals(Meta.controllerUid(job))) continue;
      JsonNode conditions = job.path("status").path("conditions");
      if (JobConditions.isTrue(conditions, "Complete")) {
        succeeded.add(job);
        String at = job.path("status").path("completionTime").asText("");
        if (!at.isEmpty() && (lastSuccess == null || Instant.parse(at).isAfter(lastSuccess))) lastSuccess = Instant.parse(at);
      } else if (JobConditions.isTrue(conditions, "Failed")) {
        failed.add(job);
      } else if (!job.path("metadata").has("deletionTimestamp")) {
        active.add(job);
      }
    }
    List<ObjectNode> expired = new ArrayList<>(oldestBeyond(succeeded, spec.path("successfulJobsHistoryLimit").asInt(3)));
    expired.addAll(oldestBeyond(failed, spec.path("failedJobsHistoryLimit").asInt(1)));
    List<String[]> events = new ArrayList<>();
    ObjectNode next = JsonNodeFactory.instance.objectNode();
    if (status.hasNonNull("lastScheduleTime")) next.put("lastScheduleTime", status.path("lastScheduleTime").asText());
    if (lastSuccess != null) next.put("lastSuccessfulTime", lastSuccess.toString());

    CronSchedule schedule = CronSchedule.parse(spec.path("schedule").asText(), spec.path("timeZone").asText(null));
    Instant upcoming = schedule.next(now).orElse(null);
    Duration recheck = upcoming == null ? null : Duration.between(now, upcoming);
    if (spec.path("suspend").asBoolean(false)) {
      return new CronJobPlan(null, List.of(), expired, withActive(next, active), events, null);
    }
    Instant earliest = status.hasNonNull("lastScheduleTime") ? Instant.parse(status.path("lastScheduleTime").asText())
        : Meta.created(cronJob);
    if (spec.hasNonNull("startingDeadlineSeconds")) {
      Instant deadline = now.minusSeconds(spec.path("startingDeadlineSeconds").asLong());
      if (deadline.isAfter(earliest)) earliest = deadline;
    }
    // The latest schedule time that has come and has no Job yet; the ones before it are missed for good.
    Instant latest = null;
    int missed = 0;
    for (Instant t = schedule.next(earliest).orElse(null); t != null && !t.isAfter(now); t = schedule.next(t).orElse(null)) {
      latest = t;
      missed++;
    }
    if (missed > TOO_MANY_MISSED) {
      events.add(new String[] {"Warning", "TooManyMissedTimes", "too many missed start times: " + missed
          + ". Set or decrease .spec.startingDeadlineSeconds or check clock skew"});
    }
    if (latest == null) return new CronJobPlan(null, List.of(), expired, withActive(next, active), events, recheck);
    String policy = spec.path("concurrencyPolicy").asText("Allow");
    if (policy.equals("Forbid") && !active.isEmpty()) {
      events.add(new String[] {"Normal", "JobAlreadyActive",
          "Not starting job because prior execution is running and concurrency policy is Forbid"});
      return new CronJobPlan(null, List.of(), expired, withActive(next, active), events, recheck);
    }
    List<ObjectNode> replace = policy.equals("Replace") ? active : List.of();
    next.put("lastScheduleTime", latest.toString());
    List<ObjectNode> staying = replace.isEmpty() ? active : List.of();
    return new CronJobPlan(latest, replace, expired, withActive(next, staying), events, recheck);
  }

  /** The Job for schedule time {@code at}: named for it, owned by the CronJob, from its template. */
  public static ObjectNode newJob(ObjectNode cronJob, Instant at) {
    JsonNode template = cronJob.path("spec").path("jobTemplate");
    ObjectNode job = JsonNodeFactory.instance.objectNode().put("apiVersion", "batch/v1").put("kind", "Job");
    ObjectNode meta = job.putObject("metadata");
    meta.put("name", jobName(cronJob, at));
    meta.put("namespace", Meta.namespace(cronJob));
    if (template.path("metadata").has("labels")) meta.set("labels", template.path("metadata").path("labels").deepCopy());
    ObjectNode annotations = meta.putObject("annotations");
    if (template.path("metadata").has("annotations")) {
      annotations.setAll((ObjectNode) template.path("metadata").path("annotations").deepCopy());
    }
    annotations.put(CronJob.SCHEDULED_TIMESTAMP, at.toString());
    meta.putArray("ownerReferences").add(ReplicaSetPlan.ownerReference(cronJob));
    job.set("spec", template.path("spec").deepCopy());
    return job;
  }

  /** {@code <cronjob>-<minutes since the epoch>}, as Kubernetes names them. */
  public static String jobName(ObjectNode cronJob, Instant at) {
    return Meta.name(cronJob) + "-" + at.getEpochSecond() / 60;
  }

  /** The reference {@code status.active} holds for a Job. */
  public static ObjectNode reference(ObjectNode job) {
    return JsonNodeFactory.instance.objectNode().put("apiVersion", "batch/v1").put("kind", "Job")
        .put("name", Meta.name(job)).put("namespace", Meta.namespace(job)).put("uid", Meta.uid(job));
  }

  private static ObjectNode withActive(ObjectNode status, List<ObjectNode> active) {
    if (active.isEmpty()) return status;
    ArrayNode refs = status.putArray("active");
    active.stream().sorted(Comparator.comparing(Meta::name)).forEach(j -> refs.add(reference(j)));
    return status;
  }

  private static List<ObjectNode> oldestBeyond(List<ObjectNode> jobs, int limit) {
    if (jobs.size() <= limit) return List.of();
    return jobs.stream().sorted(Comparator.comparing(CronJobPlan::finishedOrCreated)).limit(jobs.size() - limit).toList();
  }

  private static Instant finishedOrCreated(ObjectNode job) {
    String at = job.path("status").path("completionTime").asText("");
    return at.isEmpty() ? Meta.created(job) : Instant.parse(at);
  }
}
