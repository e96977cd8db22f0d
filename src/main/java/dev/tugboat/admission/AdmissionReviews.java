package dev.tugboat.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Status;
import dev.tugboat.model.patch.Patches;
import dev.tugboat.registry.DynamicAdmission;
import dev.tugboat.registry.Requester;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * AdmissionReview v1 (admission.k8s.io/v1): the request a webhook is sent, and what its answer
 * means: pure, so every rule of the answer (uid echoed, allowed, status, JSONPatch, warnings) is
 * tested without a server.
 */
public final class AdmissionReviews {
  private AdmissionReviews() {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** The review sent for {@code review}, with request {@code uid}. */
  public static ObjectNode request(String uid, DynamicAdmission.Review review) {
    DynamicAdmission.Attributes a = review.attributes();
    ObjectNode body = F.objectNode();
    body.put("apiVersion", "admission.k8s.io/v1");
    body.put("kind", "AdmissionReview");
    ObjectNode r = body.putObject("request");
    r.put("uid", uid);
    ObjectNode kind = r.putObject("kind");
    kind.put("group", a.type().group()).put("version", a.type().version()).put("kind", a.type().kind());
    ObjectNode resource = r.putObject("resource");
    resource.put("group", a.type().group()).put("version", a.type().version()).put("resource", a.type().plural());
    if (a.subResource() != null) r.put("subResource", a.subResource());
    r.set("requestKind", kind.deepCopy());
    r.set("requestResource", resource.deepCopy());
    if (a.subResource() != null) r.put("requestSubResource", a.subResource());
    String name = a.name() != null ? a.name() : nameOf(review.object());
    if (name != null) r.put("name", name);
    if (a.namespace() != null) r.put("namespace", a.namespace());
    r.put("operation", a.operation().name());
    r.set("userInfo", userInfo(a.requester()));
    r.set("object", review.object() == null ? F.nullNode() : review.object());
    r.set("oldObject", review.oldObject() == null ? F.nullNode() : review.oldObject());
    r.put("dryRun", a.dryRun());
    r.set("options", options(a));
    return body;
  }

  private static String nameOf(JsonNode object) {
    if (object == null) return null;
    String name = object.path("metadata").path("name").asText("");
    return name.isEmpty() ? null : name;
  }

  private static ObjectNode userInfo(Requester user) {
    ObjectNode u = F.objectNode();
    u.put("username", user.username());
    if (!user.uid().isEmpty()) u.put("uid", user.uid());
    ArrayNode groups = u.putArray("groups");
    user.groups().forEach(groups::add);
    if (!user.extra().isEmpty()) {
      ObjectNode extra = u.putObject("extra");
      user.extra().forEach((k, v) -> {
        ArrayNode values = extra.putArray(k);
        v.forEach(values::add);
      });
    }
    return u;
  }

  /** The operation's options object, as Kubernetes sends it (CreateOptions, UpdateOptions, DeleteOptions). */
  private static ObjectNode options(DynamicAdmission.Attributes a) {
    ObjectNode o = F.objectNode();
    o.put("apiVersion", "meta.k8s.io/v1");
    o.put("kind", switch (a.operation()) {
      case CREATE -> "CreateOptions";
      case UPDATE -> "UpdateOptions";
      case DELETE -> "DeleteOptions";
      case CONNECT -> "ConnectOptions";
    });
    if (a.dryRun()) o.putArray("dryRun").add("All");
    return o;
  }

  /** What a webhook answered, understood. */
  public sealed interface Answer {
    /** Allowed; {@code patch} a JSONPatch to apply (null: none). */
    record Allowed(JsonNode patch, List<String> warnings) implements Answer {}

    /** Refused by the webhook: {@code status} is what the client sees. */
    record Denied(Status status, List<String> warnings) implements Answer {}

    /** Not an answer (bad JSON, wrong uid, an unknown patch type): a failure of the call, under failurePolicy. */
    record Invalid(String why) implements Answer {}
  }

  /**
   * Understands a webhook's answer to the review with request {@code uid}; {@code webhook} names it in
   * a denial, as Kubernetes' message does.
   */
  public static Answer answer(String body, String uid, String webhook, boolean mutating) {
    JsonNode review;
    try {
      review = JSON.readTree(body);
    } catch (Exception e) {
      return new Answer.Invalid("the response is not JSON: " + e.getMessage());
    }
    if (review == null || !review.isObject()) return new Answer.Invalid("the response is not an AdmissionReview");
    if (!"AdmissionReview".equals(review.path("kind").asText())
        || !"admission.k8s.io/v1".equals(review.path("apiVersion").asText())) {
      return new Answer.Invalid("expected response of admission.k8s.io/v1 AdmissionReview, got "
          + review.path("apiVersion").asText("") + " " + review.path("kind").asText(""));
    }
    JsonNode response = review.path("response");
    if (!response.isObject()) return new Answer.Invalid("the AdmissionReview has no response");
    if (!uid.equals(response.path("uid").asText())) {
      return new Answer.Invalid("expected response.uid=\"" + uid + "\", got \"" + response.path("uid").asText() + "\"");
    }
    List<String> warnings = new ArrayList<>();
    for (JsonNode w : response.path("warnings")) {
      if (w.isTextual() && !w.asText().isBlank()) warnings.add(w.asText());
    }
    if (!response.path("allowed").asBoolean(false)) return new Answer.Denied(denial(webhook, response.path("status")), warnings);
    if (!response.has("patch") || response.get("patch").isNull()) return new Answer.Allowed(null, warnings);
    if (!mutating) return new Answer.Invalid("validating webhook may not return a patch");
    if (!"JSONPatch".equals(response.path("patchType").asText())) {
      return new Answer.Invalid("unsupported patch type \"" + response.path("patchType").asText() + "\"");
    }
    try {
      JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText()));
      if (!patch.isArray()) return new Answer.Invalid("the patch is not a JSONPatch (a list of operations)");
      return new Answer.Allowed(patch, warnings);
    } catch (Exception e) {
      return new Answer.Invalid("the patch is not base64 of a JSONPatch: " + e.getMessage());
    }
  }

  /** Kubernetes' ToStatusErr: at least 400, the message prefixed by who denied it. */
  static Status denial(String webhook, JsonNode status) {
    String deniedBy = "admission webhook \"" + webhook + "\" denied the request";
    int code = status.path("code").asInt(0);
    if (code < 400) code = 400;
    String message = status.path("message").asText("");
    String reason = status.path("reason").asText("");
    String full = !message.isEmpty() ? deniedBy + ": " + message
        : !reason.isEmpty() ? deniedBy + ": " + reason : deniedBy + " without explanation";
    String statusReason = !reason.isEmpty() ? reason : reasonOf(code);
    return Status.failure(code, statusReason, full, null);
  }

  private static String reasonOf(int code) {
    return switch (code) {
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 409 -> "Conflict";
      case 422 -> "Invalid";
      case 429 -> "TooManyRequests";
      default -> code >= 500 ? "InternalError" : "BadRequest";
    };
  }

  /**
   * {@code object} with a webhook's JSONPatch applied.
   *
   * @throws IllegalArgumentException when the patch does not apply
   */
  public static ObjectNode patched(ObjectNode object, JsonNode patch) {
    JsonNode result = Patches.apply(Patches.JSON_PATCH, object.deepCopy(), patch);
    if (!(result instanceof ObjectNode o)) throw new IllegalArgumentException("the patched object is not an object");
    return o;
  }
}
