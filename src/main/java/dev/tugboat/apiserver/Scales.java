package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.JsonPaths;
import dev.tugboat.kind.ScaleSubresource;
import dev.tugboat.model.Codec;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.Status;
import dev.tugboat.model.patch.Patches;
import dev.tugboat.registry.Result;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The {@code scale} subresource ({@code autoscaling/v1 Scale}) of the kinds that have one
 * (Deployments, ReplicaSets, custom kinds whose CRD says so): GET, PUT (fabric8) and PATCH
 * (kubectl scale), all turned into a change of the desired replicas where the kind keeps them.
 */
final class Scales {
  private Scales() {}

  static CompletionStage<HttpResponse> handle(ResourceHandler h, HttpRequest request, ApiPath path, String method,
      Negotiation.Representation rep) {
    String kind = path.type().kind();
    ScaleSubresource paths = h.registry().strategy(kind).scale().orElse(null);
    if (paths == null) return ResourceHandler.done(Status.notFound("the server could not find the requested resource"), rep);
    return switch (method) {
      case "GET" -> h.registry().get(kind, path.namespace(), path.name()).thenApply(r -> r instanceof Result.Ok ok
          ? Responses.encoded(200, toScale(ok.object(), paths), rep.format())
          : Responses.status(((Result.Failed) r).status(), rep.format()));
      case "PUT" -> h.bodies().readOptional(request).thenCompose(body -> {
        if (body.failure() != null) return ResourceHandler.done(body.failure(), rep);
        if (body.tree() == null) return ResourceHandler.done(Status.badRequest("the request body is empty"), rep);
        return setReplicas(h, request, path, paths, body.tree(), rep);
      });
      case "PATCH" -> h.bodies().readPatch(request).thenCompose(patch -> {
        if (patch.failure() != null) return ResourceHandler.done(patch.failure(), rep);
        return h.registry().get(kind, path.namespace(), path.name()).thenCompose(r -> {
          if (r instanceof Result.Failed f) return ResourceHandler.done(f.status(), rep);
          ObjectNode scale = toScale(((Result.Ok) r).object(), paths);
          JsonNode patched;
          try {
            patched = Patches.apply(patch.patchType(), scale, patch.patch());
          } catch (IllegalArgumentException e) {
            return ResourceHandler.done(Status.unprocessable(e.getMessage()), rep);
          }
          return setReplicas(h, request, path, paths, patched, rep);
        });
      });
      default -> ResourceHandler.done(Status.methodNotAllowed(method, path.type().plural() + "/scale"), rep);
    };
  }

  private static CompletionStage<HttpResponse> setReplicas(ResourceHandler h, HttpRequest request, ApiPath path,
      ScaleSubresource paths,
      JsonNode scale, Negotiation.Representation rep) {
    JsonNode replicas = scale.path("spec").path("replicas");
    if (!replicas.canConvertToInt() || !replicas.isIntegralNumber() || replicas.asInt() < 0) {
      return ResourceHandler.done(Status.invalid("autoscaling", "Scale", path.name(), java.util.List.of(
          dev.tugboat.model.FieldError.invalid("spec.replicas", replicas.toString(), "must be greater than or equal to 0"))), rep);
    }
    ObjectNode patch = JsonPaths.patchSetting(paths.specReplicasPath(), JsonNodeFactory.instance.numberNode(replicas.asInt()));
    String rv = scale.path("metadata").path("resourceVersion").asText("");
    if (!rv.isEmpty()) patch.putObject("metadata").put("resourceVersion", rv);
    // recorded as the change of whoever scaled (the audit trail), as any patch is
    return h.registry().as(WriteParams.requester(request))
        .patch(path.type().kind(), path.namespace(), path.name(), "application/merge-patch+json", patch, false)
        .thenApply(r -> r instanceof Result.Ok ok
            ? Responses.encoded(200, toScale(ok.object(), paths), rep.format())
            : Responses.status(((Result.Failed) r).status(), rep.format()));
  }

  static ObjectNode toScale(ObjectNode object, ScaleSubresource paths) {
    ObjectNode scale = JsonNodeFactory.instance.objectNode();
    scale.put("kind", "Scale");
    scale.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = scale.putObject("metadata");
    JsonNode source = object.path("metadata");
    for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (source.has(f)) meta.set(f, source.get(f));
    }
    scale.putObject("spec").put("replicas", JsonPaths.at(object, paths.specReplicasPath()).asInt(0));
    ObjectNode status = scale.putObject("status");
    status.put("replicas", JsonPaths.at(object, paths.statusReplicasPath()).asInt(0));
    if (paths.labelSelectorPath() != null) {
      JsonNode selector = JsonPaths.at(object, paths.labelSelectorPath());
      if (selector.isTextual()) status.put("selector", selector.asText());
    } else if (object.path("spec").path("selector").isObject()) {
      status.put("selector", Codec.json().convertValue(object.path("spec").path("selector"), LabelSelector.class).toString());
    }
    return scale;
  }
}
