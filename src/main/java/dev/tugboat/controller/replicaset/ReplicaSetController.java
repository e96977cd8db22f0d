package dev.tugboat.controller.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Pods;
import dev.tugboat.controller.Selectors;
import dev.tugboat.controller.Writes;
import dev.tugboat.model.ObjectReference;
import dev.tugboat.registry.EventRecorder;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The ReplicaSet controller: keeps exactly {@code spec.replicas} active pods matching each
 * ReplicaSet's selector, owned by it, and reports their counts in its status.
 *
 * <p>Each write it makes is awaited in this member's index before the pass ends, so the next pass
 * of the same ReplicaSet sees it: no pod is created twice for one missing replica (what Kubernetes
 * calls expectations).
 */
public final class ReplicaSetController implements ControllerLoop.Reconciler {
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  /** Creates per pass at most: a ReplicaSet of thousands fills in a few passes, not one burst. */
  private static final int BURST = 500;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Registry registry;
  private final Writes writes;
  private final EventRecorder events;
  private final Selectors selectors = new Selectors("ReplicaSet");
  /** ReplicaSets showing ReplicaFailure, by namespace: a change of a quota there wakes them. */
  private final Map<String, Set<String>> failing = new ConcurrentHashMap<>();

  public ReplicaSetController(Registry registry, String host) {
    this.registry = registry;
    this.writes = new Writes(registry);
    this.events = new EventRecorder(registry, "replicaset-controller", host);
  }

  @Override
  public String primaryKind() {
    return "ReplicaSet";
  }

  @Override
  public List<String> watchedKinds() {
    return List.of("ReplicaSet", "Pod", "ResourceQuota");
  }

  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    if (change.kind().equals("ResourceQuota")) {
      // A quota raised or counted lower may let the refused pods of its namespace be created now.
      Set<String> keys = failing.get(Meta.namespace(change.object()));
      return keys == null ? List.of() : List.copyOf(keys);
    }
    if (change.kind().equals("ReplicaSet")) {
      String key = ControllerLoop.key(change.object());
      Set<String> keys = failing.computeIfAbsent(Meta.namespace(change.object()), n -> ConcurrentHashMap.newKeySet());
      if (!(change instanceof Informer.Deleted) && ReplicaSetPlan.failing(change.object())) keys.add(key);
      else keys.remove(key);
    }
    // A pod without a controller wakes the ReplicaSets that may adopt it.
    return selectors.keysFor(change);
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    return registry.get("ReplicaSet", namespace, name).thenCompose(result -> {
      if (!(result instanceof Result.Ok ok) || ok.object().path("metadata").has("deletionTimestamp")) {
        return CompletableFuture.completedFuture(null);
      }
      ObjectNode replicaSet = ok.object();
      return writes.listOwnedOrOrphaned("Pod", namespace, Meta.uid(replicaSet)).thenCompose(pods -> sync(replicaSet, pods));
    });
  }

  /** Completes with when to look again though nothing changes: pods ready but not yet available. */
  private CompletionStage<Duration> sync(ObjectNode replicaSet, List<ObjectNode> pods) {
    ReplicaSetPlan plan = ReplicaSetPlan.of(replicaSet, pods, Instant.now());
    String namespace = replicaSet.path("metadata").path("namespace").asText();
    List<CompletableFuture<?>> work = new ArrayList<>();
    for (ObjectNode pod : plan.adopt()) work.add(writes.adopt("Pod", pod, replicaSet));
    for (ObjectNode pod : plan.release()) {
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      ObjectNode meta = patch.putObject("metadata");
      meta.put("uid", Meta.uid(pod));
      ArrayNode owners = meta.putArray("ownerReferences");
      for (JsonNode ref : pod.path("metadata").path("ownerReferences")) {
        if (!ref.path("uid").asText().equals(Meta.uid(replicaSet))) owners.add(ref);
      }
      work.add(writes.patch("Pod", namespace, Meta.name(pod), patch));
    }
    ObjectReference self = Meta.reference(replicaSet);
    // The first refusal of this pass (a quota, a LimitRange): the ReplicaFailure condition says it.
    AtomicReference<String> refused = new AtomicReference<>();
    for (int i = 0; i < Math.min(plan.create(), BURST); i++) {
      ObjectNode pod = ReplicaSetPlan.newPod(replicaSet, suffix());
      work.add(writes.create("Pod", namespace, Meta.name(pod), pod).thenApply(r -> {
        if (r instanceof Result.Ok) {
          events.record(self, "Normal", "SuccessfulCreate", "Created pod: " + Meta.name(pod));
        } else if (r instanceof Result.Failed f) {
          events.record(self, "Warning", "FailedCreate", "Error creating: " + f.status().message());
          if (f.status().code() < 500) refused.compareAndSet(null, f.status().message());
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
        .thenCompose(v -> writes.updateStatus("ReplicaSet", replicaSet,
            ReplicaSetPlan.withReplicaFailure(plan.status(), "FailedCreate", refused.get(), Instant.now())))
        .thenApply(v -> {
          // Ready but not yet for minReadySeconds: available later, with no change to say so.
          int minReadySeconds = replicaSet.path("spec").path("minReadySeconds").asInt(0);
          int ready = plan.status().path("readyReplicas").asInt();
          int available = plan.status().path("availableReplicas").asInt();
          return minReadySeconds > 0 && ready > available ? Duration.ofSeconds(minReadySeconds) : null;
        });
  }

  /** Five characters of Kubernetes' safe alphabet (no vowels, no look-alikes), as in its pod names. */
  public static String suffix() {
    StringBuilder s = new StringBuilder(5);
    for (int i = 0; i < 5; i++) s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    return s.toString();
  }
}
