package dev.tugboat.controller.serviceaccount;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.kinds.serviceaccount.ServiceAccountStrategy;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Gives every active namespace a {@code default} ServiceAccount and makes it again when it is
 * deleted, as kube-controller-manager's serviceaccount controller: pods that name no account run
 * as it. A namespace being deleted is left alone (its accounts go with it).
 */
public final class ServiceAccountsController implements ControllerLoop.Reconciler {
  private static final String SA = ServiceAccountStrategy.TYPE.kind();
  private final Registry registry;

  public ServiceAccountsController(Registry registry) {
    this.registry = registry;
  }

  @Override
  public String primaryKind() {
    return "Namespace";
  }

  @Override
  public List<String> watchedKinds() {
    return List.of("Namespace", SA);
  }

  /** A namespace's change concerns it; of accounts only the deletion of a {@code default} one matters. */
  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    var meta = change.object().path("metadata");
    if (change.kind().equals(SA)) {
      return change instanceof Informer.Deleted && meta.path("name").asText().equals(ServiceAccountStrategy.DEFAULT)
          ? List.of("/" + meta.path("namespace").asText()) : List.of();
    }
    return List.of("/" + meta.path("name").asText());
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    String namespace = key.startsWith("/") ? key.substring(1) : key;
    return registry.get("Namespace", null, namespace).thenCompose(got -> {
      if (!(got instanceof Result.Ok ok)) return CompletableFuture.completedFuture(null);
      ObjectNode ns = ok.object();
      if (ns.path("metadata").has("deletionTimestamp") || "Terminating".equals(ns.path("status").path("phase").asText())) {
        return CompletableFuture.completedFuture(null);
      }
      return registry.list(SA, namespace, o -> ServiceAccountStrategy.DEFAULT.equals(o.path("metadata").path("name").asText()),
          0, null).thenCompose(list -> {
            if (list.failure() != null) {
              return CompletableFuture.failedFuture(new IllegalStateException(list.failure().message()));
            }
            if (!list.items().isEmpty()) return CompletableFuture.completedFuture(null);
            return registry.create(SA, namespace, defaultAccount(namespace)).thenCompose(r ->
                r instanceof Result.Failed f && f.status().code() != 409 && f.status().code() != 403
                    && f.status().code() != 404
                    ? CompletableFuture.failedFuture(new IllegalStateException(f.status().message()))
                    : CompletableFuture.completedFuture(null));
          });
    });
  }

  static ObjectNode defaultAccount(String namespace) {
    ObjectNode sa = JsonNodeFactory.instance.objectNode();
    sa.put("apiVersion", "v1").put("kind", SA);
    sa.putObject("metadata").put("name", ServiceAccountStrategy.DEFAULT).put("namespace", namespace);
    return sa;
  }
}
