package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.ingressclass.IngressClass;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The IngressClass that always exists, created at startup as the default StorageClass is. */
public final class IngressClasses {
  private static final Logger log = LoggerFactory.getLogger(IngressClasses.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private IngressClasses() {}

  /**
   * The built-in class {@code tugboat}: served by the ingress controller in every worker's proxy
   * ({@code tugboat.dev/ingress}), and the default for Ingresses that name no class.
   */
  public static ObjectNode builtIn() {
    ObjectNode ic = JsonNodeFactory.instance.objectNode();
    ic.put("apiVersion", "networking.k8s.io/v1");
    ic.put("kind", "IngressClass");
    ic.putObject("metadata").put("name", IngressClass.BUILT_IN).putObject("annotations")
        .put(IngressClass.DEFAULT_ANNOTATION, "true");
    ic.putObject("spec").put("controller", IngressClass.CONTROLLER);
    return ic;
  }

  /** Creates {@link #builtIn()} if absent, retrying until the store answers. Completes when it exists. */
  public static CompletionStage<Void> ensureDefault(ActorSystem<?> system, Registry registry) {
    return ensure(system, registry, Duration.ofMillis(200));
  }

  private static CompletionStage<Void> ensure(ActorSystem<?> system, Registry registry, Duration backoff) {
    return registry.create("IngressClass", null, builtIn()).thenCompose(result -> {
      if (result instanceof Result.Ok || ((Result.Failed) result).status().code() == 409) {
        return CompletableFuture.completedFuture(null);
      }
      log.info("IngressClass {} not created yet ({}); retrying", IngressClass.BUILT_IN,
          ((Result.Failed) result).status().message());
      Duration next = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      return Patterns.after(backoff, system.classicSystem().scheduler(), system.executionContext(),
          () -> ensure(system, registry, next));
    });
  }
}
