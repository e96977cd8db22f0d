package dev.tugboat.controller.crd;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.Meta;
import dev.tugboat.kinds.crd.CustomResourceDefinitionStrategy;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Deleting a CustomResourceDefinition deletes its objects first, as Kubernetes' CRD finalizer does:
 * while the CRD is terminating, every object of its kind is deleted (they may have finalizers of
 * their own, so it looks again until none is left), then the finalizer goes and the CRD with it.
 */
public final class CustomResourceCleanupController implements ControllerLoop.Reconciler {
  private static final String CRD = CustomResourceDefinitionStrategy.TYPE.kind();
  /** How soon to look again while objects are still going. */
  private static final Duration RECHECK = Duration.ofSeconds(1);
  private final Registry registry;

  public CustomResourceCleanupController(Registry registry) {
    this.registry = registry;
  }

  @Override
  public String primaryKind() {
    return CRD;
  }

  @Override
  public List<String> watchedKinds() {
    return List.of(CRD);
  }

  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    return List.of(ControllerLoop.key(change.object()));
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    return registry.get(CRD, null, key).thenCompose(result -> {
      if (!(result instanceof Result.Ok ok) || !ok.object().path("metadata").has("deletionTimestamp")
          || !finalizers(ok.object()).contains(CustomResourceDefinitionStrategy.CLEANUP_FINALIZER)) {
        return CompletableFuture.completedFuture(null);
      }
      ObjectNode crd = ok.object();
      String kind = crd.path("spec").path("names").path("kind").asText();
      if (!registry.serves(kind)) return removeFinalizer(crd);
      return registry.list(kind, null, o -> true, 0, null).thenCompose(list -> {
        if (list.failure() != null) return CompletableFuture.failedFuture(new IllegalStateException(list.failure().message()));
        if (list.items().isEmpty()) return removeFinalizer(crd);
        CompletableFuture<?>[] deletes = list.items().stream()
            .filter(o -> !o.path("metadata").has("deletionTimestamp"))
            .map(o -> registry.delete(kind, emptyToNull(Meta.namespace(o)), Meta.name(o), Meta.uid(o), null, null,
                List.of()).toCompletableFuture())
            .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(deletes).thenApply(v -> RECHECK);
      });
    });
  }

  private CompletionStage<Duration> removeFinalizer(ObjectNode crd) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode meta = patch.putObject("metadata");
    meta.put("resourceVersion", crd.path("metadata").path("resourceVersion").asText());
    ArrayNode kept = meta.putArray("finalizers");
    finalizers(crd).stream().filter(f -> !f.equals(CustomResourceDefinitionStrategy.CLEANUP_FINALIZER)).forEach(kept::add);
    return registry.patch(CRD, null, Meta.name(crd), "application/merge-patch+json", patch, false)
        .thenApply(r -> r instanceof Result.Ok ? null : RECHECK);
  }

  private static List<String> finalizers(ObjectNode o) {
    List<String> list = new java.util.ArrayList<>();
    o.path("metadata").path("finalizers").forEach(f -> list.add(f.asText()));
    return list;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
