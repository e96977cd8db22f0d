package dev.tugboat.apiserver;

import dev.tugboat.model.Status;
import dev.tugboat.registry.Result;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * {@code POST pods/{name}/binding}: what a scheduler of the user's own (spec.schedulerName) sends
 * to place a pod, as in Kubernetes. Tugboat's scheduler binds through the same entity command.
 */
final class Bindings {
  private Bindings() {}

  static CompletionStage<HttpResponse> handle(ResourceHandler h, HttpRequest request, ApiPath path,
      Negotiation.Representation rep) {
    return h.bodies().readOptional(request).thenCompose(body -> {
      if (body.failure() != null) return ResourceHandler.done(body.failure(), rep);
      if (body.tree() == null || !"Binding".equals(body.tree().path("kind").asText())) {
        return ResourceHandler.done(Status.badRequest("the body of pods/binding must be a Binding"), rep);
      }
      String node = body.tree().path("target").path("name").asText("");
      if (node.isEmpty()) {
        return ResourceHandler.done(Status.invalid("", "Binding", path.name(),
            java.util.List.of(dev.tugboat.model.FieldError.required("target.name", "a node name is required"))), rep);
      }
      String uid = body.tree().path("metadata").path("uid").asText("");
      // the binding is recorded as made by whoever posted it (a scheduler of the user's own)
      return h.registry().as(WriteParams.requester(request)).bind(path.namespace(), path.name(), uid.isEmpty() ? null : uid, node).thenApply(r ->
          r instanceof Result.Failed f ? Responses.status(f.status(), rep.format())
              : Responses.encoded(201, dev.tugboat.model.Codec.json().valueToTree(Map.of("kind", "Status",
                  "apiVersion", "v1", "metadata", Map.of(), "status", "Success", "code", 201)), rep.format()));
    });
  }
}
