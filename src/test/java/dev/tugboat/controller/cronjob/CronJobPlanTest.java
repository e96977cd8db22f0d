package dev.tugboat.controller.cronjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Meta;
import dev.tugboat.kinds.cronjob.CronJob;
import dev.tugboat.model.Codec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronJobPlanTest {
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:30Z");

  private static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true, false);
  }

  private static ObjectNode cronJob(String spec, String status) {
    ObjectNode c = yaml("""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report, namespace: default, uid: cj-uid, creationTimestamp: "2026-12-03T11:58:10Z"}
        spec:
          schedule: "* * * * *"
          concurrencyPolicy: Allow
          suspend: false
          successfulJobsHistoryLimit: 3
          failedJobsHistoryLimit: 1
          jobTemplate:
            metadata: {labels: {app: report}}
            spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}
        """);
    ((ObjectNode) c.get("spec")).setAll(yaml(spec.isBlank() ? "{}" : spec));
    if (!status.isBlank()) c.set("status", yaml(status));
    return c;
  }

  private static ObjectNode job(String name, String condition, String completed) {
    ObjectNode job = yaml("""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: %s
          namespace: default
          uid: uid-%s
          creationTimestamp: "2026-12-03T11:00:00Z"
          ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: report, uid: cj-uid, controller: true}]
        """.formatted(name, name));
    if (condition != null) {
      job.set("status", yaml("{conditions: [{type: %s, status: 'True'}], completionTime: '%s'}".formatted(condition, completed)));
    }
    return job;
  }

  @Test
  void theLatestMissedTimeRunsOnceAndNamesTheJob() {
    // Created at 11:58:10; at 12:00:30 the times 11:59 and 12:00 have come: only 12:00 runs.
    CronJobPlan plan = CronJobPlan.of(cronJob("", ""), List.of(), NOW);
    assertEquals(Instant.parse("2026-12-03T12:00:00Z"), plan.scheduled());
    assertEquals("2026-12-03T12:00:00Z", plan.status().path("lastScheduleTime").asText());
    assertEquals(Duration.ofSeconds(30), plan.recheckAfter());
    ObjectNode job = CronJobPlan.newJob(cronJob("", ""), plan.scheduled());
    assertEquals("report-" + Instant.parse("2026-12-03T12:00:00Z").getEpochSecond() / 60, Meta.name(job));
    assertEquals("2026-12-03T12:00:00Z", job.at("/metadata/annotations").path(CronJob.SCHEDULED_TIMESTAMP).asText());
    assertEquals("report", job.at("/metadata/labels/app").asText());
    assertEquals("cj-uid", Meta.controllerUid(job));
    // Run again after that: nothing until 12:01.
    CronJobPlan again = CronJobPlan.of(cronJob("", "{lastScheduleTime: '2026-12-03T12:00:00Z'}"), List.of(), NOW);
    assertNull(again.scheduled());
  }

  @Test
  void theStartingDeadlineDropsTimesTooLongPast() {
    CronJobPlan late = CronJobPlan.of(cronJob("{schedule: '0 * * * *', startingDeadlineSeconds: 10}",
        "{lastScheduleTime: '2026-12-03T11:00:00Z'}"), List.of(), NOW);
    assertNull(late.scheduled(), "12:00 was 30 s ago, the deadline is 10 s");
    CronJobPlan inTime = CronJobPlan.of(cronJob("{schedule: '0 * * * *', startingDeadlineSeconds: 60}",
        "{lastScheduleTime: '2026-12-03T11:00:00Z'}"), List.of(), NOW);
    assertEquals(Instant.parse("2026-12-03T12:00:00Z"), inTime.scheduled());
  }

  @Test
  void tooManyMissedTimesWarnButTheLatestStillRuns() {
    CronJobPlan plan = CronJobPlan.of(cronJob("", "{lastScheduleTime: '2026-12-03T09:00:00Z'}"), List.of(), NOW);
    assertEquals(Instant.parse("2026-12-03T12:00:00Z"), plan.scheduled());
    assertEquals("TooManyMissedTimes", plan.events().get(0)[1]);
    assertTrue(plan.events().get(0)[2].startsWith("too many missed start times: 180"), plan.events().get(0)[2]);
  }

  @Test
  void forbidSkipsWhileAJobRunsAndReplaceDeletesIt() {
    ObjectNode running = job("report-1", null, null);
    String status = "{lastScheduleTime: '2026-12-03T11:59:00Z'}";
    CronJobPlan forbid = CronJobPlan.of(cronJob("concurrencyPolicy: Forbid", status), List.of(running), NOW);
    assertNull(forbid.scheduled());
    assertEquals("JobAlreadyActive", forbid.events().get(0)[1]);
    assertEquals("report-1", forbid.status().at("/active/0/name").asText());
    CronJobPlan replace = CronJobPlan.of(cronJob("concurrencyPolicy: Replace", status), List.of(running), NOW);
    assertEquals(Instant.parse("2026-12-03T12:00:00Z"), replace.scheduled());
    assertEquals(List.of("report-1"), replace.replace().stream().map(Meta::name).toList());
    CronJobPlan allow = CronJobPlan.of(cronJob("", status), List.of(running), NOW);
    assertEquals(Instant.parse("2026-12-03T12:00:00Z"), allow.scheduled());
    assertTrue(allow.replace().isEmpty());
  }

  @Test
  void historyKeepsTheNewestFinishedJobsAndTheLastSuccess() {
    List<ObjectNode> jobs = List.of(
        job("ok-1", "Complete", "2026-12-03T10:00:00Z"), job("ok-2", "Complete", "2026-12-03T10:01:00Z"),
        job("ok-3", "Complete", "2026-12-03T10:02:00Z"), job("ok-4", "Complete", "2026-12-03T10:03:00Z"),
        job("bad-1", "Failed", "2026-12-03T10:04:00Z"), job("bad-2", "Failed", "2026-12-03T10:05:00Z"));
    CronJobPlan plan = CronJobPlan.of(cronJob("suspend: true", ""), jobs, NOW);
    assertEquals(List.of("ok-1", "bad-1"), plan.expired().stream().map(Meta::name).toList());
    assertEquals("2026-12-03T10:03:00Z", plan.status().path("lastSuccessfulTime").asText());
    assertNull(plan.scheduled(), "suspended");
  }

  @Test
  void aTimeZoneMovesTheSchedule() {
    // 13:00 in Berlin (UTC+1 in December) is 12:00 UTC.
    CronJobPlan plan = CronJobPlan.of(cronJob("{schedule: '0 13 * * *', timeZone: Europe/Berlin}",
        "{lastScheduleTime: '2026-12-02T12:00:00Z'}"), List.of(), NOW);
    assertEquals(Instant.parse("2026-12-03T12:00:00Z"), plan.scheduled());
  }
}
