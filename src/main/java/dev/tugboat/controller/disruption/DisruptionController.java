package dev.tugboat.controller.disruption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Writes;
import dev.tugboat.kinds.poddisruptionbudget.DisruptionBudgets;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes' disruption controller: keeps each PodDisruptionBudget's status (currentHealthy,
 * desiredHealthy, disruptionsAllowed, expectedPods, observedGeneration, the DisruptionAllowed
 * condition, and {@code disruptedPods} pruned of evictions that are done or lost) from the pods its
 * selector picks and the scale of their controllers ({@link DisruptionBudgets}). It writes at the
 * version it read, so that an eviction spending a disruption meanwhile is never undone: on a
 * conflict it simply looks again.
 */
public final class DisruptionController implements ControllerLoop.Reconciler {
  /** How soon to look again after a conflict with an eviction's write of the same budget. */
  private static final Duration AFTER_CONFLICT = Duration.ofMillis(100);
  private static final Set<String> SCALED = Set.of("ReplicaSet", "Deployment", "StatefulSet");

  private final Registry registry;
  private final Writes writes;
  /** How soon to look again while evictions are recorded: they expire without any change to see. */
  private final Duration whileDisrupted;
  /** The budgets seen, so that a pod's change is mapped to the budgets selecting it without I/O. */
  private final Map<String, ObjectNode> budgets = new ConcurrentHashMap<>();

  /** @param whileDisrupted {@code tugboat.controllers.disruption-recheck} */
  public DisruptionController(Registry registry, Duration whileDisrupted) {
    this.registry = registry;
    this.whileDisrupted = whileDisrupted;
    this.writes = new Writes(registry);
  }

  @Override
  public String primaryKind() {
    return "PodDisruptionBudget";
  }

  @Override
  public List<String> watchedKinds() {
    return List.of("PodDisruptionBudget", "Pod", "ReplicaSet", "Deployment", "StatefulSet");
  }

  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    if (change.kind().equals("PodDisruptionBudget")) {
      String key = ControllerLoop.key(change.object());
      if (change instanceof Informer.Deleted) budgets.remove(key);
      else budgets.put(key, change.object());
      return List.of(key);
    }
    List<String> keys = new ArrayList<>();
    String namespace = Meta.namespace(change.object());
    for (Map.Entry<String, ObjectNode> b : budgets.entrySet()) {
      if (change.kind().equals("Pod") ? DisruptionBudgets.selects(b.getValue(), change.object())
          : namespace.equals(Meta.namespace(b.getValue()))) {
        keys.add(b.getKey());
      }
    }
    return keys;
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    return registry.get("PodDisruptionBudget", namespace, name).thenCompose(result -> {
      if (!(result instanceof Result.Ok ok) || ok.object().path("metadata").has("deletionTimestamp")) {
        return CompletableFuture.completedFuture(null);
      }
      ObjectNode pdb = ok.object();
      return writes.list("Pod", namespace).thenCompose(all -> {
        List<ObjectNode> pods = all.stream().filter(p -> DisruptionBudgets.selects(pdb, p)).toList();
        return expectedScale(namespace, pods).thenCompose(scale -> {
          ObjectNode status = DisruptionBudgets.status(pdb, pods, scale, Instant.now());
          if (status.equals(pdb.path("status"))) return CompletableFuture.completedFuture(recheck(status));
          return writes.replaceStatusAtVersion("PodDisruptionBudget", pdb, status).thenApply(w ->
              w instanceof Result.Failed f && f.status().code() == 409 ? AFTER_CONFLICT : recheck(status));
        });
      });
    });
  }

  private Duration recheck(ObjectNode status) {
    return status.path("disruptedPods").isEmpty() ? null : whileDisrupted;
  }

  /**
   * Kubernetes' getExpectedScale: the sum of the scales of the controllers of {@code pods} (a
   * ReplicaSet counts as its Deployment when one controls it), each counted once; null when a pod
   * has no controller, or one without a scale Tugboat knows.
   */
  private CompletionStage<Integer> expectedScale(String namespace, List<ObjectNode> pods) {
    Set<String> kinds = new HashSet<>();
    for (ObjectNode p : pods) {
      JsonNode owner = controllerOf(p);
      if (owner == null || !SCALED.contains(owner.path("kind").asText())) return CompletableFuture.completedFuture(null);
      kinds.add(owner.path("kind").asText());
    }
    if (pods.isEmpty()) return CompletableFuture.completedFuture(0);
    CompletionStage<Map<String, ObjectNode>> byUid = CompletableFuture.completedFuture(new HashMap<>());
    for (String kind : List.of("ReplicaSet", "Deployment", "StatefulSet")) {
      if (!kinds.contains(kind) && !(kind.equals("Deployment") && kinds.contains("ReplicaSet"))) continue;
      byUid = byUid.thenCombine(writes.list(kind, namespace), (m, objects) -> {
        objects.forEach(o -> m.put(Meta.uid(o), o));
        return m;
      });
    }
    return byUid.thenApply(controllers -> {
      Set<String> counted = new HashSet<>();
      int sum = 0;
      for (ObjectNode p : pods) {
        ObjectNode owner = controllers.get(controllerOf(p).path("uid").asText());
        if (owner == null) return null;
        JsonNode above = controllerOf(owner);
        if (owner.path("kind").asText("").equals("ReplicaSet") && above != null
            && "Deployment".equals(above.path("kind").asText())) {
          ObjectNode deployment = controllers.get(above.path("uid").asText());
          if (deployment != null) owner = deployment;
        }
        if (counted.add(Meta.uid(owner))) sum += owner.path("spec").path("replicas").asInt(1);
      }
      return sum;
    });
  }

  private static JsonNode controllerOf(JsonNode object) {
    for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) return ref;
    }
    return null;
  }
}
