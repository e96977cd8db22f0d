package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.storageclass.StorageClass;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The StorageClass that always exists, created at startup as the default namespaces are. */
public final class StorageClasses {
  private static final Logger log = LoggerFactory.getLogger(StorageClasses.class);

  private StorageClasses() {}

  /**
   * The built-in class {@code local}: volumes the {@code tugboat.dev/local} provisioner makes on the
   * node of a claim's first pod (so WaitForFirstConsumer), deleted with their claim, and the default
   * for claims that name no class.
   */
  public static ObjectNode builtIn() {
    ObjectNode sc = JsonNodeFactory.instance.objectNode();
    sc.put("apiVersion", "storage.k8s.io/v1");
    sc.put("kind", "StorageClass");
    sc.putObject("metadata").put("name", StorageClass.BUILT_IN).putObject("annotations")
        .put(StorageClass.DEFAULT_ANNOTATION, "true");
    sc.put("provisioner", StorageClass.LOCAL_PROVISIONER);
    sc.put("reclaimPolicy", "Delete");
    sc.put("volumeBindingMode", "WaitForFirstConsumer");
    sc.put("allowVolumeExpansion", false);
    return sc;
  }

  /** Creates {@link #builtIn()} if absent, retrying until the store answers. Completes when it exists. */
  public static CompletionStage<Void> ensureDefault(ActorSystem<?> system, Registry registry) {
    return ensure(system, registry, Duration.ofMillis(200));
  }

  private static CompletionStage<Void> ensure(ActorSystem<?> system, Registry registry, Duration backoff) {
    return registry.create("StorageClass", null, builtIn()).thenCompose(result -> {
      if (result instanceof Result.Ok || ((Result.Failed) result).status().code() == 409) {
        return CompletableFuture.completedFuture(null);
      }
      log.info("StorageClass {} not created yet ({}); retrying", StorageClass.BUILT_IN,
          ((Result.Failed) result).status().message());
      Duration next = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
      return Patterns.after(backoff, system.classicSystem().scheduler(), system.executionContext(),
          () -> ensure(system, registry, next));
    });
  }
}
