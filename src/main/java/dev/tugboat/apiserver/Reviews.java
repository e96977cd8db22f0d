package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.apiserver.Negotiation.Representation;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.Status;
import dev.tugboat.security.Authentication;
import dev.tugboat.security.Authenticator;
import dev.tugboat.security.UserInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The review APIs of {@code authentication.k8s.io/v1}, which are asked, never stored: a
 * {@code SelfSubjectReview} says who the requester is ({@code kubectl auth whoami}); a
 * {@code TokenReview} checks a bearer token for proxies that authenticate against the API
 * (kube-rbac-proxy, metrics-server), answered by the bearer-token authenticators of the chain
 * (ServiceAccount tokens, then the token file): {@code authenticated} with the user (and, for the
 * API's own audiences, {@code audiences}), or false with the {@code error} that says why.
 */
final class Reviews {
  static final String GROUP = "authentication.k8s.io";
  static final String API_VERSION = GROUP + "/v1";
  /** The resources discovery lists for the group (create only, cluster-scoped), plural to kind. */
  static final Map<String, String> RESOURCES = Map.of("selfsubjectreviews", "SelfSubjectReview", "tokenreviews", "TokenReview");

  private final RequestBodies bodies;
  private final Authentication authentication;

  Reviews(RequestBodies bodies, Authentication authentication) {
    this.bodies = bodies;
    this.authentication = authentication;
  }

  /** {@code /apis/authentication.k8s.io/v1/<plural>}; empty for any other path. */
  Optional<CompletionStage<HttpResponse>> handle(HttpRequest request, List<String> segments, UserInfo requester) {
    if (segments.size() < 4 || !segments.get(0).equals("apis") || !segments.get(1).equals(GROUP)
        || !segments.get(2).equals("v1") || !RESOURCES.containsKey(segments.get(3))) {
      return Optional.empty();
    }
    if (segments.size() > 4) {
      // reviews are answered, never stored: there is no object to name
      return Optional.of(done(Responses.status(Status.notFound("the server could not find the requested resource"))));
    }
    String plural = segments.get(3);
    String kind = RESOURCES.get(plural);
    String accept = request.getHeader("Accept").map(h -> h.value()).orElse(null);
    Optional<Representation> chosen = Negotiation.choose(accept, Negotiation.Verb.WRITE, true);
    if (chosen.isEmpty()) return Optional.of(done(Responses.status(Negotiation.notAcceptable(accept))));
    Negotiation.Format format = chosen.get().format();
    if (!request.method().value().equals("POST")) {
      return Optional.of(done(Responses.status(Status.methodNotAllowed(request.method().value(), plural + "." + GROUP), format)));
    }
    return Optional.of(bodies.readOptional(request).thenCompose(body -> {
      if (body.failure() != null) return done(Responses.status(body.failure(), format));
      Status refused = check(body.tree(), kind);
      if (refused != null) return done(Responses.status(refused, format));
      ObjectNode review = body.tree().deepCopy();
      review.put("apiVersion", API_VERSION).put("kind", kind);
      ObjectNode status = review.putObject("status");
      if (kind.equals("SelfSubjectReview")) {
        status.set("userInfo", requester.toJson());
        return done(Responses.encoded(201, review, format));
      }
      // the token itself stays in the request's spec, as Kubernetes echoes it; it is never logged
      return authentication.reviewToken(body.tree().path("spec").path("token").asText()).thenApply(outcome -> {
        status.put("authenticated", outcome instanceof Authenticator.Authenticated);
        if (outcome instanceof Authenticator.Authenticated a) {
          status.set("user", a.user().toJson());
          ArrayNode audiences = status.putArray("audiences");
          authentication.serviceAccountTokens().ifPresent(t -> t.audiences().forEach(audiences::add));
          if (audiences.isEmpty()) status.remove("audiences");
        } else if (!authentication.checksTokens()) {
          status.put("error", "no token authenticator is configured (tugboat.api.token-auth-file)");
        } else if (outcome instanceof Authenticator.Refused r) {
          status.put("error", r.reason().replaceFirst("^Unauthorized: ", ""));
        } else {
          status.put("error", "invalid bearer token");
        }
        return Responses.encoded(201, review, format);
      });
    }));
  }

  /** The 400 or 422 a review body gets; null when it is fine. */
  private static Status check(ObjectNode body, String kind) {
    if (body == null) return Status.badRequest("the request body is empty: send a " + kind);
    String bodyKind = body.path("kind").asText(kind);
    String apiVersion = body.path("apiVersion").asText(API_VERSION);
    if (!bodyKind.equals(kind) || !apiVersion.equals(API_VERSION)) {
      return Status.badRequest("the body of the request must be a " + API_VERSION + " " + kind + " (got "
          + apiVersion + " " + bodyKind + ")");
    }
    if (kind.equals("TokenReview")) {
      JsonNode token = body.path("spec").path("token");
      if (!token.isTextual() || token.asText().isEmpty()) {
        return Status.invalid(GROUP, kind, "", List.of(FieldError.required("spec.token", null)));
      }
    }
    return null;
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
