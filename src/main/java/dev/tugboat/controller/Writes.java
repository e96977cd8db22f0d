package dev.tugboat.controller;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.replicaset.ReplicaSetPlan;
import dev.tugboat.registry.Indexed;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import dev.tugboat.registry.WatchCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A controller's reads and writes. Reads come from this member's index; every write completes only
 * once that index shows it (or a short timeout passed), so the controller's next pass never acts
 * on a view older than its own last write.
 */
public final class Writes {
  private static final Duration INDEXED = Duration.ofSeconds(2);
  private static final String MERGE = "application/merge-patch+json";
  private final Registry registry;

  public Writes(Registry registry) {
    this.registry = registry;
  }

  /** Every object of {@code kind} in {@code namespace} (null: all); fails when the index cannot answer. */
  public CompletionStage<List<ObjectNode>> list(String kind, String namespace) {
    return items(registry.list(kind, namespace, o -> true, 0, null));
  }

  /**
   * The objects of {@code kind} in {@code namespace} that the controller with {@code uid} owns, and
   * those no controller owns (it may adopt them): what a ReplicaSet or Deployment sync looks at,
   * read from the index's slices rather than by scanning the namespace.
   */
  public CompletionStage<List<ObjectNode>> listOwnedOrOrphaned(String kind, String namespace, String uid) {
    CompletionStage<List<ObjectNode>> owned = items(registry.list(kind, namespace, Indexed.controlledBy(uid)));
    CompletionStage<List<ObjectNode>> orphans = items(registry.list(kind, namespace, Indexed.orphans()));
    return owned.thenCombine(orphans, (a, b) -> {
      List<ObjectNode> both = new ArrayList<>(a);
      both.addAll(b);
      return both;
    });
  }

  private static CompletionStage<List<ObjectNode>> items(CompletionStage<WatchCache.ListResult> list) {
    return list.thenCompose(l -> l.failure() != null
        ? CompletableFuture.failedFuture(new IllegalStateException(l.failure().message()))
        : CompletableFuture.completedFuture(l.items()));
  }

  public CompletableFuture<Result> create(String kind, String namespace, String name, ObjectNode object) {
    return indexed(kind, namespace, name, registry.create(kind, namespace, object));
  }

  /**
   * Creates an object the store names from its {@code metadata.generateName}; completes once the
   * index shows it, whatever name it got.
   */
  public CompletableFuture<Result> createGenerated(String kind, String namespace, ObjectNode object) {
    return registry.create(kind, namespace, object).thenCompose(result -> result instanceof Result.Ok ok
        ? indexed(kind, namespace, Meta.name(ok.object()), CompletableFuture.completedFuture(result))
        : CompletableFuture.completedFuture(result)).toCompletableFuture();
  }

  /** A merge patch of the object (not its status). */
  public CompletableFuture<Result> patch(String kind, String namespace, String name, ObjectNode patch) {
    return indexed(kind, namespace, name, registry.patch(kind, namespace, name, MERGE, patch, false));
  }

  /** A merge patch of the object's status. */
  /**
   * Makes {@code owner} the controller of {@code dependent} (an orphan its selector matches), keeping
   * the dependent's other owners; the uid in the patch makes it a precondition, so a dependent
   * deleted and made again meanwhile is not adopted by mistake.
   */
  public CompletableFuture<Result> adopt(String kind, ObjectNode dependent, ObjectNode owner) {
    return patch(kind, Meta.namespace(dependent), Meta.name(dependent), adoption(dependent, owner));
  }

