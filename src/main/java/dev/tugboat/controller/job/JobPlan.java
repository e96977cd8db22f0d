package dev.tugboat.controller.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Pods;
import dev.tugboat.kinds.job.Job;
import dev.tugboat.kinds.job.JobConditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * What one pass of the Job controller does, decided without I/O.
 *
 * <p>A finished pod is counted exactly once, as Kubernetes does it: each pod carries the
 * {@link Job#TRACKING_FINALIZER}; a finished pod's uid first goes into the Job's
 * {@code status.uncountedTerminatedPods} ({@link #tracked}), only then does its finalizer go
 * ({@link #release}), and only then does it move into {@code succeeded} or {@code failed}
 * ({@link #counted}). A pass interrupted anywhere (the controller's member dies) leaves a state the
 * next pass finishes without counting a pod twice or losing one.
 *
 * @param create the pods to create: each one's completion index (-1 when not Indexed) and how often its index failed
 * @param delete active pods to delete (too many, or the Job finished, failed or was suspended)
 * @param release pods whose tracking finalizer goes once {@link #tracked} is written
 * @param tracked the status to write first: new finished pods in uncountedTerminatedPods
 * @param counted the status to write once the finalizers are gone: uncounted pods moved into the counts, and
 *     the conditions decided (Complete, Failed, Suspended)
 * @param events what to tell users about the Job (conditions that changed)
 * @param recheckAfter when to look again though nothing changes (a back-off, a deadline, a TTL), or null
 * @param expired the Job finished more than ttlSecondsAfterFinished ago: delete it
 */
public record JobPlan(List<NewPod> create, List<ObjectNode> delete, List<ObjectNode> release, ObjectNode tracked,
    ObjectNode counted, List<JobEvent> events, Duration recheckAfter, boolean expired) {

  /** A pod to create: its completion index (-1: none) and the failures its index has had. */
  public record NewPod(int index, int indexFailures) {}

  /** An Event about the Job: Normal or Warning, a reason, a message. */
  public record JobEvent(String type, String reason, String message) {}

  /** The annotation on an Indexed Job's pod that says how often its index failed before (backoffLimitPerIndex). */
  public static final String INDEX_FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";

  /** The exponential back-off between failed pods: {@code base} doubled per failure since the last success, up to {@code max}. */
  public record Backoff(Duration base, Duration max) {
    Duration after(int failures) {
      if (failures <= 0) return Duration.ZERO;
      Duration d = base;
      for (int i = 1; i < failures && d.compareTo(max) < 0; i++) d = d.multipliedBy(2);
      return d.compareTo(max) > 0 ? max : d;
    }
  }

  /** A pass over {@code job} and the pods in its namespace that name it (its own and, with finalizers, its past ones). */
  public static JobPlan of(ObjectNode job, List<ObjectNode> pods, Instant now, Backoff backoff) {
    return new Pass(job, now, backoff).run(pods);
  }

  /** The state of one pass, so that the steps above read as plain code. */
  private static final class Pass {
    final ObjectNode job;
    final JsonNode spec;
    final JsonNode status;
    final Instant now;
    final Backoff backoff;
    final String uid;
    final boolean indexed;
    final Integer completions;
    final int parallelism;
    final Integer backoffLimitPerIndex;
    final boolean finished;
    final boolean suspended;
    final Set<String> uncountedSucceeded;
    final Set<String> uncountedFailed;
    final SortedSet<Integer> completedIndexes;
    final SortedSet<Integer> failedIndexes;
    final List<ObjectNode> active = new ArrayList<>();
    final List<ObjectNode> release = new ArrayList<>();
    final List<ObjectNode> delete = new ArrayList<>();
    final List<JobEvent> events = new ArrayList<>();
    final List<NewPod> creations = new ArrayList<>();
    final Map<Integer, Integer> indexFailures = new HashMap<>();
    String failJob; // a FailJob rule's message
    int restarts;
    int terminating;
    Instant lastSuccess = Instant.EPOCH;
    final List<Instant> failureTimes = new ArrayList<>();
    Duration recheck;

    Pass(ObjectNode job, Instant now, Backoff backoff) {
      this.job = job;
      this.spec = job.path("spec");
      this.status = job.path("status");
      this.now = now;
      this.backoff = backoff;
      this.uid = Meta.uid(job);
      this.indexed = "Indexed".equals(spec.path("completionMode").asText());
      this.completions = spec.hasNonNull("completions") ? spec.path("completions").asInt() : null;
      this.parallelism = spec.path("parallelism").asInt(1);
      this.backoffLimitPerIndex = spec.hasNonNull("backoffLimitPerIndex") ? spec.path("backoffLimitPerIndex").asInt() : null;
      this.finished = JobConditions.finished(job);
      this.suspended = spec.path("suspend").asBoolean(false);
      this.uncountedSucceeded = texts(status.path("uncountedTerminatedPods").path("succeeded"));
      this.uncountedFailed = texts(status.path("uncountedTerminatedPods").path("failed"));
      this.completedIndexes = CompletionIndexes.parse(status.path("completedIndexes").asText(null));
      this.failedIndexes = CompletionIndexes.parse(status.path("failedIndexes").asText(null));
    }

    JobPlan run(List<ObjectNode> pods) {
      Set<String> newSucceeded = new LinkedHashSet<>();
      Set<String> newFailed = new LinkedHashSet<>();
      for (ObjectNode pod : pods) {
        boolean own = uid.equals(Meta.controllerUid(pod));
        boolean tracked = hasFinalizer(pod);
        if (!own) {
          // This Job's once, now orphaned: nothing to count any more.
          if (tracked && uid.equals(Meta.labels(pod).get(Job.CONTROLLER_UID))) release.add(pod);
          continue;
        }
        String phase = pod.path("status").path("phase").asText("");
        boolean deleting = pod.path("metadata").has("deletionTimestamp");
        int index = index(pod);
        if (Pods.isActive(pod)) {
          active.add(pod);
          restarts += Pods.restarts(pod);
          if (index >= 0) indexFailures.merge(index, failureCount(pod), Math::max);
          continue;
        }
        boolean succeeded = phase.equals("Succeeded");
        if (deleting && !succeeded && !phase.equals("Failed")) terminating++;
        Instant finishedAt = finishedAt(pod);
        if (succeeded) lastSuccess = later(lastSuccess, finishedAt);
        else {
          failureTimes.add(finishedAt);
          if (index >= 0) indexFailures.merge(index, failureCount(pod) + 1, Math::max);
        }
        if (!tracked) continue; // counted before
        String podUid = Meta.uid(pod);
        release.add(pod);
        if (uncountedSucceeded.contains(podUid) || uncountedFailed.contains(podUid)) continue;
        // A finished Job's stragglers, and the pods a suspension deleted, are not failures of the Job.
        if (finished || suspended && !succeeded && !phase.equals("Failed")) continue;
        if (succeeded) {
          newSucceeded.add(podUid);
          if (index >= 0) completedIndexes.add(index);
          continue;
        }
        String action = phase.equals("Failed") ? PodFailurePolicies.action(spec.path("podFailurePolicy"), pod) : "Count";
        switch (action) {
          case "Ignore" -> {
            continue;
          }
          case "FailJob" -> failJob = PodFailurePolicies.message(spec.path("podFailurePolicy"), pod);
          case "FailIndex" -> {
            if (index >= 0) failedIndexes.add(index);
          }
          default -> {
            if (index >= 0 && backoffLimitPerIndex != null && failureCount(pod) + 1 > backoffLimitPerIndex) {
              failedIndexes.add(index);
            }
          }
        }
        newFailed.add(podUid);
      }
      uncountedSucceeded.addAll(newSucceeded);
      uncountedFailed.addAll(newFailed);
      int succeeded = status.path("succeeded").asInt(0) + uncountedSucceeded.size();
      int failed = status.path("failed").asInt(0) + uncountedFailed.size();
      ObjectNode next = JsonNodeFactory.instance.objectNode();
      ArrayNode conditions = next.putArray("conditions");
      status.path("conditions").forEach(conditions::add);
      boolean expired = false;
      if (!finished) decide(conditions, next, succeeded, failed);
      else delete.addAll(active); // what a pass before missed
      if (finishedNow(conditions)) expired = ttl(conditions);
      // The conditions (and a completion time) wait for the counts: a client that sees Complete sees all successes.
      ObjectNode beforeDecision = next.deepCopy();
      beforeDecision.remove("completionTime");
      ArrayNode storedConditions = JsonNodeFactory.instance.arrayNode();
      status.path("conditions").forEach(storedConditions::add);
      return new JobPlan(creations, delete, release, status(beforeDecision, storedConditions),
          counted(next, conditions), events, recheck, expired);
    }

    private void decide(ArrayNode conditions, ObjectNode next, int succeeded, int failed) {
      if (suspended) {
        delete.addAll(active);
        if (!JobConditions.isTrue(conditions, "Suspended")) {
          setCondition(conditions, "Suspended", "True", "JobSuspended", "Job suspended");
          events.add(new JobEvent("Normal", "Suspended", "Job suspended"));
        }
        return;
      }
      if (JobConditions.isTrue(conditions, "Suspended")) {
        setCondition(conditions, "Suspended", "False", "JobResumed", "Job resumed");
        events.add(new JobEvent("Normal", "Resumed", "Job resumed"));
        next.put("startTime", now.toString()); // the deadline counts from the resumption
      } else {
        next.put("startTime", status.hasNonNull("startTime") ? status.path("startTime").asText() : now.toString());
      }
      Instant start = Instant.parse(next.path("startTime").asText());
      int failures = failed + ("OnFailure".equals(spec.path("template").path("spec").path("restartPolicy").asText())
          ? restarts : 0);
      String[] failure = null;
      Long deadline = spec.hasNonNull("activeDeadlineSeconds") ? spec.path("activeDeadlineSeconds").asLong() : null;
      if (failJob != null) failure = new String[] {"PodFailurePolicy", failJob};
      else if (backoffLimitPerIndex == null && failures > spec.path("backoffLimit").asInt(6)) {
        failure = new String[] {"BackoffLimitExceeded", "Job has reached the specified backoff limit"};
      } else if (deadline != null && !now.isBefore(start.plusSeconds(deadline))) {
        failure = new String[] {"DeadlineExceeded", "Job was active longer than specified deadline"};
      } else if (spec.hasNonNull("maxFailedIndexes") && failedIndexes.size() > spec.path("maxFailedIndexes").asInt()) {
        failure = new String[] {"MaxFailedIndexesExceeded", "Job has exceeded the specified maximal number of failed indexes"};
      }
      boolean complete;
      if (indexed) {
        complete = completedIndexes.size() + failedIndexes.size() >= completions
            && indexesCovered(completions);
        if (complete && !failedIndexes.isEmpty() && failure == null) {
          failure = new String[] {"FailedIndexes", "Job has failed indexes"};
        }
      } else {
        complete = completions != null ? succeeded >= completions : succeeded > 0 && active.isEmpty();
      }
      if (failure != null) {
        delete.addAll(active);
        setCondition(conditions, "Failed", "True", failure[0], failure[1]);
        events.add(new JobEvent("Warning", failure[0], failure[1]));
        return;
      }
      if (complete) {
        delete.addAll(active);
        setCondition(conditions, "Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods");
        next.put("completionTime", now.toString());
        events.add(new JobEvent("Normal", "Completed", "Job completed"));
        return;
      }
      if (deadline != null) recheckIn(Duration.between(now, start.plusSeconds(deadline)));
      List<NewPod> wanted = indexed ? indexedCreations() : nonIndexedCreations(succeeded);
      if (wanted.isEmpty()) return;
      // Back off after failures since the last success, from the last failure, as the Job controller does.
      int recentFailures = (int) failureTimes.stream().filter(t -> t.isAfter(lastSuccess)).count();
      Instant lastFailure = failureTimes.stream().filter(t -> t.isAfter(lastSuccess)).max(Instant::compareTo).orElse(null);
      if (lastFailure != null) {
        Instant readyAt = lastFailure.plus(backoff.after(recentFailures));
        if (now.isBefore(readyAt)) {
          recheckIn(Duration.between(now, readyAt));
          return;
        }
      }
      creations.addAll(wanted);
    }

    private boolean indexesCovered(int completions) {
      for (int i = 0; i < completions; i++) if (!completedIndexes.contains(i) && !failedIndexes.contains(i)) return false;
      return true;
    }

    private List<NewPod> nonIndexedCreations(int succeeded) {
      int want = completions == null ? (succeeded > 0 ? 0 : parallelism) : Math.min(parallelism, completions - succeeded);
      int diff = want - active.size();
      List<NewPod> wanted = new ArrayList<>();
      if (diff < 0) delete.addAll(active.stream().sorted(Pods.DELETE_FIRST).limit(-diff).toList());
      for (int i = 0; i < diff; i++) wanted.add(new NewPod(-1, 0));
      return wanted;
    }

    private List<NewPod> indexedCreations() {
      Set<Integer> running = new HashSet<>();
      List<ObjectNode> excess = new ArrayList<>();
      for (ObjectNode pod : active) {
        int index = index(pod);
        // A second pod of one index, or one whose index is done or out of range, goes.
        if (index < 0 || index >= completions || !running.add(index) || completedIndexes.contains(index)
            || failedIndexes.contains(index)) {
          excess.add(pod);
        }
      }
      delete.addAll(excess);
      int room = parallelism - (active.size() - excess.size());
      if (room < 0) {
        delete.addAll(active.stream().filter(p -> !excess.contains(p)).sorted(Pods.DELETE_FIRST).limit(-room).toList());
      }
      List<NewPod> wanted = new ArrayList<>();
      for (int i = 0; i < completions && wanted.size() < room; i++) {
        if (!running.contains(i) && !completedIndexes.contains(i) && !failedIndexes.contains(i)) {
          wanted.add(new NewPod(i, indexFailures.getOrDefault(i, 0)));
        }
      }
      return wanted;
    }

    /** The Job finished (now or before): when ttlSecondsAfterFinished says it goes. */
    private boolean ttl(ArrayNode conditions) {
      if (!spec.hasNonNull("ttlSecondsAfterFinished")) return false;
      Instant finishedAt = now;
      for (JsonNode c : conditions) {
        String type = c.path("type").asText();
        if ((type.equals("Complete") || type.equals("Failed")) && "True".equals(c.path("status").asText())) {
          finishedAt = Instant.parse(c.path("lastTransitionTime").asText(now.toString()));
        }
      }
      Instant expiresAt = finishedAt.plusSeconds(spec.path("ttlSecondsAfterFinished").asLong());
      if (!now.isBefore(expiresAt)) return true;
      recheckIn(Duration.between(now, expiresAt));
      return false;
    }

    private boolean finishedNow(ArrayNode conditions) {
      return JobConditions.isTrue(conditions, "Complete") || JobConditions.isTrue(conditions, "Failed");
    }

    private ObjectNode status(ObjectNode next, ArrayNode conditions) {
      ObjectNode s = next.deepCopy();
      if (conditions.isEmpty()) s.remove("conditions");
      else s.set("conditions", conditions.deepCopy());
      if (!s.has("startTime") && status.hasNonNull("startTime") && !suspended) s.put("startTime", status.path("startTime").asText());
      if (!s.has("completionTime") && status.hasNonNull("completionTime")) {
        s.put("completionTime", status.path("completionTime").asText());
      }
      List<ObjectNode> staying = active.stream().filter(p -> !delete.contains(p)).toList();
      if (!finishedNow(conditions)) {
        s.put("active", staying.size());
        s.put("ready", (int) staying.stream().filter(Pods::isReady).count());
      } else {
        s.put("active", 0);
        s.put("ready", 0);
      }
      s.put("terminating", terminating + delete.size());
      s.put("succeeded", status.path("succeeded").asInt(0));
      s.put("failed", status.path("failed").asInt(0));
      if (indexed) s.put("completedIndexes", CompletionIndexes.format(completedIndexes));
      if (backoffLimitPerIndex != null) s.put("failedIndexes", CompletionIndexes.format(failedIndexes));
      ObjectNode uncounted = s.putObject("uncountedTerminatedPods");
      if (!uncountedSucceeded.isEmpty()) uncountedSucceeded.forEach(uncounted.putArray("succeeded")::add);
      if (!uncountedFailed.isEmpty()) uncountedFailed.forEach(uncounted.putArray("failed")::add);
      return s;
    }

    private ObjectNode counted(ObjectNode next, ArrayNode conditions) {
      ObjectNode s = status(next, conditions);
      s.put("succeeded", s.path("succeeded").asInt() + uncountedSucceeded.size());
      s.put("failed", s.path("failed").asInt() + uncountedFailed.size());
      s.putObject("uncountedTerminatedPods");
      return s;
    }

    private void setCondition(ArrayNode conditions, String type, String value, String reason, String message) {
      for (JsonNode c : conditions) {
        if (type.equals(c.path("type").asText())) {
          ObjectNode o = (ObjectNode) c;
          if (!value.equals(o.path("status").asText())) o.put("lastTransitionTime", now.toString());
          o.put("status", value).put("reason", reason).put("message", message).put("lastProbeTime", now.toString());
          return;
        }
      }
      conditions.addObject().put("type", type).put("status", value).put("lastProbeTime", now.toString())
          .put("lastTransitionTime", now.toString()).put("reason", reason).put("message", message);
    }

    private void recheckIn(Duration d) {
      Duration positive = d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d;
      if (recheck == null || positive.compareTo(recheck) < 0) recheck = positive;
    }
  }

  /** The pod's completion index, or -1. */
  static int index(ObjectNode pod) {
    String text = pod.path("metadata").path("annotations").path(Job.COMPLETION_INDEX).asText("");
    try {
      return text.isEmpty() ? -1 : Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int failureCount(ObjectNode pod) {
    return pod.path("metadata").path("annotations").path(INDEX_FAILURE_COUNT).asInt(0);
  }

  static boolean hasFinalizer(ObjectNode pod) {
    for (JsonNode f : pod.path("metadata").path("finalizers")) if (Job.TRACKING_FINALIZER.equals(f.asText())) return true;
    return false;
  }

  /** When the pod finished: its last container's end, else when it was deleted, else its creation. */
  private static Instant finishedAt(ObjectNode pod) {
    Instant last = null;
    for (JsonNode s : pod.path("status").path("containerStatuses")) {
      String at = s.path("state").path("terminated").path("finishedAt").asText("");
      if (!at.isEmpty()) last = later(last, Instant.parse(at));
    }
    if (last != null) return last;
    String deleted = pod.path("metadata").path("deletionTimestamp").asText("");
    return deleted.isEmpty() ? Meta.created(pod) : Instant.parse(deleted);
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> set = new LinkedHashSet<>();
    array.forEach(n -> set.add(n.asText()));
    return set;
  }
}
