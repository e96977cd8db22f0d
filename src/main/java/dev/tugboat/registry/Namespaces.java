package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The namespaces that always exist. */
public final class Namespaces {
  private static final Logger log = LoggerFactory.getLogger(Namespaces.class);

  public static final List<String> DEFAULTS = List.of("default", "kube-system");

  private Namespaces() {}

  /**
   * Creates {@code default} and {@code kube-system} if they do not exist, retrying until the store
   * answers (Cassandra may still be coming up). Completes when both exist.
   */
  public static CompletionStage<Void> ensureDefaults(ActorSystem<?> system, Registry registry) {
    CompletableFuture<?>[] all = DEFAULTS.stream()
        .map(name -> ensure(system, registry, name, Duration.ofMillis(200)).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(all);
  }

  private static CompletionStage<Void> ensure(ActorSystem<?> system, Registry registry, String name, Duration backoff) {
    ObjectNode ns = JsonNodeFactory.instance.objectNode();
    ns.put("apiVersion", "v1");
    ns.put("kind", "Namespace");
    ns.putObject("metadata").put("name", name);
    return registry.create("Namespace", null, ns).thenCompose(result -> {
      if (result instanceof Result.Ok || ((Result.Failed) result).status().code() == 409) {
        return CompletableFuture.completedFuture(null);
      }
      log.info("Namespace {} not created yet ({}); retrying", name, ((Result.Failed) result).status().message());
      Duration next = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
      return Patterns.after(backoff, system.classicSystem().scheduler(), system.executionContext(),
          () -> ensure(system, registry, name, next));
    });
  }
}
