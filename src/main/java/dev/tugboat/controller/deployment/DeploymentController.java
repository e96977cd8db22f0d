package dev.tugboat.controller.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Pods;
import dev.tugboat.controller.Selectors;
import dev.tugboat.controller.Writes;
import dev.tugboat.controller.replicaset.ReplicaSetPlan;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.ObjectReference;
import dev.tugboat.model.Selector;
import dev.tugboat.registry.EventRecorder;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Deployment controller: one ReplicaSet per pod template, rolled from old to new under the
 * Deployment's strategy, scaled proportionally when the Deployment is scaled mid-rollout, rolled
 * back on request (or by itself, past its progress deadline, when asked to), with the status
 * {@code kubectl rollout status} reads.
 *
 * <p>A pass takes one step and writes it; the ReplicaSets' changes bring the next pass. Every step
 * is decided by {@link Rollout} from what the index shows, so a pass that is lost (the singleton
 * moved) is simply taken again.
 */
public final class DeploymentController implements ControllerLoop.Reconciler {
  /** How soon a Recreate rollout looks again for its old pods to be gone (pods are not watched here). */
  private static final Duration OLD_PODS_RECHECK = Duration.ofSeconds(1);

  private final Registry registry;
  private final Writes writes;
  private final EventRecorder events;
  private final Selectors selectors = new Selectors("Deployment");

  public DeploymentController(Registry registry, String host) {
    this.registry = registry;
    this.writes = new Writes(registry);
    this.events = new EventRecorder(registry, "deployment-controller", host);
  }

  @Override
  public String primaryKind() {
    return "Deployment";
  }

