package dev.tugboat.controller.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Meta;
import dev.tugboat.controller.Writes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Brings a Service's EndpointSlices to what {@link EndpointSliceBuilder} wants: a slice that exists
 * with the same ports is kept (its name stays) and rewritten only when it differs; a missing one is
 * created from {@code <service>-} (generateName); one no longer wanted is deleted. Only slices this
 * controller manages (its managed-by label) are touched.
 */
final class EndpointSliceWriter {
  private static final String KIND = "EndpointSlice";
  private final Writes writes;

  EndpointSliceWriter(Writes writes) {
    this.writes = writes;
  }

  CompletionStage<Void> sync(ObjectNode service, List<EndpointSliceBuilder.Desired> desired) {
    String namespace = Meta.namespace(service);
    return managed(namespace, Meta.name(service)).thenCompose(existing -> {
      Map<String, List<ObjectNode>> unused = new LinkedHashMap<>();
      for (ObjectNode slice : existing) {
        unused.computeIfAbsent(EndpointSliceBuilder.portsKey(slice.path("ports")), k -> new ArrayList<>()).add(slice);
      }
      List<CompletableFuture<?>> done = new ArrayList<>();
      for (EndpointSliceBuilder.Desired want : desired) {
        List<ObjectNode> candidates = unused.getOrDefault(want.portsKey(), List.of());
        if (candidates.isEmpty()) {
          done.add(writes.createGenerated(KIND, namespace, want.slice()));
        } else {
          ObjectNode current = candidates.remove(0);
          if (!same(current, want.slice())) done.add(writes.jsonPatch(KIND, namespace, Meta.name(current), replace(current, want.slice())));
        }
      }
      unused.values().forEach(rest -> rest.forEach(slice ->
          done.add(writes.delete(KIND, namespace, Meta.name(slice), Meta.uid(slice)))));
      return Writes.allTaken(done);
    });
  }

  /** Deletes every slice this controller keeps for the Service (it is gone, or has no selector any more). */
  CompletionStage<Void> removeAll(String namespace, String service) {
    return managed(namespace, service).thenCompose(existing -> Writes.allTaken(existing.stream()
        .map(slice -> writes.delete(KIND, namespace, Meta.name(slice), Meta.uid(slice))).toList()));
  }

  private CompletionStage<List<ObjectNode>> managed(String namespace, String service) {
    return writes.list(KIND, namespace).thenApply(slices -> slices.stream()
        .filter(s -> EndpointSliceBuilder.managedFor(s, service) && !s.path("metadata").has("deletionTimestamp"))
        .toList());
  }

  private static boolean same(JsonNode current, JsonNode wanted) {
    return current.path("endpoints").equals(wanted.path("endpoints")) && current.path("ports").equals(wanted.path("ports"))
        && current.path("metadata").path("labels").equals(wanted.path("metadata").path("labels"))
        && current.path("metadata").path("ownerReferences").equals(wanted.path("metadata").path("ownerReferences"));
  }

  /** A JSON patch replacing the content whole, on condition that the slice is still the one read. */
  private static ArrayNode replace(JsonNode current, JsonNode wanted) {
    ArrayNode patch = JsonNodeFactory.instance.arrayNode();
    patch.addObject().put("op", "test").put("path", "/metadata/uid").put("value", Meta.uid(current));
    patch.addObject().put("op", "add").put("path", "/metadata/labels").set("value", wanted.path("metadata").path("labels"));
    patch.addObject().put("op", "add").put("path", "/metadata/ownerReferences")
        .set("value", wanted.path("metadata").path("ownerReferences"));
    patch.addObject().put("op", "add").put("path", "/endpoints").set("value", wanted.path("endpoints"));
    patch.addObject().put("op", "add").put("path", "/ports").set("value", wanted.path("ports"));
    return patch;
  }
}
