package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.apiserver.Negotiation.Representation;
import dev.tugboat.kinds.role.PolicyRule;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.Status;
import dev.tugboat.security.Authorizer;
import dev.tugboat.security.Rbac;
import dev.tugboat.security.RbacAuthorizer;
import dev.tugboat.security.RequestAttributes;
import dev.tugboat.security.UserInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The review APIs of {@code authorization.k8s.io/v1}, asked and never stored, answered by the
 * authorizer in force: {@code SelfSubjectAccessReview} (may I? {@code kubectl auth can-i}),
 * {@code SubjectAccessReview} (may this user?), {@code LocalSubjectAccessReview} (the same within
 * one namespace, for namespace admins) and {@code SelfSubjectRulesReview} (what may I do here?
 * {@code kubectl auth can-i --list}). Who may ask is decided before, like any request (the default
 * {@code system:basic-user} role lets every authenticated user ask about themselves).
 */
final class AccessReviews {
  static final String GROUP = "authorization.k8s.io";
  static final String API_VERSION = GROUP + "/v1";
  /** The resources discovery lists for the group (create only), plural to kind. */
  static final Map<String, String> RESOURCES = Map.of("selfsubjectaccessreviews", "SelfSubjectAccessReview",
      "selfsubjectrulesreviews", "SelfSubjectRulesReview", "subjectaccessreviews", "SubjectAccessReview",
      "localsubjectaccessreviews", "LocalSubjectAccessReview");
  static final String LOCAL = "localsubjectaccessreviews";

  private final RequestBodies bodies;
  private final Authorizer authorizer;

  AccessReviews(RequestBodies bodies, Authorizer authorizer) {
    this.bodies = bodies;
    this.authorizer = authorizer;
  }