  @Override
  public List<String> watchedKinds() {
    return List.of("Deployment", "ReplicaSet");
  }

  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    // A ReplicaSet without a controller wakes the Deployments that may adopt it.
    return selectors.keysFor(change);
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    return registry.get("Deployment", namespace, name).thenCompose(result -> {
      if (!(result instanceof Result.Ok ok) || ok.object().path("metadata").has("deletionTimestamp")) {
        return CompletableFuture.completedFuture(null);
      }
      return writes.listOwnedOrOrphaned("ReplicaSet", namespace, Meta.uid(ok.object()))
          .thenCompose(candidates -> sync(ok.object(), candidates));
    });
  }

  /**
   * {@code candidates}: the ReplicaSets this Deployment owns and those without a controller.
   * Completes with when to look again though nothing changes (a progress deadline, old pods of a
   * Recreate rollout still going), or null.
   */
  private CompletionStage<Duration> sync(ObjectNode deployment, List<ObjectNode> candidates) {
    String uid = Meta.uid(deployment);
    Selector selector = LabelSelector.matcher(
        dev.tugboat.model.Codec.convert(deployment.path("spec").path("selector"), LabelSelector.class));
    List<ObjectNode> owned = new ArrayList<>();
    List<CompletableFuture<?>> adoptions = new ArrayList<>();
    for (ObjectNode rs : candidates) {
      if (rs.path("metadata").has("deletionTimestamp")) continue;
      String owner = Meta.controllerUid(rs);
      if (uid.equals(owner)) {
        owned.add(rs);
      } else if (owner == null && selector.matches(Meta.labels(rs))) {
        adoptions.add(writes.adopt("ReplicaSet", rs, deployment));
      }
    }
    // the adopted ones come back through the watch
    if (!adoptions.isEmpty()) return noRecheck(allOf(adoptions));

    String rollbackTo = deployment.path("metadata").path("annotations").path(Rollout.ROLLBACK_TO).asText(null);
    if (rollbackTo != null) return noRecheck(rollback(deployment, owned, rollbackTo, false));

    ObjectNode newRs = Rollout.newReplicaSet(deployment, owned);
    List<ObjectNode> olds = owned.stream().filter(rs -> rs != newRs).toList();
    boolean paused = deployment.path("spec").path("paused").asBoolean(false);
    if (newRs == null && !paused) return noRecheck(createNewReplicaSet(deployment, owned));
    if (newRs != null && Rollout.revision(newRs) < Rollout.maxRevision(olds)) {
      // The template went back to an older ReplicaSet's: it becomes the newest revision again.
      return noRecheck(annotate(newRs, Rollout.REVISION, Long.toString(Rollout.maxRevision(olds) + 1)));
    }
    if (newRs != null && Rollout.revision(newRs) != Rollout.revision(deployment)) {
      return noRecheck(annotate(deployment, Rollout.REVISION, Long.toString(Rollout.revision(newRs))));
    }
    if (Rollout.isScalingEvent(deployment, owned)) {
      return resize(deployment, Rollout.proportionalSizes(deployment, owned)).thenCompose(v -> finish(deployment, newRs, owned));
    }
    if (paused) return finish(deployment, newRs, owned);

    boolean recreate = "Recreate".equals(deployment.path("spec").path("strategy").path("type").asText());
    CompletionStage<Duration> step = recreate ? recreate(deployment, newRs, olds)
        : noRecheck(rollingUpdate(deployment, newRs, olds, owned));
    return step.thenCompose(waiting -> cleanup(deployment, olds).thenCompose(v -> finish(deployment, newRs, owned))
        .thenApply(deadline -> earliest(waiting, deadline)));
  }

  private static CompletionStage<Duration> noRecheck(CompletionStage<Void> step) {
    return step.thenApply(v -> null);
  }

  private static Duration earliest(Duration a, Duration b) {
    return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
  }

  private CompletionStage<Void> rollingUpdate(ObjectNode deployment, ObjectNode newRs, List<ObjectNode> olds,
      List<ObjectNode> all) {
    int grown = Rollout.newReplicaSetSize(deployment, newRs, all);
    if (grown != Rollout.replicas(newRs)) return resize(deployment, Map.of(newRs, grown));
    return resize(deployment, Rollout.oldReplicaSetSizes(deployment, newRs, olds));
  }

  /**
   * Recreate: every old pod gone first (not only asked to go), then the new ReplicaSet at full size.
   * Completes with a recheck while old pods are still going: their going changes nothing watched here.
   */
  private CompletionStage<Duration> recreate(ObjectNode deployment, ObjectNode newRs, List<ObjectNode> olds) {
    List<ObjectNode> running = olds.stream().filter(rs -> Rollout.replicas(rs) > 0).toList();
    if (!running.isEmpty()) {
      Map<ObjectNode, Integer> zero = new java.util.LinkedHashMap<>();
      running.forEach(rs -> zero.put(rs, 0));
      return noRecheck(resize(deployment, zero));
    }
    List<String> oldUids = olds.stream().map(Meta::uid).toList();
    return writes.list("Pod", Meta.namespace(deployment)).thenCompose(pods -> {
      boolean oldPodsLeft = pods.stream().anyMatch(p -> oldUids.contains(Meta.controllerUid(p))
          && !List.of("Succeeded", "Failed").contains(p.path("status").path("phase").asText()));
      if (oldPodsLeft) return CompletableFuture.completedFuture(OLD_PODS_RECHECK);
      if (Rollout.replicas(newRs) == Rollout.replicas(deployment)) return CompletableFuture.completedFuture(null);
      return noRecheck(resize(deployment, Map.of(newRs, Rollout.replicas(deployment))));
    });
  }

  private CompletionStage<Void> createNewReplicaSet(ObjectNode deployment, List<ObjectNode> owned) {
    int collisions = deployment.path("status").path("collisionCount").asInt(0);
    String hash = Rollout.templateHash(deployment.path("spec").path("template"), collisions);
    String name = Meta.name(deployment) + "-" + hash;
    ObjectNode rs = JsonNodeFactory.instance.objectNode().put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
    ObjectNode meta = rs.putObject("metadata").put("name", name).put("namespace", Meta.namespace(deployment));
    ObjectNode template = deployment.path("spec").path("template").deepCopy();
    ObjectNode templateLabels = template.with("metadata").with("labels");
    templateLabels.put(Rollout.HASH_LABEL, hash);
    meta.set("labels", templateLabels.deepCopy());
    Rollout.Fenceposts f = Rollout.fenceposts(deployment);
    int replicas = Rollout.replicas(deployment);
    boolean recreate = "Recreate".equals(deployment.path("spec").path("strategy").path("type").asText());
    boolean oldActive = owned.stream().anyMatch(o -> Rollout.replicas(o) > 0);
    ObjectNode annotations = meta.putObject("annotations");
    annotations.put(Rollout.REVISION, Long.toString(Rollout.maxRevision(owned) + 1))
        .put(Rollout.DESIRED_REPLICAS, Integer.toString(replicas))
        .put(Rollout.MAX_REPLICAS, Integer.toString(replicas + f.maxSurge()));
    meta.putArray("ownerReferences").add(ReplicaSetPlan.ownerReference(deployment));
    ObjectNode spec = rs.putObject("spec");
    spec.put("replicas", 0);
    ObjectNode selector = deployment.path("spec").path("selector").deepCopy();
    selector.with("matchLabels").put(Rollout.HASH_LABEL, hash);
    spec.set("selector", selector);
    spec.put("minReadySeconds", deployment.path("spec").path("minReadySeconds").asInt(0));
    spec.set("template", template);
    int size = recreate ? (oldActive ? 0 : replicas) : Rollout.newReplicaSetSize(deployment, rs, owned);
    spec.put("replicas", size);
    return writes.create("ReplicaSet", Meta.namespace(deployment), name, rs).thenCompose(r -> {
      if (r instanceof Result.Failed failed) {
        if (failed.status().code() == 409) {
          // A ReplicaSet of that name with another template: a hash collision; the next name differs.
          ObjectNode patch = JsonNodeFactory.instance.objectNode();
          patch.putObject("status").put("collisionCount", collisions + 1);
          return registry.patch("Deployment", Meta.namespace(deployment), Meta.name(deployment), "application/merge-patch+json",
              patch, true).thenApply(x -> (Void) null);
        }
        events.record(Meta.reference(deployment), "Warning", "FailedCreate", failed.status().message());
        return CompletableFuture.completedFuture(null);
      }
      if (size > 0) scaled(deployment, name, 0, size);
      return CompletableFuture.completedFuture(null);
    });
  }

  /** Sets ReplicaSet sizes, with the replica counts they were sized for, and says so in Events. */
  private CompletionStage<Void> resize(ObjectNode deployment, Map<ObjectNode, Integer> sizes) {
    int replicas = Rollout.replicas(deployment);
    int max = replicas + ("Recreate".equals(deployment.path("spec").path("strategy").path("type").asText())
        ? 0 : Rollout.fenceposts(deployment).maxSurge());
    List<CompletableFuture<?>> writesInFlight = new ArrayList<>();
    // every active ReplicaSet learns the new desired count, so the scaling event is over
    sizes.forEach((rs, size) -> {
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      patch.putObject("spec").put("replicas", size);
      patch.putObject("metadata").put("uid", Meta.uid(rs)).putObject("annotations")
          .put(Rollout.DESIRED_REPLICAS, Integer.toString(replicas)).put(Rollout.MAX_REPLICAS, Integer.toString(max));
      writesInFlight.add(writes.patch("ReplicaSet", Meta.namespace(rs), Meta.name(rs), patch).thenApply(r -> {
        if (r instanceof Result.Ok) scaled(deployment, Meta.name(rs), Rollout.replicas(rs), size);
        return r;
      }));
    });
    return allOf(writesInFlight);
  }

  private void scaled(ObjectNode deployment, String replicaSet, int from, int to) {
    events.record(Meta.reference(deployment), "Normal", "ScalingReplicaSet",
        "Scaled " + (to > from ? "up" : "down") + " replica set " + replicaSet + " from " + from + " to " + to);
  }

  private CompletionStage<Void> cleanup(ObjectNode deployment, List<ObjectNode> olds) {
    List<CompletableFuture<?>> deletes = new ArrayList<>();
    for (ObjectNode rs : Rollout.historyToDelete(deployment, olds)) {
      deletes.add(writes.delete("ReplicaSet", Meta.namespace(rs), Meta.name(rs), Meta.uid(rs)));
    }
    return allOf(deletes);
  }

  /**
   * The status, and with it the automatic rollback a rollout past its deadline asked for; completes
   * with when the deadline of a rollout still progressing falls, or null.
   */
  private CompletionStage<Duration> finish(ObjectNode deployment, ObjectNode newRs, List<ObjectNode> owned) {
    Instant now = Instant.now();
    ObjectNode status = Rollout.status(deployment, newRs, owned, now);
    Duration deadline = Rollout.untilDeadline(deployment, status, now);
    return noRecheck(writeStatus(deployment, newRs, owned, status)).thenApply(v -> deadline);
  }

  private CompletionStage<Void> writeStatus(ObjectNode deployment, ObjectNode newRs, List<ObjectNode> owned,
      ObjectNode status) {
    JsonNode before = Rollout.find(deployment.path("status"), "Progressing");
    JsonNode after = Rollout.find(status, "Progressing");
    String reasonBefore = before == null ? "" : before.path("reason").asText();
    String reasonAfter = after == null ? "" : after.path("reason").asText();
    CompletionStage<Void> written = writes.updateStatus("Deployment", deployment, status);
    if (reasonAfter.equals(reasonBefore) || newRs == null) return written;
    if (reasonAfter.equals("NewReplicaSetAvailable")) {
      String revision = Long.toString(Rollout.revision(newRs));
      return written.thenCompose(v -> annotate(deployment, Rollout.LAST_GOOD, revision));
    }
    if (reasonAfter.equals("ProgressDeadlineExceeded")) {
      events.record(Meta.reference(deployment), "Warning", "ProgressDeadlineExceeded", after.path("message").asText());
      String lastGood = deployment.path("metadata").path("annotations").path(Rollout.LAST_GOOD).asText(null);
      boolean auto = deployment.path("metadata").path("annotations").path(Rollout.AUTO_ROLLBACK).asText("").equals("true");
      if (auto && lastGood != null && !lastGood.equals(Long.toString(Rollout.revision(newRs)))) {
        return written.thenCompose(v -> rollback(deployment, owned, lastGood, true));
      }
    }
    return written;
  }

  /** Puts an old revision's template back (the annotation that asked for it goes in the same write). */
  private CompletionStage<Void> rollback(ObjectNode deployment, List<ObjectNode> owned, String revisionText,
      boolean automatic) {
    long revision;
    try {
      revision = Long.parseLong(revisionText.trim());
    } catch (NumberFormatException e) {
      revision = -1;
    }
    ObjectNode target = revision < 0 ? null : Rollout.rollbackTarget(owned, Rollout.newReplicaSet(deployment, owned), revision);
    // A JSON patch: the template is replaced whole (a merge patch would keep fields only the newer one has).
    ObjectNode annotations = deployment.path("metadata").path("annotations").deepCopy();
    annotations.remove(Rollout.ROLLBACK_TO);
    ArrayNode patch = JsonNodeFactory.instance.arrayNode();
    patch.addObject().put("op", "test").put("path", "/metadata/uid").put("value", Meta.uid(deployment));
    patch.addObject().put("op", "replace").put("path", "/metadata/annotations").set("value", annotations);
    if (target == null) {
      events.record(Meta.reference(deployment), "Warning", "DeploymentRollbackRevisionNotFound",
          "Unable to find the revision " + revisionText + " to roll back to");
    } else {
      patch.addObject().put("op", "replace").put("path", "/spec/template").set("value", Rollout.templateWithoutHash(target));
      long to = Rollout.revision(target);
      events.record(Meta.reference(deployment), automatic ? "Warning" : "Normal",
          automatic ? "AutoRollback" : "DeploymentRollback",
          automatic ? "Rolled back deployment \"" + Meta.name(deployment) + "\" to revision " + to
              + ", its last good revision: the rollout exceeded its progress deadline"
              : "Rolled back deployment \"" + Meta.name(deployment) + "\" to revision " + to);
    }
    return writes.jsonPatch("Deployment", Meta.namespace(deployment), Meta.name(deployment), patch).thenApply(r -> null);
  }

  private CompletionStage<Void> annotate(ObjectNode object, String annotation, String value) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("metadata").put("uid", Meta.uid(object)).putObject("annotations").put(annotation, value);
    return writes.patch(object.path("kind").asText(), Meta.namespace(object), Meta.name(object), patch).thenApply(r -> null);
  }

  private static CompletionStage<Void> allOf(List<CompletableFuture<?>> futures) {
    return Writes.allTaken(futures);
  }
}
