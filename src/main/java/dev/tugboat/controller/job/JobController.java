package dev.tugboat.controller.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Selectors;
import dev.tugboat.controller.Writes;
import dev.tugboat.controller.replicaset.ReplicaSetController;
import dev.tugboat.controller.replicaset.ReplicaSetPlan;
import dev.tugboat.kinds.job.Job;
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
 * The Job controller: runs each Job's pods to {@code completions} successes, at most
 * {@code parallelism} at once, with a back-off after failures; counts every finished pod exactly
 * once (see {@link JobPlan}); fails the Job at its backoff limit, its deadline or a FailJob rule;
 * suspends and resumes it; deletes it {@code ttlSecondsAfterFinished} after it finished.
 */
public final class JobController implements ControllerLoop.Reconciler {
  /** Creates per pass at most: a Job of thousands fills in a few passes, not one burst. */
  private static final int BURST = 500;

  private final Registry registry;
  private final Writes writes;
  private final EventRecorder events;
  private final JobPlan.Backoff backoff;
  private final Selectors selectors = new Selectors("Job");

  public JobController(Registry registry, String host, JobPlan.Backoff backoff) {
    this.registry = registry;
    this.writes = new Writes(registry);
    this.events = new EventRecorder(registry, "job-controller", host);
    this.backoff = backoff;
  }

  @Override
  public String primaryKind() {
    return "Job";
  }

