package dev.tugboat.controller.cronjob;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Writes;
import dev.tugboat.model.ObjectReference;
import dev.tugboat.registry.EventRecorder;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The CronJob controller: makes each CronJob's Job when a schedule time comes (once per time, see
 * {@link CronJobPlan}), applies its concurrency policy, keeps its history to the limits, and looks
 * again when the next time comes.
 */
public final class CronJobController implements ControllerLoop.Reconciler {
  private final Registry registry;
  private final Writes writes;
  private final EventRecorder events;

  public CronJobController(Registry registry, String host) {
    this.registry = registry;
    this.writes = new Writes(registry);
    this.events = new EventRecorder(registry, "cronjob-controller", host);
  }

  @Override
  public String primaryKind() {
    return "CronJob";
  }

  @Override
  public List<String> watchedKinds() {
    return List.of("CronJob", "Job");
  }

  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    return change.kind().equals("CronJob") ? List.of(ControllerLoop.key(change.object()))
        : ControllerLoop.ownerKey(change.object(), "CronJob");
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    return registry.get("CronJob", namespace, name).thenCompose(result -> {
      if (!(result instanceof Result.Ok ok) || ok.object().path("metadata").has("deletionTimestamp")) {
        return CompletableFuture.completedFuture(null);
      }
      ObjectNode cronJob = ok.object();
      return writes.listOwnedOrOrphaned("Job", namespace, Meta.uid(cronJob))
          .thenCompose(jobs -> sync(cronJob, CronJobPlan.of(cronJob, jobs, Instant.now())));
    });
  }

  private CompletionStage<Duration> sync(ObjectNode cronJob, CronJobPlan plan) {
    String namespace = Meta.namespace(cronJob);
    ObjectReference self = Meta.reference(cronJob);
    List<CompletableFuture<?>> work = new ArrayList<>();
    for (ObjectNode job : plan.expired()) work.add(writes.delete("Job", namespace, Meta.name(job), Meta.uid(job)));
    for (ObjectNode job : plan.replace()) {
      work.add(writes.delete("Job", namespace, Meta.name(job), Meta.uid(job)).thenApply(r -> {
        if (r instanceof Result.Ok) events.record(self, "Normal", "SuccessfulDelete", "Deleted job " + Meta.name(job));
        return r;
      }));
    }
    plan.events().forEach(e -> events.record(self, e[0], e[1], e[2]));
    CompletableFuture<ObjectNode> status = Writes.allTaken(work).thenCompose(v -> {
      if (plan.scheduled() == null) return CompletableFuture.completedFuture(plan.status());
      ObjectNode job = CronJobPlan.newJob(cronJob, plan.scheduled());
      return writes.create("Job", namespace, Meta.name(job), job).thenCompose(r -> {
        if (r instanceof Result.Ok created) {
          events.record(self, "Normal", "SuccessfulCreate", "Created job " + Meta.name(job));
          return CompletableFuture.completedFuture(withActive(plan.status(), created.object()));
        }
        if (r instanceof Result.Failed f && f.status().code() == 409) {
          // Made before, by this controller or the one before it: this schedule time is done.
          return CompletableFuture.completedFuture(plan.status());
        }
        Result.Failed f = (Result.Failed) r;
        events.record(self, "Warning", "FailedCreate", "Error creating job: " + f.status().message());
        // Not made: keep the last schedule time, so the next pass tries this time again.
        ObjectNode unchanged = plan.status().deepCopy();
        if (cronJob.path("status").hasNonNull("lastScheduleTime")) {
          unchanged.put("lastScheduleTime", cronJob.path("status").path("lastScheduleTime").asText());
        } else {
          unchanged.remove("lastScheduleTime");
        }
        if (f.status().code() >= 500) throw new IllegalStateException("creating a job: " + f.status().message());
        return CompletableFuture.completedFuture(unchanged);
      });
    });
    return status.thenCompose(s -> writes.updateStatus("CronJob", cronJob, s)).thenApply(v -> plan.recheckAfter());
  }

  private static ObjectNode withActive(ObjectNode status, ObjectNode job) {
    ObjectNode s = status.deepCopy();
    ArrayNode active = s.has("active") ? (ArrayNode) s.get("active") : s.putArray("active");
    active.add(CronJobPlan.reference(job));
    return s;
  }
}
