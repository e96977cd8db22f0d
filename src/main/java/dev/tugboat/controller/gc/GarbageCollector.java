package dev.tugboat.controller.gc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Pods;
import dev.tugboat.controller.Writes;
import dev.tugboat.model.DeleteOptions;
import dev.tugboat.model.ResourceType;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The garbage collector: dependents whose owners are all gone are deleted (Background), an owner
 * deleted with {@code Foreground} waits for its dependents to go first, one deleted with
 * {@code Orphan} lets them go free. Owners and dependents are linked by {@code ownerReferences}
 * and uids, as in Kubernetes.
 *
 * <p>Each pass builds the owner graph from this member's index; an owner missing there is checked
 * against its entity before anything is deleted, so a lagging index never costs a live object.
 */
public final class GarbageCollector {
  private static final String FOREGROUND = DeleteOptions.FOREGROUND_FINALIZER;
  private static final String ORPHAN = DeleteOptions.ORPHAN_FINALIZER;

  private enum Tick { INSTANCE }

  private record Node(String kind, ObjectNode object) {}

  private final Registry registry;
  private final Writes writes;

  private GarbageCollector(Registry registry) {
    this.registry = registry;
    this.writes = new Writes(registry);
  }

  public static Behavior<Object> create(Registry registry, Duration period) {
    GarbageCollector gc = new GarbageCollector(registry);
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startSingleTimer(Tick.INSTANCE, period);
      return Behaviors.receiveMessage(message -> {
        if (message == Tick.INSTANCE) {
          context.pipeToSelf(gc.pass(), (ok, error) -> {
            if (error != null) context.getLog().warn("Garbage collection pass failed: {}", error.toString());
            return "done";
          });
        } else {
          timers.startSingleTimer(Tick.INSTANCE, period);
        }
        return Behaviors.same();
      });
    }));
  }

  CompletionStage<Void> pass() {
    List<CompletableFuture<List<Node>>> lists = new ArrayList<>();
    for (ResourceType type : registry.strategies().stream().map(KindStrategy::type).toList()) {
      lists.add(writes.list(type.kind(), null)
          .thenApply(items -> items.stream().map(o -> new Node(type.kind(), o)).toList()).toCompletableFuture());
    }
    return CompletableFuture.allOf(lists.toArray(CompletableFuture[]::new)).thenCompose(v -> {
      Map<String, Node> byUid = new HashMap<>();
      Map<String, List<Node>> dependents = new HashMap<>();
      for (var list : lists) {
        for (Node n : list.join()) {
          byUid.put(Meta.uid(n.object()), n);
          for (JsonNode ref : n.object().path("metadata").path("ownerReferences")) {
            dependents.computeIfAbsent(ref.path("uid").asText(), k -> new ArrayList<>()).add(n);
          }
        }
      }
      List<CompletableFuture<?>> work = new ArrayList<>();
      for (Node n : byUid.values()) {
        List<String> finalizers = finalizers(n.object());
        boolean deleting = n.object().path("metadata").has("deletionTimestamp");
        List<Node> mine = dependents.getOrDefault(Meta.uid(n.object()), List.of());
        if (deleting && finalizers.contains(ORPHAN)) work.add(orphan(n, mine));
        else if (deleting && finalizers.contains(FOREGROUND)) work.add(foreground(n, mine));
        if (n.object().path("metadata").has("ownerReferences")) work.add(collect(n, byUid));
      }
      return CompletableFuture.allOf(work.toArray(CompletableFuture[]::new));
    });
  }

  /** Dependents go free of this owner; then the owner goes. */
  private CompletableFuture<?> orphan(Node owner, List<Node> dependents) {
    String uid = Meta.uid(owner.object());
    List<CompletableFuture<?>> freed = new ArrayList<>();
    for (Node d : dependents) freed.add(setOwners(d, refsWithout(d.object(), List.of(uid))));
    return CompletableFuture.allOf(freed.toArray(CompletableFuture[]::new)).thenCompose(v -> {
      // Only once every dependent is free: the owner gone first would get them collected.
      for (CompletableFuture<?> f : freed) {
        if (f.join() instanceof Result.Failed failed && failed.status().code() != 404) {
          org.slf4j.LoggerFactory.getLogger(GarbageCollector.class).warn("Orphaning the dependents of {} {}: {}",
              owner.kind(), Meta.name(owner.object()), failed.status().message());
          return CompletableFuture.completedFuture(null);
        }
      }
      return removeFinalizer(owner, ORPHAN);
    });
  }

  /** Dependents are deleted (in the foreground too, so the whole tree goes bottom-up); then the owner goes. */
  private CompletableFuture<?> foreground(Node owner, List<Node> dependents) {
    if (dependents.isEmpty()) return removeFinalizer(owner, FOREGROUND);
    List<CompletableFuture<?>> deletes = new ArrayList<>();
    for (Node d : dependents) {
      if (d.object().path("metadata").has("deletionTimestamp")) continue;
      deletes.add(registry.delete(d.kind(), namespace(d.object()), Meta.name(d.object()), Meta.uid(d.object()), null,
          null, List.of(FOREGROUND)).toCompletableFuture());
    }
    return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
  }

  /** A dependent whose owners are all gone is deleted; one that lost some of them forgets those. */
  private CompletableFuture<?> collect(Node dependent, Map<String, Node> byUid) {
    List<JsonNode> missing = new ArrayList<>();
    int refs = 0;
    for (JsonNode ref : dependent.object().path("metadata").path("ownerReferences")) {
      refs++;
      if (!byUid.containsKey(ref.path("uid").asText())) missing.add(ref);
    }
    if (missing.isEmpty() || dependent.object().path("metadata").has("deletionTimestamp")) {
      return CompletableFuture.completedFuture(null);
    }
    int total = refs;
    // the index may lag behind a just-created owner: ask the owners' entities before acting
    List<CompletableFuture<Boolean>> gone = missing.stream().map(ref -> absent(dependent.object(), ref)).toList();
    return CompletableFuture.allOf(gone.toArray(CompletableFuture[]::new)).thenCompose(v -> {
      List<String> absent = new ArrayList<>();
      for (int i = 0; i < missing.size(); i++) {
        if (gone.get(i).join()) absent.add(missing.get(i).path("uid").asText());
      }
      if (absent.isEmpty()) return CompletableFuture.<Void>completedFuture(null);
      if (absent.size() == total) {
        return writes.delete(dependent.kind(), namespace(dependent.object()), Meta.name(dependent.object()),
            Meta.uid(dependent.object())).thenApply(r -> (Void) null);
      }
      return setOwners(dependent, refsWithout(dependent.object(), absent)).thenApply(r -> (Void) null);
    });
  }

  private CompletableFuture<Boolean> absent(ObjectNode dependent, JsonNode ref) {
    String kind = ref.path("kind").asText();
    ResourceType type = ResourceType.all().stream().filter(t -> t.kind().equals(kind)).findFirst().orElse(null);
    if (type == null) return CompletableFuture.completedFuture(true);
    String namespace = type.namespaced() ? namespace(dependent) : null;
    return registry.get(kind, namespace, ref.path("name").asText()).toCompletableFuture()
        .thenApply(r -> r instanceof Result.Failed f ? f.status().code() == 404
            : !Meta.uid(((Result.Ok) r).object()).equals(ref.path("uid").asText()));
  }

  private static ArrayNode refsWithout(ObjectNode object, List<String> uids) {
    ArrayNode kept = JsonNodeFactory.instance.arrayNode();
    for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
      if (!uids.contains(ref.path("uid").asText())) kept.add(ref);
    }
    return kept;
  }

  private CompletableFuture<?> setOwners(Node n, ArrayNode owners) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode meta = patch.putObject("metadata").put("uid", Meta.uid(n.object()));
    if (owners.isEmpty()) meta.putNull("ownerReferences");
    else meta.set("ownerReferences", owners);
    return writes.patch(n.kind(), namespace(n.object()), Meta.name(n.object()), patch);
  }

  private CompletableFuture<?> removeFinalizer(Node n, String finalizer) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode meta = patch.putObject("metadata").put("uid", Meta.uid(n.object()));
    ArrayNode kept = meta.putArray("finalizers");
    finalizers(n.object()).stream().filter(f -> !f.equals(finalizer)).forEach(kept::add);
    return writes.patch(n.kind(), namespace(n.object()), Meta.name(n.object()), patch);
  }

  private static List<String> finalizers(ObjectNode object) {
    List<String> list = new ArrayList<>();
    object.path("metadata").path("finalizers").forEach(f -> list.add(f.asText()));
    return list;
  }

  private static String namespace(ObjectNode object) {
    String ns = object.path("metadata").path("namespace").asText("");
    return ns.isEmpty() ? null : ns;
  }
}
