package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Status;
import dev.tugboat.model.patch.Patches;
import dev.tugboat.registry.Result;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The {@code scale} subresource ({@code autoscaling/v1 Scale}) of Deployments and ReplicaSets: GET,
 * PUT (fabric8) and PATCH (kubectl scale), all turned into a change of {@code spec.replicas}.
 */
final class Scales {
  private Scales() {}

  static CompletionStage<HttpResponse> handle(ResourceHandler h, HttpRequest request, ApiPath path, String method) {
    String kind = path.type().kind();
    return switch (method) {
      case "GET" -> h.registry().get(kind, path.namespace(), path.name()).thenApply(r -> r instanceof Result.Ok ok
          ? Responses.json(200, toScale(ok.object()))
          : Responses.status(((Result.Failed) r).status()));
      case "PUT" -> h.bodies().readOptional(request).thenCompose(body -> {
        if (body.failure() != null) return ResourceHandler.done(body.failure());
        if (body.tree() == null) return ResourceHandler.done(Status.badRequest("the request body is empty"));
        return setReplicas(h, path, body.tree());
      });
      case "PATCH" -> h.bodies().readPatch(request).thenCompose(patch -> {
        if (patch.failure() != null) return ResourceHandler.done(patch.failure());
        return h.registry().get(kind, path.namespace(), path.name()).thenCompose(r -> {
          if (r instanceof Result.Failed f) return ResourceHandler.done(f.status());
          ObjectNode scale = toScale(((Result.Ok) r).object());
          JsonNode patched;
          try {
            patched = Patches.apply(patch.patchType(), scale, patch.patch());
          } catch (IllegalArgumentException e) {
            return ResourceHandler.done(Status.unprocessable(e.getMessage()));
          }
          return setReplicas(h, path, patched);
        });
      });
      default -> ResourceHandler.done(Status.methodNotAllowed(method, path.type().plural() + "/scale"));
    };
  }

  private static CompletionStage<HttpResponse> setReplicas(ResourceHandler h, ApiPath path, JsonNode scale) {
    JsonNode replicas = scale.path("spec").path("replicas");
    if (!replicas.canConvertToInt() || !replicas.isIntegralNumber() || replicas.asInt() < 0) {
      return ResourceHandler.done(Status.invalid("autoscaling", "Scale", path.name(), java.util.List.of(
          dev.tugboat.model.FieldError.invalid("spec.replicas", replicas.toString(), "must be greater than or equal to 0"))));
    }
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    String rv = scale.path("metadata").path("resourceVersion").asText("");
    if (!rv.isEmpty()) patch.putObject("metadata").put("resourceVersion", rv);
    patch.putObject("spec").put("replicas", replicas.asInt());
    return h.registry().patch(path.type().kind(), path.namespace(), path.name(), "application/merge-patch+json", patch, false)
        .thenApply(r -> r instanceof Result.Ok ok
            ? Responses.json(200, toScale(ok.object()))
            : Responses.status(((Result.Failed) r).status()));
  }

  static ObjectNode toScale(ObjectNode object) {
    ObjectNode scale = JsonNodeFactory.instance.objectNode();
    scale.put("kind", "Scale");
    scale.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = scale.putObject("metadata");
    JsonNode source = object.path("metadata");
    for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (source.has(f)) meta.set(f, source.get(f));
    }
    scale.putObject("spec").put("replicas", object.path("spec").path("replicas").asInt(0));
    ObjectNode status = scale.putObject("status");
    status.put("replicas", object.path("status").path("replicas").asInt(0));
    JsonNode selector = object.path("spec").path("selector");
    if (selector.isObject()) {
      status.put("selector", Codec.json().convertValue(selector, LabelSelector.class).toString());
    }
    return scale;
  }
}
