package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.priorityclass.PriorityClass;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in PriorityClasses {@code system-cluster-critical} and {@code system-node-critical},
 * created at startup as the default namespaces are (as kube-apiserver's scheduling post-start hook
 * does). Stored objects rather than classes served from code: lists, watches, {@code kubectl get pc}
 * and pod admission see them like any other class, and the strategy keeps them from being deleted
 * or changed.
 */
public final class PriorityClasses {
  private static final Logger log = LoggerFactory.getLogger(PriorityClasses.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private PriorityClasses() {}

  /** The built-in class {@code name} with its fixed value. */
  public static ObjectNode builtIn(String name) {
    ObjectNode pc = JsonNodeFactory.instance.objectNode();
    pc.put("apiVersion", "scheduling.k8s.io/v1");
    pc.put("kind", "PriorityClass");
    pc.putObject("metadata").put("name", name);
    pc.put("value", PriorityClass.BUILT_IN.get(name));
    pc.put("description", name.equals("system-node-critical")
        ? "Used for system critical pods that must not be moved from their current node."
        : "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.");
    return pc;
  }

  /** Creates the built-in classes if absent, retrying until the store answers. Completes when both exist. */
  public static CompletionStage<Void> ensureBuiltIn(ActorSystem<?> system, Registry registry) {
    List<CompletableFuture<Void>> all = PriorityClass.BUILT_IN.keySet().stream()
        .map(name -> ensure(system, registry, name, Duration.ofMillis(200)).toCompletableFuture()).toList();
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  private static CompletionStage<Void> ensure(ActorSystem<?> system, Registry registry, String name, Duration backoff) {
    return registry.create("PriorityClass", null, builtIn(name)).thenCompose(result -> {
      if (result instanceof Result.Ok || ((Result.Failed) result).status().code() == 409) {
        return CompletableFuture.completedFuture(null);
      }
      log.info("PriorityClass {} not created yet ({}); retrying", name, ((Result.Failed) result).status().message());
      Duration next = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      return Patterns.after(backoff, system.classicSystem().scheduler(), system.executionContext(),
          () -> ensure(system, registry, name, next));
    });
  }
}
