package dev.tugboat.controller.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Meta;
import dev.tugboat.kinds.job.Job;
import dev.tugboat.kinds.job.JobConditions;
import dev.tugboat.model.Codec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JobPlanTest {
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  private static final JobPlan.Backoff BACKOFF = new JobPlan.Backoff(Duration.ofSeconds(10), Duration.ofMinutes(6));

  private static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true, false);
  }

  private static ObjectNode job(String spec, String status) {
    ObjectNode job = yaml("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi, namespace: default, uid: job-uid}
        spec:
          parallelism: 1
          completions: 1
          backoffLimit: 6
          completionMode: NonIndexed
          template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}
        """);
    ((ObjectNode) job.get("spec")).setAll(yaml(spec.isBlank() ? "{}" : spec));
    if (!status.isBlank()) job.set("status", yaml(status));
    return job;
  }

  /** A pod of the Job: phase, and for a finished one its container's exit code and finish time. */
  private static ObjectNode pod(String name, String phase, Integer exitCode, Instant finishedAt, boolean finalizer) {
    ObjectNode pod = yaml("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          namespace: default
          uid: uid-%s
          creationTimestamp: "2026-12-03T11:00:00Z"
          ownerReferences: [{apiVersion: batch/v1, kind: Job, name: pi, uid: job-uid, controller: true}]
          labels: {batch.kubernetes.io/controller-uid: job-uid}
        status: {phase: %s}
        """.formatted(name, name, phase));
    if (finalizer) ((ObjectNode) pod.get("metadata")).putArray("finalizers").add(Job.TRACKING_FINALIZER);
    if (exitCode != null) {
      ((ObjectNode) pod.get("status")).putArray("containerStatuses").addObject().put("name", "c")
          .putObject("state").putObject("terminated").put("exitCode", exitCode).put("finishedAt", finishedAt.toString());
    }
    return pod;
  }

  private static ObjectNode succeeded(String name) {
    return pod(name, "Succeeded", 0, NOW.minusSeconds(60), true);
  }

  private static ObjectNode failed(String name, int code, Instant at) {
    return pod(name, "Failed", code, at, true);
  }

  private static ObjectNode running(String name) {
    return pod(name, "Running", null, null, true);
  }

  private static ObjectNode indexed(ObjectNode pod, int index) {
    ((ObjectNode) pod.get("metadata")).putObject("annotations").put(Job.COMPLETION_INDEX, Integer.toString(index));
    return pod;
  }

  private static JobPlan plan(ObjectNode job, ObjectNode... pods) {
    return JobPlan.of(job, List.of(pods), NOW, BACKOFF);
  }

  private static String condition(JobPlan plan, String type) {
    for (JsonNode c : plan.counted().path("conditions")) {
      if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) return c.path("reason").asText();
    }
    return null;
  }

  private static List<String> uids(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  @Test
  void aNewJobStartsParallelismPodsAndItsClock() {
    JobPlan plan = plan(job("{completions: 5, parallelism: 2}", ""));
    assertEquals(2, plan.create().size());
    assertTrue(plan.create().stream().allMatch(p -> p.index() == -1));
    assertEquals(NOW.toString(), plan.tracked().path("startTime").asText());
    assertEquals(0, plan.tracked().path("active").asInt());
  }

  @Test
  void finishedPodsAreTrackedReleasedAndThenCountedAndReplaced() {
    JobPlan plan = plan(job("{completions: 5, parallelism: 2}", "{startTime: '2026-12-03T11:00:00Z'}"),
        succeeded("a"), succeeded("b"));
    assertEquals(List.of("uid-a", "uid-b"), uids(plan.tracked().path("uncountedTerminatedPods").path("succeeded")));
    assertEquals(0, plan.tracked().path("succeeded").asInt());
    assertEquals(List.of("a", "b"), plan.release().stream().map(Meta::name).toList());
    assertEquals(2, plan.counted().path("succeeded").asInt());
    assertTrue(plan.counted().path("uncountedTerminatedPods").isEmpty());
    assertEquals(2, plan.create().size(), "3 to go, 2 at a time");
  }

  @Test
  void aPodIsNeverCountedTwiceWhateverStepAPassStoppedAt() {
    // Stopped after the tracked status was written: the pod is uncounted and keeps its finalizer.
    JobPlan afterTracking = plan(job("completions: 3",
        "{startTime: '2026-12-03T11:00:00Z', succeeded: 1, uncountedTerminatedPods: {succeeded: [uid-a]}}"),
        succeeded("a"));
    assertEquals(List.of("uid-a"), uids(afterTracking.tracked().path("uncountedTerminatedPods").path("succeeded")));
    assertEquals(2, afterTracking.counted().path("succeeded").asInt());
    // Stopped after the finalizer went: still uncounted, the pod no longer holds it.
    JobPlan afterRelease = plan(job("completions: 3",
        "{startTime: '2026-12-03T11:00:00Z', succeeded: 1, uncountedTerminatedPods: {succeeded: [uid-a]}}"),
        pod("a", "Succeeded", 0, NOW, false));
    assertEquals(2, afterRelease.counted().path("succeeded").asInt());
    assertTrue(afterRelease.release().isEmpty());
    // Counted: nothing more.
    JobPlan done = plan(job("completions: 3", "{startTime: '2026-12-03T11:00:00Z', succeeded: 2}"),
        pod("a", "Succeeded", 0, NOW, false));
    assertEquals(2, done.counted().path("succeeded").asInt());
  }

  @Test
  void completesAtCompletionsAndStopsTheRest() {
    ObjectNode job = job("{completions: 2, parallelism: 3}",
        "{startTime: '2026-12-03T11:00:00Z', succeeded: 1}");
    JobPlan plan = plan(job, succeeded("b"), running("c"));
    assertEquals("CompletionsReached", condition(plan, "Complete"));
    assertEquals(NOW.toString(), plan.counted().path("completionTime").asText());
    assertFalse(plan.tracked().has("completionTime"), "Complete waits for the counts");
    assertEquals(List.of("c"), plan.delete().stream().map(Meta::name).toList());
    assertEquals(2, plan.counted().path("succeeded").asInt());
    assertTrue(plan.create().isEmpty());
    assertEquals("Completed", plan.events().get(0).reason());
  }

  @Test
  void aWorkQueueCompletesWhenOneSucceededAndNoneRuns() {
    ObjectNode job = job("{completions: null, parallelism: 2}", "{startTime: '2026-12-03T11:00:00Z'}");
    ((ObjectNode) job.get("spec")).remove("completions");
    JobPlan running = plan(job, succeeded("a"), running("b"));
    assertNull(condition(running, "Complete"));
    assertTrue(running.create().isEmpty(), "after a success no new pods");
    JobPlan done = plan(job, succeeded("a"));
    assertEquals("CompletionsReached", condition(done, "Complete"));
  }

  @Test
  void failsWhenFailuresPassTheBackoffLimit() {
    ObjectNode job = job("{completions: 1, backoffLimit: 1}", "{startTime: '2026-12-03T11:00:00Z', failed: 1}");
    JobPlan plan = plan(job, failed("b", 1, NOW.minusSeconds(30)));
    assertEquals("BackoffLimitExceeded", condition(plan, "Failed"));
    assertEquals(2, plan.counted().path("failed").asInt());
    assertEquals("Warning", plan.events().get(0).type());
    assertTrue(plan.create().isEmpty());
  }

  @Test
  void backsOffExponentiallyAfterFailures() {
    ObjectNode job = job("backoffLimit: 6", "{startTime: '2026-12-03T11:00:00Z'}");
    // Two failures since the last success: 20 s from the last one, which ended 5 s ago.
    JobPlan plan = plan(job, failed("a", 1, NOW.minusSeconds(40)), failed("b", 1, NOW.minusSeconds(5)));
    assertTrue(plan.create().isEmpty());
    assertEquals(Duration.ofSeconds(15), plan.recheckAfter());
    JobPlan later = JobPlan.of(job, List.of(failed("a", 1, NOW.minusSeconds(40)), failed("b", 1, NOW.minusSeconds(5))),
        NOW.plusSeconds(15), BACKOFF);
    assertEquals(1, later.create().size());
    assertEquals(Duration.ofSeconds(10), BACKOFF.after(1));
    assertEquals(Duration.ofSeconds(160), BACKOFF.after(5));
    assertEquals(Duration.ofMinutes(6), BACKOFF.after(30));
  }

  @Test
  void onFailureRestartsCountAgainstTheBackoffLimit() {
    ObjectNode job = job("backoffLimit: 2", "{startTime: '2026-12-03T11:00:00Z'}");
    ((ObjectNode) job.at("/spec/template/spec")).put("restartPolicy", "OnFailure");
    ObjectNode pod = running("a");
    ((ObjectNode) pod.get("status")).putArray("containerStatuses").addObject().put("name", "c").put("restartCount", 3);
    assertEquals("BackoffLimitExceeded", condition(plan(job, pod), "Failed"));
  }

  @Test
  void theDeadlineFailsTheJobAndIsLookedAtInTime() {
    ObjectNode job = job("activeDeadlineSeconds: 100", "{startTime: '2026-12-03T11:59:00Z'}");
    JobPlan before = plan(job, running("a"));
    assertNull(condition(before, "Failed"));
    assertEquals(Duration.ofSeconds(40), before.recheckAfter());
    JobPlan after = JobPlan.of(job, List.of(running("a")), NOW.plusSeconds(40), BACKOFF);
    assertEquals("DeadlineExceeded", condition(after, "Failed"));
    assertEquals(List.of("a"), after.delete().stream().map(Meta::name).toList());
  }

  @Test
  void indexedJobsRunEachIndexOnce() {
    ObjectNode job = job("{completionMode: Indexed, completions: 4, parallelism: 3}", "{startTime: '2026-12-03T11:00:00Z'}");
    JobPlan plan = plan(job, indexed(succeeded("a"), 1), indexed(running("b"), 0), indexed(running("dup"), 0));
    assertEquals("1", plan.tracked().path("completedIndexes").asText());
    assertEquals(List.of("dup"), plan.delete().stream().map(Meta::name).toList(), "a second pod of index 0 goes");
    assertEquals(List.of(2, 3), plan.create().stream().map(JobPlan.NewPod::index).toList());
    ObjectNode all = job("{completionMode: Indexed, completions: 4, parallelism: 3}",
        "{startTime: '2026-12-03T11:00:00Z', succeeded: 3, completedIndexes: '0-2'}");
    assertEquals("CompletionsReached", condition(plan(all, indexed(succeeded("d"), 3)), "Complete"));
    assertEquals("0-3", plan(all, indexed(succeeded("d"), 3)).tracked().path("completedIndexes").asText());
  }

  @Test
  void backoffLimitPerIndexFailsAnIndexAndThenTheJob() {
    ObjectNode job = job("{completionMode: Indexed, completions: 2, parallelism: 2, backoffLimitPerIndex: 1, backoffLimit: 2147483647}",
        "{startTime: '2026-12-03T11:00:00Z', succeeded: 1, completedIndexes: '1'}");
    ObjectNode second = indexed(failed("a2", 1, NOW.minusSeconds(1)), 0);
    ((ObjectNode) second.at("/metadata/annotations")).put(JobPlan.INDEX_FAILURE_COUNT, "1");
    JobPlan plan = plan(job, second);
    assertEquals("0", plan.tracked().path("failedIndexes").asText());
    assertEquals("FailedIndexes", condition(plan, "Failed"));
    // One failure of index 0 so far: it is tried again, and the new pod knows how often it failed.
    ObjectNode first = indexed(failed("a1", 1, NOW.minusSeconds(60)), 0);
    JobPlan retry = plan(job, first);
    assertEquals(List.of(new JobPlan.NewPod(0, 1)), retry.create());
  }

  @Test
  void suspendingStopsThePodsWithoutCountingThemAndResumingRestartsTheClock() {
    ObjectNode job = job("{suspend: true, completions: 2, parallelism: 2}", "{startTime: '2026-12-03T11:00:00Z'}");
    JobPlan plan = plan(job, running("a"));
    assertEquals("JobSuspended", condition(plan, "Suspended"));
    assertEquals(List.of("a"), plan.delete().stream().map(Meta::name).toList());
    assertFalse(plan.counted().has("startTime"));
    ObjectNode deleting = running("a");
    ((ObjectNode) deleting.get("metadata")).put("deletionTimestamp", NOW.toString());
    JobPlan stopping = plan(job("{suspend: true, completions: 2, parallelism: 2}",
        plan.counted().toString()), deleting);
    assertEquals(0, stopping.counted().path("failed").asInt());
    assertEquals(List.of("a"), stopping.release().stream().map(Meta::name).toList());
    JobPlan resumed = plan(job("{suspend: false, completions: 2, parallelism: 2}", stopping.counted().toString()));
    assertNull(condition(resumed, "Suspended"));
    assertEquals(NOW.toString(), resumed.tracked().path("startTime").asText());
    assertEquals(2, resumed.create().size());
  }

  @Test
  void aFinishedJobExpiresAfterItsTtl() {
    ObjectNode job = job("ttlSecondsAfterFinished: 100", """
        {startTime: '2026-12-03T11:00:00Z', succeeded: 1, conditions: [{type: Complete, status: 'True',
         lastTransitionTime: '2026-12-03T11:59:00Z', reason: CompletionsReached}]}""");
    JobPlan waiting = plan(job);
    assertFalse(waiting.expired());
    assertEquals(Duration.ofSeconds(40), waiting.recheckAfter());
    assertTrue(JobPlan.of(job, List.of(), NOW.plusSeconds(40), BACKOFF).expired());
    assertTrue(JobConditions.finished(job));
  }

  @Test
  void podFailurePolicyIgnoresCountsOrFailsTheJob() {
    String policy = """
        podFailurePolicy:
          rules:
          - {action: Ignore, onExitCodes: {operator: In, values: [42]}}
          - {action: FailJob, onExitCodes: {containerName: c, operator: In, values: [3]}}
        """;
    ObjectNode job = job(policy, "{startTime: '2026-12-03T11:00:00Z'}");
    JobPlan ignored = plan(job, failed("a", 42, NOW.minusSeconds(60)));
    assertEquals(0, ignored.counted().path("failed").asInt());
    assertEquals(List.of("a"), ignored.release().stream().map(Meta::name).toList());
    assertEquals(1, ignored.create().size(), "an ignored failure is replaced at once");
    JobPlan fatal = plan(job, failed("b", 3, NOW.minusSeconds(60)));
    assertEquals("PodFailurePolicy", condition(fatal, "Failed"));
    assertTrue(fatal.events().get(0).message().contains("Container c for pod default/b failed with exit code 3"),
        fatal.events().get(0).message());
    JobPlan counted = plan(job, failed("c", 1, NOW.minusSeconds(60)));
    assertEquals(1, counted.counted().path("failed").asInt());
  }

  @Test
  void completionIndexesReadAndWriteKubernetesForm() {
    assertEquals("0-2,4,7-9", CompletionIndexes.format(CompletionIndexes.parse("0-2,4,7,8,9")));
    assertEquals("", CompletionIndexes.format(CompletionIndexes.parse("")));
    assertEquals(List.of(0, 1, 2, 5), new ArrayList<>(CompletionIndexes.parse("0-2,5")));
    assertEquals(IntStream.range(0, 100).boxed().toList(), new ArrayList<>(CompletionIndexes.parse("0-99")));
  }

  @Test
  void anIndexedPodLearnsItsIndex() {
    ObjectNode job = job("{completionMode: Indexed, completions: 3, backoffLimitPerIndex: 2}", "");
    ObjectNode pod = JobController.newPod(job, new JobPlan.NewPod(2, 1), "abcde");
    assertEquals("pi-2-abcde", Meta.name(pod));
    assertEquals("2", pod.at("/metadata/annotations").path(Job.COMPLETION_INDEX).asText());
    assertEquals("2", pod.at("/metadata/labels").path(Job.COMPLETION_INDEX).asText());
    assertEquals("1", pod.at("/metadata/annotations").path(JobPlan.INDEX_FAILURE_COUNT).asText());
    assertEquals(Job.TRACKING_FINALIZER, pod.at("/metadata/finalizers/0").asText());
    assertEquals("job-uid", Meta.controllerUid(pod));
    assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']",
        pod.at("/spec/containers/0/env/0/valueFrom/fieldRef/fieldPath").asText());
  }
}
