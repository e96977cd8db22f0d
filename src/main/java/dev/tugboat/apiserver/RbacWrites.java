package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Status;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import dev.tugboat.security.EscalationCheck;
import dev.tugboat.security.Rbac;
import dev.tugboat.security.UserInfo;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Escalation prevention on writes of Roles, ClusterRoles and their bindings (under RBAC only): the
 * object the write would leave is computed (the body of a create or update; the current object
 * with the patch applied, or with the apply configuration's fields over it) and checked by
 * {@link EscalationCheck} before the write is served. A patch is checked on the object as read: what
 * a concurrent writer added meanwhile was checked on their write.
 */
final class RbacWrites {
  private static final List<String> WRITES = List.of("POST", "PUT", "PATCH");
  private final Registry registry;
  private final Rbac rbac;
  private final RequestBodies bodies;

  RbacWrites(Registry registry, Rbac rbac, RequestBodies bodies) {
    this.registry = registry;
    this.rbac = rbac;
    this.bodies = bodies;
  }

  /** Whether a request is a write this checks. */
  static boolean applies(HttpRequest request, ApiPath path) {
    return WRITES.contains(request.method().value()) && path.subresource() == null
        && EscalationCheck.checks(path.type().kind());
  }

  /** Serves {@code request} by {@code serve} once the write is found to grant nothing its sender lacks. */
  CompletionStage<HttpResponse> handle(HttpRequest request, ApiPath path, UserInfo user,
      Function<HttpRequest, CompletionStage<HttpResponse>> serve) {
    return bodies.buffered(request).thenCompose(buffered -> {
      if (buffered instanceof Status failure) return done(Responses.status(failure));
      HttpRequest again = (HttpRequest) buffered;
      return candidate(again, path).thenCompose(candidate -> {
        // no object to check (a body that does not parse, a patch of nothing): serving it gives the right 4xx
        if (candidate.isEmpty()) return serve.apply(again);
        return rbac.current().thenCompose(authorizer -> {
          Optional<String> refusal = EscalationCheck.refusal(authorizer, user, path.type().kind(),
              path.namespace() == null ? "" : path.namespace(), candidate.get());
          if (refusal.isEmpty()) return serve.apply(again);
          String name = candidate.get().path("metadata").path("name").asText(path.name() == null ? "" : path.name());
          String resource = path.type().plural() + "." + path.type().group();
          return done(Responses.status(Status.failure(403, "Forbidden", resource + " \"" + name + "\" is forbidden: "
              + refusal.get(), new Status.Details(name, path.type().group(), path.type().plural(), null, null, null))));
        });
      });
    });
  }

  /** The object the write would leave; empty when that cannot be told (the write then fails on its own). */
  private CompletionStage<Optional<JsonNode>> candidate(HttpRequest request, ApiPath path) {
    String method = request.method().value();
    if (!method.equals("PATCH")) {
      return bodies.read(request, path.type()).thenApply(body -> Optional.ofNullable(body.failure() == null ? body.tree() : null));
    }
    return bodies.readPatch(request).thenCompose(patch -> {
      if (patch.failure() != null) return CompletableFuture.completedFuture(Optional.<JsonNode>empty());
      return registry.get(path.type().kind(), path.namespace(), path.name()).thenApply(r -> {
        boolean apply = RequestBodies.APPLY_PATCH.equals(patch.patchType());
        if (!(r instanceof Result.Ok ok)) return apply ? Optional.<JsonNode>of(patch.patch()) : Optional.<JsonNode>empty();
        ObjectNode current = ok.object();
        if (apply) {
          ObjectNode merged = current.deepCopy();
          if (patch.patch() instanceof ObjectNode config) {
            for (String field : List.of("rules", "roleRef", "aggregationRule")) {
              if (config.has(field)) merged.set(field, config.get(field));
            }
          }
          return Optional.<JsonNode>of(merged);
        }
        try {
          return Optional.<JsonNode>of(registry.strategy(path.type().kind()).applyPatch(patch.patchType(), current, patch.patch()));
        } catch (RuntimeException e) {
          return Optional.<JsonNode>empty();
        }
      });
    });
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