  /** The merge patch of {@link #adopt}. */
  private static ObjectNode adoption(ObjectNode dependent, ObjectNode owner) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode meta = patch.putObject("metadata").put("uid", Meta.uid(dependent));
    ArrayNode owners = meta.putArray("ownerReferences");
    dependent.path("metadata").path("ownerReferences").forEach(owners::add);
    owners.add(ReplicaSetPlan.ownerReference(owner));
    return patch;
  }

  public CompletableFuture<Result> patchStatus(String kind, String namespace, String name, ObjectNode patch) {
    return indexed(kind, namespace, name, registry.patch(kind, namespace, name, MERGE, patch, true));
  }

  /** A JSON patch (RFC 6902): for what a merge patch cannot say, such as replacing a whole subtree. */
  public CompletableFuture<Result> jsonPatch(String kind, String namespace, String name, ArrayNode operations) {
    return indexed(kind, namespace, name,
        registry.patch(kind, namespace, name, "application/json-patch+json", operations, false));
  }

  /** Deletes the object if it still has {@code uid}, with its default grace period and propagation. */
  public CompletableFuture<Result> delete(String kind, String namespace, String name, String uid) {
    return indexed(kind, namespace, name, registry.delete(kind, namespace, name, uid, null, null, List.of()));
  }

  /** Deletes at once (grace period 0), as Kubernetes force-deletes. */
  public CompletableFuture<Result> forceDelete(String kind, String namespace, String name, String uid) {
    return indexed(kind, namespace, name, registry.delete(kind, namespace, name, uid, null, 0L, List.of()));
  }

  /**
   * Completes when every write has; fails if the store could not take one of them now (a timeout,
   * unavailable: 5xx), so that the controller loop tries the pass again after its backoff. A refusal
   * (4xx) does not fail it: trying again would not change it.
   */
  public static CompletableFuture<Void> allTaken(List<? extends CompletableFuture<?>> writes) {
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(v -> {
      for (CompletableFuture<?> w : writes) {
        if (w.join() instanceof Result.Failed f && f.status().code() >= 500) {
          throw new java.util.concurrent.CompletionException(
              new IllegalStateException("a write was not taken: " + f.status().message()));
        }
      }
      return null;
    });
  }

  /** Writes {@code status} unless the object shows it already. */
  public CompletableFuture<Void> updateStatus(String kind, ObjectNode object, ObjectNode status) {
    // numbers by value: what comes back from the store may be an int where this wrote a long
    boolean same = status.equals((x, y) -> x.isNumber() && y.isNumber()
        ? x.decimalValue().compareTo(y.decimalValue()) : x.equals(y) ? 0 : 1, object.path("status"));
    if (same) return CompletableFuture.completedFuture(null);
    // A JSON patch replaces the status whole: a merge patch would keep what the new status leaves
    // out, also inside nested objects (a Job's uncountedTerminatedPods emptied to {}).
    ArrayNode patch = JsonNodeFactory.instance.arrayNode();
    patch.addObject().put("op", "test").put("path", "/metadata/uid").put("value", Meta.uid(object));
    patch.addObject().put("op", "add").put("path", "/status").set("value", status);
    String namespace = object.path("metadata").path("namespace").asText(null);
    return indexed(kind, namespace, Meta.name(object),
        registry.patch(kind, namespace, Meta.name(object), "application/json-patch+json", patch, true))
        .thenApply(r -> (Void) null);
  }

  /**
   * Replaces the status of {@code object} at the version it was read: a 409 (Failed) when another
   * writer came between, for status that others write too (a PodDisruptionBudget's, which
   * evictions spend), where a blind write would undo theirs.
   */
  public CompletableFuture<Result> replaceStatusAtVersion(String kind, ObjectNode object, ObjectNode status) {
    ObjectNode written = object.deepCopy();
    written.set("status", status);
    String namespace = object.path("metadata").path("namespace").asText(null);
    return indexed(kind, namespace, Meta.name(object), registry.update(kind, namespace, Meta.name(object), written, true));
  }

  private CompletableFuture<Result> indexed(String kind, String namespace, String name, CompletionStage<Result> write) {
    return write.thenCompose(result -> {
      if (!(result instanceof Result.Ok ok)) return CompletableFuture.completedFuture(result);
      String key = namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
      return registry.awaitIndexed(kind, key,
          Long.parseLong(ok.object().path("metadata").path("resourceVersion").asText("0")), INDEXED)
          .handle((done, timeout) -> result);
    }).toCompletableFuture();
  }
}
