package dev.tugboat.controller.namespace;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.model.ResourceType;
import dev.tugboat.kinds.namespace.NamespaceStrategy;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.WatchCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Deletes what a terminating namespace holds, then lets the namespace go: level-triggered, on a
 * fixed resync, so a missed change or a crash in the middle is repaired on the next pass. Runs as a
 * cluster singleton.
 */
public final class NamespaceController {
  private enum Tick { INSTANCE }

  private NamespaceController() {}

  public static Behavior<Object> create(Registry registry, Duration resync) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startSingleTimer(Tick.INSTANCE, Duration.ZERO);
      return Behaviors.receiveMessage(message -> {
        if (message == Tick.INSTANCE) {
          context.pipeToSelf(reconcileAll(registry), (ok, error) -> {
            if (error != null) context.getLog().warn("Namespace reconcile failed: {}", error.toString());
            return "done";
          });
        } else {
          timers.startSingleTimer(Tick.INSTANCE, resync);
        }
        return Behaviors.same();
      });
    }));
  }

  static CompletionStage<Void> reconcileAll(Registry registry) {
    return registry.list("Namespace", null, o -> o.path("metadata").has("deletionTimestamp"), 0, null)
        .thenCompose(list -> {
          if (list.failure() != null) return CompletableFuture.completedFuture(null);
          CompletableFuture<?>[] each = list.items().stream()
              .map(ns -> reconcile(registry, ns).toCompletableFuture()).toArray(CompletableFuture[]::new);
          return CompletableFuture.allOf(each);
        });
  }

  /** One terminating namespace: delete its content; when nothing is left, drop the finalizer. */
  static CompletionStage<Void> reconcile(Registry registry, ObjectNode namespace) {
    String name = namespace.path("metadata").path("name").asText();
    if (!"Terminating".equals(namespace.path("status").path("phase").asText())) {
      ObjectNode phase = JsonNodeFactory.instance.objectNode();
      phase.putObject("status").put("phase", "Terminating");
      registry.patch("Namespace", null, name, "application/merge-patch+json", phase, true);
    }
    List<CompletableFuture<Integer>> remaining = new ArrayList<>();
    for (ResourceType type : registry.strategies().stream().map(KindStrategy::type).toList()) {
      if (!type.namespaced()) continue;
      remaining.add(registry.list(type.kind(), name, o -> true, 0, null).thenCompose(list -> deleteAll(registry, type, name, list))
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(remaining.toArray(CompletableFuture[]::new)).thenCompose(v -> {
      int left = remaining.stream().mapToInt(CompletableFuture::join).sum();
      if (left > 0) return CompletableFuture.<Void>completedFuture(null);
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      var finalizers = patch.putObject("metadata").putArray("finalizers");
      namespace.path("metadata").path("finalizers").forEach(f -> {
        if (!f.asText().equals(NamespaceStrategy.FINALIZER)) finalizers.add(f);
      });
      return registry.patch("Namespace", null, name, "application/merge-patch+json", patch, false)
          .thenApply(r -> (Void) null);
    });
  }

  private static CompletionStage<Integer> deleteAll(Registry registry, ResourceType type, String namespace,
      WatchCache.ListResult list) {
    if (list.failure() != null) return CompletableFuture.completedFuture(1);
    CompletableFuture<?>[] deletes = list.items().stream()
        .filter(o -> !o.path("metadata").has("deletionTimestamp"))
        .map(o -> registry.delete(type.kind(), namespace, o.path("metadata").path("name").asText(), null, null, null, List.of())
            .toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(deletes).thenApply(v -> list.items().size());
  }
}
