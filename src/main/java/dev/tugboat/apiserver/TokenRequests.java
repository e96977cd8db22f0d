package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.Status;
import dev.tugboat.registry.Result;
import dev.tugboat.security.ServiceAccountTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * {@code POST serviceaccounts/{name}/token}: a TokenRequest (authentication.k8s.io/v1, JSON or
 * protobuf), what {@code kubectl create token} and a node agent's projected volume send. As
 * kube-apiserver's token REST: {@code audiences} default to the API server's own,
 * {@code expirationSeconds} to 3600 and at least 600; {@code boundObjectRef} may name a Pod of the
 * account (its uid, when given, must be the pod's), and the token then dies with the pod. Nothing is
 * stored; the answer (201) holds the token in {@code status.token}, which is never logged.
 */
final class TokenRequests {
  private static final long MAX_SECONDS = 1L << 32; // Kubernetes' ceiling for expirationSeconds

  private TokenRequests() {}

  static CompletionStage<HttpResponse> handle(ResourceHandler h, HttpRequest request, ApiPath path,
      Negotiation.Representation rep) {
    if (h.tokens().isEmpty()) {
      return ResourceHandler.done(Status.serviceUnavailable("this API server issues no service account tokens"), rep);
    }
    ServiceAccountTokens tokens = h.tokens().get();
    return h.bodies().readOptional(request).thenCompose(body -> {
      if (body.failure() != null) return ResourceHandler.done(body.failure(), rep);
      ObjectNode tr = body.tree() == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
          : body.tree().deepCopy();
      if (body.tree() != null && (!"TokenRequest".equals(tr.path("kind").asText())
          || !"authentication.k8s.io/v1".equals(tr.path("apiVersion").asText()))) {
        return ResourceHandler.done(Status.badRequest(
            "the body of serviceaccounts/token must be an authentication.k8s.io/v1 TokenRequest"), rep);
      }
      JsonNode spec = tr.path("spec");
      List<FieldError> errors = new ArrayList<>();
      long seconds = spec.path("expirationSeconds").isMissingNode() || spec.path("expirationSeconds").isNull()
          ? ServiceAccountTokens.DEFAULT_TTL.toSeconds() : spec.path("expirationSeconds").asLong(-1);
      if (seconds < ServiceAccountTokens.MIN_TTL.toSeconds()) {
        errors.add(FieldError.invalid("spec.expirationSeconds", seconds, "may not specify a duration less than 10 minutes"));
      } else if (seconds > MAX_SECONDS) {
        errors.add(FieldError.invalid("spec.expirationSeconds", seconds, "may not specify a duration larger than 2^32 seconds"));
      }
      List<String> audiences = new ArrayList<>();
      spec.path("audiences").forEach(a -> audiences.add(a.asText()));
      for (int i = 0; i < audiences.size(); i++) {
        if (audiences.get(i).isEmpty()) errors.add(FieldError.invalid("spec.audiences[" + i + "]", "", "may not be empty"));
      }
      JsonNode bound = spec.path("boundObjectRef");
      boolean hasBound = bound.isObject() && !bound.isEmpty();
      if (hasBound) {
        String kind = bound.path("kind").asText("");
        if (!kind.equals("Pod")) {
          errors.add(FieldError.notSupported("spec.boundObjectRef.kind", kind, List.of("Pod")));
        }
        if (bound.path("name").asText("").isEmpty()) errors.add(FieldError.required("spec.boundObjectRef.name", null));
      }
      if (!errors.isEmpty()) {
        return ResourceHandler.done(Status.invalid("authentication.k8s.io", "TokenRequest", path.name(), errors), rep);
      }
      return h.registry().get("ServiceAccount", path.namespace(), path.name()).thenCompose(got -> {
        if (got instanceof Result.Failed f) return ResourceHandler.done(f.status(), rep);
        ObjectNode sa = ((Result.Ok) got).object();
        var account = new ServiceAccountTokens.Account(path.namespace(), path.name(),
            sa.path("metadata").path("uid").asText());
        CompletionStage<Object> pod = !hasBound ? CompletableFuture.completedFuture(null)
            : h.registry().get("Pod", path.namespace(), bound.path("name").asText()).thenApply(p -> {
              if (p instanceof Result.Failed f) return f.status();
              ObjectNode o = ((Result.Ok) p).object();
              String uid = o.path("metadata").path("uid").asText();
              String wanted = bound.path("uid").asText("");
              if (!wanted.isEmpty() && !wanted.equals(uid)) {
                return Status.conflict("", "pods", bound.path("name").asText(),
                    "the UID in the bound object reference (" + wanted + ") does not match the UID in record (" + uid + ")");
              }
              if (!path.name().equals(o.path("spec").path("serviceAccountName").asText())) {
                return Status.badRequest("cannot bind token for serviceaccount \"" + path.name()
                    + "\" to pod running with different serviceaccount name");
              }
              return new ServiceAccountTokens.BoundPod(o.path("metadata").path("name").asText(), uid);
            });
        return pod.thenCompose(p -> {
          if (p instanceof Status refused) return ResourceHandler.done(refused, rep);
          ServiceAccountTokens.Issued issued = tokens.issue(account, (ServiceAccountTokens.BoundPod) p, audiences,
              Duration.ofSeconds(seconds), Instant.now());
          ObjectNode answer = tr;
          answer.put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenRequest");
          ObjectNode meta = answer.with("metadata");
          meta.put("name", path.name()).put("namespace", path.namespace());
          meta.put("creationTimestamp", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
          ObjectNode s = answer.with("spec");
          var auds = s.putArray("audiences");
          (audiences.isEmpty() ? tokens.audiences() : audiences).forEach(auds::add);
          s.put("expirationSeconds", seconds);
          if (hasBound) {
            ObjectNode ref = s.with("boundObjectRef");
            ref.put("kind", "Pod").put("apiVersion", "v1");
            ref.put("uid", ((ServiceAccountTokens.BoundPod) p).uid());
          }
          ObjectNode status = answer.putObject("status");
          status.put("token", issued.token());
          status.put("expirationTimestamp", issued.expiration().toString());
          return ResourceHandler.done(Responses.encoded(201, answer, rep.format()));
        });
      });
    });
  }
}
