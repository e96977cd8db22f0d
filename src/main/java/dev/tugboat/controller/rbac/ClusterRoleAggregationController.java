package dev.tugboat.controller.rbac;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Keeps every aggregated ClusterRole's rules the union of the ClusterRoles its selectors match
 * (Kubernetes' clusterrole-aggregation controller): {@code admin}, {@code edit} and {@code view}
 * grow with any ClusterRole labelled {@code rbac.authorization.k8s.io/aggregate-to-<role>}, such as
 * a CRD author's. Any ClusterRole's change may concern any aggregated one, so every change queues
 * the one key {@link #ALL}, which looks at them all; the resync's keys (one per ClusterRole) look at
 * their own role only.
 */
public final class ClusterRoleAggregationController implements ControllerLoop.Reconciler {
  private static final String KIND = "ClusterRole";
  /** The key that means "every aggregated ClusterRole" (no ClusterRole's name starts with a space). */
  static final String ALL = " all";
  private final Registry registry;

  public ClusterRoleAggregationController(Registry registry) {
    this.registry = registry;
  }

  @Override
  public String primaryKind() {
    return KIND;
  }

  @Override
  public List<String> watchedKinds() {
    return List.of(KIND);
  }

  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    return List.of(ALL);
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    return registry.list(KIND, null, o -> true, 0, null).thenCompose(list -> {
      if (list.failure() != null) return CompletableFuture.failedFuture(new IllegalStateException(list.failure().message()));
      String name = key.startsWith("/") ? key.substring(1) : key;
      CompletableFuture<?>[] writes = list.items().stream()
          .filter(o -> o.path("aggregationRule").isObject())
          .filter(o -> key.equals(ALL) || o.path("metadata").path("name").asText().equals(name))
          .map(o -> write(o, ClusterRoleAggregation.rules(o, list.items())).toCompletableFuture())
          .toArray(CompletableFuture[]::new);
      return CompletableFuture.allOf(writes).thenApply(v -> null);
    });
  }

  /** Writes the rules when they differ, conditional on the version read (a 409 is tried again by the loop). */
  private CompletionStage<Void> write(ObjectNode role, ArrayNode rules) {
    if (rules == null || rules.equals(role.path("rules"))) return CompletableFuture.completedFuture(null);
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("metadata").put("resourceVersion", role.path("metadata").path("resourceVersion").asText());
    patch.set("rules", rules);
    return registry.patch(KIND, null, role.path("metadata").path("name").asText(), "application/merge-patch+json", patch, false)
        .thenCompose(r -> r instanceof Result.Failed f && f.status().code() != 404
            ? CompletableFuture.failedFuture(new IllegalStateException(f.status().message()))
            : CompletableFuture.completedFuture(null));
  }
}
