package dev.tugboat.controller.ingress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.Writes;
import dev.tugboat.kinds.ingress.IngressClassOf;
import dev.tugboat.kinds.ingressclass.IngressClass;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes {@code status.loadBalancer.ingress} of the Ingresses Tugboat's ingress controller serves
 * ({@link IngressStatus}): the addresses of the Ready nodes, whose proxies all serve them. A cluster
 * singleton, so one writer, not one per worker; it looks again when an Ingress, an IngressClass or a
 * Node changes. The ports are this member's {@code tugboat.proxy.ingress} ones: every member is
 * expected to be configured alike.
 */
public final class IngressStatusController implements ControllerLoop.Reconciler {
  private final Registry registry;
  private final Writes writes;
  private final int httpPort;
  private final int httpsPort;
  /** The Ingresses seen, so that a Node's or a class's change looks at each again. */
  private final Set<String> ingresses = ConcurrentHashMap.newKeySet();

  public IngressStatusController(Registry registry, int httpPort, int httpsPort) {
    this.registry = registry;
    this.writes = new Writes(registry);
    this.httpPort = httpPort;
    this.httpsPort = httpsPort;
  }

  @Override
  public String primaryKind() {
    return "Ingress";
  }

  @Override
  public List<String> watchedKinds() {
    return List.of("Ingress", "IngressClass", "Node");
  }

  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    if (change.kind().equals("Ingress")) {
      String key = ControllerLoop.key(change.object());
      if (change instanceof Informer.Deleted) ingresses.remove(key);
      else ingresses.add(key);
      return List.of(key);
    }
    return List.copyOf(ingresses);
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    return registry.get("Ingress", namespace, name).thenCompose(result -> {
      if (!(result instanceof Result.Ok ok) || ok.object().path("metadata").has("deletionTimestamp")) {
        return CompletableFuture.completedFuture(null);
      }
      ObjectNode ingress = ok.object();
      return writes.list("IngressClass", null).thenCompose(classes -> {
        if (!IngressClassOf.servedBy(IngressClass.CONTROLLER, ingress, classes)) return CompletableFuture.completedFuture(null);
        return writes.list("Node", null).thenCompose(nodes ->
            writes.updateStatus("Ingress", ingress, IngressStatus.of(ingress, nodes, httpPort, httpsPort)));
      }).thenApply(v -> (Duration) null);
    });
  }
}
