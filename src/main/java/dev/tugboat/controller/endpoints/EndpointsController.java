package dev.tugboat.controller.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Pods;
import dev.tugboat.controller.Writes;
import dev.tugboat.kinds.endpointslice.EndpointSlice;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Endpoints controller: for each Service with a selector, an Endpoints object of the same name
 * listing its pods' addresses ({@link EndpointsBuilder}), and beside it the same endpoints as
 * EndpointSlices ({@link EndpointSliceBuilder}), kept current as pods come, go, move or change
 * readiness. A Service without a selector keeps the Endpoints its user writes, and has no slices of
 * this controller's.
 */
public final class EndpointsController implements ControllerLoop.Reconciler {
  private final Registry registry;
  private final Writes writes;
  private final EndpointSliceWriter slices;
  /** The Services seen on the watch, to find those a pod's change concerns. */
  private final Map<String, JsonNode> services = new ConcurrentHashMap<>();
  /** Pod key -> the Services that selected it when it last changed. */
  private final Map<String, List<String>> selectedBy = new ConcurrentHashMap<>();

  public EndpointsController(Registry registry) {
    this.registry = registry;
    this.writes = new Writes(registry);
    this.slices = new EndpointSliceWriter(writes);
  }

  @Override
  public String primaryKind() {
    return "Service";
  }

  @Override
  public List<String> watchedKinds() {
    return List.of("Service", "Pod", "EndpointSlice");
  }

  @Override
  public List<String> keysFor(Informer.ObjectEvent change) {
    ObjectNode object = change.object();
    String key = ControllerLoop.key(object);
    boolean deleted = change instanceof Informer.Deleted;
    if (change.kind().equals("Service")) {
      if (deleted) services.remove(key);
      else services.put(key, object);
      return List.of(key);
    }
    String namespace = object.path("metadata").path("namespace").asText();
    if (change.kind().equals("EndpointSlice")) {
      // a slice of ours changed or went by another's hand: its Service looks again
      String service = object.path("metadata").path("labels").path(EndpointSlice.SERVICE_NAME_LABEL).asText("");
      return EndpointSliceBuilder.managedFor(object, service) ? List.of(namespace + "/" + service) : List.of();
    }
    List<String> keys = new ArrayList<>();
    services.forEach((service, spec) -> {
      if (service.startsWith(namespace + "/") && EndpointsBuilder.selects(spec, object)) keys.add(service);
    });
    // The Services it was selected by before: its labels may have changed away from them.
    List<String> before = deleted || keys.isEmpty() ? selectedBy.remove(key)
        : selectedBy.put(key, List.copyOf(keys));
    if (before != null) before.stream().filter(s -> !keys.contains(s)).forEach(keys::add);
    return keys;
  }

  @Override
  public CompletionStage<Duration> reconcile(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    return registry.get("Service", namespace, name).thenCompose(result -> {
      if (!(result instanceof Result.Ok ok)) {
        services.remove(key);
        return removeEndpoints(namespace, name).thenCompose(v -> slices.removeAll(namespace, name))
            .thenApply(v -> (Duration) null);
      }
      // Without a selector (or an alias: ExternalName) the Endpoints are the user's: never written here.
      JsonNode selector = ok.object().path("spec").path("selector");
      if (!selector.isObject() || selector.isEmpty()
          || "ExternalName".equals(ok.object().path("spec").path("type").asText())) {
        return slices.removeAll(namespace, name).thenApply(v -> (Duration) null);
      }
      return writes.list("Pod", namespace).thenCompose(pods -> write(EndpointsBuilder.build(ok.object(), pods))
              .thenCompose(v -> slices.sync(ok.object(), EndpointSliceBuilder.build(ok.object(), pods))))
          .thenApply(v -> (Duration) null);
    });
  }

  private CompletionStage<Void> write(ObjectNode wanted) {
    String namespace = wanted.path("metadata").path("namespace").asText();
    String name = Meta.name(wanted);
    return registry.get("Endpoints", namespace, name).thenCompose(current -> {
      if (current instanceof Result.Ok ok) {
        if (ok.object().path("subsets").equals(wanted.path("subsets"))
            && ok.object().path("metadata").path("labels").equals(wanted.path("metadata").path("labels"))) {
          return CompletableFuture.completedFuture(null);
        }
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        patch.putObject("metadata").put("uid", Meta.uid(ok.object()))
            .set("labels", wanted.path("metadata").path("labels").isMissingNode()
                ? JsonNodeFactory.instance.nullNode() : wanted.path("metadata").path("labels"));
        patch.set("subsets", wanted.path("subsets"));
        return Writes.allTaken(List.of(writes.patch("Endpoints", namespace, name, patch)));
      }
      return Writes.allTaken(List.of(writes.create("Endpoints", namespace, name, wanted)));
    });
  }

  private CompletionStage<Void> removeEndpoints(String namespace, String name) {
    return registry.get("Endpoints", namespace, name).thenCompose(current -> current instanceof Result.Ok ok
        ? writes.delete("Endpoints", namespace, name, Meta.uid(ok.object())).thenApply(r -> (Void) null)
        : CompletableFuture.completedFuture(null));
  }
}