  /** {@code /apis/authorization.k8s.io/v1/[namespaces/<ns>/]<plural>}; empty for any other path. */
  Optional<CompletionStage<HttpResponse>> handle(HttpRequest request, List<String> segments, UserInfo requester) {
    if (segments.size() < 4 || !segments.get(0).equals("apis") || !segments.get(1).equals(GROUP)
        || !segments.get(2).equals("v1")) {
      return Optional.empty();
    }
    String namespace = null;
    List<String> rest = segments.subList(3, segments.size());
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty() || !RESOURCES.containsKey(rest.get(0))) return Optional.empty();
    String plural = rest.get(0);
    if (rest.size() > 1 || (namespace == null) == plural.equals(LOCAL)) {
      // a local review lives in a namespace, the others in none; and none is stored, so none has a name
      return Optional.of(done(Responses.status(Status.notFound("the server could not find the requested resource"))));
    }
    String kind = RESOURCES.get(plural);
    String accept = request.getHeader("Accept").map(h -> h.value()).orElse(null);
    Optional<Representation> chosen = Negotiation.choose(accept, Negotiation.Verb.WRITE, true);
    if (chosen.isEmpty()) return Optional.of(done(Responses.status(Negotiation.notAcceptable(accept))));
    Negotiation.Format format = chosen.get().format();
    if (!request.method().value().equals("POST")) {
      return Optional.of(done(Responses.status(Status.methodNotAllowed(request.method().value(), plural + "." + GROUP), format)));
    }
    String ns = namespace;
    return Optional.of(bodies.readOptional(request).thenCompose(body -> {
      if (body.failure() != null) return done(Responses.status(body.failure(), format));
      Status refused = check(body.tree(), kind, ns);
      if (refused != null) return done(Responses.status(refused, format));
      ObjectNode review = body.tree().deepCopy();
      review.put("apiVersion", API_VERSION).put("kind", kind);
      if (ns != null) review.with("metadata").put("namespace", ns);
      if (kind.equals("SelfSubjectRulesReview")) {
        return rules(requester, review.path("spec").path("namespace").asText("")).thenApply(status -> {
          review.set("status", status);
          return Responses.encoded(201, review, format);
        });
      }
      UserInfo subject = kind.equals("SelfSubjectAccessReview") ? requester : subjectOf(review.path("spec"));
      return authorizer.authorize(subject, attributesOf(review.path("spec"))).handle((decision, e) -> {
        ObjectNode status = review.putObject("status");
        if (e != null) {
          status.put("allowed", false).put("evaluationError", "the roles and bindings cannot be read now");
        } else {
          status.put("allowed", decision.allowed());
          if (!decision.reason().isEmpty()) status.put("reason", decision.reason());
        }
        return Responses.encoded(201, review, format);
      });
    }));
  }

  /** What the review asks about, as a request's attributes. */
  static RequestAttributes attributesOf(JsonNode spec) {
    JsonNode r = spec.path("resourceAttributes");
    if (r.isObject()) {
      return new RequestAttributes(true, r.path("verb").asText(""), r.path("group").asText(""), r.path("version").asText(""),
          r.path("resource").asText(""), r.path("subresource").asText(""), r.path("namespace").asText(""),
          r.path("name").asText(""), "");
    }
    JsonNode n = spec.path("nonResourceAttributes");
    return RequestAttributes.nonResource(n.path("verb").asText(""), n.path("path").asText(""));
  }

  private static UserInfo subjectOf(JsonNode spec) {
    List<String> groups = new ArrayList<>();
    spec.path("groups").forEach(g -> groups.add(g.asText()));
    Map<String, List<String>> extra = new java.util.HashMap<>();
    spec.path("extra").fields().forEachRemaining(e -> {
      List<String> values = new ArrayList<>();
      e.getValue().forEach(v -> values.add(v.asText()));
      extra.put(e.getKey(), values);
    });
    String uid = spec.path("uid").asText("");
    return new UserInfo(spec.path("user").asText(""), uid.isEmpty() ? null : uid, groups, extra);
  }

  /** A SelfSubjectRulesReview's status: the requester's rules in the namespace (and cluster-wide). */
  private CompletionStage<ObjectNode> rules(UserInfo requester, String namespace) {
    ObjectNode status = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    CompletionStage<List<PolicyRule>> held = authorizer instanceof Rbac rbac
        ? rbac.current().thenApply(a -> a.rulesFor(requester, namespace))
        : CompletableFuture.completedFuture(List.of(PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")),
            PolicyRule.urls(List.of("*"), List.of("*"))));
    return held.handle((rules, e) -> {
      ArrayNode resourceRules = status.putArray("resourceRules");
      ArrayNode nonResourceRules = status.putArray("nonResourceRules");
      if (e != null) {
        status.put("incomplete", true).put("evaluationError", "the roles and bindings cannot be read now");
        return status;
      }
      for (PolicyRule rule : rules) {
        ObjectNode r = rule.nonResourceURLs().isEmpty() ? resourceRules.addObject() : nonResourceRules.addObject();
        rule.verbs().forEach(r.putArray("verbs")::add);
        if (rule.nonResourceURLs().isEmpty()) {
          rule.apiGroups().forEach(r.putArray("apiGroups")::add);
          rule.resources().forEach(r.putArray("resources")::add);
          if (!rule.resourceNames().isEmpty()) rule.resourceNames().forEach(r.putArray("resourceNames")::add);
        } else {
          rule.nonResourceURLs().forEach(r.putArray("nonResourceURLs")::add);
        }
      }
      status.put("incomplete", false);
      return status;
    });
  }

  /** The 400 or 422 a review body gets; null when it is fine. */
  private static Status check(ObjectNode body, String kind, String namespace) {
    if (body == null) return Status.badRequest("the request body is empty: send a " + kind);
    String bodyKind = body.path("kind").asText(kind);
    String apiVersion = body.path("apiVersion").asText(API_VERSION);
    if (!bodyKind.equals(kind) || !apiVersion.equals(API_VERSION)) {
      return Status.badRequest("the body of the request must be a " + API_VERSION + " " + kind + " (got "
          + apiVersion + " " + bodyKind + ")");
    }
    JsonNode spec = body.path("spec");
    if (kind.equals("SelfSubjectRulesReview")) return null;
    boolean resource = spec.path("resourceAttributes").isObject();
    boolean nonResource = spec.path("nonResourceAttributes").isObject();
    List<FieldError> errors = new ArrayList<>();
    if (resource == nonResource) {
      errors.add(FieldError.required("spec.resourceAttributes",
          "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
    }
    if (kind.endsWith("SubjectAccessReview") && !kind.startsWith("Self") && spec.path("user").asText("").isEmpty()
        && spec.path("groups").isEmpty()) {
      errors.add(FieldError.required("spec.user", "at least one of user or group must be specified"));
    }
    if (namespace != null && resource
        && !namespace.equals(spec.path("resourceAttributes").path("namespace").asText(""))) {
      errors.add(FieldError.invalid("spec.resourceAttributes.namespace",
          spec.path("resourceAttributes").path("namespace").asText(""), "must match metadata.namespace"));
    }
    if (!errors.isEmpty()) return Status.invalid(GROUP, kind, "", errors);
    return null;
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