  @Override
  public List<String> watchedKinds() {
    return List.of("Job", "Pod");
  }

  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    List<String> keys = selectors.keysFor(change);
    // A pod whose Job is gone still holds the tracking finalizer: its Job's key releases it.
    if (keys.isEmpty() && change.kind().equals("Pod") && JobPlan.hasFinalizer(change.object())) {
      String job = Meta.labels(change.object()).get(Job.JOB_NAME);
      if (job != null) return List.of(Meta.namespace(change.object()) + "/" + job);
    }
    return keys;
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    return registry.get("Job", namespace, name).thenCompose(result -> {
      ObjectNode job = result instanceof Result.Ok ok ? ok.object() : null;
      String managedBy = job == null ? "" : job.path("spec").path("managedBy").asText("");
      if (!managedBy.isEmpty() && !managedBy.equals("kubernetes.io/job-controller")) {
        return CompletableFuture.completedFuture(null); // another controller runs it
      }
      if (job == null || job.path("metadata").has("deletionTimestamp")) {
        return releaseLeftovers(namespace, name, job).thenApply(v -> null);
      }
      return writes.listOwnedOrOrphaned("Pod", namespace, Meta.uid(job))
          .thenCompose(pods -> sync(job, pods, JobPlan.of(job, pods, Instant.now(), backoff)));
    });
  }

  private CompletionStage<Duration> sync(ObjectNode job, List<ObjectNode> pods, JobPlan plan) {
    String namespace = Meta.namespace(job);
    ObjectReference self = Meta.reference(job);
    List<CompletableFuture<?>> work = new ArrayList<>();
    for (JobPlan.NewPod wanted : plan.create().subList(0, Math.min(plan.create().size(), BURST))) {
      ObjectNode pod = newPod(job, wanted, ReplicaSetController.suffix());
      work.add(writes.create("Pod", namespace, Meta.name(pod), pod).thenApply(r -> {
        if (r instanceof Result.Ok) {
          events.record(self, "Normal", "SuccessfulCreate", "Created pod: " + Meta.name(pod));
        } else if (r instanceof Result.Failed f) {
          events.record(self, "Warning", "FailedCreate", "Error creating: " + f.status().message());
        }
        return r;
      }));
    }
    for (ObjectNode pod : plan.delete()) {
      work.add(writes.delete("Pod", namespace, Meta.name(pod), Meta.uid(pod)).thenApply(r -> {
        if (r instanceof Result.Ok) events.record(self, "Normal", "SuccessfulDelete", "Deleted pod: " + Meta.name(pod));
        return r;
      }));
    }
    return Writes.allTaken(work)
        .thenCompose(v -> writes.updateStatus("Job", job, plan.tracked()))
        .thenCompose(v -> release(plan.release()))
        .thenCompose(v -> {
          ObjectNode tracked = job.deepCopy();
          tracked.set("status", plan.tracked());
          return writes.updateStatus("Job", tracked, plan.counted());
        })
        .thenCompose(v -> {
          plan.events().forEach(e -> events.record(self, e.type(), e.reason(), e.message()));
          if (!plan.expired()) return CompletableFuture.completedFuture(plan.recheckAfter());
          // Background: the garbage collector deletes its pods after it.
          return writes.delete("Job", namespace, Meta.name(job), Meta.uid(job)).thenApply(r -> (Duration) null);
        });
  }

  /** Removes the tracking finalizer from each pod (it has been counted, or never will be). */
  private CompletableFuture<Void> release(List<ObjectNode> pods) {
    List<CompletableFuture<?>> work = new ArrayList<>();
    for (ObjectNode pod : pods) {
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      ObjectNode meta = patch.putObject("metadata").put("uid", Meta.uid(pod));
      ArrayNode finalizers = meta.putArray("finalizers");
      for (JsonNode f : pod.path("metadata").path("finalizers")) {
        if (!Job.TRACKING_FINALIZER.equals(f.asText())) finalizers.add(f);
      }
      work.add(writes.patch("Pod", Meta.namespace(pod), Meta.name(pod), patch));
    }
    return Writes.allTaken(work);
  }

  /** The Job is gone or going: its pods' finalizers go, uncounted (a deleted Job counts nothing more). */
  private CompletableFuture<Void> releaseLeftovers(String namespace, String name, ObjectNode job) {
    String uid = job == null ? null : Meta.uid(job);
    return writes.list("Pod", namespace).toCompletableFuture().thenCompose(pods -> release(pods.stream()
        .filter(JobPlan::hasFinalizer)
        .filter(p -> name.equals(Meta.labels(p).get(Job.JOB_NAME)))
        // A Job of the same name made again keeps its own pods' finalizers.
        .filter(p -> job == null || uid.equals(Meta.labels(p).get(Job.CONTROLLER_UID)) || !uid.equals(Meta.controllerUid(p)))
        .toList()));
  }

  /**
   * A pod of the Job's template, owned by it and holding the tracking finalizer. An Indexed Job's
   * pod is named {@code <job>-<index>-<suffix>} and learns its index from an annotation, a label
   * and {@code JOB_COMPLETION_INDEX}.
   */
  static ObjectNode newPod(ObjectNode job, JobPlan.NewPod wanted, String suffix) {
    JsonNode template = job.path("spec").path("template");
    ObjectNode pod = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode meta = pod.putObject("metadata");
    String index = wanted.index() < 0 ? null : Integer.toString(wanted.index());
    meta.put("name", Meta.name(job) + "-" + (index == null ? "" : index + "-") + suffix);
    meta.put("namespace", Meta.namespace(job));
    ObjectNode labels = meta.putObject("labels");
    if (template.path("metadata").has("labels")) labels.setAll((ObjectNode) template.path("metadata").path("labels"));
    ObjectNode annotations = meta.putObject("annotations");
    if (template.path("metadata").has("annotations")) {
      annotations.setAll((ObjectNode) template.path("metadata").path("annotations"));
    }
    if (index != null) {
      labels.put(Job.COMPLETION_INDEX, index);
      annotations.put(Job.COMPLETION_INDEX, index);
      if (job.path("spec").hasNonNull("backoffLimitPerIndex")) {
        annotations.put(JobPlan.INDEX_FAILURE_COUNT, Integer.toString(wanted.indexFailures()));
      }
    }
    if (annotations.isEmpty()) meta.remove("annotations");
    meta.putArray("ownerReferences").add(ReplicaSetPlan.ownerReference(job));
    meta.putArray("finalizers").add(Job.TRACKING_FINALIZER);
    ObjectNode spec = template.path("spec").deepCopy();
    if (index != null) {
      for (String list : List.of("initContainers", "containers")) {
        for (JsonNode container : spec.path(list)) {
          ArrayNode env = container.has("env") ? (ArrayNode) container.get("env") : ((ObjectNode) container).putArray("env");
          env.addObject().put("name", "JOB_COMPLETION_INDEX").putObject("valueFrom").putObject("fieldRef")
              .put("fieldPath", "metadata.annotations['" + Job.COMPLETION_INDEX + "']");
        }
      }
    }
    pod.set("spec", spec);
    return pod;
  }
}
